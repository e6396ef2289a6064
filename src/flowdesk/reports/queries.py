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

from sqlalchemy import Engine, case, func, select

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


#: Run event types as small integers (Python shares those objects: a million rows
#: allocate no type strings). Order matters only for readability.
KIND_OPEN, KIND_STEP, KIND_BRANCH, KIND_COMPLETE, KIND_ABANDON = range(5)
_KINDS = {
    "step_done": KIND_STEP,
    "branch": KIND_BRANCH,
    "flow_complete": KIND_COMPLETE,
    "flow_abandon": KIND_ABANDON,
}


@dataclass
class RunEvents:
    """What run rebuilding reads, in three narrow result sets.

    ``opens``: one tuple per ``flow_open``: (run_id, ts_us, seq, tz_min, call_id,
    agent_id, team, pack_id, pack_sequence, flow_id). ``steps``: every other run
    event: (ts_us, seq, kind, step_id, option, run_id), so plain tuple order is time
    order with ties in arrival order. ``call_ends``: call id →
    the time of its (first) ``call_end``.
    """

    opens: list[tuple]
    steps: list[tuple]
    call_ends: dict[str, int]


def _fetch(conn, stmt) -> list[tuple]:  # type: ignore[no-untyped-def]
    # Straight from the DB-API cursor: every column is an int or a string, so
    # SQLAlchemy's per-row wrapping would only cost time (a million rows is the bar).
    result = conn.execute(stmt)
    rows = result.cursor.fetchall() if result.cursor is not None else []
    result.close()
    return rows


def run_events(engine: Engine, where: EventFilter = ALL_EVENTS) -> RunEvents:
    """The run events of the window (widened by :data:`RUN_TAIL`), agents/teams filtered."""
    c = usage_event.c
    widened = EventFilter(
        since=where.since,
        until=where.until + RUN_TAIL if where.until is not None else None,
        agents=where.agents,
        teams=where.teams,
    )
    opens = widened.apply(
        select(
            c.run_id,
            c.ts_us,
            c.seq,
            c.tz_min,
            c.call_id,
            c.agent_id,
            c.team,
            c.pack_id,
            c.pack_sequence,
            c.flow_id,
        ).where(c.type == "flow_open", c.run_id.is_not(None))
    )
    kind = case(*((c.type == name, value) for name, value in _KINDS.items()), else_=-1)
    steps = widened.apply(
        select(c.ts_us, c.seq, kind, c.step_id, c.option, c.run_id).where(
            c.type.in_(tuple(_KINDS)), c.run_id.is_not(None)
        )
    )
    ends = widened.apply(
        select(c.call_id, func.min(c.ts_us)).where(c.type == "call_end", c.call_id.is_not(None))
    ).group_by(c.call_id)
    with engine.connect() as conn:
        return RunEvents(
            opens=_fetch(conn, opens),
            steps=_fetch(conn, steps),
            call_ends=dict(_fetch(conn, ends)),
        )


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
