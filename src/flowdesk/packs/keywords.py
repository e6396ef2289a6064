"""Writing accepted keywords into the flow files of a pack source, and nothing else.

Process owners keep their sources in version control, commented by hand, so a
keyword learned from search misses (reports.search_misses) is added to the
flow's ``keywords`` list and every other byte of the file stays as it was:
the files go through packs.roundtrip (ruamel.yaml round-trip, atomic saves,
refusal when a file changed on disk since it was read). A keyword the flow
already has is skipped. The pack is validated before anything is written, and
every file is prepared before the first one is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from flowdesk.packs.load import load_pack
from flowdesk.packs.roundtrip import (
    RoundTripError,
    SourceFile,
    changed_on_disk,
    load_source_file,
    save_source_file,
)
from flowdesk.problems import Refused, errors
from flowdesk.search.text import fold_text


@dataclass
class KeywordsAdded:
    """What :func:`add_keywords` did: (file, flow id, keyword) added, and skipped with why."""

    added: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (flow, keyword, why)

    def files(self) -> list[str]:
        return sorted({file for file, _, _ in self.added})


def add_keywords(source: Path, wanted: Iterable[tuple[str, str]], *, dry_run: bool = False):
    """Add each (flow id, keyword) to the flow's file in the pack source folder ``source``.

    Refused (nothing written) when the source does not validate, a flow is not
    in it, or a file cannot be read for editing or changed while we worked.
    """
    source = Path(source)
    loaded = load_pack(source)
    if loaded.pack is None or errors(loaded.problems):
        first = errors(loaded.problems)[:1]
        where = f": {first[0]}" if first else ""
        raise Refused(f"the pack source does not validate{where}", file=str(source))
    pack = loaded.pack
    result = KeywordsAdded()
    files: dict[Path, SourceFile] = {}
    for flow_id, keyword in wanted:
        keyword = keyword.strip()
        try:
            flow = pack.flow(flow_id)
        except KeyError:
            raise Refused(f"no flow {flow_id!r} in this pack source", file=str(source)) from None
        if not keyword:
            result.skipped.append((flow_id, keyword, "empty keyword"))
            continue
        if flow.file is None:
            raise Refused(f"flow {flow_id!r}: its file is not known", file=str(source))
        path = source / flow.file
        try:
            edited = files.get(path) or files.setdefault(path, load_source_file(path))
        except RoundTripError as exc:
            raise Refused(str(exc), file=str(path)) from None
        if _append(edited.data, keyword):
            result.added.append((flow.file, flow_id, keyword))
        else:
            result.skipped.append((flow_id, keyword, "already a keyword"))
    if dry_run:
        return result
    for path, edited in files.items():
        if changed_on_disk(edited):
            raise Refused("changed on disk while keywords were added; run again", file=str(path))
    for edited in files.values():
        save_source_file(edited)
    return result


def _append(doc: object, keyword: str) -> bool:
    """Add ``keyword`` to a flow document's keywords; False when it is there already."""
    if not isinstance(doc, CommentedMap):
        raise Refused("a flow file must be a mapping")
    keywords = doc.get("keywords")
    if keywords is None:
        keywords = CommentedSeq()
        keywords.fa.set_flow_style()  # keywords: [挂失, 丢了]
        at = list(doc).index("title") + 1 if "title" in doc else len(doc)
        doc.insert(at, "keywords", keywords)
    if not isinstance(keywords, list):
        raise Refused("keywords is not a list")
    if any(isinstance(k, str) and fold_text(k) == fold_text(keyword) for k in keywords):
        return False
    keywords.append(keyword)
    return True
