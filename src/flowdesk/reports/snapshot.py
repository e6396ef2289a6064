"""A window of usage as the QA view browses it, and single runs traced step by step.

QA looks at the same window many ways in a row (by flow, then by team, then one
flow's steps, then one run's path). :class:`UsageSnapshot` runs the overview's
reports in SQL once, off the UI thread, and keeps their rows (a few thousand at
most, whatever the window's size); runs are read only for a drill-down. A
single run's path, step by step, is :func:`run_trace`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from flowdesk.model import TouchPoint
from flowdesk.reports import measures
from flowdesk.reports.aggregate import compliance_sql
from flowdesk.reports.aggregate_measures import (
    abandons_sql,
    coverage_sql,
    search_misses_sql,
)
from flowdesk.reports.compliance import Report
from flowdesk.reports.runs import FlowLookup, LoggedRun, PathJudge
from flowdesk.reports.steps import steps_sql
from flowdesk.usage.rows import ALL_EVENTS, EventFilter
from flowdesk.usage.summary_schema import run_summary

#: How a step of a flow fared in one run.
DONE = "done"  # on the path, done in path order
OUT_OF_ORDER = "out_of_order"  # on the path, done, but after a later step of the path
SKIPPED = "skipped"  # on the path, not done
EXTRA = "extra"  # done, although the run's path does not lead through it
OFF_PATH = "off_path"  # not on the path, not done


@dataclass(frozen=True)
class StepMark:
    """One step of a flow as one run met it."""

    step_id: str
    text: str
    required: bool
    state: str
    on_path: bool
    seconds: float | None  # from the previous step_done (or the open) to this one


def run_trace(run: LoggedRun, judge: PathJudge) -> list[StepMark]:
    """Every step of the run's flow, in flow order, marked with what the run did there."""
    flow = judge.flow(run)
    if flow is None:
        return []
    judged = judge.path(run)
    path = judged[0] if judged else ()
    position = {step_id: i for i, step_id in enumerate(path)}
    first: dict[str, tuple[int, float]] = {}
    previous = run.opened_us
    for order, (step_id, ts) in enumerate(run.steps_done):
        if step_id not in first:
            first[step_id] = (order, max(ts - previous, 0) / 1e6)
        previous = ts
    done_on_path = sorted((first[s][0], position[s]) for s in path if s in first)
    late: set[int] = set()
    highest = -1
    for _order, pos in done_on_path:
        if pos < highest:
            late.add(pos)
        highest = max(highest, pos)
    marks = []
    for step in flow.steps:
        on_path = step.id in position
        done = step.id in first
        if on_path and done:
            state = OUT_OF_ORDER if position[step.id] in late else DONE
        elif on_path:
            state = SKIPPED
        else:
            state = EXTRA if done else OFF_PATH
        seconds = first[step.id][1] if done else None
        marks.append(StepMark(step.id, step.text, step.required, state, on_path, seconds))
    return marks


