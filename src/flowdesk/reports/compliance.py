"""Compliance rate (流程规范率) by flow, agent, team, touch point and period (contract §3).

compliance_rate = compliant runs / completed runs, where a completed run is
compliant when every required step on its path has a ``step_done`` and those
come in path order. Alongside it each row counts abandoned runs (explicit,
at call end, or idle 30 minutes) and the abandon rate.

Two choices the contract leaves open, decided here:

* **Touch point.** Events carry no channel or brand, so a run counts once for
  every touch point its flow claims (a flow serving hotline and app for two
  brands counts in all four cells). Runs of flows that claim none are keyed
  ``None``.
* **Unknown flows.** A completed run whose flow version cannot be found (its
  pack version is not on this desk) cannot be judged: it is counted in
  ``unresolved_runs``, not in ``completed_runs``, so it never lowers the rate.

Periods are the calendar day, ISO week (``2026-W48``) or month of the run's
``flow_open``, in the desk's own UTC offset (the agent's working day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flowdesk.reports.runs import LoggedRun, PathJudge

BY_KEYS = ("flow", "agent", "team", "touchpoint")
PERIODS = ("day", "week", "month")


@dataclass(frozen=True)
class Report:
    """A report: its name, its columns in display order, its rows and a summary."""

    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, object]]
    summary: dict[str, object]


def period_of(opened_us: int, tz_min: int, period: str) -> str:
    """The day, ISO week or month of a moment, in its own UTC offset."""
    local = datetime(1970, 1, 1) + timedelta(microseconds=opened_us, minutes=tz_min)
    if period == "day":
        return local.date().isoformat()
    if period == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{local.year}-{local.month:02d}"
    raise ValueError(f"unknown period {period!r}")


def run_keys(run: LoggedRun, by: str, judge: PathJudge) -> list[str | None]:
    """The keys a run counts under for ``by`` (several for a multi-touch-point flow)."""
    if by == "flow":
        return [run.flow_id]
    if by == "agent":
        return [run.agent_id]
    if by == "team":
        return [run.team]
    if by == "touchpoint":
        flow = judge.flow(run)
        if flow is None or not flow.touchpoints:
            return [None]
        return [tp.code for tp in flow.touchpoints]
    raise ValueError(f"unknown grouping {by!r} (one of {', '.join(BY_KEYS)})")


@dataclass
class Tally:
    """Counts for one row of a compliance-style report."""

    runs: int = 0
    completed: int = 0
    compliant: int = 0
    abandoned: int = 0
    open: int = 0
    unresolved: int = 0

    def add(self, outcome: str, compliant: bool | None) -> None:
        self.runs += 1
        if outcome == "abandoned":
            self.abandoned += 1
        elif outcome == "open":
            self.open += 1
        elif compliant is None:
            self.unresolved += 1
        else:
            self.completed += 1
            self.compliant += int(compliant)

    def row(self) -> dict[str, object]:
        ended = self.completed + self.abandoned
        return {
            "runs": self.runs,
            "completed_runs": self.completed,
            "compliant_runs": self.compliant,
            "abandoned_runs": self.abandoned,
            "open_runs": self.open,
            "unresolved_runs": self.unresolved,
            "compliance_rate": rate(self.compliant, self.completed),
            "abandon_rate": rate(self.abandoned, ended),
        }


def rate(part: int, whole: int) -> float | None:
    """A share, or None where there is nothing to share (JSON null, never a fake 0)."""
    return part / whole if whole else None


COMPLIANCE_COLUMNS = (
    "key",
    "runs",
    "completed_runs",
    "compliant_runs",
    "abandoned_runs",
    "open_runs",
    "unresolved_runs",
    "compliance_rate",
    "abandon_rate",
)


def compliance(
    runs: Iterable[LoggedRun],
    judge: PathJudge,
    by: str = "flow",
    period: str | None = None,
) -> Report:
    """The compliance report: one row per key of ``by`` (and per period when given)."""
    if by not in BY_KEYS:
        raise ValueError(f"unknown grouping {by!r} (one of {', '.join(BY_KEYS)})")
    if period is not None and period not in PERIODS:
        raise ValueError(f"unknown period {period!r} (one of {', '.join(PERIODS)})")
    tallies: dict[tuple[str | None, str | None], Tally] = {}
    total = Tally()
    titles: dict[str | None, str] = {}  # by flow: the title QA reads, beside the id
    for run in runs:
        verdict = judge.compliant(run) if run.outcome == "completed" else None
        total.add(run.outcome, verdict)
        if by == "flow" and run.flow_id not in titles:
            flow = judge.flow(run)
            if flow is not None:
                titles[run.flow_id] = flow.title
        when = period_of(run.opened_us, run.tz_min, period) if period else None
        for key in run_keys(run, by, judge):
            tally = tallies.get((key, when))
            if tally is None:
                tally = tallies[(key, when)] = Tally()
            tally.add(run.outcome, verdict)
    rows = []
    for (key, when), tally in sorted(tallies.items(), key=_sort_key):
        row: dict[str, object] = {"key": key}
        if by == "flow":
            row["title"] = titles.get(key)
        if period:
            row["period"] = when
        row.update(tally.row())
        rows.append(row)
    head = ("key", "title") if by == "flow" else ("key",)
    columns = (*head, *(("period",) if period else ()), *COMPLIANCE_COLUMNS[1:])
    return Report("compliance", columns, rows, {"by": by, "period": period, **total.row()})


def _sort_key(item: tuple[tuple[str | None, str | None], Tally]) -> tuple[str, str]:
    (key, when), _ = item
    return (when or "", key or "")
