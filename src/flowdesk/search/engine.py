"""The index itself, on Whoosh: weighted postings of exact terms, read directly.

Every query is a handful of exact term look-ups (see terms.py), so Whoosh gets
no analysers and no query language: each field is fed the terms documents.py
worked out, with their weights, through :class:`ExactTerms`. Whoosh stores the
postings and we read them straight from its posting matchers, summing scores
ourselves (scoring.py): Whoosh's own collector cost 4.9 ms p95 a keystroke
before any hit was made, reading the postings costs a fraction of that, and a
single name term takes only the posting blocks whose best weight can still
make the page.

A fresh build writes one segment. An update adds a small segment and marks the
replaced flows deleted in the older ones (writer.py), so an index holds a few
segments: a document's number is its segment's offset plus its number there,
and a deleted document keeps its number (an empty slot) until a merge.

Fields: ``name`` (title, keyword, pinyin, sound and code terms, weighted),
``step`` (unigrams and bigrams of step text, one posting per flow and term),
``exact`` (the whole title, for the exact-title bonus), ``facet`` (channel,
brand, channel/brand and class, for filters) and ``flow_id``. What a hit shows
and the step texts for snippets are kept beside Whoosh's files, one slot per
document number, in plain JSON (nothing of ours is pickled). The folder is
complete once our table file is written, last. Opening loads Whoosh's files
into memory: no file stays open, so an update can swap the folder while an
older version is still answering (Windows refuses to rename open files).
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import FileIndex
from whoosh.reading import IndexReader

from flowdesk.paths import INDEX_TABLE
from flowdesk.search.inplace import in_memory

ENGINE_FORMAT = 3
TABLE_FILE = INDEX_TABLE  # written last: its presence marks a complete index
INDEX_NAME = "FLOWS"  # Whoosh's files in the folder are named after it
DOCS_FILE = "docs.jsonl"  # one flow's display data per line, parsed only when shown
TEXT_FILE = "steps.z"  # each flow's step texts, compressed, read only for snippets

Scores = dict[int, float]
FREQUENCIES_KEPT = 50_000  # remembered term frequencies (see Postings.doc_frequency)

#: decoded hits kept per open index (a few hundred bytes each)
SHOWN_CACHE = 4096
#: a term's postings are kept decoded from this many on, up to this many in all (~20 MB)
DECODED_FROM = 500
DECODED_POSTINGS = 200_000


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


def codec(compression: int = 3) -> W3Codec:
    """Whoosh's codec as we use it; ``compression`` is zlib's level for posting blocks."""
    codec = W3Codec(compression=compression)
    # Nothing is scored by field length; without this Whoosh asks the file system
    # whether a length column exists once per posting while writing.
    codec.length_stats = False
    return codec


def is_whoosh_file(name: str) -> bool:
    """Whoosh's own files in an index folder (its lock file excepted)."""
    return name.startswith((f"{INDEX_NAME}_", f"_{INDEX_NAME}_")) and not name.endswith("LOCK")


def read_table(directory: Path) -> dict[str, Any]:
    """The index's table file (pack id, sequence, slots); ValueError if not ours."""
    table = json.loads((directory / TABLE_FILE).read_text(encoding="utf-8"))
    if not isinstance(table, dict) or table.get("format") != ENGINE_FORMAT:
        raise ValueError(f"not a FlowDesk search index of format {ENGINE_FORMAT}")
    return table


class SideData:
    """Our files beside Whoosh's: per document number, its flow, display data and step texts.

    A deleted document's slot is empty (flow id None, an empty line, no texts).
    Loading them needs no Whoosh, so an update reads only these.
    """

    def __init__(self, directory: Path, table: Mapping[str, Any]) -> None:
        count = table["documents"]
        self.flow_ids: list[str | None] = table["flow_ids"]
        if len(self.flow_ids) != count:
            raise ValueError(f"the table lists {len(self.flow_ids)} flows, not {count}")
        lines = (directory / DOCS_FILE).read_text(encoding="utf-8")
        self._docs = lines.split("\n") if count else []
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

    @property
    def count(self) -> int:
        """Document numbers in use, deleted ones included."""
        return len(self.flow_ids)

    def shown_line(self, doc: int) -> str:
        return self._docs[doc]

    def packed_texts(self, doc: int) -> bytes:
        return self._texts[self._text_offsets[doc] : self._text_offsets[doc + 1]]


class Leaf(NamedTuple):
    """One Whoosh segment of a loaded index: its documents are offset..end-1 overall."""

    reader: Any  # whoosh.reading.SegmentReader
    offset: int
    end: int
    deleted: frozenset[int]  # deleted documents, by their number in the segment


def _leaves(reader: IndexReader) -> list[Leaf]:
    leaves = []
    for segment, offset in reader.leaf_readers():
        count = segment.doc_count_all()
        if count:
            deleted: frozenset[int] = frozenset()
            if segment.has_deletions():
                deleted = frozenset(d for d in range(count) if segment.is_deleted(d))
            leaves.append(Leaf(segment, offset, offset + count, deleted))
    return leaves


def _raw_matcher(leaf: Leaf, field: str, key: str | bytes) -> Any:
    """A segment's matcher over one term, deleted documents included (we skip them).

    Whoosh wraps a segment's matcher in a filter when it has deletions, which
    hides the block reads and block bounds scoring.py uses; the terms reader
    behind it gives the plain one. Failing that, the filtered one still works.
    """
    terms = getattr(leaf.reader, "_terms", None)
    if terms is not None and hasattr(terms, "matcher"):
        text = key.encode("utf-8") if isinstance(key, str) else key
        return terms.matcher(field, text, SCHEMA[field].format, scorer=None)
    return leaf.reader.postings(field, key)


