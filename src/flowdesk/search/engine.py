"""The index itself: weighted postings of exact terms, in memory, saved as text plus arrays.

Every query is a handful of exact term look-ups (see terms.py), so the engine
needs no analysers, no prefix walks and no query language: a term table
pointing into flat arrays of document numbers and weights. Name postings are
kept best-first, so the best flows for a term are its first entries. The
files are plain: a JSON table, term lists as text, little-endian arrays and
zlib-compressed JSON; nothing is unpickled.

Whoosh was measured first on the same 10,000-flow corpus and term design: its
pure-Python writer needed over 100 s (≈10 µs a posting, 5 million postings)
and its collector alone answered type-ahead at 4.9 ms p95, before any hit was
made. These arrays take a few seconds on top of the analysis and answer
type-ahead well under the 3 ms bar."""

from __future__ import annotations

import heapq
import json
import os
import sys
import zlib
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flowdesk.search.documents import FlowDocument
from flowdesk.search.query import Reading, TermPlan

ENGINE_FORMAT = 1
TABLE_FILE = "flowdesk-index.json"  # written last: its presence marks a complete index
DOCS_FILE = "docs.jsonl"  # one flow's display data per line, parsed only when shown
TEXT_FILE = "steps.z"  # each flow's step texts, compressed, read only for snippets
STEP_SCORE = 1.0  # a step-text match scores below any title, keyword, pinyin or code match
EXACT_TITLE_BONUS = 30.0
STEP_TIER_SCALE = 0.1  # flows needing step text score below 1.4, name matches 4 and up

Scores = dict[int, float]


def _save_array(path: Path, values: array) -> None:
    if sys.byteorder != "little":
        values = array(values.typecode, values)
        values.byteswap()
    path.write_bytes(values.tobytes())


def _load_array(path: Path, typecode: str, expected: int) -> array:
    values = array(typecode)
    data = path.read_bytes()
    size = expected * values.itemsize
    if len(data) != size:
        raise ValueError(f"{path.name} holds {len(data)} bytes, expected {size}")
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    if len(values) != expected:
        raise ValueError(f"{path.name} holds {len(values)} values, expected {expected}")
    return values


def _save_terms(directory: Path, field: str, terms: list[str], starts: array) -> None:
    # Terms never hold a line break (they are units, pinyin or codes), so one
    # text file of lines is the cheapest table to load: str.split runs in C.
    (directory / f"{field}.terms").write_text("\n".join(terms), encoding="utf-8")
    _save_array(directory / f"{field}.starts", starts)


def _load_terms(directory: Path, field: str, count: int) -> tuple[dict[str, int], array]:
    text = (directory / f"{field}.terms").read_text(encoding="utf-8")
    terms = text.split("\n") if text else []
    if len(terms) != count:
        raise ValueError(f"{field}.terms holds {len(terms)} terms, expected {count}")
    starts = _load_array(directory / f"{field}.starts", "I", count + 1)
    return {term: i for i, term in enumerate(terms)}, starts


