"""Scoring a sentence-like query by coverage: any word order, some words missing.

The strict search (scoring.py) wants every typed term in one flow. Callers'
sentences have words no flow contains and words spread over a flow's title,
keywords and steps, so here every content word (sentence.py) is looked up on
its own, by each of its alternatives, and a flow scores the share of the
query it covers, each word weighted by how rare it is in the pack (BM25's
idf) and by how well it matched (a title above a keyword above pinyin, a
sound-alike or a step; a synonym a little under the word typed).

A flow covering every word that the pack knows is a full match; the others
are partial matches, listed after, and only if they match some word of two
or more characters by name: a lone character or a step word alone is noise,
and a query about nothing in the pack finds nothing.
"""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from flowdesk.search.engine import Postings, Scores
from flowdesk.search.query import QueryTerm, Reading, readings
from flowdesk.search.scoring import _reading_scores
from flowdesk.search.sentence import Alternative, Word
from flowdesk.search.text import is_han, units

NAME_SCALE = 12.0  # a name term's weight over this is a perfect match (title ~10–13.5)
STEP_MATCH = 0.35  # a word found in step text or the summary only
SINGLE_STEP_MATCH = 0.12  # one Han character found in step text only
EVIDENCE = 0.5  # a name match at least this good makes a flow worth showing
FULL_BASE, FULL_SPAN = 2.0, 1.9  # full matches score 2.0–3.9 (strict name matches ≥ 4)
PARTIAL_SPAN = 1.9  # partial matches 0–1.9
SINGLE_WORD_SHARE = 0.5  # of its idf, for a query word of one Han character
PIECE_WEIGHT = 0.6  # a two-character piece of a word no flow holds whole
MIN_PARTIAL_COVERAGE = 0.34  # a partial match covers at least this share of the query
COMMON_SHARE = 4  # a reading in more than a quarter of the flows tells them apart no more


@dataclass(frozen=True)
class WordMatch:
    """How one query word matched one flow: the alternative and how well."""

    word: Word
    alternative: Alternative
    quality: float
    by_name: bool


@dataclass(frozen=True)
class Covered:
    """One flow found by coverage."""

    doc: int
    score: float
    full: bool
    matches: tuple[WordMatch, ...]
    missing: tuple[str, ...]  # query words the pack knows that this flow lacks


def _plan(alt: Alternative, steps: bool) -> tuple[QueryTerm, tuple[Reading, ...]]:
    return _planned(alt.text, alt.kind == "synonym", steps)


@lru_cache(maxsize=4096)
def _planned(text: str, synonym: bool, steps: bool) -> tuple[QueryTerm, tuple[Reading, ...]]:
    """The readings of one alternative (sound keys cost pypinyin: kept for the next query)."""
    term = QueryTerm(text, tuple(units(text)))
    if not term.units and not term.is_code:
        return term, ()
    found = readings(term, typeahead_only=not steps)
    if synonym:  # a synonym by its own characters only, no sound-alikes
        found = found[:1]
    return term, found


def _common(index: Postings, reading: Reading, live: int) -> bool:
    """Whether a reading is found in so much of the pack that it tells flows apart no more.

    Such a reading (办理, 客户 in step text) has an idf near zero, and reading its
    postings would cost more than all the others: it is left out, as BM25 would
    all but ignore it.
    """
    rarest = min(index.doc_frequency(reading.field, key) for key in reading.keys)
    return rarest * COMMON_SHARE > live


def _strong(text: str) -> bool:
    """Enough on its own to show a flow: two units or more (手机, 5g套餐), or one Latin
    word of two letters or more (esim, volte, iptv, huafei); one Han character is not."""
    found = units(text)
    if len(found) >= 2:
        return True
    return len(found) == 1 and found[0].kind == "latin" and len(found[0].text) >= 2


