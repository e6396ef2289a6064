"""Synonyms and filler words: the shipped colloquial lexicon and a pack's own groups.

Callers say 丢了, 被偷, 找不到手机 where the flow says 挂失; they say 香港 where
it says 国际漫游. The shipped lexicon (``data/lexicon/telecom-zh.txt``, a plain
text file reviewed like code) holds those groups, and a pack may add its own
(``synonyms`` in pack.yaml, contract §5). Both become one :class:`Lexicon`:
for a word, the other words search also tries, each tagged with the word of
the group it came from, so a hit can say "丢了 ≈ 挂失".

The file format, one group a line::

    挂失 丢了 被偷            equivalent words (each finds the others)
    香港 澳门 => 国际漫游      one way: the left finds the right, not back
    [fillers]                 a section of words search never requires
    [groups]                  back to groups (the default at the top of the file)

Words are compared folded (NFKC, lower case), as search folds the query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from flowdesk.search.text import fold_text, is_han

LEXICON_PACKAGE = "flowdesk.data"
LEXICON_FILE = ("lexicon", "telecom-zh.txt")
FILLERS_SECTION = "fillers"
GROUPS_SECTION = "groups"
ONE_WAY = "=>"


@dataclass
class Lexicon:
    """Filler words, and for each word the words it may also be found by.

    ``alternatives[word]`` lists ``(other_word, group_word)`` pairs; the group
    word is the one shown to the agent (the alternative itself, here).
    """

    fillers: set[str] = field(default_factory=set)
    alternatives: dict[str, dict[str, None]] = field(default_factory=dict)
    version: str = ""

    def add_group(self, words: Sequence[str]) -> None:
        """Equivalent words: each is tried for every other."""
        folded = _distinct(words)
        for word in folded:
            self._link(word, folded)

    def add_one_way(self, sources: Sequence[str], targets: Sequence[str]) -> None:
        folded_targets = _distinct(targets)
        for word in _distinct(sources):
            self._link(word, folded_targets)

    def _link(self, word: str, others: Iterable[str]) -> None:
        found = self.alternatives.setdefault(word, {})
        for other in others:
            # A lone Han character found everywhere (号, 卡) would only add noise.
            if other != word and not (len(other) == 1 and is_han(other)):
                found[other] = None

    def others(self, word: str) -> tuple[str, ...]:
        """The words ``word`` may also be found by, in the order the groups list them."""
        return tuple(self.alternatives.get(word, ()))

    def words(self) -> set[str]:
        """Every word the lexicon knows (for segmenting the query), fillers included."""
        known = set(self.alternatives) | self.fillers
        for others in self.alternatives.values():
            known.update(others)
        return known

    def merged(self, groups: Sequence[Sequence[str]]) -> Lexicon:
        """This lexicon plus a pack's synonym groups (a new object; this one is shared)."""
        result = Lexicon(set(self.fillers), {w: dict(o) for w, o in self.alternatives.items()})
        result.version = self.version
        for group in groups:
            result.add_group(group)
        return result


def _distinct(words: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for word in words:
        folded = fold_text(word.strip())
        if folded:
            seen[folded] = None
    return list(seen)


class LexiconError(ValueError):
    """A line of a lexicon file that cannot be read, with its line number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def parse_lexicon(text: str) -> Lexicon:
    """Read the lexicon format (see the module docstring); LexiconError on a bad line."""
    lexicon = Lexicon()
    section = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("# lexicon-version:"):
            lexicon.version = line.partition(":")[2].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            if section not in ("", FILLERS_SECTION, GROUPS_SECTION):
                raise LexiconError(number, f"unknown section [{section}]")
            continue
        if section == FILLERS_SECTION:
            lexicon.fillers.update(_distinct(line.split()))
            continue
        if ONE_WAY in line:
            left, _, right = line.partition(ONE_WAY)
            if ONE_WAY in right or not left.split() or not right.split():
                raise LexiconError(number, f"write one '{ONE_WAY}' with words on both sides")
            lexicon.add_one_way(left.split(), right.split())
            continue
        words = line.split()
        if len(words) < 2:
            raise LexiconError(number, "a group needs at least two words")
        lexicon.add_group(words)
    return lexicon


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The lexicon shipped in the package, read once per process (a few milliseconds)."""
    text = resources.files(LEXICON_PACKAGE).joinpath(*LEXICON_FILE).read_text(encoding="utf-8")
    return parse_lexicon(text)