class PostingsBuilder:
    """Collects documents in order (document number = order added) and writes the index."""

    def __init__(self) -> None:
        self._name: dict[str, tuple[array, array]] = {}
        self._step: dict[str, array] = {}
        self._exact: dict[str, list[int]] = {}
        self._facets: dict[str, dict[str, list[int]]] = {}
        self._docs: list[str] = []
        self._texts = bytearray()
        self._text_offsets: list[int] = [0]

    def keep(self, old: Postings, kept: list[int]) -> None:
        """Carry documents of an older index over unchanged, before any :meth:`add`.

        ``kept`` are old document numbers in ascending order; they become 0, 1, 2 …
        Renumbering keeps their order, so every carried posting list stays best
        first (and step lists ascending), and the documents added after them sort
        in behind on equal weights.
        """
        if self._docs:
            raise RuntimeError("keep() must come before add()")
        renumber = dict(zip(kept, range(len(kept)), strict=True))
        for term, index in old._name.items():
            start, end = old._name_starts[index], old._name_starts[index + 1]
            docs, weights = array("I"), array("f")
            postings = zip(old._name_docs[start:end], old._name_weights[start:end], strict=True)
            for doc, weight in postings:
                new_doc = renumber.get(doc)
                if new_doc is not None:
                    docs.append(new_doc)
                    weights.append(weight)
            if docs:
                self._name[term] = (docs, weights)
        for term, index in old._step.items():
            start, end = old._step_starts[index], old._step_starts[index + 1]
            docs = array("I", (renumber[d] for d in old._step_docs[start:end] if d in renumber))
            if docs:
                self._step[term] = docs
        for key, old_docs in old._exact.items():
            if carried := [renumber[d] for d in old_docs if d in renumber]:
                self._exact[key] = carried
        for facet, values in old._facets.items():
            table = self._facets.setdefault(facet, {})
            for value, old_docs in values.items():
                if carried := sorted(renumber[d] for d in old_docs if d in renumber):
                    table[value] = carried
        for doc in kept:
            self._docs.append(old._docs[doc])
            start, end = old._text_offsets[doc], old._text_offsets[doc + 1]
            self._texts += old._texts[start:end]
            self._text_offsets.append(len(self._texts))

    def add(self, document: FlowDocument) -> None:
        doc = len(self._docs)
        for term, weight in document.name_terms.items():
            entry = self._name.get(term)
            if entry is None:
                entry = self._name[term] = (array("I"), array("f"))
            entry[0].append(doc)
            entry[1].append(weight)
        for term in document.step_terms:
            docs = self._step.get(term)
            if docs is None:
                docs = self._step[term] = array("I")
            docs.append(doc)
        if document.exact:
            self._exact.setdefault(document.exact, []).append(doc)
        for facet, values in document.facets.items():
            table = self._facets.setdefault(facet, {})
            for value in values:
                table.setdefault(value, []).append(doc)
        self._docs.append(json.dumps(document.stored, ensure_ascii=False))
        packed = json.dumps(document.step_texts, ensure_ascii=False).encode("utf-8")
        self._texts += zlib.compress(packed)
        self._text_offsets.append(len(self._texts))

    def save(self, directory: Path, meta: dict[str, Any]) -> None:
        """Write the arrays, then the table that makes them an index (atomically, last)."""
        name_terms = list(self._name)
        name_starts, name_docs, name_weights = array("I", [0]), array("I"), array("f")
        for term in name_terms:
            docs, weights = self._name[term]
            # Best first; the sort is stable, so equal weights keep document order.
            order = sorted(range(len(docs)), key=weights.__getitem__, reverse=True)
            name_docs.extend(docs[i] for i in order)
            name_weights.extend(weights[i] for i in order)
            name_starts.append(len(name_docs))
        step_terms = list(self._step)
        step_starts, step_docs = array("I", [0]), array("I")
        for term in step_terms:
            step_docs.extend(self._step[term])
            step_starts.append(len(step_docs))
        _save_terms(directory, "name", name_terms, name_starts)
        _save_array(directory / "name.docs", name_docs)
        _save_array(directory / "name.weights", name_weights)
        _save_terms(directory, "step", step_terms, step_starts)
        _save_array(directory / "step.docs", step_docs)
        (directory / DOCS_FILE).write_text("\n".join(self._docs), encoding="utf-8")
        (directory / TEXT_FILE).write_bytes(bytes(self._texts))
        table = {
            **meta,
            "format": ENGINE_FORMAT,
            "documents": len(self._docs),
            "name_terms": len(name_terms),
            "name_postings": len(name_docs),
            "step_terms": len(step_terms),
            "step_postings": len(step_docs),
            "exact": self._exact,
            "facets": self._facets,
            "text_offsets": self._text_offsets,
        }
        temporary = directory / (TABLE_FILE + ".tmp")
        with temporary.open("w", encoding="utf-8") as out:
            json.dump(table, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, directory / TABLE_FILE)


