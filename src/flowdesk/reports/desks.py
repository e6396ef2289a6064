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

Only the newest status of each desk and pack is read (a skip scan of the
partial index of ``desk_status`` events on PostgreSQL), so the report's cost
follows the number of desks, not the months of statuses a central store holds.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from flowdesk.reports.compliance import Report
from flowdesk.usage.schema import ts_from_row, ts_to_row

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
    #: every pending version of its newest status: (sequence, effective), lowest first
    pending: list[tuple[int, str | None]] = field(default_factory=list)
    last_us: int | None = None  # last contact, microseconds since the epoch (UTC)
    tz_min: int = 0  # the desk's offset then
    flags: list[str] = field(default_factory=list)

    @property
    def last_contact(self) -> _dt.datetime | None:
        return ts_from_row(self.last_us, self.tz_min) if self.last_us is not None else None

    @property
    def pending_sequence(self) -> int | None:
        """The next version to take effect here (the lowest pending), shown in the report."""
        return self.pending[0][0] if self.pending else None

    @property
    def pending_effective(self) -> str | None:
        return self.pending[0][1] if self.pending else None

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


#: A desk's newest status, on PostgreSQL: a skip scan over the partial index
#: (desk_id, pack_id, ts_us) of desk_status events. One index probe finds the next
#: desk and pack, one more its newest rows, so the cost follows the number of
#: desks, not the months of statuses they sent (2,000 desks over a million
#: statuses: a fifth of a second, where ranking every status took seconds).
_NEWEST_PG = text(
    """
    WITH RECURSIVE desk_pack(desk_id, pack_id) AS (
        (SELECT desk_id, pack_id FROM usage_event
         WHERE type = 'desk_status' AND desk_id IS NOT NULL AND pack_id IS NOT NULL
         ORDER BY desk_id, pack_id LIMIT 1)
        UNION ALL
        SELECT n.desk_id, n.pack_id FROM desk_pack k CROSS JOIN LATERAL (
            SELECT e.desk_id, e.pack_id FROM usage_event e
            WHERE e.type = 'desk_status' AND (e.desk_id, e.pack_id) > (k.desk_id, k.pack_id)
              AND e.pack_id IS NOT NULL
            ORDER BY e.desk_id, e.pack_id LIMIT 1) n
    )
    SELECT s.desk_id, s.pack_id, coalesce(s.state, 'active'), s.pack_sequence, s.effective,
           s.team, s.agent_id, s.ring, s.app_version, s.ts_us, s.tz_min
    FROM desk_pack k CROSS JOIN LATERAL (
        SELECT * FROM usage_event e
        WHERE e.type = 'desk_status' AND e.desk_id = k.desk_id AND e.pack_id = k.pack_id
        ORDER BY e.ts_us DESC, e.pack_sequence LIMIT :moment_rows) s
    """
)
#: The same on SQLite (a desk's own log, or the logs QA imported): the newest time of
#: each desk and pack from the partial index, then the rows of that moment.
_NEWEST_SQLITE = text(
    """
    SELECT s.desk_id, s.pack_id, coalesce(s.state, 'active'), s.pack_sequence, s.effective,
           s.team, s.agent_id, s.ring, s.app_version, s.ts_us, s.tz_min
    FROM usage_event s JOIN (
        SELECT desk_id, pack_id, max(ts_us) AS ts_us FROM usage_event
        WHERE type = 'desk_status' GROUP BY desk_id, pack_id
    ) n ON s.desk_id = n.desk_id AND s.pack_id = n.pack_id AND s.ts_us = n.ts_us
    WHERE s.type = 'desk_status' AND s.pack_id IS NOT NULL
    """
)
#: Rows read for each desk and pack's newest status: its active version and up to three
#: pending ones (lowest first: the active version's sequence is below any pending one).
MOMENT_ROWS = 4


def latest_statuses(engine: Engine) -> list[DeskPack]:
    """Each desk and pack as its newest status tells it (the rows sent at one moment).

    A status lists the active version and every pending one at once, so the
    newest moment is the whole truth: a version pending in an older status and
    absent from the newest was superseded or has taken effect.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            rows = conn.execute(_NEWEST_PG, {"moment_rows": MOMENT_ROWS}).all()
        else:
            rows = conn.execute(_NEWEST_SQLITE).all()
    newest: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row[0], row[1])
        newest[key] = max(newest.get(key, row[9]), row[9])
    found: dict[tuple[str, str], DeskPack] = {}
    for row in rows:
        key = (row[0], row[1])
        if row[9] != newest[key]:
            continue  # an older status of this desk (the PostgreSQL probe reads a few rows)
        item = found.get(key)
        if item is None:
            item = found[key] = DeskPack(row[0], row[1], row[5], row[6], row[7] or NO_RING, row[8])
            item.last_us, item.tz_min = row[9], row[10]
        if row[2] == "pending":
            item.pending.append((row[3], row[4]))
        else:
            item.active_sequence = max(item.active_sequence or 0, row[3])
    for item in found.values():
        item.pending.sort()
    return list(found.values())


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
        for sequence, effective in d.pending:
            if _is_due(effective, now):
                due[key] = max(due[key], sequence)
            else:
                upcoming[key] = max(upcoming[key], sequence)
    for d in desks:
        key, has = (d.pack_id, d.ring), d.active_sequence or 0
        ready = max([has, *(sequence for sequence, _ in d.pending)])
        d.flags = []
        if d.last_us is None or d.last_us < silent_before:
            d.flags.append("silent")
        if has < due[key]:
            d.flags.append("behind")
        if upcoming[key] > ready:
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
        "last_contact",  # beside the status: a team lead reads "silent" with "since when"
        "ring",
        "pack_id",
        "active_sequence",
        "pending_sequence",
        "pending_effective",
    )
    return Report("desks", columns, rows, summary)
