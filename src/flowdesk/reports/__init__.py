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
from flowdesk.reports.compliance import BY_KEYS, PERIODS, Report, compliance
from flowdesk.reports.runs import FlowLookup, FlowRun, PathJudge, build_runs
from flowdesk.reports.snapshot import StepMark, UsageSnapshot, run_trace
from flowdesk.reports.source import opened_in, run_events, search_rows
from flowdesk.usage.rows import ALL_EVENTS, EventFilter

__all__ = [
    "BY_KEYS",
    "PERIODS",
    "FlowLookup",
    "FlowRun",
    "PathJudge",
    "Report",
    "StepMark",
    "UsageSnapshot",
    "abandon_report",
    "compliance_report",
    "conformance_report",
    "coverage_report",
    "load_runs",
    "run_trace",
    "search_miss_report",
    "step_report",
]


def load_runs(
    engine: Engine, where: EventFilter = ALL_EVENTS, now: datetime | None = None
) -> list[FlowRun]:
    """The runs opened in the window, rebuilt from the store (``now`` = the horizon for idling)."""
    with gc_paused():
        runs = build_runs(run_events(engine, where), now=now)
    return [r for r in runs if opened_in(where, r.opened_us)]


def compliance_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    by: str = "flow",
    period: str | None = None,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    return compliance(load_runs(engine, where, now), PathJudge(flow_lookup), by, period)


def abandon_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    return measures.abandons(load_runs(engine, where, now), PathJudge(flow_lookup))


def step_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    return measures.steps(load_runs(engine, where, now), PathJudge(flow_lookup))


def coverage_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    offered: Iterable[TouchPoint],
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    return measures.coverage(load_runs(engine, where, now), PathJudge(flow_lookup), offered)


def search_miss_report(
    engine: Engine, where: EventFilter = ALL_EVENTS, limit: int | None = None
) -> Report:
    return measures.search_misses(search_rows(engine, where), limit)


def conformance_report(
    engine: Engine,
    flow_lookup: FlowLookup,
    by: str = "team",
    benchmark: float = measures.DEFAULT_BENCHMARK,
    benchmarks: Mapping[str, float] | None = None,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    runs = load_runs(engine, where, now)
    return measures.conformance(runs, PathJudge(flow_lookup), by, benchmark, benchmarks)
