"""A pack source (pack.yaml + flows/**/*.yaml) read into a validated :class:`Pack`.

Folders and built packs go through the same code: both become a mapping of
member name (``pack.yaml``, ``flows/np/stop.yaml``) to bytes, and
:func:`parse_pack` validates that mapping. Checks that need the whole pack
live here: duplicate flow ids, a touch point claimed by two flows (every
touch point maps to exactly one service flow) and blind spots (offered cells
of the process map that no flow claims).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from flowdesk.model import Flow, Pack, TouchPoint
from flowdesk.packs.fields import FieldReader
from flowdesk.packs.flowfile import FlowRead, read_flow
from flowdesk.packs.notices import PACK_WIDE
from flowdesk.packs.packfile import PACK_FILE, PackHead, read_pack_yaml
from flowdesk.packs.yamlload import MAX_FILE_BYTES, load_yaml
from flowdesk.problems import Problem, error, warning

FLOWS_DIR = "flows"
MAX_FILES = 20_000
"""Files per pack: 10,000 flows is the largest site planned for, with room to spare."""


def is_flow_name(name: str) -> bool:
    """True for a member that holds a flow: ``flows/**/*.yaml``."""
    return name.startswith(FLOWS_DIR + "/") and name.endswith(".yaml")


def read_folder(folder: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The pack files of a source folder as ``{relative posix name: bytes}``.

    Sub-folders of ``flows/`` are walked in sorted order so every reader sees
    the flows in the same order. Oversized files are refused without reading
    them; hidden files and ``.yml`` files are left out with a warning, so a
    flow is never silently dropped.
    """
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    if not folder.is_dir():
        return files, [error(str(folder), "", "no such folder")]
    names = [PACK_FILE] if (folder / PACK_FILE).is_file() else []
    if not names:
        problems.append(error(PACK_FILE, "", f"missing: a pack source needs {PACK_FILE}"))
    flows_dir = folder / FLOWS_DIR
    for dirpath, dirnames, filenames in os.walk(flows_dir):
        dirnames.sort()
        relative = Path(dirpath).relative_to(folder).as_posix()
        for filename in sorted(filenames):
            name = f"{relative}/{filename}"
            if filename.startswith(".") or any(d.startswith(".") for d in relative.split("/")):
                if filename.endswith((".yaml", ".yml")):
                    problems.append(warning(name, "", "hidden file ignored"))
            elif filename.endswith(".yml"):
                problems.append(warning(name, "", "ignored: flow files end in .yaml"))
            elif filename.endswith(".yaml"):
                names.append(name)
    if len(names) > MAX_FILES:
        problems.append(error(FLOWS_DIR, "", f"more than {MAX_FILES:,} flow files"))
        return files, problems
    for name in names:
        path = folder / name
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                limit = MAX_FILE_BYTES // (1024 * 1024)
                problems.append(
                    error(name, "", f"file too large ({size:,} bytes, limit {limit} MiB)")
                )
                continue
            files[name] = path.read_bytes()
        except OSError as exc:
            problems.append(error(name, "", f"cannot read: {exc.strerror or exc}"))
    return files, problems


def parse_pack(
    files: Mapping[str, bytes], display: Callable[[str], str] = str
) -> tuple[Pack | None, list[Problem]]:
    """Validate a pack's files; the Pack (None when there are errors) and every problem.

    ``display`` turns a member name into the file name problems show (a built
    pack prefixes its own file name).
    """
    problems: list[Problem] = []
    head: PackHead | None = None
    if PACK_FILE in files:
        doc, found = load_yaml(files[PACK_FILE], display(PACK_FILE))
        problems += found
        if doc is not None:
            head = read_pack_yaml(doc, FieldReader(display(PACK_FILE), problems))
    flow_names = sorted(name for name in files if is_flow_name(name))
    reads: list[FlowRead] = []
    for name in flow_names:
        read, found = read_flow_file(files[name], display(name), head, name)
        problems += found
        if read is not None:
            reads.append(read)
    if not flow_names and PACK_FILE in files:
        problems.append(warning(display(PACK_FILE), "", f"no flows ({FLOWS_DIR}/**/*.yaml)"))
    return assemble_pack(head, reads, problems, display)


def read_flow_file(
    data: bytes, file: str, head: PackHead | None, name: str
) -> tuple[FlowRead | None, list[Problem]]:
    """One flow file read and checked on its own (the Studio re-reads only edited files)."""
    problems: list[Problem] = []
    doc, found = load_yaml(data, file)
    problems += found
    if doc is None:
        return None, problems
    return read_flow(doc, FieldReader(file, problems), head, name), problems


def assemble_pack(
    head: PackHead | None,
    reads: list[FlowRead],
    problems: list[Problem],
    display: Callable[[str], str] = str,
    *,
    draft: bool = False,
) -> tuple[Pack | None, list[Problem]]:
    """The checks across flows (ids, claims, blind spots) and the Pack when there is no error.

    ``problems`` (those of reading each file) is extended in place and returned.
    ``draft``: a Pack of what could be read even when there are errors (an
    editor shows a pack while it is being fixed; it is never imported).
    """
    flows = _check_claims(reads, problems)
    if head is None or (not draft and any(p.severity == "error" for p in problems)):
        return None, problems
    if not draft:
        assert head.id is not None and head.title is not None and head.sequence is not None
    pack = Pack(
        id=head.id or "",
        title=head.title or "",
        sequence=head.sequence or 0,
        channels=tuple(head.channels),
        brands=tuple(head.brands),
        businesses=tuple(head.businesses),
        flows=tuple(flows),
        version=head.version,
        publisher=head.publisher,
        effective=head.effective,
        call_summary=head.call_summary,
        synonyms=head.synonyms,
        must_read=_must_read(head, reads),
    )
    for tp in pack.blind_spots():
        key, line = head.business_places[tp.business]
        problems.append(
            warning(display(PACK_FILE), key, f"blind spot {tp.code} (no flow claims it)", line)
        )
    return pack, problems


def _must_read(head: PackHead, reads: list[FlowRead]) -> tuple[tuple[str, str], ...]:
    """The version's must-read notes: the pack-wide one first, then per flow."""
    notes = [(PACK_WIDE, head.must_read)] if head.must_read else []
    notes += [(r.flow.id, r.must_read) for r in reads if r.must_read]
    return tuple(notes)


def _check_claims(reads: list[FlowRead], problems: list[Problem]) -> list[Flow]:
    """Duplicate flow ids and touch points claimed twice; the flows to keep."""
    by_id: dict[str, FlowRead] = {}
    claims: dict[TouchPoint, FlowRead] = {}
    flows = []
    for read in reads:
        flow = read.flow
        first = by_id.get(flow.id)
        if first is not None:
            problems.append(
                error(
                    read.file,
                    "id",
                    f"duplicate flow id {flow.id!r} (also in {first.file})",
                    read.id_line,
                )
            )
            continue
        by_id[flow.id] = read
        flows.append(flow)
        for tp, (key, line) in read.touchpoint_places.items():
            owner = claims.setdefault(tp, read)
            if owner is not read:
                problems.append(
                    error(
                        read.file,
                        key,
                        f"touch point {tp.code} is claimed by two flows: {owner.flow.id!r} "
                        f"({owner.file}) and {flow.id!r} ({read.file})",
                        line,
                    )
                )
    return flows