@dataclass
class UsageSnapshot:
    """One window of a usage store as QA browses it: aggregates, and runs on demand.

    :meth:`load` (off the UI thread) brings the summaries up to date and runs the
    reports the overview shows, in SQL; what a view then asks for again (another
    period, another benchmark) is answered from those few rows. Runs are read
    only where QA drills down: one flow's newest runs, one run's path.
    """

    engine: Engine
    judge: PathJudge
    offered: list[TouchPoint]
    where: EventFilter = ALL_EVENTS
    now: datetime | None = None
    _cache: dict[tuple, Report] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        engine: Engine,
        flow_lookup: FlowLookup,
        offered: Iterable[TouchPoint] = (),
        where: EventFilter = ALL_EVENTS,
        now: datetime | None = None,
    ) -> UsageSnapshot:
        from flowdesk.reports.summarise import ensure_current

        ensure_current(engine, flow_lookup)
        snap = cls(engine, PathJudge(flow_lookup), list(offered), where, now or datetime.now(UTC))
        for by in ("flow", "team", "agent", "touchpoint"):
            snap.compliance(by)
        for period in ("day", "week", "month"):
            snap.compliance("team", period)
        snap.steps()
        snap.search_misses()
        return snap

    def _report(self, key: tuple, make) -> Report:  # type: ignore[no-untyped-def]
        found = self._cache.get(key)
        if found is None:
            with self.engine.connect() as conn:
                found = self._cache[key] = make(conn)
        return found

    def compliance(self, by: str = "flow", period: str | None = None) -> Report:
        lookup = self.judge._lookup
        return self._report(
            ("compliance", by, period),
            lambda c: compliance_sql(c, lookup, by, period, self.where, self.now),
        )

    def trend(self, period: str, last: int = 12) -> list[tuple[str, float]]:
        """Compliance rate of the last periods (all runs of each period together)."""
        counts: dict[str, list[int]] = {}
        for row in self.compliance("team", period).rows:
            c = counts.setdefault(str(row["period"]), [0, 0])
            c[0] += int(row["completed_runs"])  # type: ignore[call-overload]
            c[1] += int(row["compliant_runs"])  # type: ignore[call-overload]
        return [(p, c[1] / c[0]) for p, c in sorted(counts.items()) if c[0]][-last:]

    def abandons(self) -> Report:
        return self._report(("abandon",), lambda c: abandons_sql(c, self.where, self.now))

    def steps(self, flow_id: str | None = None) -> Report:
        return self._report(
            ("steps", flow_id), lambda c: steps_sql(c, self.where, self.now, flow_id)
        )

    def coverage(self) -> Report:
        lookup = self.judge._lookup
        return self._report(
            ("coverage",), lambda c: coverage_sql(c, lookup, self.offered, self.where)
        )

    def search_misses(self, limit: int | None = None) -> Report:
        return self._report(("misses", limit), lambda c: search_misses_sql(c, self.where, limit))

    def conformance(
        self,
        by: str = "team",
        benchmark: float = measures.DEFAULT_BENCHMARK,
        benchmarks: Mapping[str, float] | None = None,
    ) -> Report:
        return measures.conformance_of(self.compliance(by), by, benchmark, benchmarks)

    @property
    def runs(self) -> list[LoggedRun]:
        """Every run of the window, oldest first (for small windows: a drill-down, a test)."""
        return list(reversed(self._runs(None, None)))

    def runs_of(self, flow_id: str, limit: int = 500) -> list[LoggedRun]:
        """The newest runs of one flow, newest first."""
        return self._runs(flow_id, limit)

    def _runs(self, flow_id: str | None, limit: int | None) -> list[LoggedRun]:
        from flowdesk.reports.aggregate import window_conditions

        rs = run_summary.c
        stmt = select(run_summary).where(*window_conditions(run_summary, self.where))
        if flow_id is not None:
            stmt = stmt.where(rs.flow_id == flow_id)
        stmt = stmt.order_by(rs.opened_us.desc(), rs.run_id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [run_of_summary(row, self.now) for row in conn.execute(stmt)]

    def trace(self, run: LoggedRun) -> list[StepMark]:
        return run_trace(run, self.judge)

    def compliant(self, run: LoggedRun) -> bool | None:
        return self.judge.compliant(run) if run.outcome == "completed" else None


def run_of_summary(row, now: datetime | None) -> LoggedRun:  # type: ignore[no-untyped-def]
    """A run back from its summary row, its outcome as seen at ``now``."""
    from flowdesk.reports.runs import IDLE_LIMIT_US
    from flowdesk.usage.schema import ts_to_row

    m = row._mapping
    run = LoggedRun(
        m["run_id"], m["agent_id"], m["team"], m["call_id"], m["pack_id"], m["pack_sequence"],
        m["flow_id"], m["opened_us"], m["tz_min"], m["outcome"], m["end_reason"], m["ended_us"],
        [tuple(x) for x in json.loads(m["steps_done"])],
        [tuple(x) for x in json.loads(m["choices"])],
    )  # fmt: skip
    cut = ts_to_row(now or datetime.now(UTC))[0] - IDLE_LIMIT_US
    if run.outcome == "open" and m["last_us"] <= cut:
        run.outcome, run.end_reason, run.ended_us = (
            "abandoned",
            "idle",
            m["last_us"] + IDLE_LIMIT_US,
        )
    return run
