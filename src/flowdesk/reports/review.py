"""The monthly review (月度质检回顾): one month's reports together, beside the month before.

A QA lead presents the month to the site's management: the summary, the daily
trend, teams against the benchmark (标杆值), the worst flows and steps, the
coverage of the process map, search misses with the keywords they suggest, and
who confirmed the must-read changes. :func:`monthly_review` gathers them from
the same public report functions ``flowdesk report … --json`` calls, with the
same window as ``--since YYYY-MM-01 --until`` the next month's first day (local
midnight, as the command line reads a date), so the figures are the same.
Plain Python: the workbook (:mod:`flowdesk.reports.review_workbook`) and the
window's PDF draw from the :class:`Review` it returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from flowdesk import reports
from flowdesk.model import TouchPoint
from flowdesk.problems import Refused
from flowdesk.reports.acknowledgements import acknowledgements_report
from flowdesk.reports.compliance import Report
from flowdesk.reports.measures import DEFAULT_BENCHMARK, conformance_of
from flowdesk.reports.runs import FlowLookup
from flowdesk.reports.search_misses import learned_proposals, proposal_report
from flowdesk.rollout.notices import Notice
from flowdesk.usage.rows import ALL_EVENTS, EventFilter

MONTH = re.compile(r"(\d{4})-(\d{2})")

#: The summary's measures, in the order a review presents them.
SUMMARY_MEASURES = (
    "runs",
    "completed_runs",
    "compliant_runs",
    "compliance_rate",
    "abandoned_runs",
    "abandon_rate",
    "teams_below_benchmark",
    "coverage_rate",
    "search_misses",
)


@dataclass(frozen=True)
class Review:
    """One month's review: every section a :class:`Report`, worst first where it ranks."""

    month: str
    previous_month: str
    benchmark: float
    summary: Report
    trend: Report
    teams: Report
    flows: Report
    steps: Report
    coverage: Report
    misses: Report
    proposals: Report
    acknowledgements: Report

    def sections(self) -> list[tuple[str, Report]]:
        """(section name, report) in the order of the workbook's sheets."""
        return [
            ("summary", self.summary),
            ("trend", self.trend),
            ("teams", self.teams),
            ("flows", self.flows),
            ("steps", self.steps),
            ("coverage", self.coverage),
            ("misses", self.misses),
            ("proposals", self.proposals),
            ("acknowledgements", self.acknowledgements),
        ]