def read_table(directory: Path) -> dict[str, Any]:
    """The index's table file (pack id, sequence, counts); ValueError if not ours."""
    table = json.loads((directory / TABLE_FILE).read_text(encoding="utf-8"))
    if not isinstance(table, dict) or table.get("format") != ENGINE_FORMAT:
        raise ValueError(f"not a FlowDesk search index of format {ENGINE_FORMAT}")
    return table


class Postings:
    """A loaded index: read-only after loading, so any number of threads may search it."""

    def __init__(self, directory: Path) -> None:
        table = read_table(directory)
        self.meta = {k: table[k] for k in ("pack_id", "pack_sequence", "documents")}
        self._name, self._name_starts = _load_terms(directory, "name", table["name_terms"])
        postings = table["name_postings"]
        self._name_docs = _load_array(directory / "name.docs", "I", postings)
        self._name_weights = _load_array(directory / "name.weights", "f", postings)
        self._step, self._step_starts = _load_terms(directory, "step", table["step_terms"])
        self._step_docs = _load_array(directory / "step.docs", "I", table["step_postings"])
        self._exact: dict[str, list[int]] = table["exact"]
        self._facets = {
            facet: {value: frozenset(docs) for value, docs in values.items()}
            for facet, values in table["facets"].items()
        }
        lines = (directory / DOCS_FILE).read_text(encoding="utf-8")
        self._docs = lines.split("\n") if lines else []
        if len(self._docs) != self.meta["documents"]:
            raise ValueError(f"{DOCS_FILE} holds {len(self._docs)} flows, expected more")
        self._text_offsets: list[int] = table["text_offsets"]
        self._texts = (directory / TEXT_FILE).read_bytes()

    def flow_ids(self) -> list[str]:
        """The flow id of every document, by document number."""
        return [self.stored(doc)["flow_id"] for doc in range(len(self._docs))]

    def stored(self, doc: int) -> dict[str, Any]:
        """What a hit shows of a flow (title, codes, keywords and their pinyin)."""
        return json.loads(self._docs[doc])

    def step_texts(self, doc: int) -> list[str]:
        start, end = self._text_offsets[doc], self._text_offsets[doc + 1]
        return json.loads(zlib.decompress(self._texts[start:end]).decode("utf-8"))

    def facet(self, name: str, value: str) -> frozenset[int]:
        return self._facets.get(name, {}).get(value, frozenset())

    # Scoring -----------------------------------------------------------------

    def _name_range(self, key: str) -> tuple[int, int]:
        index = self._name.get(key)
        if index is None:
            return 0, 0
        return self._name_starts[index], self._name_starts[index + 1]

    def _name_scores(self, key: str) -> Scores:
        start, end = self._name_range(key)
        return dict(zip(self._name_docs[start:end], self._name_weights[start:end], strict=True))

    def _step_docs_of(self, key: str) -> set[int]:
        index = self._step.get(key)
        if index is None:
            return set()
        return set(self._step_docs[self._step_starts[index] : self._step_starts[index + 1]])

    def _reading_scores(self, reading: Reading) -> Scores:
        if reading.field == "step":
            docs: set[int] | None = None
            for key in reading.keys:
                found = self._step_docs_of(key)
                docs = found if docs is None else docs & found
                if not docs:
                    return {}
            return dict.fromkeys(docs or (), STEP_SCORE)
        parts = [self._name_scores(key) for key in reading.keys]
        if len(parts) == 1:
            return parts[0]
        share = 1.0 / len(parts)
        return _all_of(parts, share)

    def _term_scores(self, term: TermPlan) -> Scores:
        # Every Scores built here is a fresh dict, so it may be changed in place.
        names: Scores = {}
        for reading in term.readings:
            if reading.field != "name":
                continue
            scores = self._reading_scores(reading)
            if len(scores) > len(names):
                names, scores = scores, names
            for doc, score in scores.items():
                if score > names.get(doc, 0.0):
                    names[doc] = score
        steps = [self._reading_scores(r) for r in term.readings if r.field == "step"]
        if not steps:
            return names
        # Any name score beats STEP_SCORE, so a plain update keeps each flow's best.
        best = steps[0]
        best.update(names)
        return best

    def _totals(self, terms: list[TermPlan], allowed: frozenset[int] | None) -> Scores:
        """Every flow matching all terms, with the sum of each term's best reading."""
        per_term = []
        for term in terms:
            scores = self._term_scores(term)
            if not scores:
                return {}
            per_term.append(scores)
        total = _all_of(per_term, 1.0) if len(per_term) > 1 else per_term[0]
        if allowed is not None:
            total = {doc: score for doc, score in total.items() if doc in allowed}
        return total

    def search(
        self,
        terms: list[TermPlan],
        exact: str,
        allowed: frozenset[int] | None,
        limit: int,
    ) -> list[tuple[float, int]]:
        """The best ``limit`` (score, document) pairs matching every term.

        Flows matching every term by name (title, keyword, pinyin, code) come
        first; flows that need step text for some term only fill the list up.
        That keeps step matches below name matches for several terms too, and
        spares the step postings whenever names alone fill the page.
        """
        if not terms:
            return []
        by_name = [_without_steps(t) for t in terms]
        if len(by_name) == 1 and len(by_name[0].readings) == 1:
            reading = by_name[0].readings[0]
            if len(reading.keys) == 1:
                found = self._best_of_one(reading.keys[0], exact, allowed, limit)
            else:
                found = self._best(self._totals(by_name, allowed), exact, limit)
        else:
            found = self._best(self._totals(by_name, allowed), exact, limit)
        if len(found) >= limit or by_name == terms:
            return found
        total = self._totals(terms, allowed)
        for _, doc in found:
            total.pop(doc, None)
        # Scaled under any name-tier score (≥ 4 a term), so that scores stay comparable
        # when the desk merges the results of several packs' indexes.
        scale = STEP_TIER_SCALE / len(terms)
        return found + [(score * scale, doc) for score, doc in self._best(total, "", limit)]

    def _best(self, total: Scores, exact: str, limit: int) -> list[tuple[float, int]]:
        for doc in self._exact.get(exact, ()):
            if doc in total:
                total[doc] += EXACT_TITLE_BONUS
        best = heapq.nlargest(limit, total, key=total.__getitem__)
        return [(total[doc], doc) for doc in best]

    def _best_of_one(
        self, key: str, exact: str, allowed: frozenset[int] | None, limit: int
    ) -> list[tuple[float, int]]:
        """One name term alone (most keystrokes): its postings are already best first."""
        start, end = self._name_range(key)
        docs, weights = self._name_docs, self._name_weights
        found: list[tuple[float, int]] = []
        for i in range(start, end):
            doc = docs[i]
            if allowed is None or doc in allowed:
                found.append((weights[i], doc))
                if len(found) == limit:
                    break
        bonus = set(self._exact.get(exact, ()))
        if bonus & {doc for _, doc in found}:
            found = [(w + EXACT_TITLE_BONUS if d in bonus else w, d) for w, d in found]
            found.sort(key=lambda pair: -pair[0])
        return found


def _without_steps(term: TermPlan) -> TermPlan:
    return TermPlan(term.term, tuple(r for r in term.readings if r.field == "name"))


def _all_of(parts: Iterable[Scores], share: float) -> Scores:
    """Documents in every part, scored the sum of their scores times ``share``."""
    ordered = sorted(parts, key=len)
    smallest, others = ordered[0], ordered[1:]
    result: Scores = {}
    for doc, score in smallest.items():
        for other in others:
            more = other.get(doc)
            if more is None:
                break
            score += more
        else:
            result[doc] = score * share
    return result
