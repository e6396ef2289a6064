"""Where usage events are stored: one table definition for SQLite and PostgreSQL.

The desk's ``usage.sqlite3`` and a site's central PostgreSQL hold the same
``usage_event`` table, so reports run on either with the same queries. Times
are stored as integer microseconds since the epoch (UTC) plus the offset the
desk had, so sorting and period filters are plain integer comparisons on both
engines and an export gives back the exact RFC 3339 time that was recorded.

The desk's file carries its schema version in ``PRAGMA user_version``; the
ordered :data:`SQLITE_MIGRATIONS` bring an older file up to date in place, so a
desk's log survives program updates. Migrations are frozen SQL, never derived
from the current table objects, because a step must do tomorrow exactly what
it did the day it shipped.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    create_engine,
    event,
)

from flowdesk.problems import Refused
from flowdesk.statefiles import check_sqlite, guard_sqlite, sqlite_refusal

USAGE_LOG = "the usage log"
#: It may hold events not yet pushed or exported: never replaced behind the agent's back.
USAGE_ADVICE = (
    "it may hold events not yet pushed: keep the file, restore it from a backup or "
    "move it aside (FlowDesk then starts a new, empty log)"
)

metadata = MetaData()

#: ``seq`` is the local order of arrival: the push to a central store resumes after
#: the last acknowledged ``seq``. It is an INTEGER PRIMARY KEY (the rowid) on SQLite.
usage_event = Table(
    "usage_event",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("ts_us", BigInteger, nullable=False, index=True),
    Column("tz_min", SmallInteger, nullable=False),
    Column("type", String(16), nullable=False),
    Column("agent_id", Text, nullable=False),
    Column("team", Text),
    Column("call_id", Text),
    Column("run_id", Text),
    Column("pack_id", Text),
    Column("pack_sequence", Integer),
    Column("flow_id", Text),
    Column("step_id", Text),
    Column("option", Text),
    Column("query", Text),
    Column("result_count", Integer),
    Column("opened_flow_id", Text),
    Column("text", Text),
    Column("rating", Integer),
    Column("auto", Boolean),
    Column("app_version", Text),
    Column("desk_id", Text),
    Column("state", Text),
    Column("effective", Text),
    Column("ring", Text),
)

#: The event's columns after its id, as schema 1 made them (the same on the central store).
EVENT_COLUMNS_V1_SQL = """
    ts_us BIGINT NOT NULL,
    tz_min SMALLINT NOT NULL,
    type VARCHAR(16) NOT NULL,
    agent_id TEXT NOT NULL,
    team TEXT,
    call_id TEXT,
    run_id TEXT,
    pack_id TEXT,
    pack_sequence INTEGER,
    flow_id TEXT,
    step_id TEXT,
    option TEXT,
    query TEXT,
    result_count INTEGER,
    opened_flow_id TEXT,
    text TEXT,
    rating INTEGER
