"""Run and step summaries: each run's outcome, kept as rows beside the events.

Reports aggregate these rows in SQL instead of rebuilding runs from events, so
a month of a site's calls is a ``GROUP BY`` over runs, not a replay of 170
million events. A summary is a pure function of its run's events (and the flow
version they name), re-derived whenever one of them arrives, so it does not
matter in which order, or how many times, events come in.

``run_summary`` holds one row per run: who, which flow version, when it opened
(with the desk's local day, for periods), how it ended as far as its events
tell (``open`` runs turn abandoned at a report's horizon once idle 30 minutes:
that depends on "now", so it is decided in the query from ``last_us``), and
the verdicts judged against the flow (compliant, required steps done and
skipped, the step the run was left at). ``step_summary`` holds one row per
step a run's path led through or that the run did, with the time it took.

The desk keeps how far it has summarised in ``summary_state``; a central
PostgreSQL store queues the runs its arriving events touch instead (see
:mod:`flowdesk.usage.central_schema`), because concurrent pushes commit out of
``seq`` order.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, SmallInteger, String, Table, Text

from flowdesk.usage.schema import metadata

run_summary = Table(
    "run_summary",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("opened_us", BigInteger, nullable=False),
    Column("tz_min", SmallInteger, nullable=False),
    Column("local_day", Integer, nullable=False),  # days since 1970-01-01, desk's offset
    Column("agent_id", Text, nullable=False),
    Column("team", Text),
    Column("call_id", Text),
    Column("pack_id", Text, nullable=False),
    Column("pack_sequence", Integer, nullable=False),
    Column("flow_id", Text, nullable=False),
    Column("outcome", String(9), nullable=False),  # completed, abandoned, open
    Column("end_reason", String(8)),  # complete, abandon, call_end, idle
    Column("ended_us", BigInteger),
    Column("last_us", BigInteger, nullable=False),  # for "idle 30 minutes at the horizon"
    Column("resolved", SmallInteger, nullable=False),  # 1: its flow version is known
    Column("compliant", SmallInteger),  # judged for every resolved run
    Column("required_done", SmallInteger),
    Column("required_skipped", SmallInteger),
    Column("left_at", Text),  # the step the agent was on (where an abandon happened)
    Column("steps_done", Text, nullable=False),  # JSON [[step_id, ts_us], …]
    Column("choices", Text, nullable=False),  # JSON [[decision, next], …]
)

step_summary = Table(
    "step_summary",
    metadata,
    Column("run_id", Text, nullable=False),
    Column("opened_us", BigInteger, nullable=False),
    Column("agent_id", Text, nullable=False),
    Column("team", Text),
    Column("flow_id", Text, nullable=False),
    Column("step_id", Text, nullable=False),
    Column("completed", SmallInteger, nullable=False),
    Column("ended", SmallInteger, nullable=False),  # completed or abandoned by its events
    Column("last_us", BigInteger, nullable=False),
    Column("on_path", SmallInteger, nullable=False),
    Column("required", SmallInteger, nullable=False),
    Column("done", SmallInteger, nullable=False),
    Column("seconds_us", BigInteger),  # previous step_done (or the open) to this one
)

#: ``report steps``' own summary (:mod:`flowdesk.reports.step_cells`): per flow, step,
#: UTC day of the run's opening (its first microsecond) and bucket of the step's time.
step_day = Table(
    "step_day",
    metadata,
    Column("flow_id", Text, primary_key=True),
    Column("step_id", Text, primary_key=True),
    Column("day_us", BigInteger, primary_key=True),
    Column("bucket", SmallInteger, primary_key=True),  # -1: walked without a timing
    Column("walked", Integer, nullable=False),  # completed runs with the step on their path
    Column("skipped", Integer, nullable=False),  # of those, without the step done
    Column("walked_required", Integer, nullable=False),  # of those, the step required
    Column("timed", Integer, nullable=False),  # timings in the bucket
    Column("timed_us", BigInteger, nullable=False),  # their sum
)

#: Compliance's own summary (:mod:`flowdesk.reports.run_cells`): runs ended by their
#: events, per local day (``day_us``: its first microsecond in UTC) and per team, per
#: agent (with team) or per flow version; the unused key columns hold "" (and 0).
run_day = Table(
    "run_day",
    metadata,
    Column("day_us", BigInteger, primary_key=True),
    Column("local_day", Integer, primary_key=True),
    Column("grain", SmallInteger, primary_key=True),  # 0 team, 1 agent, 2 flow version
    Column("team", Text, primary_key=True),  # "" no team, else "=" and the team
    Column("agent_id", Text, primary_key=True),
    Column("pack_id", Text, primary_key=True),
    Column("pack_sequence", Integer, primary_key=True),
    Column("flow_id", Text, primary_key=True),
    Column("runs", Integer, nullable=False),
    Column("completed", Integer, nullable=False),  # completed, flow version known
    Column("compliant", Integer, nullable=False),
    Column("abandoned", Integer, nullable=False),
    Column("unresolved", Integer, nullable=False),  # completed, flow version unknown
    Column("first_us", BigInteger, nullable=False),  # the earliest opening (titles)
)

#: The desk's marks: ``summarised_seq`` = the last event ``seq`` folded into summaries.
summary_state = Table(
    "summary_state",
    metadata,
    Column("name", Text, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

RUN_COLUMNS = tuple(c.name for c in run_summary.columns)
STEP_COLUMNS = tuple(c.name for c in step_summary.columns)

#: The summaries' columns (``run_summary``'s after its ``run_id``), the same on the desk
#: and on the central store, where they are partitioned by month (``central_schema``).
RUN_SUMMARY_COLUMNS_SQL = """
    opened_us BIGINT NOT NULL,
    tz_min SMALLINT NOT NULL,
    local_day INTEGER NOT NULL,
    agent_id TEXT NOT NULL,
    team TEXT,
    call_id TEXT,
    pack_id TEXT NOT NULL,
    pack_sequence INTEGER NOT NULL,
    flow_id TEXT NOT NULL,
    outcome VARCHAR(9) NOT NULL,
    end_reason VARCHAR(8),
    ended_us BIGINT,
    last_us BIGINT NOT NULL,
    resolved SMALLINT NOT NULL,
    compliant SMALLINT,
    required_done SMALLINT,
    required_skipped SMALLINT,
    left_at TEXT,
    steps_done TEXT NOT NULL,
    choices TEXT NOT NULL
