"""FlowIndex: one pack's search index on disk, built once, searched per keystroke.

The index is a cache of the pack (SQLite is the source of truth): it is built
in one writer and one segment (query time rose ~8x with ~30 unmerged segments),
and it is complete only once its ``flowdesk-index.json`` is written, last. One
Whoosh searcher stays open for the index's life; a lock makes ``search`` safe
from several threads (Whoosh's readers share file handles).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import fields, formats, index, scoring
from whoosh.analysis import DelimitedAttributeFilter, SpaceSeparatedTokenizer
from whoosh.query import Term

from flowdesk.model import Pack
from flowdesk.problems import Refused
from flowdesk.search.documents import AxisNames, flow_document
from flowdesk.search.errors import Cancelled, IndexUnavailable
from flowdesk.search.hits import Hit, make_hit
from flowdesk.search.query import build_query, parse

META_FILE = "flowdesk-index.json"
INDEX_FORMAT = 1
PROGRESS_EVERY = 100
WRITER_MB = 128
MAX_SEGMENTS = 4  # after an update, more than this many segments are merged into one

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


def _schema() -> fields.Schema:
    # scorable only so that Whoosh keeps a length column: without one its writer
    # stats a missing file for every posting (a third of the build time).
    weighted = fields.FieldType(
        formats.Frequency(),
        SpaceSeparatedTokenizer() | DelimitedAttributeFilter(),
        scorable=True,
    )
    present = fields.FieldType(formats.Existence(), SpaceSeparatedTokenizer(), scorable=True)
    return fields.Schema(
        flow_id=fields.ID(unique=True),
        name=weighted,
        exact=fields.ID(),
        step=present,
        channel=fields.KEYWORD(),
        brand=fields.KEYWORD(),
        cb=fields.KEYWORD(),
        flow_class=fields.ID(),
        data=fields.STORED(),
    )


def _add(writer: Any, document: dict[str, Any]) -> None:
    if not document["exact"]:
        document = {k: v for k, v in document.items() if k != "exact"}
    writer.add_document(**document)


def _write_meta(directory: Path, pack: Pack) -> None:
    meta = {
        "format": INDEX_FORMAT,
        "pack_id": pack.id,
        "pack_sequence": pack.sequence,
        "flows": len(pack.flows),
    }
    temporary = directory / (META_FILE + ".tmp")
    temporary.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, directory / META_FILE)


def read_meta(directory: Path) -> dict[str, Any]:
    """What the index in ``directory`` was built from; IndexUnavailable when incomplete."""
    try:
        meta = json.loads((Path(directory) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(f"{directory}: no complete search index ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") != INDEX_FORMAT:
        raise IndexUnavailable(f"{directory}: search index of another format; rebuild it")
    return meta


def _wipe(directory: Path, created: bool) -> None:
    """Leave nothing usable behind after a failed or cancelled build."""
    if created:
        shutil.rmtree(directory, ignore_errors=True)
        return
    for entry in directory.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


class FlowIndex:
    """Search over one pack's flows: titles, keywords, pinyin, codes and step text."""

    def __init__(self, directory: Path, ix: Any, meta: dict[str, Any]) -> None:
        self.directory = directory
        self.pack_id: str = meta["pack_id"]
        self.pack_sequence: int = meta["pack_sequence"]
        self._ix = ix
        self._searcher = ix.searcher(weighting=scoring.Frequency())
        self._lock = threading.Lock()
        self._filters: dict[tuple[str | None, str | None, str | None], set[int]] = {}

    @staticmethod
    def build(
        directory: Path,
        pack: Pack,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> None:
        """Write a complete index of ``pack`` into ``directory`` (absent or empty).

        Raises :class:`Cancelled` when ``cancel()`` turns true, leaving no index.
        """
        directory = Path(directory)
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise Refused(
                "a search index is built into an empty folder; this one is not empty",
                file=str(directory),
            )
        created = not directory.exists()
        directory.mkdir(parents=True, exist_ok=True)
        try:
            ix = index.create_in(str(directory), _schema())
            writer = ix.writer(limitmb=WRITER_MB)
            names = AxisNames(pack)
            # Shorter titles first: equal scores keep index order, so shorter ranks first.
            flows = sorted(pack.flows, key=lambda f: (len(f.title), f.title, f.id))
            total = len(flows)
            try:
                for done, flow in enumerate(flows, start=1):
                    if cancel is not None and cancel():
                        raise Cancelled(f"search index build of {pack.id} cancelled")
                    _add(writer, flow_document(flow, names))
                    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                        progress(done, total)
                if cancel is not None and cancel():
                    raise Cancelled(f"search index build of {pack.id} cancelled")
            except BaseException:
                writer.cancel()
                raise
            writer.commit(optimize=True)
            ix.close()
            _write_meta(directory, pack)
        except BaseException:
            _wipe(directory, created)
            raise

    @staticmethod
    def update(
        directory: Path,
        old: Pack,
        new: Pack,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> None:
        """Bring an index built from ``old`` to ``new``, re-indexing only changed flows.

        All or nothing: a cancel (or any error) before the commit leaves the index
        as it was, still describing ``old``. Indexes already open keep seeing the
        old version until they are opened again.
        """
        directory = Path(directory)
        meta = read_meta(directory)
        if (meta["pack_id"], meta["pack_sequence"]) != (old.id, old.sequence):
            raise Refused(
                f"search index holds pack {meta['pack_id']} #{meta['pack_sequence']}, "
                f"not {old.id} #{old.sequence}; rebuild it",
                file=str(directory),
            )
        old_names, new_names = AxisNames(old), AxisNames(new)
        before = {f.id: old_names.source_key(f) for f in old.flows}
        changed = [f for f in new.flows if before.get(f.id) != new_names.source_key(f)]
        current = {f.id for f in new.flows}
        removed = [flow_id for flow_id in before if flow_id not in current]
        ix = index.open_dir(str(directory))
        try:
            writer = ix.writer(limitmb=WRITER_MB)
            total = len(changed)
            try:
                for flow_id in removed:
                    writer.delete_byTerm("flow_id", flow_id)
                for done, flow in enumerate(changed, start=1):
                    if cancel is not None and cancel():
                        raise Cancelled(f"search index update to {new.id} cancelled")
                    if flow.id in before:
                        writer.delete_byTerm("flow_id", flow.id)
                    _add(writer, flow_document(flow, new_names))
                    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                        progress(done, total)
                if cancel is not None and cancel():
                    raise Cancelled(f"search index update to {new.id} cancelled")
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            with ix.reader() as reader:
                segments = len(reader.leaf_readers())
            if segments > MAX_SEGMENTS:
                ix.optimize()
        finally:
            ix.close()
        _write_meta(directory, new)

    @classmethod
    def open(cls, directory: Path) -> FlowIndex:
        """Open a complete index; IndexUnavailable when there is none (build one)."""
        directory = Path(directory)
        meta = read_meta(directory)
        try:
            ix = index.open_dir(str(directory))
        except Exception as exc:  # Whoosh raises several kinds for a damaged folder
            raise IndexUnavailable(f"{directory}: search index cannot be read ({exc})") from exc
        return cls(directory, ix, meta)

    def search(
        self,
        query: str,
        *,
        channel: str | None = None,
        brand: str | None = None,
        flow_class: str | None = None,
        limit: int = 20,
        typeahead_only: bool = False,
    ) -> list[Hit]:
        """Flows matching every term of ``query``, best first; [] for an empty query.

        ``typeahead_only`` searches titles, keywords, pinyin and codes only (the
        per-keystroke path); otherwise step text too, ranked below them.
        """
        terms = parse(query)
        if not terms or limit <= 0:
            return []
        whoosh_query = build_query(terms, typeahead_only=typeahead_only)
        with self._lock:
            allowed = self._allowed(channel, brand, flow_class)
            if allowed is not None and not allowed:
                return []
            results = self._searcher.search(whoosh_query, limit=limit, filter=allowed)
            stored = self._searcher.stored_fields
            found = [(score, stored(doc)["data"]) for score, doc in results.top_n]
        return [make_hit(data, score, self.pack_id, terms) for score, data in found]

    def _allowed(
        self, channel: str | None, brand: str | None, flow_class: str | None
    ) -> set[int] | None:
        """Document numbers passing the filters (cached: the open index never changes)."""
        key = (channel, brand, flow_class)
        if key == (None, None, None):
            return None
        if key not in self._filters:
            searcher = self._searcher
            if channel is not None and brand is not None:
                docs = set(searcher.docs_for_query(Term("cb", f"{channel}/{brand}")))
            elif channel is not None:
                docs = set(searcher.docs_for_query(Term("channel", channel)))
            elif brand is not None:
                docs = set(searcher.docs_for_query(Term("brand", brand)))
            else:
                docs = set(range(searcher.doc_count_all()))
            if flow_class is not None:
                docs &= set(searcher.docs_for_query(Term("flow_class", flow_class)))
            self._filters[key] = docs
        return self._filters[key]

    def close(self) -> None:
        """Release the searcher and its files (needed before the folder can be removed)."""
        with self._lock:
            self._searcher.close()
            self._ix.close()

    def __enter__(self) -> FlowIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
