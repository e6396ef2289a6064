"""Cutting Chinese, Latin and digit text into the units search matches on.

Agents type a few characters of a title (转网), a Latin word (VoLTE, 5G), a
code, or pinyin. We do not segment Chinese into words (a word segmenter misses
half-typed words and costs a second to start); instead every Han character is
one unit and every run of Latin letters or of digits is one unit, so "5G套餐"
is ``5 · g · 套 · 餐``. Runs of units are broken by spaces and punctuation, and
n-grams never cross such a break.

Normalisation is done per character (NFKC, lower case) so that a unit keeps
its offsets into the original string: the UI bolds spans of the real title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

UnitKind = Literal["han", "latin", "digit"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0002fa1f]")
_QUERY_SEPARATORS = re.compile(r"[\s,，、;；。.!！?？:：/|()（）\[\]【】「」《》\"'“”‘’]+")


@dataclass(frozen=True)
class Unit:
    """One Han character, or one run of Latin letters or digits, with its place in the source."""

    text: str
    kind: UnitKind
    start: int
    end: int


def fold(char: str) -> str:
    """One character as search compares it: NFKC (full-width → half-width) and lower case."""
    return unicodedata.normalize("NFKC", char).lower()


def fold_text(text: str) -> str:
    """A whole string folded character by character (same length rules as :func:`runs`)."""
    return "".join(fold(c) for c in text)


_UNIT = re.compile(
    r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0002fa1f])"
    r"|(?P<latin>[a-z]+)|(?P<digit>[0-9]+)"
)

#: Everything :data:`_UNIT` leaves out (what lies between and around the units).
_NOT_UNIT = re.compile(
    r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0002fa1f" r"a-z0-9]+"
)


def runs(text: str) -> list[list[Unit]]:
    """The units of ``text`` in runs; spaces, punctuation and other symbols end a run.

    Titles and keywords are cut again and again (indexing, then every hit shown),
    so the result is cached; callers must not change the lists.
    """
    return _runs(text)


@lru_cache(maxsize=16384)
def _runs(text: str) -> list[list[Unit]]:
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) != len(text):
        # Some character folds to several (or none): fold one by one to keep offsets.
        folded = "".join(f if len(f := fold(c)) == 1 else "\0" for c in text)
    result: list[list[Unit]] = []
    current: list[Unit] = []
    end = 0
    for match in _UNIT.finditer(folded):
        if match.start() != end and current:
            result.append(current)
            current = []
        kind = match.lastgroup
        current.append(Unit(match.group(), kind, match.start(), match.end()))  # type: ignore[arg-type]
        end = match.end()
    if current:
        result.append(current)
    return result


def clear_runs_cache() -> None:
    _runs.cache_clear()


def units(text: str) -> list[Unit]:
    """All units of ``text`` in order, ignoring run breaks."""
    return [u for run in runs(text) for u in run]


def unit_text(text: str) -> str:
    """``joined(units(text))`` without making the units: a whole vocabulary is keyed so."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) != len(text):
        folded = "".join(f if len(f := fold(c)) == 1 else "\0" for c in text)
    return _NOT_UNIT.sub("", folded)


def joined(seq: list[Unit]) -> str:
    """The key an n-gram of units is indexed under: the unit texts run together."""
    return "".join(u.text for u in seq)


def windows(seq: list[Unit], size: int) -> list[list[Unit]]:
    """Overlapping n-grams of ``size`` units (the whole sequence when it is shorter)."""
    if len(seq) <= size:
        return [seq]
    return [seq[i : i + size] for i in range(len(seq) - size + 1)]


def query_terms(query: str) -> list[str]:
    """Split what the agent typed into terms: on spaces and punctuation, folded.

    Hyphens are kept inside a term because touch point codes (``C1-G-B0102``)
    contain them.
    """
    folded = fold_text(query)
    return [t for t in _QUERY_SEPARATORS.split(folded) if t.strip("-")]


def is_han(char: str) -> bool:
    return bool(_HAN.match(char))
