"""Reading what the reports need from a usage store, SQLite or PostgreSQL alike.

Reports take a SQLAlchemy engine on either the desk's ``usage.sqlite3`` or a
site's central PostgreSQL: both hold the same ``usage_event`` table, and these
queries are plain Core selects, so the same report code runs on both.

Only the columns and event types a report needs are read, without ORDER BY
(runs are small and sorted in Python), so a report over a million events is a
single table scan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from flowdesk.reports.runs import RunEventRow
from flowdesk.usage.events import RUN_EVENT_TYPES
from flowdesk.usage.rows import ALL_EVENTS, EventFilter
from flowdesk.usage.schema import ts_to_row, usage_event

#: Run events are read this far past the window's end, so a run opened inside
#: the window but finished just after it is still seen to finish.
RUN_TAIL = timedelta(hours=2)


@dataclass(frozen=True)
class SearchRow:
    ts_us: int
    tz_min: int
    agent_id: str
    team: str | None
    query: str
    result_count: int | None
    opened_flow_id: str | None


def run_event_rows(engine: Engine, where: EventFilter = ALL_EVENTS) -> list[RunEventRow]:
    """Run events and call ends of the runs opened in the window (agents/teams filtered)."""
    c = usage_event.c
    stmt = select(
        c.seq,
        c.ts_us,
        c.tz_min,
        c.type,
        c.run_id,
        c.call_id,
        c.agent_id,
        c.team,
        c.pack_id,
        c.pack_sequence,
        c.flow_id,
        c.step_id,
        c.option,
    ).where(c.type.in_((*RUN_EVENT_TYPES, "call_end")))
    widened = EventFilter(
        since=where.since,
        until=where.until + RUN_TAIL if where.until is not None else None,
        agents=where.agents,
        teams=where.teams,
    )
    stmt = widened.apply(stmt)
    with engine.connect() as conn:
        rows = [RunEventRow._make(r) for r in conn.execute(stmt)]
    return rows


def opened_in(where: EventFilter, opened_us: int) -> bool:
    """Whether a run opened at ``opened_us`` belongs to the window."""
    if where.since is not None and opened_us < ts_to_row(where.since)[0]:
        return False
    return not (where.until is not None and opened_us >= ts_to_row(where.until)[0])


def search_rows(engine: Engine, where: EventFilter = ALL_EVENTS) -> Iterator[SearchRow]:
    c = usage_event.c
    stmt = select(
        c.ts_us, c.tz_min, c.agent_id, c.team, c.query, c.result_count, c.opened_flow_id
    ).where(c.type == "search")
    stmt = where.apply(stmt)
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            yield SearchRow(*r)


def window_of(since: datetime | None, until: datetime | None) -> EventFilter:
    return EventFilter(since=since, until=until)
