"""The index itself, on Whoosh: weighted postings of exact terms, read directly.

Every query is a handful of exact term look-ups (see terms.py), so Whoosh gets
no analysers and no query language: each field is fed the terms documents.py
worked out, with their weights, through :class:`ExactTerms`. Whoosh stores the
postings (one segment, merged on every commit) and we read them straight from
its posting matchers, summing scores ourselves (scoring.py): Whoosh's own
collector cost 4.9 ms p95 a keystroke before any hit was made, reading the
postings costs a fraction of that, and a single name term takes only the
posting blocks whose best weight can still make the page.

Fields: ``name`` (title, keyword, pinyin, sound and code terms, weighted),
``step`` (unigrams and bigrams of step text, one posting per flow and term),
``exact`` (the whole title, for the exact-title bonus), ``facet`` (channel,
brand, channel/brand and class, for filters) and ``flow_id`` (to delete a
flow on update). What a hit shows and the step texts for snippets are kept
beside Whoosh's files, in plain JSON (nothing of ours is pickled). The folder
is complete once our table file is written, last. Opening loads Whoosh's
files into memory: no file stays open, so an update can swap the folder while
an older version is still answering (Windows refuses to rename open files).
"""

from __future__ import annotations

import json
import os
import threading
import zlib
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import FileIndex
from whoosh.reading import IndexReader, SegmentReader
from whoosh.writing import CLEAR, SegmentWriter

from flowdesk.search.documents import FlowDocument

ENGINE_FORMAT = 2
TABLE_FILE = "flowdesk-index.json"  # written last: its presence marks a complete index
INDEX_NAME = "FLOWS"  # Whoosh's files in the folder are named after it
DOCS_FILE = "docs.jsonl"  # one flow's display data per line, parsed only when shown
TEXT_FILE = "steps.z"  # each flow's step texts, compressed, read only for snippets

Scores = dict[int, float]