class Postings:
    """A loaded index: one Whoosh reader, shared by every thread under one lock.

    Whoosh's posting files keep a read position, so two threads must not read
    at once; a search is pure Python under the GIL anyway, so the lock costs
    no parallelism.
    """

    def __init__(self, directory: Path) -> None:
        table = read_table(directory)
        self.meta = {k: table[k] for k in ("pack_id", "pack_sequence", "documents")}
        #: the pack's own synonym groups (pack.yaml ``synonyms``), kept with its index
        self.synonyms: list[list[str]] = table.get("synonyms") or []
        self.side = SideData(directory, table)
        count = self.side.count
        index = FileIndex(in_memory(directory, is_whoosh_file), schema=SCHEMA, indexname=INDEX_NAME)
        reader = index.reader()
        if reader.doc_count_all() != count:
            numbered = reader.doc_count_all()
            raise ValueError(f"the Whoosh index numbers {numbered} flows, not {count}")
        self.leaves = _leaves(reader)
        deleted = {leaf.offset + doc for leaf in self.leaves for doc in leaf.deleted}
        empty = {doc for doc, flow_id in enumerate(self.side.flow_ids) if flow_id is None}
        if deleted != empty:
            raise ValueError("the Whoosh index deleted other flows than the table lists")
        self.ranks = self.side.ranks
        #: flows in the index (deleted slots left out)
        self.live = max(1, sum(1 for flow_id in self.side.flow_ids if flow_id is not None))
        ranks = self.ranks or []
        self.doc_at_rank = {rank: doc for doc, rank in enumerate(ranks) if rank >= 0}
        self.lock = threading.RLock()
        # decoded display data of recent hits: successive keystrokes show mostly the same flows
        self._shown: dict[int, dict[str, Any]] = {}
        #: whole postings of recently read frequent terms ({(field, key): {doc: weight}})
        self.decoded: dict[tuple[str, str], dict[int, float]] = {}
        self._decoded_size = 0
        self._frequencies: dict[tuple[str, str], int] = {}
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
        """Documents holding the term, deleted ones included: a cost, not a count.

        Remembered (the index never changes once loaded): a sentence asks for the
        same terms several times, and each answer costs a look-up in every segment.
        """
        known = self._frequencies.get((field, key))
        if known is None:
            known = sum(leaf.reader.doc_frequency(field, key) for leaf in self.leaves)
            if len(self._frequencies) >= FREQUENCIES_KEPT:
                self._frequencies.clear()
            self._frequencies[(field, key)] = known
        return known

    def matchers(self, field: str, key: str | bytes) -> list[tuple[Any, Leaf]]:
        """Each segment's matcher over one term, with its segment; [] for a term not indexed."""
        return [
            (_raw_matcher(leaf, field, key), leaf)
            for leaf in self.leaves
            if leaf.reader.doc_frequency(field, key)
        ]

    def leaf_matcher(self, leaf: Leaf, field: str, key: str | bytes) -> Any:
        """A new matcher over one term in one segment (of :meth:`matchers`), from its start."""
        return _raw_matcher(leaf, field, key)

    def postings(self, field: str, key: str | bytes) -> tuple[list[int], list[float]]:
        """All (documents, weights) of a term, in document order, deleted ones left out."""
        docs: list[int] = []
        weights: list[float] = []
        for matcher, leaf in self.matchers(field, key):
            ids, found = read_all(matcher)
            if leaf.deleted or leaf.offset:
                kept = [(d, w) for d, w in zip(ids, found, strict=True) if d not in leaf.deleted]
                docs.extend(d + leaf.offset for d, _ in kept)
                weights.extend(w for _, w in kept)
            else:
                docs.extend(ids)
                weights.extend(found)
        return docs, weights

    def facet(self, name: str, value: str) -> frozenset[int]:
        return self._facets.get(f"{name}:{value}", frozenset())

    # Display data ------------------------------------------------------------

    def flow_ids(self) -> list[str | None]:
        """The flow id of every document, by document number (None: deleted)."""
        return list(self.side.flow_ids)

    def keep_decoded(self, key: tuple[str, str], scores: dict[int, float]) -> None:
        """Keep a frequent term's decoded postings: 查询 or a brand name recurs keystroke
        after keystroke, and decoding its thousands of postings is most of a search."""
        if len(scores) < DECODED_FROM:
            return
        if self._decoded_size + len(scores) > DECODED_POSTINGS:
            self.decoded.clear()
            self._decoded_size = 0
        self.decoded[key] = scores
        self._decoded_size += len(scores)

    def stored(self, doc: int) -> dict[str, Any]:
        """What a hit shows of a flow (title, codes, keywords and their pinyin); read-only.

        Decoded once per document while it keeps turning up (the index never
        changes under an open reader), so type-ahead mostly reuses it.
        """
        shown = self._shown.get(doc)
        if shown is None:
            if len(self._shown) >= SHOWN_CACHE:
                self._shown.clear()
            shown = self._shown[doc] = json.loads(self.side.shown_line(doc))
        return shown

    def step_texts(self, doc: int) -> list[str]:
        packed = self.side.packed_texts(doc)
        return json.loads(zlib.decompress(packed).decode("utf-8"))


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
