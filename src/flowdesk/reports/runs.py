"""Flow runs rebuilt from usage events, exactly as contract §3 defines them.

A **run** is the events with one ``run_id``, from ``flow_open`` to
``flow_complete`` or ``flow_abandon``. A run with neither by its call's end
(the ``call_end`` of its ``call_id``), or idle for 30 minutes, counts as
abandoned. Events are taken in time order (ties in arrival order), whatever
order the log holds them in, and events after the run ended are ignored.

A run with neither end, whose call has not ended and which has not yet been
idle 30 minutes before the report's horizon (``now``), is still **open**: it
counts neither as completed nor as abandoned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from typing import NamedTuple

from flowdesk.model import Flow

IDLE_LIMIT_US = 30 * 60 * 1_000_000

#: (pack_id, pack_sequence, flow_id) → the flow of that pack version, or None if unknown.
FlowLookup = Callable[[str, int, str], Flow | None]


class RunEventRow(NamedTuple):
    """The columns of one event that run rebuilding needs (one row of the store)."""

    seq: int
    ts_us: int
    tz_min: int
    type: str
    run_id: str | None
    call_id: str | None
    agent_id: str
    team: str | None
    pack_id: str | None
    pack_sequence: int | None
    flow_id: str | None
    step_id: str | None
    option: str | None


@dataclass
class FlowRun:
    """One run of one flow and how it ended (``completed``, ``abandoned`` or ``open``)."""

    run_id: str
    agent_id: str
    team: str | None
    call_id: str | None
    pack_id: str
    pack_sequence: int
    flow_id: str
    opened_us: int
    tz_min: int
    outcome: str = "open"
    end_reason: str | None = None  # complete, abandon, call_end, idle
    ended_us: int | None = None
    steps_done: list[tuple[str, int]] = field(default_factory=list)  # (step_id, ts_us)
    choices: list[tuple[str, str]] = field(default_factory=list)  # (decision step, next)


def build_runs(
    rows: Iterable[RunEventRow],
    now: datetime | None = None,
) -> tuple[list[FlowRun], int]:
    """Runs from the run events and ``call_end`` events of a log; also the count of
    run ids that had no ``flow_open`` (orphans, e.g. a log cut at a window's start)."""
    horizon = _us(now or datetime.now(UTC))
    by_run: dict[str, list[RunEventRow]] = {}
    call_end: dict[str, int] = {}
    for row in rows:
        if row.type == "call_end":
            if row.call_id is not None:
                prev = call_end.get(row.call_id)
                if prev is None or row.ts_us < prev:
                    call_end[row.call_id] = row.ts_us
        elif row.run_id is not None:
            events = by_run.get(row.run_id)
            if events is None:
                by_run[row.run_id] = [row]
            else:
                events.append(row)
    runs: list[FlowRun] = []
    orphans = 0
    for run_id, events in by_run.items():
        run = _rebuild(run_id, events, call_end, horizon)
        if run is None:
            orphans += 1
        else:
            runs.append(run)
    return runs, orphans


def _rebuild(
    run_id: str, events: list[RunEventRow], call_end: dict[str, int], horizon: int
) -> FlowRun | None:
    events.sort(key=lambda r: (r.ts_us, r.seq))
    opening = next((r for r in events if r.type == "flow_open"), None)
    if opening is None or opening.pack_id is None or opening.flow_id is None:
        return None
    call_id = opening.call_id or next((r.call_id for r in events if r.call_id), None)
    run = FlowRun(
        run_id=run_id,
        agent_id=opening.agent_id,
        team=opening.team,
        call_id=call_id,
        pack_id=opening.pack_id,
        pack_sequence=opening.pack_sequence or 0,
        flow_id=opening.flow_id,
        opened_us=opening.ts_us,
        tz_min=opening.tz_min,
    )
    deadline = call_end.get(call_id) if call_id is not None else None
    if deadline is not None and deadline < opening.ts_us:
        deadline = None  # that call ended before this run began: not this run's call
    last = events[0].ts_us
    for row in events:
        if row.ts_us - last >= IDLE_LIMIT_US:
            return _ended(run, "abandoned", "idle", last + IDLE_LIMIT_US)
        if deadline is not None and row.ts_us > deadline:
            return _ended(run, "abandoned", "call_end", deadline)
        last = row.ts_us
        kind = row.type
        if kind == "step_done" and row.step_id is not None:
            run.steps_done.append((row.step_id, row.ts_us))
        elif kind == "branch" and row.step_id is not None and row.option is not None:
            run.choices.append((row.step_id, row.option))
        elif kind == "flow_complete":
            return _ended(run, "completed", "complete", row.ts_us)
        elif kind == "flow_abandon":
            return _ended(run, "abandoned", "abandon", row.ts_us)
    if deadline is not None:
        return _ended(run, "abandoned", "call_end", deadline)
    if horizon - last >= IDLE_LIMIT_US:
        return _ended(run, "abandoned", "idle", last + IDLE_LIMIT_US)
    return run


def _ended(run: FlowRun, outcome: str, reason: str, at_us: int) -> FlowRun:
    run.outcome = outcome
    run.end_reason = reason
    run.ended_us = at_us
    return run


def _us(ts: datetime) -> int:
    from flowdesk.usage.schema import ts_to_row

    return ts_to_row(ts)[0]


class PathJudge:
    """Paths and compliance of completed runs, cached per flow version and choices.

    Thousands of runs share a handful of flows and branch patterns, so each
    (flow version, choices) path is computed once.
    """

    def __init__(self, flow_lookup: FlowLookup) -> None:
        self._lookup = flow_lookup
        self._flows: dict[tuple[str, int, str], Flow | None] = {}
        self._paths: dict[tuple[object, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def flow(self, run: FlowRun) -> Flow | None:
        key = (run.pack_id, run.pack_sequence, run.flow_id)
        if key not in self._flows:
            self._flows[key] = self._lookup(*key)
        return self._flows[key]

    def path(self, run: FlowRun) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(the steps of the run's path, the required ones among them), or None if unknown."""
        flow = self.flow(run)
        if flow is None:
            return None
        key = (run.pack_id, run.pack_sequence, run.flow_id, *run.choices)
        cached = self._paths.get(key)
        if cached is None:
            steps = tuple(flow.path(run.choices))
            required = tuple(s for s in steps if flow.step(s).required)
            cached = self._paths[key] = (steps, required)
        return cached

    def compliant(self, run: FlowRun) -> bool | None:
        """Every required step on the path done, in path order; None if the flow is unknown."""
        judged = self.path(run)
        if judged is None:
            return None
        _, required = judged
        if not required:
            return True
        first_done: dict[str, int] = {}
        for position, (step_id, _ts) in enumerate(run.steps_done):
            first_done.setdefault(step_id, position)
        positions = []
        for step_id in required:
            position = first_done.get(step_id)
            if position is None:
                return False
            positions.append(position)
        return all(a < b for a, b in pairwise(positions))
