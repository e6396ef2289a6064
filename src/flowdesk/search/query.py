"""What the agent typed, as a Whoosh query of exact term look-ups.

Each term (split on spaces) must match (AND); a term matches when any of its
readings does (disjunction-max, so the best reading scores): its Chinese
n-grams against titles and keywords, itself as pinyin or a Latin word or a code
prefix (all indexed as edge n-grams, so every term, the last one included,
matches as a prefix), its sound key for homophone typos and, in a full search,
its bigrams in step text. A term longer than an n-gram is the AND of its
overlapping n-grams.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq
from whoosh.matching import UnionMatcher

from flowdesk.search.pinyin import sound_key, syllables
from flowdesk.search.terms import MAX_GRAM
from flowdesk.search.text import Unit, joined, query_terms, units, windows

NAME_FIELD = "name"  # titles, keywords, pinyin, sound keys, codes: see terms.py
STEP_FIELD = "step"
EXACT_FIELD = "exact"
EXACT_TITLE_BOOST = 30.0


class _BestReadingMatcher(UnionMatcher):
    """A union scoring the best sub-match *at the current document*.

    Whoosh's own DisjunctionMaxMatcher takes the max over both sides even when
    one of them sits on a later document, so a step-text match would borrow a
    title score from another flow.
    """

    def score(self) -> float:
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        a_id, b_id = a.id(), b.id()
        if a_id < b_id:
            return a.score()
        if b_id < a_id:
            return b.score()
        return max(a.score(), b.score())


class BestReading(wq.DisjunctionMax):
    """Matches any reading of a term and scores the best one (see _BestReadingMatcher)."""

    def _matcher(self, subs, searcher, context):  # type: ignore[no-untyped-def]
        return self._tree_matcher(subs, _BestReadingMatcher, searcher, context, None)


@dataclass(frozen=True)
class QueryTerm:
    """One term of the query with its units, as the index and the hit annotation see it."""

    text: str
    units: tuple[Unit, ...]

    @property
    def is_code(self) -> bool:
        return "-" in self.text

    @property
    def is_pinyin(self) -> bool:
        return self.text.isascii() and self.text.isalpha()

    @property
    def is_han(self) -> bool:
        return bool(self.units) and all(u.kind == "han" for u in self.units)


def parse(query: str) -> list[QueryTerm]:
    """The terms of a query; terms with nothing searchable in them (lone punctuation) drop out."""
    terms = []
    for text in query_terms(query):
        term = QueryTerm(text, tuple(units(text)))
        if term.units or term.is_code:
            terms.append(term)
    return terms


def _all_of(field: str, keys: list[str]) -> wq.Query:
    """One key as a term; several as an AND whose weights average to one term's."""
    if len(keys) == 1:
        return wq.Term(field, keys[0])
    share = 1.0 / len(keys)
    return wq.And([wq.Term(field, key, boost=share) for key in keys])


def term_query(term: QueryTerm, *, typeahead_only: bool) -> wq.Query:
    """Every reading of one term, the best of which scores."""
    if term.is_code:
        return wq.Term(NAME_FIELD, term.text)
    seq = list(term.units)
    readings: list[wq.Query] = [_all_of(NAME_FIELD, [joined(w) for w in windows(seq, MAX_GRAM)])]
    if term.is_han and len(seq) >= 2:
        spoken = syllables(joined(seq))
        keys = [sound_key(spoken[i : i + MAX_GRAM]) for i in range(max(1, len(spoken) - 3))]
        readings.append(_all_of(NAME_FIELD, keys))
    if not typeahead_only:
        readings.append(_all_of(STEP_FIELD, [joined(w) for w in windows(seq, 2)]))
    if len(readings) == 1:
        return readings[0]
    return BestReading(readings)


def build_query(terms: list[QueryTerm], *, typeahead_only: bool) -> wq.Query:
    """All terms ANDed, plus a bonus for a title typed in full."""
    parts = [term_query(t, typeahead_only=typeahead_only) for t in terms]
    matched = parts[0] if len(parts) == 1 else wq.And(parts)
    whole = "".join(joined(list(t.units)) for t in terms if not t.is_code)
    if not whole:
        return matched
    return wq.Or([matched, wq.Term(EXACT_FIELD, whole, boost=EXACT_TITLE_BOOST)])
