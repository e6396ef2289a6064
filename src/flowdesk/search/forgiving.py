"""The forgiving half of a search: sentences, synonyms and partial matches, as hits.

:func:`search` runs after the strict search (scoring.py) and adds what it
missed. Queries of up to :data:`SHORT` characters that the strict search
answers are left as they are (type-ahead ranks as it always did); longer ones,
and short ones with no strict answer, are read as a sentence (sentence.py)
and scored by coverage (tolerant.py). Strict name matches stay first; covered
flows follow, full matches before partial ones.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from functools import partial

from flowdesk.search.engine import Postings
from flowdesk.search.hits import Hit, make_hit
from flowdesk.search.lexicon import shipped_lexicon
from flowdesk.search.query import QueryTerm
from flowdesk.search.sentence import Understanding, pack_words
from flowdesk.search.text import clear_runs_cache, is_han, query_terms, unit_text, units
from flowdesk.search.tolerant import Covered, ReadingCache, cover

SHORT = 4  # characters: a query this short that matches strictly ranks as before
STRICT_NAME_TIER = 4.0  # strict scores from here up matched every term by name
ENOUGH = 5  # strict name matches that make a page worth no forgiving search


def understanding_of(postings: Postings) -> Understanding:
    """The words one index's pack speaks, with their readings, and the lexicon merged in.

    Read from the index's own display data (titles, keywords, business names and
    their stored pinyin): no store, no pypinyin for the pack's words.
    """
    spoken_of: dict[str, list] = {}  # each name once: flows share most keywords
    for doc, flow_id in enumerate(postings.side.flow_ids):
        if flow_id is None:
            continue
        stored = json.loads(postings.side.shown_line(doc))
        shown = [stored["title"], *stored["keywords"]]
        for name, spoken in zip(shown, stored["spoken"], strict=False):
            spoken_of.setdefault(name, spoken)
    readings: dict[str, str] = {}
    for name, spoken in spoken_of.items():
        if len(spoken) == 1:
            folded = unit_text(name)
            if len(spoken[0]) == len(folded):
                readings[folded] = "".join(spoken[0])
    lexicon = shipped_lexicon().merged(postings.synonyms)
    understood = Understanding(lexicon, pack_words(spoken_of, postings.synonyms), readings)
    # Cutting every title and keyword filled the units cache (about 10 MB on 10,000
    # flows) with names no keystroke asks for again; let the keystrokes fill it.
    clear_runs_cache()
    return understood


class Forgiving:
    """One index's sentence reader, built on first use (off the start path) and kept."""

    def __init__(self, postings: Postings) -> None:
        self._postings = postings
        self._understanding: Understanding | None = None
        self._lock = threading.Lock()
        self._cache = ReadingCache()  # used under the postings lock

    def understanding(self) -> Understanding:
        if self._understanding is None:
            with self._lock:
                if self._understanding is None:
                    self._understanding = understanding_of(self._postings)
        return self._understanding

    def search(
        self,
        query: str,
        strict: list[Hit],
        pack_id: str,
        allowed: frozenset[int] | None,
        limit: int,
        typeahead: bool = False,
    ) -> list[Hit]:
        """``strict`` completed with covered flows, best first, at most ``limit``.

        On the type-ahead path (every keystroke) only a query the strict search
        finds nothing for is read as a sentence, so type-ahead costs what it did.
        """
        typed = "".join(query_terms(query))
        if strict and self._only_courtesy(typed, strict):
            return []  # 你好, 谢谢: only heard alike (你好 ≈ 立号), about nothing in the pack
        if strict and (typeahead or len(typed) <= SHORT):
            return strict  # type-ahead and short queries rank as they always did
        named = sum(1 for h in strict if h.score >= STRICT_NAME_TIER)
        if named >= min(limit, ENOUGH):
            return strict  # every term matched by name, plenty of flows: nothing to forgive
        words = self.understanding().words(query)
        if not words or (named and len(words) == 1):
            return strict
        postings = self._postings
        with postings.lock:
            covered = cover(postings, words, allowed, limit + len(strict), self._cache)
        # Strict name matches, covered full matches, strict step matches, then partial ones.
        named_hits = [h for h in strict if h.score >= STRICT_NAME_TIER]
        step_hits = [h for h in strict if h.score < STRICT_NAME_TIER]
        listed = {h.flow_id for h in strict}
        full: list[Hit] = []
        partial_hits: list[Hit] = []
        for found in covered:
            if len(full) + len(partial_hits) >= limit:
                break
            stored = postings.stored(found.doc)
            if stored["flow_id"] in listed:
                continue
            hit = covered_hit(postings, stored, found, pack_id)
            (full if found.full else partial_hits).append(hit)
        return [*named_hits, *full, *step_hits, *partial_hits][:limit]

    def _only_courtesy(self, typed: str, strict: list[Hit]) -> bool:
        """Han words that are all fillers, found in no flow as written: only heard alike.

        Written in a title, a keyword or a script (您好 opens most scripts), such a
        word is still found where it is written. Asked only when every strict hit
        matched by sound alone, so type-ahead never waits for the vocabulary.
        """
        if len(typed) < 2 or not all(is_han(c) for c in typed):
            return False
        if any(set(h.matched) != {"pinyin"} for h in strict):
            return False
        return not self.understanding().words(typed)


def covered_hit(postings: Postings, stored: dict, found: Covered, pack_id: str) -> Hit:
    """A Hit for a flow found by coverage: highlights of what matched, synonyms said."""
    terms = [QueryTerm(m.alternative.text, tuple(units(m.alternative.text))) for m in found.matches]
    hit = make_hit(stored, found.score, pack_id, terms, partial(postings.step_texts, found.doc))
    synonyms = tuple(
        (m.word.text, m.alternative.text) for m in found.matches if m.alternative.kind == "synonym"
    )
    return replace(
        hit,
        partial=not found.full,
        synonyms=synonyms,
        missing=found.missing,
    )