def month_window(month: str, where: EventFilter = ALL_EVENTS) -> EventFilter:
    """``2026-11`` as the window ``--since 2026-11-01 --until 2026-12-01`` (local midnight)."""
    found = MONTH.fullmatch(month.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise Refused(f"--month: not a month (YYYY-MM, e.g. 2026-11): {month!r}")
    year, number = int(found.group(1)), int(found.group(2))
    start = datetime(year, number, 1).astimezone()
    end = datetime(year + number // 12, number % 12 + 1, 1).astimezone()
    return replace(where, since=start, until=end)


def previous_month(month: str) -> str:
    start = month_window(month).since
    assert start is not None
    year, number = (start.year, start.month - 1) if start.month > 1 else (start.year - 1, 12)
    return f"{year}-{number:02d}"


def rate_change(now: object, before: object) -> float | None:
    """The difference of two rates (this month − the one before), None where one is missing."""
    if isinstance(now, int | float) and isinstance(before, int | float):
        return float(now) - float(before)
    return None


def _worst_first(rows: Iterable[dict[str, Any]], column: str, worst_high: bool = False) -> list:
    """Rows ranked worst first by ``column``; rows with nothing to measure last."""

    def key(row: dict[str, Any]) -> tuple:
        value = row.get(column)
        if value is None:
            return (1, 0.0, str(row.get("key")))
        return (0, -float(value) if worst_high else float(value), str(row.get("key")))

    return sorted(rows, key=key)


def daily_trend(by_team_and_day: Report) -> Report:
    """The month day by day, all teams together.

    Each day's counts are the sums of ``report compliance --by team --period day``.
    """
    days: dict[str, list[int]] = {}
    for row in by_team_and_day.rows:
        counts = days.setdefault(str(row["period"]), [0, 0, 0, 0])
        for i, column in enumerate(("runs", "completed_runs", "compliant_runs", "abandoned_runs")):
            counts[i] += int(row[column])  # type: ignore[call-overload]
    rows = [
        {
            "period": day,
            "runs": runs,
            "completed_runs": completed,
            "compliant_runs": compliant,
            "abandoned_runs": abandoned,
            "compliance_rate": compliant / completed if completed else None,
        }
        for day, (runs, completed, compliant, abandoned) in sorted(days.items())
    ]
    columns = ("period", "runs", "completed_runs", "compliant_runs", "abandoned_runs")
    return Report("trend", (*columns, "compliance_rate"), rows, {"days": len(rows)})


def teams_with_previous(teams: Report, before: Report) -> Report:
    """Teams against the benchmark, each beside its rate the month before and the change."""
    earlier = {row["key"]: row.get("compliance_rate") for row in before.rows}
    rows = []
    for row in teams.rows:  # furthest below the benchmark first
        previous = earlier.get(row["key"])
        change = rate_change(row.get("compliance_rate"), previous)
        rows.append({**row, "previous_rate": previous, "change": change})
    return Report("teams", (*teams.columns, "previous_rate", "change"), rows, teams.summary)


def summary_of(
    month: str, now: Mapping[str, object], before: Mapping[str, object], benchmark: float
) -> Report:
    """The month's headline figures beside the month before's, and the change."""
    rows: list[dict[str, object]] = [
        {"key": "month", "value": month, "previous": previous_month(month), "change": None},
        {"key": "benchmark", "value": benchmark, "previous": None, "change": None},
    ]
    for measure in SUMMARY_MEASURES:
        value, previous = now.get(measure), before.get(measure)
        rows.append(
            {
                "key": measure,
                "value": value,
                "previous": previous,
                "change": rate_change(value, previous),
            }
        )
    return Report("summary", ("key", "value", "previous", "change"), rows, dict(now))


def _headline(
    engine: Engine,
    flow_lookup: FlowLookup,
    offered: Sequence[TouchPoint],
    where: EventFilter,
    benchmark: float,
    benchmarks: Mapping[str, float] | None,
    now: datetime | None,
) -> tuple[dict[str, object], Report, Report]:
    """(figures, teams against the benchmark, coverage) of one window."""
    by_team = reports.compliance_report(engine, flow_lookup, "team", None, where, now)
    teams = conformance_of(by_team, "team", benchmark, benchmarks)
    total = by_team.summary
    coverage = reports.coverage_report(engine, flow_lookup, offered, where, now)
    misses = reports.search_miss_report(engine, where)
    figures = {measure: total.get(measure) for measure in SUMMARY_MEASURES[:6]}
    figures["teams_below_benchmark"] = len(teams.summary.get("below") or [])  # type: ignore[arg-type]
    figures["coverage_rate"] = coverage.summary.get("coverage")
    figures["search_misses"] = sum(int(r["misses"]) for r in misses.rows)  # type: ignore[call-overload]
    return figures, teams, coverage


def monthly_review(
    engine: Engine,
    flow_lookup: FlowLookup,
    month: str,
    *,
    offered: Iterable[TouchPoint] = (),
    notices: Sequence[Notice] = (),
    notices_since: datetime | None = None,
    keywords_of: Callable[[str], Iterable[str]] | None = None,
    benchmark: float = DEFAULT_BENCHMARK,
    benchmarks: Mapping[str, float] | None = None,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Review:
    """Every section of the review of ``month`` (``YYYY-MM``), from the public reports."""
    window = month_window(month, where)
    before_month = previous_month(month)
    before = month_window(before_month, where)
    offered = list(offered)
    figures, teams, coverage = _headline(
        engine, flow_lookup, offered, window, benchmark, benchmarks, now
    )
    earlier, teams_before, _ = _headline(
        engine, flow_lookup, offered, before, benchmark, benchmarks, now
    )
    by_day = reports.compliance_report(engine, flow_lookup, "team", "day", window, now)
    flows = reports.compliance_report(engine, flow_lookup, "flow", None, window, now)
    steps = reports.step_report(engine, flow_lookup, window, now)
    misses = reports.search_miss_report(engine, window)
    proposals = proposal_report(learned_proposals(engine, window, keywords_of=keywords_of))
    return Review(
        month=month,
        previous_month=before_month,
        benchmark=benchmark,
        summary=summary_of(month, figures, earlier, benchmark),
        trend=daily_trend(by_day),
        teams=teams_with_previous(teams, teams_before),
        flows=replace(flows, rows=_worst_first(flows.rows, "compliance_rate")),
        steps=replace(steps, rows=_worst_first(steps.rows, "skip_rate", worst_high=True)),
        coverage=replace(coverage, rows=sorted(coverage.rows, key=lambda r: bool(r["used"]))),
        misses=misses,
        proposals=proposals,
        acknowledgements=acknowledgements_report(engine, notices, notices_since),
    )
