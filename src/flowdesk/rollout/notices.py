"""Must-read changes: what agents are shown, old beside new, and confirm.

A version's must-read notes (:mod:`flowdesk.packs.notices`) become
**notices**: one per flow the version adds or changes against the version
before it that is marked (the pack-wide note marks them all), and a pack-wide
notice of its own when the pack's note comes with no changed flow. An agent
confirms a notice with a ``notice_ack`` event (``pack_id``, ``pack_sequence``,
``flow_id``; no ``flow_id`` for the pack-wide notice). Only notices of the
active versions are shown; a confirmation counts for the agent, on any desk,
as the events say.

The window shows the open notices at the start of a shift and before the
agent runs a changed flow; nothing here blocks or delays a flow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select

from flowdesk.packs.notices import PACK_WIDE, marked_changes
from flowdesk.store import installed_before
from flowdesk.usage.schema import usage_event

if TYPE_CHECKING:
    from flowdesk.desk_protocol import DeskProtocol


@dataclass(frozen=True)
class Notice:
    """One must-read change of one version."""

    pack_id: str
    sequence: int
    flow_id: str | None  # None: the pack-wide notice
    title: str
    note: str
    old: tuple[str, ...] = ()  # the flow's step texts before (empty: a new flow)
    new: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, int, str | None]:
        return (self.pack_id, self.sequence, self.flow_id)

    def ack_fields(self) -> dict[str, Any]:
        """The ``notice_ack`` event's keys for this notice."""
        fields: dict[str, Any] = {"pack_id": self.pack_id, "pack_sequence": self.sequence}
        if self.flow_id is not None:
            fields["flow_id"] = self.flow_id
        return fields

    def to_json(self) -> dict[str, Any]:
        return {
            "pack_id": self.pack_id,
            "pack_sequence": self.sequence,
            "flow_id": self.flow_id,
            "title": self.title,
            "note": self.note,
            "old": list(self.old),
            "new": list(self.new),
        }


def previous_sequence(desk: DeskProtocol, pack_id: str, sequence: int) -> int | None:
    """The version a version's changes are told against: the highest installed below it."""
    return installed_before(desk.packs(), pack_id, sequence)


def notices_of(
    desk: DeskProtocol, pack_id: str, sequence: int, *, with_text: bool = True
) -> list[Notice]:
    """The must-read notices of one stored version (old and new step texts when asked)."""
    notes = desk.notes(pack_id, sequence)
    if not notes:
        return []
    before = previous_sequence(desk, pack_id, sequence)
    marked = marked_changes(notes, desk.changed_flows(pack_id, before, sequence))
    pack_wide = marked.pop(PACK_WIDE, None)
    heads = {h.id: h.title for h in desk.flow_heads(pack_id, sequence)}
    old_texts = _texts(desk, pack_id, before, marked) if with_text and before else {}
    new_texts = _texts(desk, pack_id, sequence, marked) if with_text else {}
    found = [
        Notice(
            pack_id,
            sequence,
            flow_id,
            heads.get(flow_id, flow_id),
            note,
            old_texts.get(flow_id, ()),
            new_texts.get(flow_id, ()),
        )
        for flow_id, note in sorted(marked.items(), key=lambda kv: heads.get(kv[0], kv[0]))
    ]
    if pack_wide:  # the pack's note, where it marks no changed flow
        found.append(Notice(pack_id, sequence, None, "", pack_wide))
    return found


def _texts(desk: DeskProtocol, pack_id: str, sequence: int, flow_ids: Iterable[str]) -> dict:
    flows = desk.stored_flows(pack_id, sequence, list(flow_ids))
    return {f.id: tuple(s.text for s in f.steps) for f in flows}


def active_notices(desk: DeskProtocol) -> list[Notice]:
    """The notices of every active version."""
    found: list[Notice] = []
    for info in desk.active_packs():
        found += notices_of(desk, info.pack_id, info.sequence)
    return found


def confirmed(engine: Engine, agent_id: str) -> set[tuple[str, int, str | None]]:
    """(pack id, sequence, flow id) of every notice this agent confirmed, from the events."""
    e = usage_event.c
    stmt = select(e.pack_id, e.pack_sequence, e.flow_id).where(
        e.type == "notice_ack", e.agent_id == agent_id
    )
    with engine.connect() as conn:
        return {(p, s, f) for p, s, f in conn.execute(stmt)}


def open_notices(desk: DeskProtocol, engine: Engine, agent_id: str) -> list[Notice]:
    """The active versions' notices this agent has not confirmed yet."""
    done = confirmed(engine, agent_id)
    return [n for n in active_notices(desk) if n.key not in done]


def installed_notices(desk: DeskProtocol) -> tuple[list[Notice], Any]:
    """Every installed version's notices (no texts), and since when agents are expected
    to have confirmed them: the earliest effective time, None (all agents) where a
    version has none."""
    found: list[Notice] = []
    times = []
    for info in desk.packs():
        if info.state == "pending":
            continue  # nobody can have seen it yet
        these = notices_of(desk, info.pack_id, info.sequence, with_text=False)
        if these:
            found += these
            times.append(info.effective_at)
    since = None if not times or None in times else min(times)
    return found, since
