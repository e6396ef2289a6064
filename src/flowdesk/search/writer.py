"""Writing the index: a fresh build in one segment, an update as one more small segment.

An update marks the replaced and removed flows deleted where they are and
writes the added and changed ones as a new segment, so a 100-flow delta on a
10,000-flow pack writes a few thousand postings, not all 5.6 M (a full merge
took 16.5 s). Segments stay few: past :data:`MAX_SEGMENTS`, the small ones are
merged into the new segment, and the first, big one too once it is no longer
mostly live, since each segment costs every query a matcher (query time rose
about 8× after 30 unmerged segments).
"""

from __future__ import annotations

import json
import zlib
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

from flowdesk.files import atomic_write
from flowdesk.search.documents import AnalysedChunk, FlowDocument, Inverted
from flowdesk.search.engine import (
    DOCS_FILE,
    ENGINE_FORMAT,
    INDEX_NAME,
    SCHEMA,
    TABLE_FILE,
    TEXT_FILE,
    SideData,
    codec,
)

MAX_SEGMENTS = 6  # an update leaving more merges all but the first, big segment
MAX_DELETED_SHARE = 0.2  # past this share of deleted slots, an update merges everything
SMALL_SEGMENT = 1000  # flows; a segment this small is written uncompressed


class TermPool:
    """Whoosh's posting pool, kept per term in two arrays (a document, a weight).

    Whoosh's own pool keeps a tuple per posting (about 120 bytes each, 5.7 M of
    them for 10,000 flows), sorts them all at commit and spills runs to disk
    past its memory limit; here a posting costs 8 bytes and only the terms are
    sorted. Documents come in ascending order (merged segments first), so each
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

    def extend(self, field: str, inverted: Inverted) -> None:
        """A run of documents' postings of one field, a term at a time (see AnalysedChunk)."""
        terms = self._terms
        docs, weights = inverted.docs, inverted.weights
        end = 0
        for term, count in zip(inverted.terms, inverted.counts, strict=True):
            start, end = end, end + count
            entry = terms.get((field, term))
            if entry is None:
                terms[(field, term)] = (docs[start:end], weights[start:end])
            else:
                entry[0].extend(docs[start:end])
                entry[1].extend(weights[start:end])

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """Postings one by one, as Whoosh's writer reads a pool (see :class:`FlowWriter`)."""
        for field, term, docs, weights in self.iter_terms():
            for doc, weight in zip(docs, weights, strict=True):
                yield field, term, doc, weight, b""

    def iter_terms(self) -> Iterator[tuple[str, bytes, array, array]]:
        """Each term's postings, in the order Whoosh writes terms; the pool empties as it goes."""
        terms = self._terms
        for key in sorted(terms):
            field, term = key
            docs, weights = terms.pop(key)
            yield field, term, docs, weights

    def cleanup(self) -> None:
        self._terms.clear()


def _add_term(field_writer: Any, docs: array, weights: array) -> None:
    """One term's postings into Whoosh's field writer, a block at a time where it allows.

    Whoosh's posting writer takes a posting per call, checking its types; the
    10,000-flow build has 5.6 M postings, so here its block buffer is filled a
    block at a time (as add_posting would fill it) and written by its own code.
    """
    postings = getattr(field_writer, "_postwriter", None)
    needed = ("_blocklimit", "_write_block", "_ids", "_weights", "_maxweight")
    if postings is None or not all(hasattr(postings, name) for name in needed):
        for doc, weight in zip(docs, weights, strict=True):
            field_writer.add(doc, weight, b"", 0)
        return
    limit = postings._blocklimit
    for start in range(0, len(docs), limit):
        if start:
            postings._write_block()
        block = weights[start : start + limit]
        postings._ids = docs[start : start + limit]
        postings._weights = block
        postings._maxweight = max(0.0, max(block))


#: A term with fewer postings than this keeps them in its term-table row, not in a
#: posting block of its own (most of a pack's terms: a rare word, a pinyin or a code).
INLINE_BELOW = 16