class ExactTerms(fields.FieldType):
    """A field fed ready-made terms: a {term: weight} mapping, or a set of terms (weight 1).

    No analyser: terms.py has already cut every way an agent may type a flow
    into exact terms, and their weights are their scores.
    """

    def __init__(self) -> None:
        super().__init__(formats.Existence(), None, scorable=False, stored=False)

    def index(self, value: Any, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        if isinstance(value, Mapping):
            return [(term.encode("utf-8"), 1, weight, b"") for term, weight in value.items()]
        return [(term.encode("utf-8"), 1, 1.0, b"") for term in value]


def flow_schema() -> fields.Schema:
    return fields.Schema(
        flow_id=fields.ID(unique=True),
        name=ExactTerms(),
        step=ExactTerms(),
        exact=ExactTerms(),
        facet=ExactTerms(),
    )


SCHEMA = flow_schema()


def _codec() -> W3Codec:
    codec = W3Codec()
    # Nothing is scored by field length; without this Whoosh asks the file system
    # whether a length column exists once per posting while writing.
    codec.length_stats = False
    return codec


class TermPool:
    """Whoosh's posting pool, kept per term in two arrays (a document, a weight).

    Whoosh's own pool keeps a tuple per posting (about 120 bytes each, 5.7 M of
    them for 10,000 flows), sorts them all at commit and spills runs to disk
    past its memory limit; here a posting costs 8 bytes and only the terms are
    sorted. Documents come in ascending order (carried flows first), so each
    term's postings are already in the order Whoosh writes them.
    """

    def __init__(self) -> None:
        self._terms: dict[tuple[str, bytes], tuple[array, array]] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        field, term, doc, weight, _ = item
        entry = self._terms.get((field, term))
        if entry is None:
            entry = self._terms[(field, term)] = (array("I"), array("f"))
        entry[0].append(doc)
        entry[1].append(weight)

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        terms = self._terms
        for key in sorted(terms):
            field, term = key
            docs, weights = terms.pop(key)
            for doc, weight in zip(docs, weights, strict=True):
                yield field, term, doc, weight, b""

    def cleanup(self) -> None:
        self._terms.clear()


def _fields(document: FlowDocument) -> dict[str, Any]:
    facets = [f"{facet}:{value}" for facet, values in document.facets.items() for value in values]
    return {
        "flow_id": document.flow_id,
        "name": document.name_terms,
        "step": document.step_terms,
        "exact": [document.exact] if document.exact else [],
        "facet": facets,
    }


class IndexWriter:
    """One Whoosh writer over a folder: carry flows over, add flows, save once.

    Documents are numbered in the order they arrive (carried flows first, in
    their old order). Equal scores rank by document number on a fresh build,
    which adds flows in rank order; an update carries flows over in their old
    order, so it saves every document's rank in the table instead. What hits
    show is kept beside Whoosh's files, one JSON line per flow, and read at
    open: a line parses in microseconds, Whoosh's stored fields took ten times
    that.
    """

    def __init__(self, directory: Path, *, fresh: bool) -> None:
        self.directory = directory
        storage = FileStorage(str(directory))
        if fresh:
            index = storage.create_index(SCHEMA, indexname=INDEX_NAME)
        else:
            index = FileIndex(storage, schema=SCHEMA, indexname=INDEX_NAME)
        self._writer = SegmentWriter(index, codec=_codec())
        self._writer.pool.cleanup()
        self._writer.pool = TermPool()
        self._flow_ids: list[str] = []
        self._docs: list[str] = []
        self._texts = bytearray()
        self._text_offsets = [0]

    def keep_all_but(self, previous: Postings, dropped: set[str]) -> None:
        """Carry the flows of the index in the folder over, except ``dropped``; before add.

        ``previous`` is that index, loaded: it gives the display data carried.
        """
        writer = self._writer
        if self._flow_ids:
            raise RuntimeError("keep_all_but() must come before add()")
        for flow_id in dropped:
            writer.delete_by_term("flow_id", flow_id)
        for segment in writer.segments:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
        for doc, flow_id in enumerate(previous.flow_ids()):
            if flow_id not in dropped:
                self._flow_ids.append(flow_id)
                self._docs.append(previous.shown_line(doc))
                self._add_texts(previous.packed_texts(doc))
        if writer.docnum != len(self._flow_ids):
            carried = len(self._flow_ids)
            raise ValueError(f"carried the postings of {writer.docnum} flows, not {carried}")

    def _add_texts(self, packed: bytes) -> None:
        self._texts += packed
        self._text_offsets.append(len(self._texts))

    def add(self, document: FlowDocument) -> None:
        self._writer.add_document(**_fields(document))
        self._flow_ids.append(document.flow_id)
        self._docs.append(json.dumps(document.stored, ensure_ascii=False))
        texts = json.dumps(document.step_texts, ensure_ascii=False).encode("utf-8")
        self._add_texts(zlib.compress(texts))

    def save(self, meta: dict[str, Any], ranks: Mapping[str, int]) -> None:
        """Commit one segment (older ones dropped: their flows were carried), then the table.

        ``ranks`` orders flows of equal score, by flow id; saved only when it is
        not the document order.
        """
        self._writer.commit(mergetype=CLEAR)
        (self.directory / DOCS_FILE).write_text("\n".join(self._docs), encoding="utf-8")
        (self.directory / TEXT_FILE).write_bytes(bytes(self._texts))
        table: dict[str, Any] = {**meta, "format": ENGINE_FORMAT}
        table["documents"] = len(self._flow_ids)
        table["text_offsets"] = self._text_offsets
        by_doc = [ranks[flow_id] for flow_id in self._flow_ids]
        if by_doc != sorted(by_doc):
            table["ranks"] = by_doc
        temporary = self.directory / (TABLE_FILE + ".tmp")
        temporary.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.directory / TABLE_FILE)

    def cancel(self) -> None:
        if not self._writer.is_closed:
            self._writer.cancel()


def read_table(directory: Path) -> dict[str, Any]:
    """The index's table file (pack id, sequence, count); ValueError if not ours."""
    table = json.loads((directory / TABLE_FILE).read_text(encoding="utf-8"))
    if not isinstance(table, dict) or table.get("format") != ENGINE_FORMAT:
        raise ValueError(f"not a FlowDesk search index of format {ENGINE_FORMAT}")
    return table


def _in_memory(directory: Path) -> RamStorage:
    """Whoosh's files of ``directory`` loaded into memory (a few MB per thousand flows)."""
    storage = RamStorage()
    for entry in directory.iterdir():
        whoosh_file = entry.name.startswith((f"{INDEX_NAME}_", f"_{INDEX_NAME}_"))
        if whoosh_file and entry.is_file() and not entry.name.endswith("LOCK"):
            storage.files[entry.name] = entry.read_bytes()
    return storage


