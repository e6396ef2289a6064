"""The terms a flow is indexed under, each with the weight it scores.

Every way an agent may type a flow's name is expanded here, at index time, into
exact terms: Chinese n-grams of 1–4 units, prefixes of Latin words and digit
runs, pinyin in full and as initials cut at every length (edge n-grams), sound
keys for homophone typos, and prefixes of codes. A query is then nothing but
exact term look-ups (never Whoosh Prefix or Wildcard queries, which walk the
term list: a one-letter prefix query took 400 ms on 10,000 flows).

The weight of a term is its score: the kind of match sets the base (title above
keyword above pinyin above sound; code; step text lowest) and how much of the
title it covers adds a little, so an exact or near-exact title ranks first.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from flowdesk.model import Flow
from flowdesk.search.pinyin import sound_key, syllables
from flowdesk.search.text import Unit, clear_runs_cache, joined, runs

MAX_GRAM = 4  # units per Chinese n-gram: any 1–4 character substring is one term
PINYIN_WINDOW = 4  # characters covered by a pinyin edge n-gram starting mid-title
PINYIN_HEAD = 8  # characters covered from the start of a title (typing the whole name)
INITIALS_HEAD = 16  # the same for initials, one term a character: whole long titles (ydswsdmpc)
CODE_MIN_PREFIX = 2

# (base, coverage bonus, bonus for matching from the first character)
TITLE_WEIGHT = (10.0, 3.0, 0.5)
KEYWORD_WEIGHT = (8.0, 2.0, 0.3)
TITLE_PINYIN_WEIGHT = (9.0, 2.0, 0.5)
KEYWORD_PINYIN_WEIGHT = (7.0, 2.0, 0.3)
TITLE_SOUND_WEIGHT = (5.0, 2.0, 0.0)
KEYWORD_SOUND_WEIGHT = (4.0, 1.0, 0.0)  # at most 5: below any title sound match
CODE_EXACT_WEIGHT = 12.0
CODE_PREFIX_WEIGHT = (9.0, 3.0)

Terms = dict[str, float]  # cached by the functions below: read them, never change them


def _rounded(terms: Terms) -> Terms:
    """Weights to 4 decimals: they are stored as 32-bit floats, and equal ones must tie."""
    return {term: round(weight, 4) for term, weight in terms.items()}


def _put(terms: Terms, term: str, weight: float) -> None:
    if weight > terms.get(term, 0.0):
        terms[term] = weight


@lru_cache(maxsize=32768)
def ngram_terms(text: str, weight: tuple[float, float, float]) -> Terms:
    """Chinese n-grams (1–4 units) and prefixes of Latin words and digit runs."""
    base, cover, head = weight
    text_runs = runs(text)
    total = sum(len(r) for r in text_runs) or 1
    terms: Terms = {}
    first = True
    for run in text_runs:
        for i, unit in enumerate(run):
            at_head = head if first and i == 0 else 0.0
            for size in range(1, MAX_GRAM + 1):
                if i + size > len(run):
                    break
                gram = run[i : i + size]
                _put(terms, joined(gram), base + cover * size / total + at_head)
            if unit.kind != "han":
                for cut in range(1, len(unit.text)):
                    part = cut / len(unit.text)
                    _put(terms, unit.text[:cut], base + cover * part / total + at_head * part)
        first = False
        if any(unit.kind != "han" for unit in run):
            # Latin and digit units are words, but "any 1–4 character substring" also
            # means pieces of them (eSIM规则 → "m规"): add character n-grams here.
            chars = joined(run)
            for i in range(len(chars)):
                for size in range(1, MAX_GRAM + 1):
                    if i + size > len(chars):
                        break
                    _put(terms, chars[i : i + size], base + cover * size / (total + len(chars)))
    return _rounded(terms)


@lru_cache(maxsize=16384)
def han_runs(text: str) -> list[list[Unit]]:
    """Runs of consecutive Han characters (Latin and digits break a pinyin run)."""
    result: list[list[Unit]] = []
    for run in runs(text):
        current: list[Unit] = []
        for unit in run:
            if unit.kind == "han":
                current.append(unit)
            elif current:
                result.append(current)
                current = []
        if current:
            result.append(current)
    return result


@lru_cache(maxsize=32768)
def pinyin_terms(text: str, weight: tuple[float, float, float]) -> Terms:
    """Pinyin in full and as initials, every prefix, starting at every character."""
    base, cover, head = weight
    han = han_runs(text)
    total = sum(len(r) for r in runs(text)) or 1
    terms: Terms = {}
    for run_index, run in enumerate(han):
        spoken = syllables(joined(run))
        for i in range(len(spoken)):
            at_head = head if run_index == 0 and i == 0 and run[0].start == 0 else 0.0
            span = spoken[i : i + (PINYIN_HEAD if at_head else PINYIN_WINDOW)]
            full = ""
            for count, syllable in enumerate(span, start=1):
                for cut in range(1, len(syllable) + 1):
                    _put(terms, full + syllable[:cut], base + cover * count / total + at_head)
                full += syllable
            initials = ""
            if at_head:
                span = spoken[i : i + INITIALS_HEAD]
            for count, syllable in enumerate(span, start=1):
                initials += syllable[0]
                _put(terms, initials, base + cover * count / total + at_head)
    _glued_head(text, terms, weight, total)
    return _rounded(terms)


def _glued_head(text: str, terms: dict[str, float], weight: tuple, total: int) -> None:
    """A name that mixes Han with Latin or digits (补换SIM卡, 5G套餐), typed whole as one
    word: buhuansimka, 5gtaocan. Han runs alone give buhuan and ka, never the glued word."""
    first = runs(text)[:1]
    if not first or first[0][0].start != 0 or len({u.kind == "han" for u in first[0]}) < 2:
        return
    base, cover, head = weight
    pieces: list[str] = []  # one a character (its syllable, read in its word) or Latin word
    han: list[Unit] = []
    for unit in [*first[0][:PINYIN_HEAD], None]:
        if unit is not None and unit.kind == "han":
            han.append(unit)
            continue
        if han:
            pieces.extend(syllables(joined(han)))
            han = []
        if unit is not None:
            pieces.append(unit.text)
    glued = ""
    for count, piece in enumerate(pieces, start=1):
        for cut in range(1, len(piece) + 1):
            _put(terms, glued + piece[:cut], base + cover * count / total + head)
        glued += piece


@lru_cache(maxsize=32768)
def sound_terms(text: str, weight: tuple[float, float, float]) -> Terms:
    """Sound keys of every 2–4 character piece, so a homophone typo still finds it."""
    base, cover, _ = weight
    total = sum(len(r) for r in runs(text)) or 1
    terms: Terms = {}
    for run in han_runs(text):
        spoken = syllables(joined(run))
        for i in range(len(spoken)):
            for size in range(2, MAX_GRAM + 1):
                if i + size > len(spoken):
                    break
                _put(terms, sound_key(spoken[i : i + size]), base + cover * size / total)
    return _rounded(terms)


def code_terms(flow: Flow) -> Terms:
    """Touch point codes, the business code and the flow id, exact and as prefixes."""
    codes = {tp.code.lower() for tp in flow.touchpoints}
    if flow.business:
        codes.add(flow.business.lower())
    terms: Terms = {}
    base, cover = CODE_PREFIX_WEIGHT
    for code in codes:
        for cut in range(CODE_MIN_PREFIX, len(code)):
            _put(terms, code[:cut], base + cover * cut / len(code))
        _put(terms, code, CODE_EXACT_WEIGHT)
    _put(terms, flow.id.lower(), CODE_EXACT_WEIGHT)
    return _rounded(terms)


def step_texts(flow: Flow) -> list[str]:
    """The text searched as "step text": steps, notes, decision options and the summary."""
    texts = [flow.summary] if flow.summary else []
    for step in flow.steps:
        texts.append(step.text)
        if step.note:
            texts.append(step.note)
        texts.extend(option.label for option in step.options)
    return texts


@lru_cache(maxsize=32768)
def _text_step_terms(text: str) -> frozenset[str]:
    terms: set[str] = set()
    for run in runs(text):
        for i, unit in enumerate(run):
            terms.add(unit.text)
            if i + 1 < len(run):
                terms.add(unit.text + run[i + 1].text)
            if unit.kind == "latin":  # VoLTE is found by "volt" too (the last term is a prefix)
                terms.update(unit.text[:cut] for cut in range(2, len(unit.text)))
    return frozenset(terms)


def step_terms(texts: Iterable[str]) -> set[str]:
    """Unigrams and bigrams of step text units (a longer word is an AND of its bigrams).

    Pack texts repeat a lot (greetings, identity checks), hence the cache.
    """
    terms: set[str] = set()
    for text in texts:
        terms |= _text_step_terms(text)
    return terms


def clear_caches() -> None:
    """Free what indexing cached (tens of MB on a big pack) once a build is done."""
    for cached in (ngram_terms, pinyin_terms, sound_terms, han_runs, _text_step_terms):
        cached.cache_clear()
    clear_runs_cache()


def merged(*parts: Terms) -> Terms:
    """Several term tables as one, keeping each term's best weight."""
    result: Terms = {}
    for part in parts:
        for term, weight in part.items():
            _put(result, term, weight)
    return result