def _inline_term(field_writer: Any, term: bytes, docs: array, weights: array) -> bool:
    """Write a small term's postings into its term-table row (False: this Whoosh can't).

    Whoosh reads such rows (``W3TermInfo.set_inlined``, a list matcher), but its own
    writer never writes them: its ``inlinelimit`` path calls a method that does not
    exist. A posting block costs a pickle, a zlib stream and a file write; a 100-flow
    delta's new segment has about 14,000 terms, a 10,000-flow build 158,000.
    """
    postings = getattr(field_writer, "_postwriter", None)
    table = getattr(field_writer, "_tindex", None)
    field_id = getattr(field_writer, "_fieldid", None)
    terminfo = getattr(postings, "_terminfo", None)
    if table is None or field_id is None or not hasattr(terminfo, "set_inlined"):
        return False
    postings._ids, postings._weights = docs, weights
    postings._maxweight = max(0.0, max(weights))
    terminfo.add_block(postings)
    terminfo.set_inlined(docs, weights, ())
    postings._terminfo = None  # between terms, as Whoosh's finish_postings leaves it
    table.add(pack_ushort(field_id) + term, terminfo.to_bytes())
    return True


class FlowWriter(SegmentWriter):
    """Whoosh's segment writer, writing our pool's postings a term at a time.

    Whoosh's writer reads a pool as single postings, in tuples; ours keeps
    each term's postings in two arrays, which go to the field writer as they
    are: the commit of a 10,000-flow build took 7.3 s that way, 4.5 s this way.
    """

    def _flush_segment(self) -> None:
        pool = self.pool
        if not isinstance(pool, TermPool) or self.codec.length_stats:
            super()._flush_segment()
            return
        self.perdocwriter.close()
        field_writer = self.fieldwriter
        field = None
        for name, term, docs, weights in pool.iter_terms():
            if name != field:
                if field is not None:
                    field_writer.finish_field()
                field = name
                field_writer.start_field(name, self.schema[name])
            field_writer.start_term(term)
            if len(docs) >= INLINE_BELOW or not _inline_term(field_writer, term, docs, weights):
                _add_term(field_writer, docs, weights)
                field_writer.finish_term()
        if field is not None:
            field_writer.finish_field()
        field_writer.close()


class Slot(NamedTuple):
    """One document number of the index written: its flow (None: deleted) and side data."""

    flow_id: str | None
    line: str
    texts: bytes


EMPTY = Slot(None, "", b"")


def _fields(document: FlowDocument) -> dict[str, Any]:
    facets = [f"{facet}:{value}" for facet, values in document.facets.items() for value in values]
    return {
        "flow_id": document.flow_id,
        "name": document.name_terms,
        "step": document.step_terms,
        "exact": [document.exact] if document.exact else [],
        "facet": facets,
    }


def merged_from(counts: list[int], live: list[int]) -> int:
    """How many leading segments an update keeps as they are; the rest merge into its new one.

    ``counts`` are the segments' document numbers, ``live`` those not deleted
    (after this update's deletions).
    """
    slots, alive = sum(counts), sum(live)
    if slots and (slots - alive) > MAX_DELETED_SHARE * slots:
        return 0
    if len(counts) < MAX_SEGMENTS:
        return len(counts)
    return 1 if live[0] * 2 >= alive else 0


