"""The desk: FlowDesk's service layer, the one API the CLI and the window share.

A :class:`Desk` owns one data folder: the process-map store (SQLite, the
source of truth), one search index per imported pack version (rebuildable
from the store, :mod:`flowdesk.version_indexes`), and the bundled sample pack
for a first start. Import is atomic across both (:mod:`flowdesk.importing`):
the new version's index is built aside first, then moved into place and the
store's active flag flipped in one transaction, so a search never sees a pack
whose index is missing or half-built.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection
from importlib.resources import as_file
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from flowdesk import clock, importing, leftovers, store
from flowdesk.gcpause import gc_paused
from flowdesk.importing import ImportResult
from flowdesk.lookup import ActiveLookup, PackHeads
from flowdesk.model import Flow, FlowHead, Pack, Revision
from flowdesk.paths import DataDir, sample_pack
from flowdesk.problems import Problem, Refused
from flowdesk.search import FlowIndex
from flowdesk.statefiles import refuse_lost_store
from flowdesk.store import PackInfo, versions
from flowdesk.store import notices as store_notices
from flowdesk.version_indexes import CancelFn, ProgressFn, VersionIndexes

if TYPE_CHECKING:
    from flowdesk.packs import LoadedPack
    from flowdesk.sync.delta import LoadedRevision

__all__ = ["CancelFn", "Desk", "ImportResult", "ProgressFn"]

#: Versions whose flow heads a desk keeps (the active ones, and those just replaced).
_HEADS_KEPT = 4


class Desk(ActiveLookup):
    """One desk's packs, index and data folder. Thread-safe for searches."""

    def __init__(self, data: DataDir, engine: Engine, now: clock.Clock = clock.now) -> None:
        self.data = data
        self._engine = engine
        #: the wall clock effective times are judged by; tests and rehearsals replace it
        self.now = now
        # the versions a call in progress keeps using (see hold_versions)
        self._held: list[PackInfo] | None = None
        self._lock = threading.RLock()
        self.indexes = VersionIndexes(data.indexes, lambda p, s: self.pack(p, s))
        # Whole versions are kept only while someone holds them (a report, a rebuild):
        # 10,000 flows are a quarter million steps, and the window needs only heads.
        self._packs: weakref.WeakValueDictionary[tuple[str, int], Pack] = (
            weakref.WeakValueDictionary()
        )
        self._heads: dict[tuple[str, int], PackHeads] = {}
        self._active: list[PackInfo] = []
        self._changes = store.ChangeWatch(data.store)

    @classmethod
    def open(cls, data_dir: Path) -> Desk:
        """Open (creating or upgrading) the desk in ``data_dir``. Cheap: no index is opened."""
        data = DataDir(Path(data_dir)).ensure()
        data.indexes.mkdir(exist_ok=True)
        refuse_lost_store(data)
        desk = cls(data, store.create_store_engine(data.store))
        try:
            store.merge_old_sync_history(desk._engine, data.old_sync_history)
            leftovers.sweep(data, {(p.pack_id, p.sequence) for p in desk.packs()})
        except BaseException:
            desk.close()
            raise
        return desk

    def close(self) -> None:
        self.indexes.close()
        self._changes.close()
        self._engine.dispose()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- packs --------------------------------------------------------------------------

    def validate(self, path: Path) -> LoadedPack:
        """Read and check a pack source folder or built pack; never raises for bad input."""
        from flowdesk.packs import load_pack  # the YAML reader: only when a pack is read

        return load_pack(Path(path))

    def import_pack(
        self,
        path: Path,
        *,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        loaded: LoadedPack | LoadedRevision | None = None,
        allow_unsigned: bool | None = None,
    ) -> ImportResult:
        """Install a pack version and make it active, atomically with its search index.

        A version whose effective time is still to come is installed and indexed
        but left pending (:mod:`flowdesk.store.versions`): the active version, its
        index and every search keep going until :meth:`activate_due` switches.

        Refused (nothing changed) when the pack has errors, when its sequence
        is not newer than every installed version of the same pack id, or when
        it fails the desk's trust policy (:meth:`check_trust`). ``loaded`` may
        be a revision (an incremental sync): then only its changed flows are
        stored and indexed, and the kept ones are neither read nor rebuilt.
        """
        with gc_paused():  # bulk work: see flowdesk.gcpause
            return self._import_pack(Path(path), progress, cancel, loaded, allow_unsigned)

    def _import_pack(
        self,
        path: Path,
        progress: ProgressFn | None,
        cancel: CancelFn | None,
        loaded: LoadedPack | LoadedRevision | None,
        allow_unsigned: bool | None,
    ) -> ImportResult:
        report = progress or (lambda _stage, _done, _total: None)
        report("读取 reading", 0, 1)
        read = self.validate(path) if loaded is None else loaded
        result = importing.install(
            path,
            read,
            engine=self._engine,
            indexes=self.indexes,
            now=self.now,
            active_packs=self.active_packs,
            trust=lambda: self.check_trust(path, read, allow_unsigned),
            report=report,
            cancel=cancel,
        )
        revision: Revision | None = getattr(read, "revision", None)
        whole = read.pack if revision is None else self._cached_whole(revision)
        if whole is not None:
            with self._lock:
                self._packs[(whole.id, whole.sequence)] = whole  # just validated: no reload
                self._keep_heads((whole.id, whole.sequence), PackHeads.of(whole))
        self._changes.forget()  # read the active versions again
        return result

    def check_trust(
        self, path: Path, loaded: LoadedPack, allow_unsigned: bool | None = None
    ) -> tuple[str | None, list[Problem]]:
        """The desk's trust policy (:func:`flowdesk.importing.trust_policy`) over its keys;
        returns the signer's key id and any warning."""
        return importing.trust_policy(self.data.keys, path, loaded, allow_unsigned)

    def _cached_whole(self, revision: Revision) -> Pack | None:
        """The whole new version when its base is in memory (a running window), else None."""
        with self._lock:
            base = self._packs.get((revision.base.id, revision.base.sequence))
        return revision.apply_to(base) if base is not None else None

    def base_for_revision(
        self, pack_id: str, sequence: int
    ) -> tuple[Pack, list[FlowHead], dict[str, Any]] | None:
        """What a revision is told against: a stored version's header, its flows as heads
        and the manifest it was imported with (None: imported from a source folder)."""
        with self._engine.connect() as conn:
            manifest = store.pack_manifest(conn, pack_id, sequence)
            if manifest is None or not isinstance(manifest.get("members"), dict):
                return None
            head = store.load_pack_head(conn, pack_id, sequence)
            return head, store.flow_heads(conn, pack_id, sequence), manifest

    def changed_flows(self, pack_id: str, old: int | None, new: int) -> dict[str, str]:
        """Flow id -> ``new`` / ``changed`` between two stored versions (no flow is read)."""
        with self._engine.connect() as conn:
            return versions.changed_flows(conn, pack_id, old, new)

    def notes(self, pack_id: str, sequence: int) -> dict[str, str]:
        """The must-read notes a stored version was published with (flow id "" = pack-wide)."""
        with self._engine.connect() as conn:
            return store_notices.notes(conn, pack_id, sequence)

    def flow_heads(self, pack_id: str, sequence: int) -> list[FlowHead]:
        with self._engine.connect() as conn:
            return store.flow_heads(conn, pack_id, sequence)

    def stored_flows(self, pack_id: str, sequence: int, flow_ids: Collection[str]) -> list[Flow]:
        """Just these flows of a stored version (from memory when the version is there)."""
        with self._lock:
            cached = self._packs.get((pack_id, sequence))
        if cached is not None:
            wanted = set(flow_ids)
            return [f for f in cached.flows if f.id in wanted]
        with self._engine.connect() as conn:
            return store.load_flows(conn, pack_id, sequence, flow_ids)

    def needs_sample(self) -> bool:
        """True on a first start: no pack has ever been installed here."""
        with self._engine.connect() as conn:
            return not store.list_packs(conn)

    def import_sample(
        self, progress: ProgressFn | None = None, cancel: CancelFn | None = None
    ) -> ImportResult:
        """Install the bundled Chinese sample pack (first start)."""
        with as_file(sample_pack()) as folder:
            return self.import_pack(
                Path(folder), progress=progress, cancel=cancel, allow_unsigned=True
            )

    def packs(self) -> list[PackInfo]:
        """Every imported version, newest first within each pack id."""
        with self._engine.connect() as conn:
            return store.list_packs(conn)

    def active_packs(self) -> list[PackInfo]:
        """The active version of each pack id, re-read only when the store has changed.

        Asked on every keystroke, so the usual answer costs one ``PRAGMA`` (see
        :class:`store.ChangeWatch`). While :meth:`hold_versions` is in force (a call
        is in progress) the held versions are returned, whatever another process
        activated meanwhile.
        """
        if self._held is not None:
            return list(self._held)
        if self._changes.changed():
            with self._engine.connect() as conn:
                active = store.list_packs(conn, active_only=True)
            with self._lock:
                self._active = active
        return list(self._active)

    def activate_due(self) -> list[versions.Activation]:
        """Make active every pending version whose effective time has come (between calls).

        Cheap when nothing is pending (one indexed read), so every command that
        reads packs calls it; a window calls it only while no call is running.
        """
        with self._engine.connect() as conn:
            if not versions.pending_ids(conn):
                return []
        with store.writer(self._engine).begin() as conn:
            done = versions.settle(conn, self.now())
        for activation in done:
            self.indexes.ensure(activation.pack_id, activation.sequence)
        if done:
            self._changes.forget()  # read the active versions again
        return done

    def hold_versions(self) -> None:
        """Keep searching and showing the versions active now until :meth:`release_versions`.

        A call in progress never changes version under the agent, even when a
        command on the same desk activates another one meanwhile.
        """
        self._held = self.active_packs()

    def release_versions(self) -> None:
        self._held = None
        self._changes.forget()  # read the active versions again

    def activate(
        self, pack_id: str, sequence: int, *, action: str = "activate", facts: dict | None = None
    ) -> PackInfo:
        """Make an installed version active again (rollback); recorded in the pack history.

        A pending version activated by hand leaves the schedule; other pending
        versions keep theirs.
        """
        with store.writer(self._engine).begin() as conn:
            target = store.find_pack(conn, pack_id, sequence)
            if target is None:
                raise Refused(f"pack '{pack_id}' sequence {sequence} is not installed")
            current = store.find_pack(conn, pack_id)
            self.indexes.ensure(pack_id, sequence)
            versions.activate_by_hand(conn, pack_id, sequence)
            previous = current.sequence if current else None
            store.record(conn, action, pack_id, sequence, previous, facts=facts)
            versions.settle(conn, self.now(), pack_ids={pack_id})
        self._changes.forget()  # read the active versions again
        return self.pack_info(pack_id, sequence)

    def pack_info(self, pack_id: str, sequence: int | None = None) -> PackInfo:
        with self._engine.connect() as conn:
            info = store.find_pack(conn, pack_id, sequence)
        if info is None:
            raise KeyError(f"{pack_id}#{sequence}" if sequence else pack_id)
        return info

    def history(self, pack_id: str | None = None) -> list[dict[str, object]]:
        with self._engine.connect() as conn:
            return store.history(conn, pack_id)

    def record_history(
        self, action: str, pack_id: str, sequence: int, previous: int | None, facts: dict
    ) -> None:
        """Add an entry to the pack history for a change made through the desk (a sync)."""
        with store.writer(self._engine).begin() as conn:
            store.record(conn, action, pack_id, sequence, previous, facts=facts)

    def pack(self, pack_id: str | None = None, sequence: int | None = None) -> Pack:
        """A pack version as model objects, every flow with its steps (active one by default).

        Read whole from the store unless someone still holds it: what reports,
        diffs and index rebuilds need. The window asks for :meth:`heads`.
        """
        key = self._version_key(pack_id, sequence)
        with self._lock:
            cached = self._packs.get(key)
        if cached is not None:
            return cached
        with self._engine.connect() as conn:
            pack = store.load_pack(conn, *key)
        with self._lock:
            self._packs[key] = pack
        return pack

    def heads(self, pack_id: str | None = None, sequence: int | None = None) -> PackHeads:
        """A pack version's header, axes and flow heads (active one by default); kept.

        What the window shows: the map, the filters and the lists, without a step.
        """
        key = self._version_key(pack_id, sequence)
        with self._lock:
            kept = self._heads.get(key)
            whole = self._packs.get(key)
        if kept is not None:
            return kept
        if whole is not None:
            heads = PackHeads.of(whole)
        else:
            with self._engine.connect() as conn:
                header = store.load_pack_head(conn, *key)
                heads = PackHeads(header, tuple(store.flow_heads(conn, *key)))
        with self._lock:
            self._keep_heads(key, heads)
        return heads

    def _keep_heads(self, key: tuple[str, int], heads: PackHeads) -> None:
        self._heads.pop(key, None)
        self._heads[key] = heads
        while len(self._heads) > _HEADS_KEPT:
            del self._heads[next(iter(self._heads))]  # the longest kept

    def _version_key(self, pack_id: str | None, sequence: int | None) -> tuple[str, int]:
        """(pack id, sequence) of the version asked for: the active (or held) one by default."""
        if pack_id is None:
            active = self.active_packs()
            if not active:
                raise KeyError("no pack is installed")
            pack_id = active[0].pack_id
        if sequence is None:
            held = [p.sequence for p in self.active_packs() if p.pack_id == pack_id]
            sequence = held[0] if held else self.pack_info(pack_id).sequence
        return pack_id, sequence

    def _index(self, pack_id: str, sequence: int) -> FlowIndex:
        return self.indexes.open(pack_id, sequence)

    def current_packs(self) -> list[PackInfo] | None:
        """The active versions as last read, unless the store changed since (then None)."""
        if self._held is not None:
            return list(self._held)
        return list(self._active) if self._changes.unchanged() else None

    def _index_if_open(self, pack_id: str, sequence: int) -> FlowIndex | None:
        return self.indexes.opened(pack_id, sequence)

    def adopt(
        self, indexes: dict[tuple[str, int], FlowIndex], packs: dict[tuple[str, int], Pack]
    ) -> None:
        """Take over indexes and packs read before the desk opened (the start snapshot).

        Pack versions never change once imported, so a snapshot's pack of the
        same version is the store's, and is not read again.
        """
        self.indexes.adopt(indexes)
        with self._lock:
            for key, pack in packs.items():
                self._packs.setdefault(key, pack)
                self._heads.setdefault(key, PackHeads.of(pack))

    def reindex(
        self,
        pack_id: str,
        sequence: int,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> None:
        """Rebuild one version's index from the store (the store is the source of truth)."""
        self.indexes.rebuild(self.pack(pack_id, sequence), progress, cancel)
