"""What the agent typed, as exact term look-ups.

Each term (split on spaces) must match (AND); a term matches when any of its
readings does, and scores its best reading: its Chinese n-grams against
titles and keywords, itself as pinyin, a Latin word or a code prefix (all
indexed as edge n-grams, so every term, the last one included, matches as a
prefix), its sound key for homophone typos and, in a full search, its bigrams
in step text. A term longer than an n-gram is the AND of its overlapping
n-grams, scoring their average.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flowdesk.search.pinyin import sound_key, syllables
from flowdesk.search.terms import MAX_GRAM
from flowdesk.search.text import Unit, joined, query_terms, units, windows


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


@dataclass(frozen=True)
class Reading:
    """One way a term may match: every key must be in ``field`` of the flow."""

    field: Literal["name", "step"]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class TermPlan:
    term: QueryTerm
    readings: tuple[Reading, ...]


def parse(query: str) -> list[QueryTerm]:
    """The terms of a query; terms with nothing searchable in them (lone punctuation) drop out."""
    terms = []
    for text in query_terms(query):
        term = QueryTerm(text, tuple(units(text)))
        if term.units or term.is_code:
            terms.append(term)
    return terms


def readings(term: QueryTerm, *, typeahead_only: bool) -> tuple[Reading, ...]:
    """Every reading of one term."""
    if term.is_code:
        return (Reading("name", (term.text,)),)
    seq = list(term.units)
    result = [Reading("name", tuple(joined(w) for w in windows(seq, MAX_GRAM)))]
    if term.is_han and len(seq) >= 2:
        spoken = syllables(joined(seq))
        keys = tuple(sound_key(spoken[i : i + MAX_GRAM]) for i in range(max(1, len(spoken) - 3)))
        result.append(Reading("name", keys))
    if not typeahead_only:
        result.append(Reading("step", tuple(joined(w) for w in windows(seq, 2))))
    return tuple(result)


def plan(terms: list[QueryTerm], *, typeahead_only: bool) -> list[TermPlan]:
    return [TermPlan(t, readings(t, typeahead_only=typeahead_only)) for t in terms]


def exact_key(terms: list[QueryTerm]) -> str:
    """The query run together, compared with whole titles for the exact-title bonus."""
    return "".join(joined(list(t.units)) for t in terms if not t.is_code)