class IndexWriter:
    """One Whoosh writer over a folder: carry the indexed flows over, add flows, save once.

    Documents are numbered as they are written: kept segments first, as they
    were (deleted ones keep their numbers), then the new segment (flows of
    merged segments, then added flows). Equal scores rank by document number
    on a fresh build, which adds flows in rank order; otherwise the table saves
    every document's rank. What hits show is kept beside Whoosh's files, one
    JSON line per document: a line parses in microseconds, Whoosh's stored
    fields took ten times that.
    """

    def __init__(self, directory: Path, *, fresh: bool) -> None:
        self.directory = directory
        storage = FileStorage(str(directory))
        if fresh:
            index = storage.create_index(SCHEMA, indexname=INDEX_NAME)
        else:
            index = FileIndex(storage, schema=SCHEMA, indexname=INDEX_NAME)
        self._writer = FlowWriter(index, codec=codec())
        self._writer.pool.cleanup()
        self._writer.pool = TermPool()
        self._kept: list[Any] = []  # Whoosh segments written as they are
        self._slots: list[Slot] = []
        self._carried = False
        #: Flows merged from older segments, for the record (0 when only a segment was added).
        self.merged = 0

    def carry_over(self, previous: SideData, dropped: set[str]) -> None:
        """Carry the flows of the index in the folder over, except ``dropped``; before add.

        ``previous`` is that index's side data, which the kept flows' slots come
        from; dropped flows are marked deleted where they are.
        """
        writer = self._writer
        if self._slots or self._carried:
            raise RuntimeError("carry_over() comes once, before add()")
        self._carried = True
        segments = list(writer.segments)
        counts = [segment.doc_count_all() for segment in segments]
        if sum(counts) != previous.count:
            raise ValueError(f"Whoosh numbers {sum(counts)} flows, the table {previous.count}")
        for doc, flow_id in enumerate(previous.flow_ids):
            if flow_id is not None and flow_id in dropped:
                writer.delete_document(doc)
        live = [segment.doc_count() for segment in segments]
        keep = merged_from(counts, live)
        offset = 0
        for number, (segment, count) in enumerate(zip(segments, counts, strict=True)):
            slots = [
                EMPTY
                if flow_id is None or flow_id in dropped
                else Slot(flow_id, previous.shown_line(doc), previous.packed_texts(doc))
                for doc, flow_id in enumerate(previous.flow_ids[offset : offset + count], offset)
            ]
            offset += count
            if number < keep:
                if live[number]:  # a segment left with no flow is simply not written again
                    self._kept.append(segment)
                    self._slots += slots
                continue
            reader = SegmentReader(writer.storage, writer.schema, segment)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
            self._slots += [slot for slot in slots if slot.flow_id is not None]
        self.merged = writer.docnum
        if self.merged < SMALL_SEGMENT and hasattr(writer.codec, "_compression"):
            # An update's own segment: zlib costs a tenth of its commit and saves
            # little memory on a few thousand postings (the segment is read at open).
            writer.codec._compression = 0
        expected = len(self._slots) - sum(segment.doc_count_all() for segment in self._kept)
        if writer.docnum != expected:
            raise ValueError(f"merged the postings of {writer.docnum} flows, not {expected}")

    @property
    def next_doc(self) -> int:
        """The number the next document added gets."""
        return self._writer.docnum

    def add(self, document: FlowDocument) -> None:
        """One document; its name and step terms too unless they come by :meth:`add_postings`."""
        self._writer.add_document(**_fields(document))
        texts = json.dumps(document.step_texts, ensure_ascii=False).encode("utf-8")
        line = json.dumps(document.stored, ensure_ascii=False)
        self._slots.append(Slot(document.flow_id, line, zlib.compress(texts)))

    def add_postings(self, chunk: AnalysedChunk) -> None:
        """The name and step postings of ``chunk``, whose documents were just added."""
        first = self._writer.docnum - len(chunk.documents)
        if chunk.first_doc != first:
            raise ValueError(f"postings numbered from {chunk.first_doc}, documents from {first}")
        pool = self._writer.pool
        pool.extend("name", chunk.name)
        pool.extend("step", chunk.step)

    def save(self, meta: dict[str, Any], ranks: Mapping[str, int]) -> None:
        """Commit (kept segments as they are, plus the new one), then our files, the table last.

        ``ranks`` orders flows of equal score, by flow id; saved only when it is
        not the document order.
        """
        kept = self._kept
        self._writer.commit(mergetype=lambda writer, segments: list(kept))
        slots = self._slots
        (self.directory / DOCS_FILE).write_text(
            "\n".join(slot.line for slot in slots), encoding="utf-8"
        )
        offsets = [0]
        for slot in slots:
            offsets.append(offsets[-1] + len(slot.texts))
        (self.directory / TEXT_FILE).write_bytes(b"".join(slot.texts for slot in slots))
        table: dict[str, Any] = {**meta, "format": ENGINE_FORMAT}
        table["documents"] = len(slots)
        table["flow_ids"] = [slot.flow_id for slot in slots]
        table["text_offsets"] = offsets
        by_doc = [-1 if slot.flow_id is None else ranks[slot.flow_id] for slot in slots]
        if by_doc != sorted(by_doc):
            table["ranks"] = by_doc
        atomic_write(
            self.directory / TABLE_FILE, json.dumps(table, ensure_ascii=False).encode("utf-8")
        )

    def cancel(self) -> None:
        if not self._writer.is_closed:
            self._writer.cancel()
