"""``must_read``: a change agents must read and confirm (an extension of ``flowpack/1``).

A publisher marks what agents must not miss in a version with a one-line note
of what changed:

* in ``pack.yaml``, ``must_read: 12月1日起携号转网免收手续费`` makes **every flow
  this version changes** (new or changed against the version before) a
  must-read change, with that note;
* in a flow file, ``must_read: 手续费话术已改为免费`` marks that flow alone (its
  own note wins over the pack's).

The note is text on one line, at most :data:`MAX_NOTE` characters. It belongs
to the version, not to the flow: a flow that does not change in the next
version is no longer a must-read change there, even if its file still carries
the key. Agents see and confirm these changes (``flowdesk.rollout.notices``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window marks notes too, and must not load the YAML reader
    from flowdesk.packs.fields import FieldReader
    from flowdesk.packs.yamlload import YMap

KEY = "must_read"
MAX_NOTE = 200
#: The flow id under which a pack-wide note is kept.
PACK_WIDE = ""


def read_must_read(root: YMap, reader: FieldReader, path: str = "") -> str | None:
    """The one-line note of ``must_read``, or None; a bad value is reported at its key."""
    from flowdesk.packs.fields import describe, join

    if KEY not in root:
        return None
    value = root.get(KEY)
    if isinstance(value, bool | int | float | _dt.date):  # ``must_read: true``/``yes`` is no note
        found = describe(value)
        reader.error(
            join(path, KEY), f"expected a one-line note of what changed, found {found}",
            root.line_of(KEY),
        )  # fmt: skip
        return None
    note = reader.text(root, KEY, path, required=True)
    if note is None:
        return None
    note = note.strip()
    where, line = join(path, KEY), root.line_of(KEY)
    if "\n" in note or "\r" in note:
        reader.error(where, "must be one line: what changed, in a sentence", line)
        return None
    if len(note) > MAX_NOTE:
        reader.error(where, f"at most {MAX_NOTE} characters, found {len(note)}", line)
        return None
    return note


def marked_changes(notes: Mapping[str, str], changed: Iterable[str]) -> dict[str, str]:
    """The must-read changes of a version: flow id -> note for each flow it adds or
    changes that a note marks (its own, else the pack's), in ``changed``'s order; with
    a pack-wide note that marks no changed flow, that note alone under :data:`PACK_WIDE`.

    ``notes`` are the version's notes (flow id -> note, :data:`PACK_WIDE` for
    ``pack.yaml``'s); ``changed`` the flows added or changed against the version before.
    """
    pack_wide = notes.get(PACK_WIDE)
    marked = {f: notes.get(f) or pack_wide for f in changed if f in notes or pack_wide}
    if pack_wide and not marked:
        return {PACK_WIDE: pack_wide}
    return {f: note for f, note in marked.items() if note}
