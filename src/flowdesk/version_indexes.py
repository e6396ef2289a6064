"""A desk's search indexes: one folder per pack version under the data folder's ``index/``.

Every index is built aside, in a staging folder of its own
(:func:`flowdesk.leftovers.staging_dir`, swept after a crash), and renamed into
its version's folder only when whole, so a search never opens a half-built
index. An import and a rebuild both go that way (:meth:`VersionIndexes.staged`,
:meth:`VersionIndexes.put_in_place`). The store is the source of truth: an
index that is missing, unreadable or another version's is rebuilt from it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from flowdesk import leftovers
from flowdesk.model import Pack, Revision
from flowdesk.problems import Refused
from flowdesk.search import FlowIndex, IndexUnavailable

#: ``progress(stage, done, total)``, as the desk's long operations report it.
ProgressFn = Callable[[str, int, int], None]
CancelFn = Callable[[], bool]
#: A stored version as model objects, ``load(pack_id, sequence)`` (the desk's cache).
LoadFn = Callable[[str, int], Pack]


def _quiet(_stage: str, _done: int, _total: int) -> None:
    pass


class VersionIndexes:
    """The index folders of one desk, and the indexes it has open. Thread-safe."""

    def __init__(self, root: Path, load: LoadFn) -> None:
        self.root = root
        self._load = load
        self._lock = threading.RLock()
        self._open: dict[tuple[str, int], FlowIndex] = {}

    def folder(self, pack_id: str, sequence: int) -> Path:
        return self.root / f"{pack_id}-{sequence}"

    def close(self) -> None:
        with self._lock:
            for index in self._open.values():
                index.close()
            self._open.clear()

    # -- building aside and putting in place --------------------------------------------

    @contextlib.contextmanager
    def staged(self, pack_id: str, sequence: int) -> Iterator[Path]:
        """A fresh staging folder for one version's index; removed if the block fails."""
        staging = leftovers.staging_dir(self.root, pack_id, sequence)
        try:
            yield staging
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def put_in_place(self, staging: Path, pack_id: str, sequence: int) -> None:
        """Rename a whole staged index into its version's folder, replacing what is there
        (a stale index, or one left by a crash between rename and commit)."""
        final = self.folder(pack_id, sequence)
        with self._lock:
            old = self._open.pop((pack_id, sequence), None)
            if old is not None:
                old.close()
            if final.exists():
                shutil.rmtree(final)
            staging.rename(final)

    def rebuild(
        self, pack: Pack, progress: ProgressFn | None = None, cancel: CancelFn | None = None
    ) -> None:
        """Index one stored version afresh and swap it in."""
        report = progress or _quiet
        with self.staged(pack.id, pack.sequence) as staging:
            FlowIndex.build(
                staging, pack, progress=lambda d, t: report("索引 indexing", d, t), cancel=cancel
            )
            self.put_in_place(staging, pack.id, pack.sequence)

    def build_new(
        self,
        staging: Path,
        version: Pack | Revision,
        base_sequence: int | None,
        report: ProgressFn,
        cancel: CancelFn | None,
    ) -> None:
        """Index a version being imported into ``staging``: afresh, or from the index of the
        active version of the same pack (``base_sequence``; None when there is none).

        Carried over, only flows that changed are analysed again (a monthly pack
        changes a few hundred of 10,000 flows); the old index itself is never
        touched. A revision is told against one version: any other active one,
        or an index that cannot be carried over, means building afresh.
        """

        def indexing(done: int, total: int) -> None:
            report("索引 indexing", done, total)

        revision = version if isinstance(version, Revision) else None
        pack = version.pack if isinstance(version, Revision) else version
        base_dir = self.folder(pack.id, base_sequence) if base_sequence is not None else None
        if revision is not None and base_sequence != revision.base.sequence:
            base_dir = None
        if base_sequence is None or base_dir is None or not base_dir.is_dir():
            FlowIndex.build(staging, self.whole(version), progress=indexing, cancel=cancel)
            return
        _link_tree(base_dir, staging)
        try:
            if revision is not None:
                FlowIndex.update_revision(staging, revision, progress=indexing, cancel=cancel)
            else:
                old = self._load(pack.id, base_sequence)
                FlowIndex.update(staging, old, pack, progress=indexing, cancel=cancel)
        except Refused:  # the old index is not what the store says: start afresh
            shutil.rmtree(staging, ignore_errors=True)
            FlowIndex.build(staging, self.whole(version), progress=indexing, cancel=cancel)

    def whole(self, version: Pack | Revision) -> Pack:
        """A version with all its flows (a revision's kept flows read from the store)."""
        if isinstance(version, Pack):
            return version
        return version.apply_to(self._load(version.base.id, version.base.sequence))

    # -- opening ------------------------------------------------------------------------

    def ensure(self, pack_id: str, sequence: int) -> None:
        """Build a version's index from the store unless its folder is there (activation)."""
        if not self.folder(pack_id, sequence).is_dir():
            self.rebuild(self._load(pack_id, sequence))

    def opened(self, pack_id: str, sequence: int) -> FlowIndex | None:
        """A version's index if already open, else None; never waits for a build."""
        return self._open.get((pack_id, sequence))

    def open(self, pack_id: str, sequence: int) -> FlowIndex:
        """A version's index, opened once; rebuilt from the store when it cannot be used."""
        key = (pack_id, sequence)
        with self._lock:
            index = self._open.get(key)
            if index is not None:
                return index
            folder = self.folder(pack_id, sequence)
            try:
                index = FlowIndex.open(folder)
                if (index.pack_id, index.pack_sequence) != key:  # another version's index
                    index.close()
                    raise IndexUnavailable(f"{folder} holds another")
            except Exception:  # missing, unreadable or not this version's: rebuild from the store
                self.rebuild(self._load(pack_id, sequence))
                index = FlowIndex.open(folder)
            self._open[key] = index
            return index

    def adopt(self, indexes: dict[tuple[str, int], FlowIndex]) -> None:
        """Take over indexes opened before the desk was (the window's start snapshot)."""
        with self._lock:
            for key, index in indexes.items():
                self._open.setdefault(key, index)


def _link_tree(source: Path, target: Path) -> None:
    """Copy an index folder by hard links where the file system allows, else by copying.

    The engine never writes into an existing index file (an update adds new files and
    rewrites its own tables fresh), so sharing the old files' data is safe and turns a
    40 MB copy into a few hundred directory entries.
    """

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)
