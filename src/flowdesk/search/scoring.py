"""Scoring a query plan over the index's postings: sums of term weights, best first.

A flow must match every term; a term scores its best reading; a reading of
several keys (a term longer than an n-gram) scores their average; a step-text
reading scores :data:`STEP_SCORE`. The rarest term is read first and the
others only for the flows still in the running, so a common term (a brand
name, a step word) costs skips through its posting blocks, not a full read.
"""

from __future__ import annotations

import heapq
import struct
from bisect import bisect_left
from collections.abc import Iterable

from flowdesk.search.engine import Postings, Scores, read_all
from flowdesk.search.query import Reading, TermPlan

STEP_SCORE = 1.0  # a step-text match scores below any title, keyword, pinyin or code match
EXACT_TITLE_BONUS = 30.0
STEP_TIER_SCALE = 0.1  # flows needing step text score below 1.4, name matches 4 and up
SKIP_RATIO = 16  # look flows up one by one when they are this many times fewer than postings

Found = list[tuple[float, int]]
_FLOAT32 = struct.Struct("<f")


def _float32(value: float) -> float:
    return _FLOAT32.unpack(_FLOAT32.pack(value))[0]


def _key_scores(index: Postings, field: str, key: str, within: Scores | None) -> Scores:
    """One term's postings as {document: weight}, only for ``within`` when given."""
    if within is None:
        cached = index.decoded.get((field, key))
        if cached is not None:
            return dict(cached)
    matchers = index.matchers(field, key)
    if not matchers:
        return {}
    scores: Scores = {}
    if within is not None and len(within) * SKIP_RATIO < index.doc_frequency(field, key):
        wanted = sorted(within)
        for matcher, leaf in matchers:
            offset, deleted = leaf.offset, leaf.deleted
            for doc in wanted[bisect_left(wanted, offset) : bisect_left(wanted, leaf.end)]:
                if not matcher.is_active():
                    break
                local = doc - offset
                matcher.skip_to(local)
                if matcher.is_active() and matcher.id() == local and local not in deleted:
                    scores[doc] = matcher.weight()
        return scores
    for matcher, leaf in matchers:
        docs, weights = read_all(matcher)
        offset, deleted = leaf.offset, leaf.deleted
        if within is None and not deleted:
            if offset:
                scores.update(zip([d + offset for d in docs], weights, strict=True))
            else:
                scores.update(zip(docs, weights, strict=True))
            continue
        for local, weight in zip(docs, weights, strict=True):
            doc = local + offset
            if (within is None or doc in within) and local not in deleted:
                scores[doc] = weight
    if within is None:
        index.keep_decoded((field, key), scores)
        return dict(scores)
    return scores


def _reading_scores(index: Postings, reading: Reading, within: Scores | None) -> Scores:
    keys = sorted(reading.keys, key=lambda k: index.doc_frequency(reading.field, k))
    scores: Scores | None = within
    parts = []
    for key in keys:
        found = _key_scores(index, reading.field, key, scores)
        if not found:
            return {}
        parts.append(found)
        scores = found
    if reading.field == "step":
        return dict.fromkeys(parts[-1], STEP_SCORE)
    if len(parts) == 1:
        return parts[0]
    return _all_of(parts, 1.0 / len(parts))


def _term_scores(index: Postings, term: TermPlan, within: Scores | None) -> Scores:
    # Every Scores built here is a fresh dict, so it may be changed in place.
    names: Scores = {}
    for reading in term.readings:
        if reading.field != "name":
            continue
        scores = _reading_scores(index, reading, within)
        if len(scores) > len(names):
            names, scores = scores, names
        for doc, score in scores.items():
            if score > names.get(doc, 0.0):
                names[doc] = score
    steps = [_reading_scores(index, r, within) for r in term.readings if r.field == "step"]
    if not steps:
        return names
    # Any name score beats STEP_SCORE, so a plain update keeps each flow's best.
    best = steps[0]
    best.update(names)
    return best


def _cost(index: Postings, term: TermPlan) -> int:
    """Postings a term's readings may read: the rarest key of each reading."""
    return sum(min(index.doc_frequency(r.field, k) for k in r.keys) for r in term.readings)


def _totals(index: Postings, terms: list[TermPlan], allowed: frozenset[int] | None) -> Scores:
    """Every flow matching all terms, with the sum of each term's best reading."""
    per_term = []
    within: Scores | None = None
    for term in sorted(terms, key=lambda t: _cost(index, t)):
        scores = _term_scores(index, term, within)
        if not scores:
            return {}
        per_term.append(scores)
        within = scores
    total = _all_of(per_term, 1.0) if len(per_term) > 1 else per_term[0]
    if allowed is not None:
        total = {doc: score for doc, score in total.items() if doc in allowed}
    return total


