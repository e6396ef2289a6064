"""Reading ``synonyms`` of pack.yaml (contract §5): groups of words meaning the same.

Each group is a list of at least two words; search treats any word of a group
as any other. Problems are placed by key path (``synonyms[2][1]``), like every
other field, and a pack with a bad group is refused.
"""

from __future__ import annotations

from flowdesk.packs.fields import FieldReader, describe
from flowdesk.packs.yamlload import YMap, YSeq

KEY = "synonyms"


def read_synonyms(root: YMap, reader: FieldReader) -> tuple[tuple[str, ...], ...]:
    """The pack's synonym groups; () when absent; bad groups reported and left out."""
    groups = reader.seq(root, KEY)
    if groups is None:
        return ()
    found: list[tuple[str, ...]] = []
    for index, group in enumerate(groups):
        path = f"{KEY}[{index}]"
        if not isinstance(group, YSeq):
            reader.error(
                path, f"expected a list of words, found {describe(group)}", groups.line_of(index)
            )
            continue
        words: list[str] = []
        for at in range(len(group)):
            word = reader.item_text(group, at, path)
            if word is None:
                continue
            if not word.strip():
                reader.error(f"{path}[{at}]", "empty word", group.line_of(at))
                continue
            if word.strip() not in words:
                words.append(word.strip())
        if len(words) < 2:
            reader.error(
                path, "a synonym group needs at least two different words", groups.line_of(index)
            )
            continue
        found.append(tuple(words))
    return tuple(found)
