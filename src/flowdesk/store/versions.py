"""The life of a pack version on a desk: pending, active, previous.

A team lead on a tariff-change day expects the desk to behave like a
calendar, so the rules are few and never guess:

* A version whose effective time (:mod:`flowdesk.packs.effective`) is still
  to come is installed **pending**; the active version is left as it was.
  Without ``effective``, or with a time already past, it is active on import.
* At any moment the version that should be active is the **highest sequence
  whose time has come**. When several pending versions fall due together the
  highest wins; a pending version that can never become active (a higher
  sequence is already active, or a higher pending one takes effect no later)
  is **superseded**: it leaves the pending state and stays installed as a
  previous version.
* Only pending versions become active by themselves. A version rolled away
  from, or superseded, never comes back on its own; a rollback does not
  cancel what is pending (it is a separate publication with its own date),
  and activating a pending version by hand takes it out of the schedule.

:func:`settle` applies these rules inside the caller's write transaction; the
desk calls it on import and whenever it may activate (between calls).
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from flowdesk.packs.effective import effective_instant, format_effective, parse_stored
from flowdesk.store.history import record
from flowdesk.store.packs.catalogue import set_active
from flowdesk.store.schema import PackRow

ACTIVE, PENDING, PREVIOUS = "active", "pending", "previous"


@dataclass(frozen=True)
class Activation:
    """A pending version that became active when its effective time came."""

    pack_id: str
    sequence: int
    previous_sequence: int | None
    effective: str | None
    superseded: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "pack_id": self.pack_id,
            "sequence": self.sequence,
            "previous_sequence": self.previous_sequence,
            "effective": self.effective,
            "superseded": list(self.superseded),
        }


def takes_effect_later(effective: Any, now: _dt.datetime, tz: _dt.tzinfo | None = None) -> bool:
    """True when a version with this ``effective`` must wait (be installed pending)."""
    return effective is not None and effective_instant(effective, tz) > now


def mark_pending(conn: Connection, pack_id: str, sequence: int) -> None:
    conn.execute(
        update(PackRow)
        .where(PackRow.pack_id == pack_id, PackRow.sequence == sequence)
        .values(pending=True, active=False)
    )


def activate_by_hand(conn: Connection, pack_id: str, sequence: int) -> None:
    """A rollback or explicit activation: the chosen version leaves the schedule."""
    set_active(conn, pack_id, sequence)
    conn.execute(
        update(PackRow)
        .where(PackRow.pack_id == pack_id, PackRow.sequence == sequence)
        .values(pending=False)
    )


def pending_ids(conn: Connection) -> set[str]:
    """Pack ids with anything pending (cheap: usually none, read on every refresh)."""
    return set(conn.execute(select(PackRow.pack_id).where(PackRow.pending.is_(True))).scalars())


def settle(
    conn: Connection,
    now: _dt.datetime,
    tz: _dt.tzinfo | None = None,
    pack_ids: set[str] | None = None,
) -> list[Activation]:
    """Activate what is due and retire what can never be active; returns the activations."""
    wanted = pending_ids(conn) if pack_ids is None else pack_ids
    rows = conn.execute(
        select(
            PackRow.pack_id, PackRow.sequence, PackRow.active, PackRow.pending, PackRow.effective
        )
        .where(PackRow.pack_id.in_(wanted))
        .where((PackRow.pending.is_(True)) | (PackRow.active.is_(True)))
    ).all()
    by_pack: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_pack[row.pack_id].append(row)
    done = []
    for pack_id, versions in sorted(by_pack.items()):
        activation = _settle_pack(conn, pack_id, versions, now, tz)
        if activation is not None:
            done.append(activation)
    return done


def _settle_pack(
    conn: Connection, pack_id: str, versions: list[Any], now: _dt.datetime, tz: _dt.tzinfo | None
) -> Activation | None:
    active = next((v.sequence for v in versions if v.active), None)
    pending = {v.sequence: _instant(v.effective, tz) for v in versions if v.pending}
    due = [s for s, at in pending.items() if at <= now]
    activation = None
    if due and max(due) > (active or 0):
        chosen = max(due)
        set_active(conn, pack_id, chosen)
        _leave_schedule(conn, pack_id, [chosen])
        effective = next(v.effective for v in versions if v.sequence == chosen)
        activation = Activation(pack_id, chosen, active, effective)
        active = chosen
        del pending[chosen]
    dead = sorted(
        s
        for s, at in pending.items()
        if (active is not None and s < active)
        or any(other > s and other_at <= at for other, other_at in pending.items())
    )
    if activation is not None:
        activation = Activation(**{**activation.__dict__, "superseded": tuple(dead)})
        record(
            conn,
            "activate",
            pack_id,
            activation.sequence,
            activation.previous_sequence,
            "effective time reached",
            {"reason": f"effective {activation.effective}", "superseded": dead or None},
        )
    if dead:
        _leave_schedule(conn, pack_id, dead)
        for s in dead:
            record(conn, "supersede", pack_id, s, active, "a higher sequence takes its place")
    return activation


def _leave_schedule(conn: Connection, pack_id: str, sequences: list[int]) -> None:
    conn.execute(
        update(PackRow)
        .where(PackRow.pack_id == pack_id, PackRow.sequence.in_(sequences))
        .values(pending=False)
    )


def _instant(text: str | None, tz: _dt.tzinfo | None) -> _dt.datetime:
    value = parse_stored(text)
    if value is None:  # pending without a readable time: due at once rather than never
        return _dt.datetime.min.replace(tzinfo=_dt.UTC)
    return effective_instant(value, tz)


def state_of(active: bool, pending: bool) -> str:
    return ACTIVE if active else PENDING if pending else PREVIOUS


def describe_time(text: str | None, tz: _dt.tzinfo | None = None) -> str | None:
    """The instant a stored effective value stands for, as RFC 3339 (dates: local midnight)."""
    value = parse_stored(text)
    return format_effective(effective_instant(value, tz)) if value is not None else None


__all__ = [
    "ACTIVE",
    "PENDING",
    "PREVIOUS",
    "Activation",
    "activate_by_hand",
    "describe_time",
    "mark_pending",
    "pending_ids",
    "settle",
    "state_of",
    "takes_effect_later",
]


def changed_flows(
    conn: Connection, pack_id: str, old_sequence: int | None, new_sequence: int
) -> dict[str, str]:
    """Flow id -> ``new`` / ``changed`` from one stored version to another, by flow rows.

    Flow rows are shared by content digest, so two versions hold the same row
    exactly when the flow is unchanged: no flow is read, only two id lists.
    """
    from flowdesk.store.schema import FlowRow, PackFlowRow

    def rows(sequence: int) -> dict[str, int]:
        return dict(
            conn.execute(
                select(FlowRow.flow_id, FlowRow.id)
                .join(PackFlowRow, PackFlowRow.flow == FlowRow.id)
                .join(PackRow, PackRow.id == PackFlowRow.pack)
                .where(PackRow.pack_id == pack_id, PackRow.sequence == sequence)
            ).all()
        )

    new = rows(new_sequence)
    old = rows(old_sequence) if old_sequence is not None else {}
    return {f: "new" if f not in old else "changed" for f, row in new.items() if old.get(f) != row}
