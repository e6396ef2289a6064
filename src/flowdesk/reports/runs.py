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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise

from flowdesk.model import Flow
from flowdesk.reports.queries import (
    KIND_ABANDON,
    KIND_BRANCH,
    KIND_COMPLETE,
    KIND_STEP,
    RunEvents,
)

IDLE_LIMIT_US = 30 * 60 * 1_000_000

#: (pack_id, pack_sequence, flow_id) → the flow of that pack version, or None if unknown.
FlowLookup = Callable[[str, int, str], Flow | None]


@dataclass(slots=True)
class LoggedRun:
    """One run of one flow as the usage log tells it, and how it ended.

    ``completed``, ``abandoned`` or ``open``. Built from logged events for the
    reports; the run an agent walks through in a call is :class:`flowdesk.runs.FlowRun`.
    """

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


def build_runs(events: RunEvents, now: datetime | None = None) -> list[LoggedRun]:
    """Runs from the run events of a log (events of run ids with no ``flow_open``,
    e.g. a log cut at a window's start, are left out: their flow is unknown)."""
    horizon = _us(now or datetime.now(UTC))
    by_run: dict[str, list[tuple]] = {}
    for row in events.steps:
        found = by_run.get(row[5])
        if found is None:
            by_run[row[5]] = [row]
        else:
            found.append(row)
    runs: list[LoggedRun] = []
    seen: set[str] = set()
    for opening in sorted(events.opens, key=lambda r: (r[1], r[2])):
        run_id = opening[0]
        if run_id in seen or opening[7] is None or opening[9] is None:
            continue  # a second flow_open of the same run changes nothing
        seen.add(run_id)
        runs.append(_rebuild(opening, by_run.get(run_id, []), events.call_ends, horizon))
    return runs


def _rebuild(
    opening: tuple, steps: list[tuple], call_ends: dict[str, int], horizon: int
) -> LoggedRun:
    run_id, opened, _seq, tz_min, call_id, agent, team, pack, sequence, flow = opening
    run = LoggedRun(run_id, agent, team, call_id, pack, sequence or 0, flow, opened, tz_min)
    deadline = call_ends.get(call_id) if call_id is not None else None
    if deadline is not None and deadline < opened:
        deadline = None  # that call ended before this run began: not this run's call
    steps.sort()  # (ts_us, seq, …): time order, ties in arrival order
    last = opened
    steps_done, choices = run.steps_done, run.choices
    for ts, _seq, kind, step_id, option, _run in steps:
        if ts - last >= IDLE_LIMIT_US:
            return _ended(run, "abandoned", "idle", last + IDLE_LIMIT_US)
        if deadline is not None and ts > deadline:
            return _ended(run, "abandoned", "call_end", deadline)
        if ts > last:
            last = ts
        if kind == KIND_STEP:
            if step_id is not None:
                steps_done.append((step_id, ts))
        elif kind == KIND_BRANCH:
            if step_id is not None and option is not None:
                choices.append((step_id, option))
        elif kind == KIND_COMPLETE:
            return _ended(run, "completed", "complete", ts)
        elif kind == KIND_ABANDON:
            return _ended(run, "abandoned", "abandon", ts)
    if deadline is not None:
        return _ended(run, "abandoned", "call_end", deadline)
    if horizon - last >= IDLE_LIMIT_US:
        return _ended(run, "abandoned", "idle", last + IDLE_LIMIT_US)
    return run


def _ended(run: LoggedRun, outcome: str, reason: str, at_us: int) -> LoggedRun:
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

    def flow(self, run: LoggedRun) -> Flow | None:
        key = (run.pack_id, run.pack_sequence, run.flow_id)
        if key not in self._flows:
            self._flows[key] = self._lookup(*key)
        return self._flows[key]

    def path(self, run: LoggedRun) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(the steps of the run's path, the required ones among them), or None if unknown."""
        flow = self.flow(run)
        if flow is None:
            return None
        key = (run.pack_id, run.pack_sequence, run.flow_id, *run.choices)
        cached = self._paths.get(key)
        if cached is None:
            steps = tuple(flow.path(run.choices))
            required_ids = {s.id for s in flow.steps if s.required}
            cached = self._paths[key] = (steps, tuple(s for s in steps if s in required_ids))
        return cached

    def compliant(self, run: LoggedRun) -> bool | None:
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
