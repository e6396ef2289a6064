"""``report desks``: where every desk stands, from the ``desk_status`` events it pushed.

One row per desk and pack: its team, ring, active and pending versions, app
version and last contact, and whether it is **current**. The flags, judged
as of ``now``:

* ``behind``: its active sequence is lower than the newest version that is
  due in its ring (active on another desk of the ring, or pending there with an
  effective time already past). A desk that reported a version pending whose
  time has come, and has not reported since, is behind until it does.
* ``not_ready``: a newer version is pending on other desks of its ring (it
  takes effect later) and this desk has neither it nor anything newer: on the
  effective day it would be behind.
* ``silent``: no status for longer than ``silent_after`` (desks send one with
  every usage push, at start and after each pack change).

Rings compare desks with their own ring only: a pilot ring on the next
version does not make everyone else "behind". Desks without a ring form the
ring ``-``.

Only the newest status of each desk and pack is kept (one ranked query over
the ``desk_status`` events, through their partial index), so the report stays
fast on a central store holding months of events.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select

from flowdesk.reports.compliance import Report
from flowdesk.usage.schema import ts_from_row, ts_to_row, usage_event

NO_RING = "-"
DEFAULT_SILENT_AFTER = _dt.timedelta(hours=24)
STATUS_ZH = {"current": "正常", "behind": "落后", "not_ready": "未就绪", "silent": "失联"}


@dataclass
class DeskPack:
    """One desk's newest word on one pack."""

    desk_id: str
    pack_id: str
    team: str | None = None
    agent_id: str | None = None
    ring: str = NO_RING
    app_version: str | None = None
    active_sequence: int | None = None
    pending_sequence: int | None = None
    pending_effective: str | None = None
    last_us: int | None = None  # last contact, microseconds since the epoch (UTC)
    tz_min: int = 0  # the desk's offset then
    flags: list[str] = field(default_factory=list)

    @property
    def last_contact(self) -> _dt.datetime | None:
        return ts_from_row(self.last_us, self.tz_min) if self.last_us is not None else None

    @property
    def status(self) -> str:
        for flag in ("silent", "behind", "not_ready"):
            if flag in self.flags:
                return flag
        return "current"

    def to_json(self) -> dict[str, Any]:
        last = self.last_contact
        return {
            "team": self.team,
            "desk_id": self.desk_id,
            "agent_id": self.agent_id,
            "ring": self.ring,
            "pack_id": self.pack_id,
            "active_sequence": self.active_sequence,
            "pending_sequence": self.pending_sequence,
            "pending_effective": self.pending_effective,
            "app_version": self.app_version,
            "last_contact": last.isoformat() if last else None,
            "status": self.status,
            "current": self.status == "current",
            "flags": list(self.flags),
        }


