"""Events to table rows and back, and the idempotent insert both engines share.

Every way events enter a store (the desk's writer, ``usage import``, the push
to a central PostgreSQL) goes through :func:`insert_ignoring_duplicates`, so
"the same event stored once" (dedup by ``event_id``) holds everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.dialects import postgresql, sqlite

from flowdesk.usage.events import UsageEvent
from flowdesk.usage.schema import EVENT_COLUMNS, ts_from_row, ts_to_row, usage_event

_FIELD_COLUMNS = tuple(c for c in EVENT_COLUMNS if c not in ("ts_us", "tz_min"))


def event_to_row(ev: UsageEvent) -> dict[str, Any]:
    """The ``usage_event`` row of an event (without ``seq``, which the store assigns)."""
    ts_us, tz_min = ts_to_row(ev.ts)
    row = {name: getattr(ev, name) for name in _FIELD_COLUMNS}
    row["ts_us"] = ts_us
    row["tz_min"] = tz_min
    return row


def row_to_event(row: Any) -> UsageEvent:
    """An event from a selected row (mapping access by column name)."""
    m = row._mapping if hasattr(row, "_mapping") else row
    values = {name: m[name] for name in _FIELD_COLUMNS}
    values["ts"] = ts_from_row(m["ts_us"], m["tz_min"])
    return UsageEvent(**values)


def insert_ignoring_duplicates(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows, skipping any whose ``event_id`` is already stored; returns rows inserted.

    Uses the engine's own "on conflict do nothing", so a duplicate costs nothing
    and a batch that is sent twice (a push retried after a lost connection) is
    harmless.
    """
    if not rows:
        return 0
    name = conn.dialect.name
    if name == "sqlite":
        stmt = sqlite.insert(usage_event).on_conflict_do_nothing(index_elements=["event_id"])
        # pysqlite sums the rows each statement of an executemany changed; a skipped
        # duplicate changes none.
        return max(int(conn.execute(stmt, list(rows)).rowcount), 0)
    if name == "postgresql":
        # psycopg batches many rows into one INSERT, whose rowcount SQLAlchemy does not
        # sum; RETURNING gives exactly the rows that were new.
        stmt = postgresql.insert(usage_event).on_conflict_do_nothing(index_elements=["event_id"])
        stmt = stmt.returning(usage_event.c.seq)
        return len(conn.execute(stmt, list(rows)).all())
    raise ValueError(f"unsupported database: {name}")  # pragma: no cover


@dataclass(frozen=True)
class EventFilter:
    """Which events a read selects: a time window and agents or teams (all when empty)."""

    since: datetime | None = None
    until: datetime | None = None
    agents: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()

    def apply(self, stmt: Select) -> Select:
        if self.since is not None:
            stmt = stmt.where(usage_event.c.ts_us >= ts_to_row(self.since)[0])
        if self.until is not None:
            stmt = stmt.where(usage_event.c.ts_us < ts_to_row(self.until)[0])
        if self.agents:
            stmt = stmt.where(usage_event.c.agent_id.in_(self.agents))
        if self.teams:
            stmt = stmt.where(usage_event.c.team.in_(self.teams))
        return stmt


#: The filter that selects everything.
ALL_EVENTS = EventFilter()


def read_events(
    conn: Connection, where: EventFilter = ALL_EVENTS, batch: int = 10_000
) -> Iterator[UsageEvent]:
    """Events in time order (ties in arrival order), streamed in batches."""
    stmt = where.apply(select(usage_event)).order_by(usage_event.c.ts_us, usage_event.c.seq)
    result = conn.execution_options(yield_per=batch).execute(stmt)
    for row in result:
        yield row_to_event(row)


def rows_of(events: Iterable[UsageEvent]) -> list[dict[str, Any]]:
    return [event_to_row(ev) for ev in events]