def search(
    index: Postings,
    terms: list[TermPlan],
    exact: str,
    allowed: frozenset[int] | None,
    limit: int,
) -> Found:
    """The best ``limit`` (score, document) pairs matching every term.

    Flows matching every term by name (title, keyword, pinyin, code) come
    first; flows that need step text for some term only fill the list up.
    That keeps step matches below name matches for several terms too, and
    spares the step postings whenever names alone fill the page.
    """
    if not terms:
        return []
    bonus = set(index.postings("exact", exact)[0]) if exact else set()
    ranks = index.ranks
    by_name = [_without_steps(t) for t in terms]
    only = by_name[0].readings if len(by_name) == 1 else ()
    if len(only) == 1 and len(only[0].keys) == 1:
        found = _best_of_one(index, only[0].keys[0], bonus, allowed, limit)
    else:
        found = _best(_totals(index, by_name, allowed), bonus, limit, ranks)
    if len(found) >= limit or by_name == terms:
        return found
    total = _totals(index, terms, allowed)
    for _, doc in found:
        total.pop(doc, None)
    # Scaled under any name-tier score (≥ 4 a term), so that scores stay comparable
    # when the desk merges the results of several packs' indexes.
    scale = STEP_TIER_SCALE / len(terms)
    step_tier = _best(total, set(), limit, ranks)
    return found + [(score * scale, doc) for score, doc in step_tier]


def _best(total: Scores, bonus: set[int], limit: int, ranks: list[int] | None) -> Found:
    """The best ``limit`` flows; of equal scores, the better ranked (the lower document)."""
    for doc in bonus:
        if doc in total:
            total[doc] += EXACT_TITLE_BONUS
    if ranks is None:
        best = heapq.nsmallest(limit, total, key=lambda doc: (-total[doc], doc))
    else:
        best = heapq.nsmallest(limit, total, key=lambda doc: (-total[doc], ranks[doc]))
    return [(total[doc], doc) for doc in best]


def _best_of_one(
    index: Postings, key: str, bonus: set[int], allowed: frozenset[int] | None, limit: int
) -> Found:
    """One name term alone (most keystrokes): the best ``limit`` postings of one term.

    Postings come in document order; a block whose best weight cannot beat the
    worst flow kept so far is skipped undecoded (on a fresh build a later flow
    loses a tie too), so a one-letter term reads a few of its blocks, not its
    thousands of postings. Flows with the exact-title bonus are counted first.
    Each segment is read in turn; its deleted documents never count.
    """
    matchers = index.matchers("name", key)
    if not matchers:
        return []
    ranks = index.ranks
    kept: list[tuple[float, int]] = []  # a min-heap of (weight, -rank)
    wanted = sorted(d for d in bonus if allowed is None or d in allowed)
    for matcher, leaf in matchers:
        for doc in wanted[bisect_left(wanted, leaf.offset) : bisect_left(wanted, leaf.end)]:
            local = doc - leaf.offset
            matcher.skip_to(local)
            if not matcher.is_active():
                break
            if matcher.id() == local and local not in leaf.deleted:
                rank = doc if ranks is None else ranks[doc]
                kept.append((matcher.weight() + EXACT_TITLE_BONUS, -rank))
    heapq.heapify(kept)
    for _, leaf in matchers:
        matcher = index.leaf_matcher(leaf, "name", key)
        offset, deleted = leaf.offset, leaf.deleted
        can_skip = hasattr(matcher, "block_max_weight") and hasattr(matcher, "block_max_id")
        while matcher.is_active():
            if len(kept) >= limit and can_skip:
                # Whoosh keeps a block's best weight as given, its postings as 32-bit floats.
                best_in_block = _float32(matcher.block_max_weight())
                if best_in_block < kept[0][0] or (ranks is None and best_in_block == kept[0][0]):
                    matcher.skip_to(matcher.block_max_id() + 1)
                    continue
            doc = matcher.id() + offset
            if (
                (allowed is None or doc in allowed)
                and doc not in bonus
                and (not deleted or doc - offset not in deleted)
            ):
                item = (matcher.weight(), -(doc if ranks is None else ranks[doc]))
                if len(kept) < limit:
                    heapq.heappush(kept, item)
                elif item > kept[0]:
                    heapq.heapreplace(kept, item)
            matcher.next()
    best = heapq.nlargest(limit, kept)
    if ranks is None:
        return [(weight, -negative) for weight, negative in best]
    return [(weight, index.doc_at_rank[-negative]) for weight, negative in best]


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