class Postings:
    """A loaded index: one Whoosh reader, shared by every thread under one lock.

    Whoosh's posting files keep a read position, so two threads must not read
    at once; a search is pure Python under the GIL anyway, so the lock costs
    no parallelism.
    """

    def __init__(self, directory: Path) -> None:
        table = read_table(directory)
        self.meta = {k: table[k] for k in ("pack_id", "pack_sequence", "documents")}
        count = self.meta["documents"]
        index = FileIndex(_in_memory(directory), schema=SCHEMA, indexname=INDEX_NAME)
        reader = index.reader()
        # One merged segment (none for a pack without flows): the reads below rely on it.
        if reader.has_deletions() or (count and not isinstance(reader, SegmentReader)):
            raise ValueError("the Whoosh index is not one merged segment")
        if reader.doc_count() != count:
            raise ValueError(f"the Whoosh index holds {reader.doc_count()} flows, not {count}")
        lines = (directory / DOCS_FILE).read_text(encoding="utf-8")
        self._docs = lines.split("\n") if lines else []
        if len(self._docs) != count:
            raise ValueError(f"{DOCS_FILE} holds {len(self._docs)} flows, not {count}")
        self._text_offsets: list[int] = table["text_offsets"]
        self._texts = (directory / TEXT_FILE).read_bytes()
        if len(self._text_offsets) != count + 1 or self._text_offsets[-1] != len(self._texts):
            raise ValueError(f"{TEXT_FILE} does not hold the step texts listed")
        ranks = table.get("ranks")
        if ranks is not None and len(ranks) != count:
            raise ValueError("the table ranks another number of flows")
        #: Each document's place among equal scores; None when it is the document number.
        self.ranks: list[int] | None = ranks
        self.doc_at_rank = {} if ranks is None else {rank: doc for doc, rank in enumerate(ranks)}
        self.lock = threading.RLock()
        self._reader: IndexReader = reader
        self._facets = {
            term.decode("utf-8"): frozenset(self.postings("facet", term)[0])
            for term in reader.lexicon("facet")
        }

    def close(self) -> None:
        with self.lock:
            self._reader.close()

    # Postings ----------------------------------------------------------------

    def doc_frequency(self, field: str, key: str) -> int:
        return self._reader.doc_frequency(field, key)

    def matcher(self, field: str, key: str | bytes) -> Any:
        """Whoosh's matcher over one term's postings, or None for a term not indexed."""
        if not self._reader.doc_frequency(field, key):
            return None
        return self._reader.postings(field, key)

    def postings(self, field: str, key: str | bytes) -> tuple[list[int], list[float]]:
        """All (documents, weights) of a term, in document order."""
        matcher = self.matcher(field, key)
        if matcher is None:
            return [], []
        return read_all(matcher)

    def facet(self, name: str, value: str) -> frozenset[int]:
        return self._facets.get(f"{name}:{value}", frozenset())

    # Display data ------------------------------------------------------------

    def flow_ids(self) -> list[str]:
        """The flow id of every document, by document number."""
        return [self.stored(doc)["flow_id"] for doc in range(len(self._docs))]

    def shown_line(self, doc: int) -> str:
        return self._docs[doc]

    def stored(self, doc: int) -> dict[str, Any]:
        """What a hit shows of a flow (title, codes, keywords and their pinyin)."""
        return json.loads(self._docs[doc])

    def packed_texts(self, doc: int) -> bytes:
        return self._texts[self._text_offsets[doc] : self._text_offsets[doc + 1]]

    def step_texts(self, doc: int) -> list[str]:
        return json.loads(zlib.decompress(self.packed_texts(doc)).decode("utf-8"))


def read_all(matcher: Any) -> tuple[list[int], list[float]]:
    """Every posting of a matcher, a block at a time where Whoosh's matcher allows.

    Whoosh decodes a block of postings at once; walking them one call per
    posting costs three times as much, which matters for the 10,000-posting
    terms (single letters, common step words).
    """
    ids: list[int] = []
    weights: list[float] = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
        return ids, weights
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights
