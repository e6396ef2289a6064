"""A first look at a flow file: only the keys the process map needs, before its checks.

Opening a 10,000-flow source must show the map within seconds, and most of a
flow file is its steps, which the map never looks at. So the first pass keeps
of each file only its top-level blocks ``id``, ``title``, ``class``,
``business``, ``touchpoints``, ``summary`` and ``must_read`` (every other block
becomes as many empty lines, so each kept line keeps its number) and reads
them with the pack reader's own :func:`~flowdesk.packs.flowfile.read_flow_outline`:
the same values as the whole read, for about a tenth of the work.

A file whose top level is not plain ``key:`` lines (flow style, quoted or
merge keys, directives …), or whose kept part does not read, gets no outline:
the caller reads it whole at once. Every outline is a stand-in until the
file's own checks (run in the background) replace it, so a file that only
looks plain here (a second document further down, a duplicate ``id`` inside
a dropped block) is put right when its checks come back.

No Qt here: this runs in the opening job.
"""

from __future__ import annotations

import re

from flowdesk.packs.fields import FieldReader
from flowdesk.packs.flowfile import FlowRead, read_flow_outline
from flowdesk.packs.packfile import PackHead
from flowdesk.packs.yamlload import MAX_FILE_BYTES, YMap, load_yaml

_TOP = re.compile(rb"\n[^ \t\r\n#-]")
"""A line that starts a top-level block: not indented, no comment, no ``-`` item or ``---``."""
_NOT_TOP = b" \t\r\n#-"
_KEY = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?=[ \t\r\n]|\Z)")
KEPT = frozenset((b"id", b"title", b"class", b"business", b"touchpoints", b"summary", b"must_read"))


def outline_bytes(data: bytes) -> bytes | None:
    """``data`` with only the :data:`KEPT` top-level blocks, lines in place; None if not plain."""
    starts = [m.start() + 1 for m in _TOP.finditer(data)]  # found by its newline: fast
    if data[:1] and data[:1] not in _NOT_TOP:
        starts.insert(0, 0)
    if not starts:
        return None
    parts = [b"\n" * data.count(b"\n", 0, starts[0])]
    for start, end in zip(starts, [*starts[1:], len(data)], strict=True):
        key = _KEY.match(data, start)
        if key is None:
            return None
        if key.group(1) in KEPT:
            parts.append(data[start:end])
        else:
            parts.append(b"\n" * data.count(b"\n", start, end))
    return b"".join(parts)


def outline_read(data: bytes, name: str, head: PackHead | None) -> FlowRead | None:
    """The outline of one flow file (see the module), or None: read it whole instead."""
    if len(data) > MAX_FILE_BYTES:
        return None
    kept = outline_bytes(data)
    if kept is None:
        return None
    doc, found = load_yaml(kept, name)
    if not isinstance(doc, YMap) or found:
        return None
    return read_flow_outline(doc, FieldReader(name, []), head, name)
