"""Search results as the UI shows them: where each flow matched, what to bold, a step snippet.

The index only says which flows match and how well. For the twenty or so
flows on screen we work out, in plain Python over the stored title, keywords
and their pinyin, which of the agent's terms matched where, and which
characters of the title to bold. That costs microseconds per hit and keeps the
index free of position data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flowdesk.search.pinyin import sound_key, syllables
from flowdesk.search.query import QueryTerm
from flowdesk.search.terms import han_runs
from flowdesk.search.text import Unit, fold_text, joined, runs

SNIPPET_RADIUS = 16
MATCH_KINDS = ("title", "keyword", "pinyin", "code", "step")

Span = tuple[int, int]


@dataclass(frozen=True)
class Hit:
    """One flow found, best first in a result list."""

    flow_id: str
    pack_id: str
    title: str
    score: float
    flow_class: str
    business: str | None
    touchpoints: tuple[str, ...]  # touch point codes
    matched: tuple[str, ...]  # where it matched: "title", "keyword", "pinyin", "code", "step"
    highlights: tuple[Span, ...]  # (start, end) character spans of the title that matched
    snippet: str | None  # for step-text matches: a piece of the step text around the match
    #: matched only part of the query (the words the pack knows); see tolerant.py
    partial: bool = False
    #: (word typed, synonym it matched by), e.g. ("丢了", "挂失")
    synonyms: tuple[tuple[str, str], ...] = ()
    #: words of the query this flow does not contain (for a partial match)
    missing: tuple[str, ...] = ()


def _unit_spans(text_units: list[Unit], term: QueryTerm) -> list[Span]:
    """Where the term's units occur in a row; its last Latin or digit unit may be cut short."""
    wanted = term.units
    spans = []
    for i in range(len(text_units) - len(wanted) + 1):
        ok = True
        for k, unit in enumerate(wanted):
            have = text_units[i + k].text
            last = k == len(wanted) - 1
            cut_short = last and unit.kind != "han" and have.startswith(unit.text)
            if have != unit.text and not cut_short:
                ok = False
                break
        if ok:
            spans.append((text_units[i].start, text_units[i + len(wanted) - 1].end))
    return spans


def _char_spans(text: str, key: str) -> list[Span]:
    """Where a piece of a Latin word occurs (eSIM规则 for "m规"); folding keeps offsets."""
    folded = fold_text(text)
    if len(folded) != len(text):
        return []
    spans = []
    at = folded.find(key)
    while at >= 0:
        spans.append((at, at + len(key)))
        at = folded.find(key, at + 1)
    return spans


def _pinyin_spans(run: list[Unit], spoken: Sequence[str], typed: str) -> list[Span]:
    """Characters of a Han run that typed pinyin (full, initials, or cut short) stands for."""
    spans = []
    for i in range(len(spoken)):
        rest, j = typed, i
        while rest and j < len(spoken):
            syllable = spoken[j]
            if rest.startswith(syllable):
                rest = rest[len(syllable) :]
            elif syllable.startswith(rest):
                rest = ""
            else:
                break
            j += 1
        if not rest:
            spans.append((run[i].start, run[j - 1].end))
            continue
        if len(typed) <= len(spoken) - i and all(
            spoken[i + k][0] == c for k, c in enumerate(typed)
        ):
            spans.append((run[i].start, run[i + len(typed) - 1].end))
    return spans


def _sound_spans(run: list[Unit], spoken: Sequence[str], term: QueryTerm) -> list[Span]:
    size = len(term.units)
    key = sound_key(syllables(joined(list(term.units))))
    return [
        (run[i].start, run[i + size - 1].end)
        for i in range(len(spoken) - size + 1)
        if sound_key(spoken[i : i + size]) == key
    ]


@lru_cache(maxsize=16384)
def _units(text: str) -> list[Unit]:
    """A title's or keyword's units in one list (each is shown again and again); read-only."""
    return [u for r in runs(text) for u in r]


def text_spans(
    text: str, spoken: Sequence[Sequence[str]], term: QueryTerm
) -> tuple[str, list[Span]]:
    """How a term matches one title or keyword: ("direct" | "pinyin" | "", spans)."""
    direct = _unit_spans(_units(text), term)
    if not direct and any(u.kind != "han" for u in term.units):
        direct = _char_spans(text, joined(list(term.units)))
    if direct:
        return "direct", direct
    spans: list[Span] = []
    for run, run_spoken in zip(han_runs(text), spoken, strict=False):
        if len(run) != len(run_spoken):
            continue  # stored by an older reading of the text; no highlight rather than a wrong one
        if term.is_pinyin:
            spans += _pinyin_spans(run, run_spoken, term.text)
        elif term.is_han and len(term.units) >= 2:
            spans += _sound_spans(run, run_spoken, term)
    return ("pinyin", spans) if spans else ("", [])


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _snippet(step_texts: Sequence[str], term: QueryTerm) -> str | None:
    """A piece of the first step text holding the term (or, failing that, its first bigram)."""
    needles = [term.text, joined(list(term.units[:2]))]
    for needle in needles:
        for text in step_texts:
            at = fold_text(text).find(needle)
            if at >= 0:
                start = max(0, at - SNIPPET_RADIUS)
                end = min(len(text), at + len(needle) + SNIPPET_RADIUS)
                return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return None


def make_hit(
    stored: Mapping[str, Any],
    score: float,
    pack_id: str,
    terms: list[QueryTerm],
    step_texts: Callable[[], Sequence[str]],
) -> Hit:
    """A Hit for one stored flow document, with where each term matched."""
    title: str = stored["title"]
    names: list[str] = [title, *stored["keywords"]]
    spoken: list[list[list[str]]] = stored["spoken"]
    codes = [
        c.lower() for c in (*stored["touchpoints"], stored["business"] or "", stored["flow_id"])
    ]
    matched: set[str] = set()
    highlights: list[Span] = []
    snippet = None
    for term in terms:
        # The title first (it gives the highlights), then codes, then the first keyword
        # that matches: "matched" says where a term was found, not every place it was.
        how, spans = text_spans(title, spoken[0], term)
        if how:
            highlights += spans
            matched.add("title" if how == "direct" else "pinyin")
            continue
        if len(term.text) >= 2 and any(c and c.startswith(term.text) for c in codes):
            matched.add("code")
            continue
        for index in range(1, len(names)):
            how, _ = text_spans(names[index], spoken[index], term)
            if how:
                matched.add("keyword" if how == "direct" else "pinyin")
                break
        else:
            matched.add("step")
            if snippet is None:
                snippet = _snippet(step_texts(), term)
    return Hit(
        flow_id=stored["flow_id"],
        pack_id=pack_id,
        title=title,
        score=round(float(score), 4),
        flow_class=stored["flow_class"],
        business=stored["business"],
        touchpoints=tuple(stored["touchpoints"]),
        matched=tuple(k for k in MATCH_KINDS if k in matched),
        highlights=_merge(highlights),
        snippet=snippet,
    )
