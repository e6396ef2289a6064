"""Events to table rows and back, and the idempotent insert both engines share.

Every way events enter a store (the desk's writer, ``usage import``, the push
to a central PostgreSQL) goes through :func:`insert_ignoring_duplicates`, so
"the same event stored once" (dedup by ``event_id``) holds everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Select, select

from flowdesk.usage.events import UsageEvent, checked_values, mask_digits
from flowdesk.usage.schema import EVENT_COLUMNS, ts_from_row, ts_to_row, usage_event

#: A row is a tuple in this column order (``seq`` is assigned by the store).
Row = tuple[Any, ...]
_SQLITE_INSERT = (
    f"INSERT OR IGNORE INTO usage_event ({', '.join(EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)


def event_to_row(ev: UsageEvent) -> Row:
    """The ``usage_event`` row of an event, in :data:`EVENT_COLUMNS` order."""
    ts_us, tz_min = ts_to_row(ev.ts)
    return (
        ev.event_id,
        ts_us,
        tz_min,
        ev.type,
        ev.agent_id,
        ev.team,
        ev.call_id,
        ev.run_id,
        ev.pack_id,
        ev.pack_sequence,
        ev.flow_id,
        ev.step_id,
        ev.option,
        ev.query,
        ev.result_count,
        ev.opened_flow_id,
        ev.text,
        ev.rating,
        ev.auto,
        ev.app_version,
        ev.desk_id,
        ev.state,
        ev.effective,
        ev.ring,
    )


_AFTER_TS = itemgetter(*EVENT_COLUMNS[3:])


def json_to_row(obj: object, where: str) -> Row:
    """The row of one decoded JSON event, checked and masked as :class:`UsageEvent` is.

    ``usage import`` of a site's millions of events goes this way: the same
    check, no event object per line.
    """
    values = checked_values(obj, where)
    for key in ("query", "text"):
        if values[key] is not None:
            values[key] = mask_digits(values[key])
    return (values["event_id"], *ts_to_row(values["ts"]), *_AFTER_TS(values))


def row_to_event(row: Any) -> UsageEvent:
    """An event from a selected row (mapping access by column name)."""
    m = row._mapping if hasattr(row, "_mapping") else row
    values = {name: m[name] for name in EVENT_COLUMNS if name not in ("ts_us", "tz_min")}
    values["ts"] = ts_from_row(m["ts_us"], m["tz_min"])
    if values["auto"] is not None:
        values["auto"] = bool(values["auto"])  # SQLite hands a BOOLEAN back as 0/1
    return UsageEvent(**values)


def insert_ignoring_duplicates(conn: Connection, rows: Sequence[Row]) -> int:
    """Insert rows, skipping any whose ``event_id`` is already stored; returns rows inserted.

    Uses the engine's own "on conflict do nothing", so a duplicate costs nothing
    and a batch that is sent twice (a push retried after a lost connection) is
    harmless.
    """
    if not rows:
        return 0
    name = conn.dialect.name
    if name == "sqlite":
        # The desk's hot path (the writer, a million-event import): plain DB-API
        # executemany, no per-row statement compilation. pysqlite sums the rows each
        # statement changed; a skipped duplicate changes none.
        result = conn.exec_driver_sql(_SQLITE_INSERT, list(rows))
        return max(int(result.rowcount), 0)
    if name == "postgresql":
        return _copy_ignoring_duplicates(conn, rows)
    raise ValueError(f"unsupported database: {name}")  # pragma: no cover


_STAGE = "flowdesk_stage"


def _copy_ignoring_duplicates(conn: Connection, rows: Sequence[Row]) -> int:
    """COPY the rows into a session-private table, then insert the new ones in one statement.

    COPY is PostgreSQL's fastest way in; "ON CONFLICT DO NOTHING" on the final
    insert skips events already stored (a retried batch, a desk pushing twice),
    and its row count is exactly the new ones. Only INSERT on ``usage_event`` is
    needed: the desks' push role can neither read nor change what is there.
    """
    columns = ", ".join(EVENT_COLUMNS)
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} ("
        "event_id VARCHAR(36), ts_us BIGINT, tz_min SMALLINT, type VARCHAR(16), agent_id TEXT, "
        "team TEXT, call_id TEXT, run_id TEXT, pack_id TEXT, pack_sequence INTEGER, "
        "flow_id TEXT, step_id TEXT, option TEXT, query TEXT, result_count INTEGER, "
        "opened_flow_id TEXT, text TEXT, rating INTEGER, auto BOOLEAN, app_version TEXT, "
        "desk_id TEXT, state TEXT, effective TEXT, ring TEXT) ON COMMIT DELETE ROWS"
    )
    cursor = conn.connection.cursor()
    try:
        with cursor.copy(f"COPY {_STAGE} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()
    result = conn.exec_driver_sql(
        f"INSERT INTO usage_event ({columns}) SELECT DISTINCT ON (event_id, ts_us) {columns} "
        f"FROM {_STAGE} ON CONFLICT DO NOTHING"
    )
    stored = int(result.rowcount)
    conn.exec_driver_sql(f"TRUNCATE {_STAGE}")
    return stored


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


def rows_of(events: Iterable[UsageEvent]) -> list[Row]:
    return [event_to_row(ev) for ev in events]
