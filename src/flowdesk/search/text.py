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


def _kind(char: str) -> UnitKind | None:
    if _HAN.match(char):
        return "han"
    if char.isascii() and char.isalpha():
        return "latin"
    if char.isascii() and char.isdigit():
        return "digit"
    return None


def runs(text: str) -> list[list[Unit]]:
    """The units of ``text`` in runs; spaces, punctuation and other symbols end a run."""
    result: list[list[Unit]] = []
    current: list[Unit] = []
    pending: tuple[str, UnitKind, int] | None = None  # a Latin/digit unit being collected

    def flush_pending(end: int) -> None:
        nonlocal pending
        if pending is not None:
            current.append(Unit(pending[0], pending[1], pending[2], end))
            pending = None

    for index, raw in enumerate(text):
        folded = fold(raw)
        kind = _kind(folded) if len(folded) == 1 else None
        if kind is None:
            flush_pending(index)
            if current:
                result.append(current)
                current = []
            continue
        if kind == "han":
            flush_pending(index)
            current.append(Unit(folded, "han", index, index + 1))
        elif pending is not None and pending[1] == kind:
            pending = (pending[0] + folded, kind, pending[2])
        else:
            flush_pending(index)
            pending = (folded, kind, index)
    flush_pending(len(text))
    if current:
        result.append(current)
    return result


def units(text: str) -> list[Unit]:
    """All units of ``text`` in order, ignoring run breaks."""
    return [u for run in runs(text) for u in run]


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
