"""Cutting a long query into words with the pack's own vocabulary.

"我手机丢了怎么办" must become 手机 · 丢了 (and the fillers 我 · 怎么办), which
the n-gram index alone cannot do: a term is matched whole, and the sentence
as a whole is in no title. We cut by maximum matching over the vocabulary the
pack itself speaks (titles, keywords, business names, its synonyms) plus the
shipped lexicon, forwards and backwards, keeping the cut with fewer pieces
and fewer stray characters. Characters no word covers stay together as one
unknown piece, matched later as a substring (homophones and step text too).

jieba with a user dictionary built from the same vocabulary was measured
against this (``python -m benchmarks.segment_bench``): it needs about a second
and 50 MB to load its dictionary, and cut the colloquial benchmark queries no
better for search, so the desk does without it (see docs/search.md).

Pinyin typed as a sentence ("shouji diule", "woshoujidiule") is cut the same
way over the readings of those words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flowdesk.search.text import is_han, unit_text

MAX_WORD = 10  # characters; longer vocabulary entries (whole titles) are not cut to
MAX_READING = 40  # letters of a word's pinyin reading


@dataclass(frozen=True)
class Piece:
    """One piece of a cut: a vocabulary word (``known``) or characters no word covers."""

    text: str
    known: bool


class Vocabulary:
    """The words a pack speaks, and their pinyin readings, for cutting queries."""

    def __init__(self, words: Iterable[str], readings: Mapping[str, str] | None = None) -> None:
        #: each word as its units run together (folded: "5G套餐" → "5g套餐")
        self.words = {unit_text(w) for w in words if 1 <= len(w) <= MAX_WORD}
        self.words.discard("")
        # characters bound the units a word holds (a Latin word is one unit): cutting
        # tries at most this many units at each place
        self.longest = max((len(w) for w in self.words), default=1)
        #: pinyin reading → the words read so (重置 and 冲值 share one)
        self.by_reading: dict[str, list[str]] = {}
        for word, reading in (readings or {}).items():
            if 2 <= len(reading) <= MAX_READING:
                self.by_reading.setdefault(reading, []).append(word)
        self.longest_reading = max((len(r) for r in self.by_reading), default=1)

    def __contains__(self, word: str) -> bool:
        return word in self.words


def _longest_at(units: list[str], i: int, words: set[str], longest: int) -> int:
    """Units in the longest word starting at ``i``; 0 when none does."""
    for size in range(min(longest, len(units) - i), 0, -1):
        if "".join(units[i : i + size]) in words:
            return size
    return 0


def _forward(units: list[str], words: set[str], longest: int) -> list[Piece]:
    pieces: list[Piece] = []
    i = 0
    while i < len(units):
        size = _longest_at(units, i, words, longest)
        if size:
            pieces.append(Piece("".join(units[i : i + size]), True))
            i += size
        else:
            pieces.append(Piece(units[i], False))
            i += 1
    return pieces


def _backward(units: list[str], words: set[str], longest: int) -> list[Piece]:
    pieces: list[Piece] = []
    j = len(units)
    while j > 0:
        for size in range(min(longest, j), 0, -1):
            if "".join(units[j - size : j]) in words:
                pieces.append(Piece("".join(units[j - size : j]), True))
                j -= size
                break
        else:
            pieces.append(Piece(units[j - 1], False))
            j -= 1
    pieces.reverse()
    return pieces


def _joined_unknown(pieces: list[Piece]) -> list[Piece]:
    """Consecutive Han characters no word covers, as one unknown piece (Latin stays apart)."""
    out: list[Piece] = []
    for piece in pieces:
        if (
            not piece.known
            and out
            and not out[-1].known
            and is_han(piece.text[0])
            and is_han(out[-1].text[-1])
        ):
            out[-1] = Piece(out[-1].text + piece.text, False)
        else:
            out.append(piece)
    return out


def _cost(pieces: list[Piece]) -> tuple[int, int]:
    stray = sum(len(p.text) for p in pieces if not p.known)
    return (stray, len(pieces))


def cut(units: list[str], vocabulary: Vocabulary) -> list[Piece]:
    """A run of units (Han characters, Latin words, digit runs) cut into words.

    The better of forward and backward maximum matching: fewer characters left
    uncovered, then fewer pieces.
    """
    if not units:
        return []
    words, longest = vocabulary.words, vocabulary.longest
    forward = _joined_unknown(_forward(units, words, longest))
    backward = _joined_unknown(_backward(units, words, longest))
    return backward if _cost(backward) < _cost(forward) else forward


def cut_pinyin(letters: str, vocabulary: Vocabulary) -> list[str] | None:
    """Continuous pinyin cut into readings of known words; None unless all of it is covered."""
    readings = vocabulary.by_reading
    longest = vocabulary.longest_reading
    # Dynamic programming, fewest pieces: a greedy cut goes wrong on "xianggang" (xiang|gang).
    best: list[list[str] | None] = [None] * (len(letters) + 1)
    best[0] = []
    for i in range(len(letters)):
        current = best[i]
        if current is None:
            continue
        for size in range(2, min(longest, len(letters) - i) + 1):
            piece = letters[i : i + size]
            if piece in readings:
                known = best[i + size]
                if known is None or len(known) > len(current) + 1:
                    best[i + size] = [*current, piece]
    return best[len(letters)]
