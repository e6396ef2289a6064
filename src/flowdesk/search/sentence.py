"""What a caller's sentence asks for: its content words, each with the words it may be found by.

"我手机丢了怎么办" → 手机 · 丢了 (≈ 挂失, 丢失 …); "话费为什么这么高" → 话费高
(≈ 话费偏高 …); "shouji diule" → 手机 · 丢了. Fillers and particles drop out
(lexicon.py lists them), the rest is cut with the pack's vocabulary
(segment.py) and each word gets its alternatives: its synonyms from the
lexicon and the pack, and for pinyin the Han words it reads as.

A second cut runs over what remains once the fillers are gone, so words a
caller splits with a particle still meet: 话费|为什么这么|高 → 话费高.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from flowdesk.search.lexicon import Lexicon
from flowdesk.search.pinyin import reading
from flowdesk.search.segment import Piece, Vocabulary, cut, cut_pinyin
from flowdesk.search.text import fold_text, is_han, query_terms, units

SYNONYM_WEIGHT = 0.85  # a synonym counts a little less than the word typed
READING_WEIGHT = 0.95  # a Han word pinyin reads as

AlternativeKind = Literal["typed", "reading", "synonym", "piece"]


@dataclass(frozen=True)
class Alternative:
    """One text a query word is looked up as."""

    text: str
    weight: float
    kind: AlternativeKind


@dataclass(frozen=True)
class Word:
    """One content word of the query, as typed (folded), and what it is looked up as."""

    text: str
    alternatives: tuple[Alternative, ...]

    @property
    def is_code(self) -> bool:
        return "-" in self.text


class Understanding:
    """The vocabulary and lexicon one pack's queries are read with; built once per index."""

    def __init__(self, lexicon: Lexicon, pack_words: Iterable[str], readings: Mapping[str, str]):
        self.lexicon = lexicon
        lexicon_words = lexicon.words()
        words = set(pack_words) | lexicon_words
        # Pack words come with the readings the index stored; only the lexicon's
        # (a few thousand words, pypinyin's cache makes the next index free) are read here.
        all_readings = dict(readings)
        for word in lexicon_words:
            if word not in all_readings and all(is_han(c) for c in word):
                all_readings[word] = reading(word)
        self.vocabulary = Vocabulary(words, all_readings)
        self.filler_readings = {
            r for f in lexicon.fillers if (r := all_readings.get(f)) and len(r) >= 2
        }

    # -- the query ------------------------------------------------------------------

    def words(self, query: str) -> list[Word]:
        """The content words of ``query``, fillers gone, each with its alternatives."""
        result: list[Word] = []
        seen: set[str] = set()
        for term in query_terms(query):
            if "-" in term.strip("-"):
                found = [Word(term, (Alternative(term, 1.0, "typed"),))]
            else:
                found = self._term_words(term)
            for word in found:
                if word.text not in seen:
                    seen.add(word.text)
                    result.append(word)
        return result

    def _term_words(self, term: str) -> list[Word]:
        texts = [u.text for u in units(term)]
        pieces = self._content(cut(texts, self.vocabulary))
        if len(pieces) > 1:
            # Cut again without the fillers between them: 话费|高 may be the word 话费高.
            rest = [u.text for p in pieces for u in units(p.text)]
            again = self._content(cut(rest, self.vocabulary))
            if len(again) < len(pieces):
                pieces = again
        words: list[Word] = []
        for piece in self._switched(pieces):
            if piece.text.isascii() and piece.text.isalpha() and not piece.known:
                words.extend(self._pinyin_words(piece.text))
            else:
                words.append(self._word(piece.text, "typed"))
        return words

    def _switched(self, pieces: list[Piece]) -> list[Piece]:
        """Han the pack does not know followed by pinyin, typed across an input-method
        switch (挂shi, 话fei): read as the pinyin of both when that is a known word."""
        out: list[Piece] = []
        for piece in pieces:
            last = out[-1] if out else None
            if (
                last is not None
                and not last.known
                and all(is_han(c) for c in last.text)
                and piece.text.isascii()
                and piece.text.isalpha()
                and not piece.known
            ):
                letters = reading(last.text) + piece.text
                if cut_pinyin(letters, self.vocabulary):
                    out[-1] = Piece(letters, False)
                    continue
            out.append(piece)
        return out

    def _content(self, pieces: list[Piece]) -> list[Piece]:
        fillers = self.lexicon.fillers
        return [p for p in pieces if p.text not in fillers]

    def _pinyin_words(self, letters: str) -> list[Word]:
        """A Latin word that may be pinyin: as itself, and as the Han words it reads as."""
        by_reading = self.vocabulary.by_reading
        if letters in self.filler_readings:
            return []
        if letters in by_reading or len(letters) < 4:
            return [self._pinyin_word(letters)]
        pieces = cut_pinyin(letters, self.vocabulary)
        if not pieces or len(pieces) == 1:
            return [self._pinyin_word(letters)]
        return [self._pinyin_word(p) for p in pieces if p not in self.filler_readings]

    def _pinyin_word(self, letters: str) -> Word:
        alternatives = [Alternative(letters, 1.0, "typed")]
        for han in self.vocabulary.by_reading.get(letters, ()):
            if han in self.lexicon.fillers:
                continue
            alternatives.append(Alternative(han, READING_WEIGHT, "reading"))
            alternatives.extend(
                Alternative(other, READING_WEIGHT * SYNONYM_WEIGHT, "synonym")
                for other in self.lexicon.others(han)
            )
        return Word(letters, _distinct(alternatives))

    def _word(self, text: str, kind: AlternativeKind) -> Word:
        alternatives = [Alternative(text, 1.0, kind)]
        alternatives.extend(
            Alternative(other, SYNONYM_WEIGHT, "synonym") for other in self.lexicon.others(text)
        )
        return Word(text, _distinct(alternatives))


def _distinct(alternatives: list[Alternative]) -> tuple[Alternative, ...]:
    best: dict[str, Alternative] = {}
    for alt in alternatives:
        if alt.text not in best or alt.weight > best[alt.text].weight:
            best[alt.text] = alt
    return tuple(best.values())


def pack_words(titles_and_keywords: Iterable[str], synonym_groups: Iterable[Iterable[str]]):
    """The pack's own vocabulary, folded: every title, keyword, business name, synonym."""
    words = {fold_text(w) for w in titles_and_keywords}
    for group in synonym_groups:
        words.update(fold_text(w) for w in group)
    words.discard("")
    return words