def latest_statuses(engine: Engine) -> list[DeskPack]:
    """The newest active and pending status of each desk and pack (one ranked query).

    Rows come back oldest first, as plain tuples: a site's 2,000 desks are a few
    thousand rows, and the work per row is kept to a few comparisons of integers.
    """
    e = usage_event.c
    state = func.coalesce(e.state, "active")
    rank = (
        func.row_number()
        .over(partition_by=(e.desk_id, e.pack_id, state), order_by=e.ts_us.desc())
        .label("rank")
    )
    ranked = (
        select(
            e.desk_id, e.pack_id, state.label("st"), e.pack_sequence, e.effective, e.team,
            e.agent_id, e.ring, e.app_version, e.ts_us, e.tz_min, rank,
        )
        .where(e.type == "desk_status")
        .subquery()
    )  # fmt: skip
    stmt = (
        select(*(c for c in ranked.c if c.name != "rank"))
        .where(ranked.c.rank == 1)
        .order_by(ranked.c.ts_us)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    found: dict[tuple[str, str], DeskPack] = {}
    pending = []
    for row in rows:
        desk, pack, st, sequence = row[0], row[1], row[2], row[3]
        if st == "pending":
            pending.append(row)
            continue
        item = found.get((desk, pack))
        if item is None:
            item = found[(desk, pack)] = DeskPack(desk, pack)
        item.active_sequence = sequence
        _describe(item, row)
    for row in pending:
        item = found.get((row[0], row[1]))
        if item is None:  # a desk that only ever reported a pending version
            item = found[(row[0], row[1])] = DeskPack(row[0], row[1])
        elif item.last_us is not None and row[9] < item.last_us:
            continue  # reported before the desk's newest status, which no longer has it
        item.pending_sequence, item.pending_effective = row[3], row[4]
        _describe(item, row)
    return list(found.values())


def _describe(item: DeskPack, row: tuple) -> None:
    """Take who, where and when from the desk's newest row."""
    if item.last_us is None or row[9] >= item.last_us:
        item.team, item.agent_id, item.ring, item.app_version = row[5], row[6], row[7], row[8]
        item.ring = item.ring or NO_RING
        item.last_us, item.tz_min = row[9], row[10]


def judge(
    desks: list[DeskPack], now: _dt.datetime, silent_after: _dt.timedelta = DEFAULT_SILENT_AFTER
) -> list[DeskPack]:
    """Set each desk's flags against the others of its ring (see the module's rules)."""
    silent_before = ts_to_row(now - silent_after)[0]
    due: dict[tuple[str, str], int] = defaultdict(int)
    upcoming: dict[tuple[str, str], int] = defaultdict(int)
    for d in desks:
        key = (d.pack_id, d.ring)
        due[key] = max(due[key], d.active_sequence or 0)
        if d.pending_sequence is not None:
            if _is_due(d.pending_effective, now):
                due[key] = max(due[key], d.pending_sequence)
            else:
                upcoming[key] = max(upcoming[key], d.pending_sequence)
    for d in desks:
        key, has = (d.pack_id, d.ring), d.active_sequence or 0
        d.flags = []
        if d.last_us is None or d.last_us < silent_before:
            d.flags.append("silent")
        if has < due[key]:
            d.flags.append("behind")
        if upcoming[key] > has and (d.pending_sequence or 0) < upcoming[key]:
            d.flags.append("not_ready")
    return sorted(desks, key=lambda d: (d.team or "", d.desk_id, d.pack_id))


def _is_due(effective: str | None, now: _dt.datetime) -> bool:
    if not effective:
        return True
    try:
        return _dt.datetime.fromisoformat(effective.replace("Z", "+00:00")) <= now
    except ValueError:
        return True


def desks_report(
    engine: Engine,
    now: _dt.datetime,
    silent_after: _dt.timedelta = DEFAULT_SILENT_AFTER,
    team: str | None = None,
) -> Report:
    """Every desk (or one team's) with its versions, last contact and flags."""
    desks = judge(latest_statuses(engine), now, silent_after)
    if team is not None:
        desks = [d for d in desks if d.team == team]
    rows = [d.to_json() for d in desks]
    per_team: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d in desks:
        counts = per_team[d.team or "-"]
        counts[0] += d.status == "current"
        counts[1] += 1
    summary: dict[str, object] = {
        "desks": len({d.desk_id for d in desks}),
        "current": sum(d.status == "current" for d in desks),
        "behind": sum("behind" in d.flags for d in desks),
        "not_ready": sum("not_ready" in d.flags for d in desks),
        "silent": sum("silent" in d.flags for d in desks),
        "teams": {t: f"{c}/{n}" for t, (c, n) in sorted(per_team.items())},
        "rings": sorted({d.ring for d in desks}),
        "as_of": now.isoformat(timespec="seconds"),
    }
    columns = (
        "team",
        "desk_id",
        "agent_id",
        "status",
        "ring",
        "pack_id",
        "active_sequence",
        "pending_sequence",
        "pending_effective",
        "last_contact",
    )
    return Report("desks", columns, rows, summary)
