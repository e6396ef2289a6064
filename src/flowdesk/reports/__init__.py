"""Measurements over usage logs: compliance rate (流程规范率) and the rest of contract §3.

The entry points take a SQLAlchemy engine on a usage store (the desk's
``usage.sqlite3`` or a site's central PostgreSQL: the same code runs on both),
a ``flow_lookup`` giving the flow of a (pack id, pack sequence, flow id), and a
window. Flows are looked up, never read from a store here, so tests build
packs in Python and the CLI and the window pass ``Desk``'s lookup.
Plain Python: never imports Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import Engine

from flowdesk.gcpause import gc_paused
from flowdesk.model import TouchPoint
from flowdesk.reports import measures
from flowdesk.reports.aggregate import compliance_sql, conformance_sql
from flowdesk.reports.aggregate_measures import (
    abandons_sql,
    coverage_sql,
    search_misses_sql,
)
from flowdesk.reports.compliance import BY_KEYS, PERIODS, Report
from flowdesk.reports.queries import opened_in, run_events
from flowdesk.reports.runs import FlowLookup, LoggedRun, PathJudge, build_runs
from flowdesk.reports.snapshot import StepMark, UsageSnapshot, run_trace
from flowdesk.reports.steps import steps_sql
from flowdesk.reports.summarise import SummaryResult, ensure_current, summarise_sqlite
from flowdesk.usage.rows import ALL_EVENTS, EventFilter

__all__ = [
    "BY_KEYS",
    "PERIODS",
    "FlowLookup",
    "LoggedRun",
    "PathJudge",
    "Report",
    "StepMark",
    "UsageSnapshot",
    "abandon_report",
    "compliance_report",
    "conformance_report",
    "coverage_report",
    "load_runs",
    "rebuild_summaries",
    "run_trace",
    "search_miss_report",
    "step_report",
]


def load_runs(
    engine: Engine, where: EventFilter = ALL_EVENTS, now: datetime | None = None
) -> list[LoggedRun]:
    """The runs opened in the window, rebuilt from the events (``now`` = the horizon for idling).

    This is the definition replayed in memory: reports read the summaries
    instead; tests hold the two against each other.
    """
    with gc_paused():
        runs = build_runs(run_events(engine, where), now=now)
    return [r for r in runs if opened_in(where, r.opened_us)]


def heads_of(flow_lookup: FlowLookup) -> FlowLookup:
    """What the SQL reports ask of a flow once summaries are current (its title and touch
    points): the lookup's light ``head`` where it has one, else the lookup itself."""
    return getattr(flow_lookup, "head", flow_lookup)


def _read(engine: Engine, flow_lookup: FlowLookup | None):  # type: ignore[no-untyped-def]
    """A connection on summaries brought up to date first (where this role may write)."""
    if flow_lookup is not None:
        ensure_current(engine, flow_lookup)
    return engine.connect()


def compliance_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    by: str = "flow",
    period: str | None = None,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    with _read(engine, flow_lookup) as conn:
        return compliance_sql(conn, heads_of(flow_lookup), by, period, where, now)


def abandon_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    with _read(engine, flow_lookup) as conn:
        return abandons_sql(conn, where, now)


def step_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
    flow_id: str | None = None,
) -> Report:
    with _read(engine, flow_lookup) as conn:
        return steps_sql(conn, where, now, flow_id)


def coverage_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    offered: Iterable[TouchPoint],
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    with _read(engine, flow_lookup) as conn:
        return coverage_sql(conn, heads_of(flow_lookup), offered, where)


def search_miss_report(
    engine: Engine, where: EventFilter = ALL_EVENTS, limit: int | None = None
) -> Report:
    with engine.connect() as conn:
        return search_misses_sql(conn, where, limit)


def conformance_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    by: str = "team",
    benchmark: float = measures.DEFAULT_BENCHMARK,
    benchmarks: Mapping[str, float] | None = None,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    with _read(engine, flow_lookup) as conn:
        return conformance_sql(conn, heads_of(flow_lookup), by, benchmark, benchmarks, where, now)


def rebuild_summaries(engine: Engine, flow_lookup: FlowLookup) -> SummaryResult:
    """Re-derive every run and step summary from the events (after a definition fix)."""
    if engine.dialect.name == "sqlite":
        return summarise_sqlite(engine, flow_lookup, full=True)
    from flowdesk.reports.central_summary import summarise_central

    return summarise_central(engine, flow_lookup, full=True)