class WordScores:
    """One word's matches: quality by document, and the alternative (its index) that gave it."""

    def __init__(self, word: Word) -> None:
        self.word = word
        #: the word's alternatives, then any pieces it was looked up by (see _pieces)
        self.alternatives = list(word.alternatives)
        self.quality: Scores = {}
        self.via: dict[int, int] = {}
        self.by_name: set[int] = set()
        self.strong = [
            word.is_code or _strong(word.text) or _strong(a.text) for a in word.alternatives
        ]

    def add_alternative(self, alt: Alternative) -> int:
        self.alternatives.append(alt)
        self.strong.append(_strong(alt.text))
        return len(self.alternatives) - 1

    def put(self, found: Scores, alt_index: int, by_name: bool) -> None:
        """Keep each document's best quality (``found`` holds qualities already)."""
        quality, via, names = self.quality, self.via, self.by_name
        if not quality:
            quality.update(found)
            via.update(dict.fromkeys(found, alt_index))
            if by_name:
                names.update(found)
            return
        for doc, q in found.items():
            if q > quality.get(doc, 0.0):
                quality[doc] = q
                via[doc] = alt_index
                if by_name:
                    names.add(doc)
                else:
                    names.discard(doc)

    def match(self, doc: int) -> WordMatch:
        alt = self.alternatives[self.via[doc]]
        return WordMatch(self.word, alt, self.quality[doc], doc in self.by_name)


def _word_scores(
    index: Postings, word: Word, live: int, everything: bool, cache: ReadingCache | None = None
) -> WordScores:
    """Look one word up by each alternative (common readings only when ``everything``)."""
    result = WordScores(word)
    for alt_index, alt in enumerate(word.alternatives):
        _look_up(index, result, alt_index, alt, live, everything, cache)
    if not result.quality:
        for piece in _pieces(word):
            at = result.add_alternative(piece)
            _look_up(index, result, at, piece, live, everything, cache)
    return result


def _pieces(word: Word) -> list[Alternative]:
    """Pieces of a word no flow holds whole: two-character pieces of its Han, and its Latin
    or digit words when it mixes them with Han.

    "办张新卡" is in no flow, "新卡" is; "开esim" is in no flow, "esim" is: a piece
    found keeps the query from coming back empty, at a weight that leaves it a
    partial match.
    """
    found = units(word.text)
    if len({u.kind == "han" for u in found}) > 1:  # mixed: 开esim, 办5g套餐
        pieces = [u.text for u in found if u.kind != "han" and len(u.text) >= 2]
        han: list[str] = []
        for unit in [*found, None]:
            if unit is not None and unit.kind == "han":
                han.append(unit.text)
                continue
            pieces += [han[i] + han[i + 1] for i in range(len(han) - 1)]
            han = []
        return [Alternative(p, PIECE_WEIGHT, "piece") for p in pieces]
    han = [u.text for u in found]
    if len(han) < 3 or not all(is_han(c) for c in han):
        return []
    return [Alternative(han[i] + han[i + 1], PIECE_WEIGHT, "piece") for i in range(len(han) - 1)]


class ReadingCache:
    """Postings of recent readings: each keystroke of a sentence looks up the same words again.

    Bounded in entries and in the size of what it keeps; an open index never
    changes, so an entry never goes stale.
    """

    ENTRIES = 512
    LARGEST = 4000  # postings; larger results are read again rather than kept

    def __init__(self) -> None:
        self._found: OrderedDict[Reading, Scores] = OrderedDict()

    def get(self, reading: Reading) -> Scores | None:
        found = self._found.get(reading)
        if found is not None:
            self._found.move_to_end(reading)
        return found

    def put(self, reading: Reading, found: Scores) -> None:
        if len(found) <= self.LARGEST:
            self._found[reading] = found
            if len(self._found) > self.ENTRIES:
                self._found.popitem(last=False)


def _cached_scores(index: Postings, reading: Reading, cache: ReadingCache | None) -> Scores:
    """A reading's postings (never changed by the caller), from ``cache`` where it has them."""
    if cache is None:
        return _reading_scores(index, reading, None)
    found = cache.get(reading)
    if found is None:
        found = _reading_scores(index, reading, None)
        cache.put(reading, found)
    return found