"""
STEP_SUMMARY_COLUMNS_SQL = """
    run_id TEXT NOT NULL,
    opened_us BIGINT NOT NULL,
    agent_id TEXT NOT NULL,
    team TEXT,
    flow_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    completed SMALLINT NOT NULL,
    ended SMALLINT NOT NULL,
    last_us BIGINT NOT NULL,
    on_path SMALLINT NOT NULL,
    required SMALLINT NOT NULL,
    done SMALLINT NOT NULL,
    seconds_us BIGINT
"""

#: Schema version 3 of the desk's file (see :data:`flowdesk.usage.schema.SQLITE_MIGRATIONS`).
SQLITE_SUMMARY_MIGRATION: tuple[str, ...] = (
    "CREATE INDEX ix_usage_event_run ON usage_event (run_id)",
    "CREATE INDEX ix_usage_event_call_end ON usage_event (call_id) WHERE type = 'call_end'",
    f"CREATE TABLE run_summary (run_id TEXT PRIMARY KEY, {RUN_SUMMARY_COLUMNS_SQL})",
    "CREATE INDEX ix_run_summary_opened ON run_summary (opened_us)",
    "CREATE INDEX ix_run_summary_call ON run_summary (call_id)",
    f"CREATE TABLE step_summary ({STEP_SUMMARY_COLUMNS_SQL})",
    "CREATE INDEX ix_step_summary_run ON step_summary (run_id)",
    "CREATE INDEX ix_step_summary_flow ON step_summary (flow_id, step_id, opened_us)",
    "CREATE TABLE summary_state (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
)

#: ``step_day``'s columns, the same on the desk and (partitioned) on the central store.
STEP_DAY_COLUMNS_SQL = """
    flow_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    day_us BIGINT NOT NULL,
    bucket SMALLINT NOT NULL,
    walked INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    walked_required INTEGER NOT NULL,
    timed INTEGER NOT NULL,
    timed_us BIGINT NOT NULL,
    PRIMARY KEY (flow_id, step_id, day_us, bucket)
"""

#: Schema version 7: ``report steps``' cells. The summaries are cleared and the mark
#: reset, so the desk's next report re-derives them all, the cells with them.
SQLITE_STEP_DAY_MIGRATION: tuple[str, ...] = (
    f"CREATE TABLE step_day ({STEP_DAY_COLUMNS_SQL})",
    "CREATE INDEX ix_step_summary_open ON step_summary (opened_us) WHERE ended = 0",
    "CREATE INDEX ix_step_summary_opened ON step_summary (opened_us)",
    "DELETE FROM step_summary",
    "DELETE FROM run_summary",
    "DELETE FROM summary_state WHERE name = 'summarised_seq'",
)

#: ``run_day``'s columns, the same on the desk and (partitioned) on the central store.
RUN_DAY_COLUMNS_SQL = """
    day_us BIGINT NOT NULL,
    local_day INTEGER NOT NULL,
    grain SMALLINT NOT NULL,
    team TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    pack_id TEXT NOT NULL,
    pack_sequence INTEGER NOT NULL,
    flow_id TEXT NOT NULL,
    runs INTEGER NOT NULL,
    completed INTEGER NOT NULL,
    compliant INTEGER NOT NULL,
    abandoned INTEGER NOT NULL,
    unresolved INTEGER NOT NULL,
    first_us BIGINT NOT NULL,
    PRIMARY KEY (day_us, local_day, grain, team, agent_id, pack_id, pack_sequence, flow_id)
"""

#: The runs still open by their events, which compliance reads beside ``run_day``.
OPEN_RUNS_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_run_summary_open ON run_summary (opened_us) "
    "WHERE outcome = 'open'"
)

#: Schema version 8: compliance's cells. As for version 7, the summaries are cleared
#: and the mark reset, so the desk's next report re-derives them, the cells with them.
SQLITE_RUN_DAY_MIGRATION: tuple[str, ...] = (
    f"CREATE TABLE run_day ({RUN_DAY_COLUMNS_SQL})",
    OPEN_RUNS_INDEX,
    "DELETE FROM step_day",
    "DELETE FROM step_summary",
    "DELETE FROM run_summary",
    "DELETE FROM summary_state WHERE name = 'summarised_seq'",
)