"""

#: Columns of desk_status events (schema 5), added to older stores by the upgrades below.
ADDED_COLUMNS = ("app_version", "desk_id", "state", "effective", "ring")

#: On the desk: how far each central store has acknowledged this desk's events.
push_ack = Table(
    "push_ack",
    metadata,
    Column("target", Text, primary_key=True),
    Column("acked_seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
)


#: Runs whose flow version the summarising desk did not have (judged again once it has).
UNRESOLVED_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_run_summary_unresolved "
    "ON run_summary (pack_id, pack_sequence, flow_id) WHERE resolved = 0"
)


#: Central store only: the month's search events read without their rows (``report
#: search-misses`` over a partition: an index-only scan of one event in fourteen).
SEARCH_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_usage_event_search ON usage_event (ts_us) "
    "INCLUDE (query, result_count, opened_flow_id, agent_id, team) WHERE type = 'search'"
)


#: Central store only: the window's ``branch`` events read without their rows, for the
#: from-data counts of ``report steps`` (flowdesk.reports.from_data).
BRANCH_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_usage_event_branch ON usage_event (ts_us) "
    "INCLUDE (flow_id, step_id, run_id, auto) WHERE type = 'branch'"
)


def _summary_migration(version: int = 4) -> tuple[str, ...]:
    from flowdesk.usage import summary_schema

    if version == 7:
        return summary_schema.SQLITE_STEP_DAY_MIGRATION
    if version == 8:
        return summary_schema.SQLITE_RUN_DAY_MIGRATION
    return summary_schema.SQLITE_SUMMARY_MIGRATION


#: Column names in contract order, after ``seq``: the row form of an event.
EVENT_COLUMNS = tuple(c.name for c in usage_event.columns if c.name != "seq")

# Version 1: the event log. Version 2: push acknowledgements and the time index
# (added when pushing to a central store and time-filtered exports arrived).
# Version 3: ``auto`` on branches the desk took from call data (flowpack §5).
# Version 4: run and step summaries (``summary_schema``), so reports aggregate
# runs in SQL; the desk summarises what it already holds on its next report.
# Version 5: the keys of desk_status events (flowpack §5, flowdesk.rollout.desk_status).
# Version 6: the index of runs judged without their flow version, which every report
# checks for (a scan of every summary without it), and one that holds everything
# compliance by team reads, so that report scans a narrow index, not the run rows.
# Version 7: ``report steps``' cells (``step_day``), re-derived with the summaries.
# Version 8: compliance's cells (``run_day``) and the index of runs still open, likewise.
SQLITE_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE usage_event (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
        f"event_id VARCHAR(36) NOT NULL UNIQUE, {EVENT_COLUMNS_V1_SQL})",
    ),
    (
        "CREATE TABLE push_ack (target TEXT PRIMARY KEY, acked_seq INTEGER NOT NULL)",
        "CREATE INDEX ix_usage_event_ts_us ON usage_event (ts_us)",
    ),
    ("ALTER TABLE usage_event ADD COLUMN auto BOOLEAN",),
    _summary_migration(),
    # Version 5: desk_status events (contract §5): which desk, app and version state.
    tuple(f"ALTER TABLE usage_event ADD COLUMN {name} TEXT" for name in ADDED_COLUMNS),
    (
        UNRESOLVED_INDEX,
        "CREATE INDEX ix_run_summary_team_outcome ON run_summary "
        "(team, opened_us, outcome, resolved, compliant, last_us)",
    ),
    _summary_migration(7),
    _summary_migration(8),
)
#: The same additions on a central PostgreSQL created by an earlier FlowDesk, and the
#: partial index ``report desks`` reads each desk's newest status through.
POSTGRES_UPGRADES = (
    "ALTER TABLE usage_event ADD COLUMN IF NOT EXISTS auto BOOLEAN",
    *(f"ALTER TABLE usage_event ADD COLUMN IF NOT EXISTS {name} TEXT" for name in ADDED_COLUMNS),
    "CREATE INDEX IF NOT EXISTS ix_usage_event_desk_status ON usage_event "
    "(desk_id, pack_id, ts_us) WHERE type = 'desk_status'",
    UNRESOLVED_INDEX,
    SEARCH_INDEX,
    BRANCH_INDEX,
)
SCHEMA_VERSION = len(SQLITE_MIGRATIONS)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_ONE_MIN = timedelta(minutes=1)


def ts_to_row(ts: datetime) -> tuple[int, int]:
    """(microseconds since the epoch, offset in minutes) for a tz-aware time."""
    offset = ts.utcoffset()
    return (ts - _EPOCH) // _ONE_US, (offset // _ONE_MIN) if offset else 0


_ZONES: dict[int, timezone] = {}


def ts_from_row(ts_us: int, tz_min: int) -> datetime:
    """The recorded time back, in the offset the desk had."""
    zone = _ZONES.get(tz_min)
    if zone is None:
        zone = _ZONES[tz_min] = timezone(timedelta(minutes=tz_min))
    return (_EPOCH + timedelta(microseconds=ts_us)).astimezone(zone)


def sqlite_engine(path: Path, synchronous: str = "FULL") -> Engine:
    """An engine on a usage SQLite file in WAL mode, migrated to the current schema.

    ``synchronous=FULL`` makes every commit reach the disk (the WAL is fsynced),
    so power loss can take at most the batch being written; batching keeps the
    cost to one fsync per batch, not per event.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    check_sqlite(path, USAGE_LOG, USAGE_ADVICE)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})
    guard_sqlite(engine, path, USAGE_LOG, USAGE_ADVICE)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA busy_timeout=30000")
        # A ceiling, not an allocation: room for the event_id index of a site's
        # millions of events, whose random UUID keys thrash SQLite's 2 MB default.
        cur.execute("PRAGMA cache_size=-131072")
        cur.close()

    try:
        migrate_sqlite(engine, str(path))
    except sqlite3.Error as exc:  # raw connection: not seen by the engine's error hook
        engine.dispose()
        raise sqlite_refusal(exc, path, USAGE_LOG, USAGE_ADVICE) from None
    return engine


def migrate_sqlite(engine: Engine, where: str) -> int:
    """Apply the missing migration steps in one transaction; returns the old version."""
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        assert dbapi is not None
        version = dbapi.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise Refused(
                f"usage log schema version {version} is newer than this FlowDesk knows "
                f"({SCHEMA_VERSION}); update FlowDesk",
                file=where,
            )
        if version < SCHEMA_VERSION:
            dbapi.execute("BEGIN IMMEDIATE")
            try:
                for steps in SQLITE_MIGRATIONS[version:]:
                    for statement in steps:
                        dbapi.execute(statement)
                dbapi.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                dbapi.execute("COMMIT")
            except BaseException:
                dbapi.execute("ROLLBACK")
                raise
        return version
    finally:
        raw.close()
