"""A loaded window of usage, re-sliced without reading the store again (the QA view).

QA looks at the same runs many ways in a row (by flow, then by team, then one
flow's steps, then one run's path). :class:`UsageSnapshot` reads the store once,
off the UI thread, and every view after that is computed from memory. A
single run's path, step by step, is :func:`run_trace`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from flowdesk.model import TouchPoint
from flowdesk.reports import measures
from flowdesk.reports.compliance import Report, compliance
from flowdesk.reports.runs import FlowLookup, FlowRun, PathJudge, build_runs
from flowdesk.reports.source import SearchRow, opened_in, run_events, search_rows
from flowdesk.usage.rows import ALL_EVENTS, EventFilter

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


def run_trace(run: FlowRun, judge: PathJudge) -> list[StepMark]:
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
    """The runs and searches of one window, with the flows to judge them."""

    runs: list[FlowRun]
    judge: PathJudge
    searches: list[SearchRow]
    offered: list[TouchPoint]

    @classmethod
    def load(
        cls,
        engine: Engine,
        flow_lookup: FlowLookup,
        offered: Iterable[TouchPoint] = (),
        where: EventFilter = ALL_EVENTS,
        now: datetime | None = None,
    ) -> UsageSnapshot:
        runs = [
            r for r in build_runs(run_events(engine, where), now) if opened_in(where, r.opened_us)
        ]
        return cls(runs, PathJudge(flow_lookup), list(search_rows(engine, where)), list(offered))

    def compliance(self, by: str = "flow", period: str | None = None) -> Report:
        return compliance(self.runs, self.judge, by, period)

    def abandons(self) -> Report:
        return measures.abandons(self.runs, self.judge)

    def steps(self, flow_id: str | None = None) -> Report:
        runs = self.runs if flow_id is None else self.runs_of(flow_id)
        return measures.steps(runs, self.judge)

    def coverage(self) -> Report:
        return measures.coverage(self.runs, self.judge, self.offered)

    def search_misses(self, limit: int | None = None) -> Report:
        return measures.search_misses(self.searches, limit)

    def conformance(
        self,
        by: str = "team",
        benchmark: float = measures.DEFAULT_BENCHMARK,
        benchmarks: Mapping[str, float] | None = None,
    ) -> Report:
        return measures.conformance(self.runs, self.judge, by, benchmark, benchmarks)

    def runs_of(self, flow_id: str) -> list[FlowRun]:
        """The runs of one flow, newest first."""
        return sorted((r for r in self.runs if r.flow_id == flow_id), key=lambda r: -r.opened_us)

    def trace(self, run: FlowRun) -> list[StepMark]:
        return run_trace(run, self.judge)

    def compliant(self, run: FlowRun) -> bool | None:
        return self.judge.compliant(run) if run.outcome == "completed" else None
