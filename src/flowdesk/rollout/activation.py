"""Activating what is due: the store switches (and records it), then the marks follow.

The CLI runs this whenever it opens the desk (a command is never inside a
call); the window runs it on a timer and at each call's end, never while a
call is in progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowdesk.store import versions
from flowdesk.sync.records import ChangeMarks

if TYPE_CHECKING:
    from flowdesk.desk_protocol import DeskProtocol


def activate_due(desk: DeskProtocol) -> list[versions.Activation]:
    """Make due pending versions active (the pack history records each); mark their changes."""
    done = desk.activate_due()
    for activation in done:
        record_change(desk, activation.pack_id, activation.previous_sequence, activation.sequence)
    return done


def record_change(desk: DeskProtocol, pack_id: str, old: int | None, new: int) -> dict[str, str]:
    """Mark the flows that differ between two stored versions (the newly active one last)."""
    marks = desk.changed_flows(pack_id, old, new)
    flow_ids = [f.id for f in desk.flow_heads(pack_id, new)]
    ChangeMarks(desk.data).record(pack_id, new, marks, flow_ids)
    return marks