def _look_up(
    index: Postings,
    result: WordScores,
    alt_index: int,
    alt: Alternative,
    live: int,
    everything: bool,
    cache: ReadingCache | None = None,
) -> None:
    """One alternative's readings into ``result``."""
    term, plan = _plan(alt, steps=alt.kind not in ("synonym", "piece"))
    for reading in plan:
        if not everything and _common(index, reading, live):
            continue
        found = _cached_scores(index, reading, cache)
        if not found:
            continue
        if reading.field == "step":
            step = (SINGLE_STEP_MATCH if len(term.units) == 1 else STEP_MATCH) * alt.weight
            result.put(dict.fromkeys(found, step), alt_index, by_name=False)
        else:
            scale = alt.weight / NAME_SCALE
            qualities = {d: (w * scale if w < NAME_SCALE else alt.weight) for d, w in found.items()}
            result.put(qualities, alt_index, by_name=True)


def _weight(word: Word) -> float:
    """A lone Han character (钱, 慢) says less than a word, however rare it is."""
    return SINGLE_WORD_SHARE if len(word.text) == 1 and is_han(word.text) else 1.0


def _idf(live: int, found: int) -> float:
    return math.log(1.0 + (live - found + 0.5) / (found + 0.5))


def cover(
    index: Postings,
    words: list[Word],
    allowed: frozenset[int] | None,
    limit: int,
    cache: ReadingCache | None = None,
) -> list[Covered]:
    """Every flow matching some word well enough, full matches first, best first.

    Readings found in much of the pack are left out (see :func:`_common`), so
    a sentence of everyday words stays cheap on a big pack; a word known only
    by such readings counts as a filler. If that leaves nothing, the common
    readings are read after all.
    """
    live = index.live
    per_word = [_word_scores(index, w, live, False, cache) for w in words]
    if not any(s.quality for s in per_word):
        per_word = [_word_scores(index, w, live, True, cache) for w in words]
    known = [(s, _idf(live, len(s.quality)) * _weight(s.word)) for s in per_word if s.quality]
    if not known:
        return []
    total_idf = sum(idf for _, idf in known)
    # Full matches are the flows every known word found: a set intersection, in C.
    by_size = sorted((s.quality.keys() for s, _ in known), key=len)
    full_docs = set(by_size[0]).intersection(*by_size[1:])
    if allowed is not None:
        full_docs &= allowed
    found = [c for doc in full_docs if (c := _scored(doc, known, total_idf)) is not None]
    if len(found) < limit:
        # Too few: partial matches too. A flow lacking all of the rarest words cannot
        # cover MIN_PARTIAL_COVERAGE with the others, so only their flows are scored.
        by_rarity = sorted(known, key=lambda k: -k[1])
        rest = total_idf
        sources = []
        for scores, idf in by_rarity:
            if rest < MIN_PARTIAL_COVERAGE * total_idf:
                break
            sources.append(scores.quality.keys())
            rest -= idf
        others = set().union(*sources) - full_docs
        if allowed is not None:
            others &= allowed
        found += [c for doc in others if (c := _scored(doc, known, total_idf)) is not None]
    ranks = index.ranks
    best = heapq.nsmallest(limit, found, key=lambda c: (-c.score, ranks[c.doc] if ranks else c.doc))
    return [_explained(c, known) for c in best]


def _scored(doc: int, known: list[tuple[WordScores, float]], total_idf: float) -> Covered | None:
    """One flow's coverage score; None without evidence or with too little of the query."""
    weighted = covered = 0.0
    evidence = False
    for scores, idf in known:
        q = scores.quality.get(doc)
        if q is None:
            continue
        weighted += q * idf
        covered += idf
        if not evidence and doc in scores.by_name:
            via = scores.via[doc]
            if scores.strong[via] and q >= EVIDENCE * scores.alternatives[via].weight:
                evidence = True
    if not evidence:
        return None
    coverage = covered / total_idf
    quality = min(1.0, weighted / total_idf)
    if coverage >= 1.0 - 1e-9:
        return Covered(doc, FULL_BASE + FULL_SPAN * quality, True, (), ())
    if coverage < MIN_PARTIAL_COVERAGE:
        return None
    return Covered(doc, PARTIAL_SPAN * quality * coverage, False, (), ())


def _explained(found: Covered, known: list[tuple[WordScores, float]]) -> Covered:
    doc = found.doc
    matches = tuple(s.match(doc) for s, _ in known if doc in s.quality)
    missing = tuple(s.word.text for s, _ in known if doc not in s.quality)
    return Covered(doc, found.score, found.full, matches, missing)
