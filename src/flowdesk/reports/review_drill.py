"""What the QA workspace asks, one question at a time: a period, a level of the drill-down.

QA walks a month from the site down to one run: site → team → agent → flow →
step → the runs that skipped it → the path one run took. Each level is one
public report over the summaries with the window narrowed (a team, an agent,
a flow), answered beside the previous period of the same length, so every
row carries its rate then and the change (↑↓). Nothing here holds runs beyond
the one flow a drill-down reaches. Plain Python, called off the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine

from flowdesk import reports
from flowdesk.model import Flow, Pack, TouchPoint
from flowdesk.reports.compliance import Report, Tally
from flowdesk.reports.review import rate_change
from flowdesk.reports.runs import FlowLookup, LoggedRun, PathJudge
from flowdesk.reports.snapshot import StepMark, run_trace
from flowdesk.usage.rows import ALL_EVENTS, EventFilter

PERIOD_KINDS = ("day", "week", "month", "custom")
#: What each level's rows are compared on.
_MEASURED = {"site": "compliance_rate", "team": "compliance_rate", "agent": "compliance_rate",
             "flow": "skip_rate"}  # fmt: skip
#: The levels of the drill-down, and what each shows as its rows.
LEVELS = ("site", "team", "agent", "flow", "step")
GROUPINGS = ("team", "agent", "flow", "class", "touchpoint")
RUN_COLUMNS = ("key", "agent_id", "team", "opened", "outcome", "compliant")


@dataclass(frozen=True)
class Period:
    """A window of local days [first, last] and the window of the same length before it."""

    kind: str
    first: date
    last: date

    @classmethod
    def around(cls, kind: str, day: date, last: date | None = None) -> Period:
        """The day, ISO week or month holding ``day``; ``custom``: ``day`` … ``last``."""
        if kind == "day":
            return cls(kind, day, day)
        if kind == "week":
            monday = day - timedelta(days=day.weekday())
            return cls(kind, monday, monday + timedelta(days=6))
        if kind == "month":
            first = day.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            return cls(kind, first, following - timedelta(days=1))
        if kind == "custom":
            end = last or day
            return cls(kind, min(day, end), max(day, end))
        raise ValueError(f"unknown period {kind!r} (one of {', '.join(PERIOD_KINDS)})")

    def previous(self) -> Period:
        if self.kind == "month":
            return Period.around("month", self.first - timedelta(days=1))
        length = (self.last - self.first).days + 1
        return Period(
            self.kind, self.first - timedelta(days=length), self.first - timedelta(days=1)
        )

    def shifted(self, steps: int) -> Period:
        """The next (1) or previous (−1) period of the same kind."""
        if steps < 0:
            return self.previous()
        if self.kind == "month":
            return Period.around("month", self.last + timedelta(days=1))
        length = (self.last - self.first).days + 1
        return Period(
            self.kind, self.first + timedelta(days=length), self.last + timedelta(days=length)
        )

    def window(self, where: EventFilter = ALL_EVENTS) -> EventFilter:
        """Local midnight of the first day up to local midnight after the last (as the CLI)."""
        since = datetime.combine(self.first, time()).astimezone()
        until = datetime.combine(self.last + timedelta(days=1), time()).astimezone()
        return replace(where, since=since, until=until)

    @property
    def label(self) -> str:
        if self.kind == "day":
            return self.first.isoformat()
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


@dataclass(frozen=True)
class Drill:
    """Where QA stands in the drill-down: each field narrows the one before."""

    team: str | None = None
    agent: str | None = None
    flow: str | None = None
    step: str | None = None

    @property
    def level(self) -> str:
        for name, value in (("step", self.step), ("flow", self.flow), ("agent", self.agent)):
            if value is not None:
                return name
        return "team" if self.team is not None else "site"

    def into(self, key: str) -> Drill:
        """One level down, into the row ``key``."""
        level = self.level
        if level == "site":
            return replace(self, team=key)
        if level == "team":
            return replace(self, agent=key)
        if level == "agent":
            return replace(self, flow=key)
        if level == "flow":
            return replace(self, step=key)
        raise ValueError("a step's runs are the last level")

    def up_to(self, level: str) -> Drill:
        """Back up to ``level`` (a breadcrumb)."""
        keep = LEVELS.index(level)
        names = ("team", "agent", "flow", "step")
        return Drill(**{n: getattr(self, n) if i < keep else None for i, n in enumerate(names)})

    def where(self, base: EventFilter) -> EventFilter:
        return replace(
            base,
            teams=(self.team,) if self.team is not None else base.teams,
            agents=(self.agent,) if self.agent is not None else base.agents,
        )


def with_previous(report: Report, before: Report, column: str = "compliance_rate") -> Report:
    """Each row beside its ``column`` in ``before`` (the previous period) and the change."""
    earlier = {row["key"]: row.get(column) for row in before.rows}
    rows = []
    for row in report.rows:
        previous = earlier.get(row["key"])
        rows.append({**row, "previous": previous, "change": rate_change(row.get(column), previous)})
    return Report(report.name, (*report.columns, "previous", "change"), rows, report.summary)


class QaQueries:
    """The workspace's questions over one usage store, judged by the desk's flows.

    ``flow_of(flow_id)`` gives a flow as the desk has it now (its class, its
    touch points, its steps for the map); runs are judged by their own
    versions through ``flow_lookup``.
    """

    def __init__(
        self,
        engine: Engine,
        flow_lookup: FlowLookup,
        offered: Iterable[TouchPoint] = (),
        flow_of: Callable[[str], Flow | None] = lambda _id: None,
        now: datetime | None = None,
        keywords_of: Callable[[str], Iterable[str]] | None = None,
        pack: Pack | None = None,
    ) -> None:
        self.keywords_of = keywords_of
        self.pack = pack  # the active pack: the process map QA colours
        self.engine = engine
        self.lookup = flow_lookup
        self.offered = list(offered)
        self.flow_of = flow_of
        self.now = now
        self.judge = PathJudge(flow_lookup)

    def prepare(self) -> None:
        """Bring the summaries up to date once, before the first question."""
        from flowdesk.reports.summarise import ensure_current

        ensure_current(self.engine, self.lookup)

    def _compliance(self, by: str, where: EventFilter, period: str | None = None) -> Report:
        with self.engine.connect() as conn:
            from flowdesk.reports.aggregate import compliance_sql

            return compliance_sql(conn, self.lookup, by, period, where, self.now)

    def summary(self, period: Period, compare: bool = True) -> dict[str, Report]:
        """The headline figures and every team beside the previous period (asked first).

        ``compare=False``: this period alone (one ``GROUP BY team``), shown at once;
        :meth:`teams_before` then answers the previous period for :func:`summary_of`.
        """
        teams = self._compliance("team", period.window())
        before = self.teams_before(period) if compare else Report("", (), [], {})
        return summary_of(teams, before)

    def teams_before(self, period: Period) -> Report:
        """Every team in the previous period (the summary's comparison)."""
        return self._compliance("team", period.previous().window())

    def details(self, period: Period, trend_by: str = "day") -> dict[str, Report]:
        """The trend (day by day, or week by week) and every flow beside the previous period."""
        now, before = period.window(), period.previous().window()
        days = self._compliance("team", now, "day").rows
        return {
            "trend": _trend_of(days, trend_by),
            "flows": with_previous(self._compliance("flow", now), self._compliance("flow", before)),
        }

    def overview(self, period: Period, trend_by: str = "day") -> dict[str, Report]:
        """:meth:`summary` and :meth:`details` together (the review, tests)."""
        return {**self.summary(period), **self.details(period, trend_by)}

    def level(self, drill: Drill, period: Period, compare: bool = True) -> Report:
        """The rows of one level of the drill-down, beside the previous period.

        ``compare=False``: this period alone, its ``previous`` and ``change`` empty, so
        the rows show at once; :meth:`level_before` then answers the comparison.
        """
        now = drill.where(period.window())
        if drill.level == "step":
            assert drill.flow is not None and drill.step is not None
            return self.runs_skipping(drill.flow, drill.step, now)
        rows = self._level_rows(drill, now)
        before = self.level_before(drill, period) if compare else None
        return with_previous(rows, before or Report("", (), [], {}), _MEASURED[drill.level])

    def level_before(self, drill: Drill, period: Period) -> Report | None:
        """The previous period's rows of a level (None for the runs: nothing to compare)."""
        if drill.level == "step":
            return None
        return self._level_rows(drill, drill.where(period.previous().window()))

    def _level_rows(self, drill: Drill, where: EventFilter) -> Report:
        if drill.level == "flow":
            assert drill.flow is not None
            steps = reports.step_report(self.engine, None, where, self.now, drill.flow)  # type: ignore[arg-type]
            return replace(steps, rows=[{**r, "key": r["step_id"]} for r in steps.rows])
        by = {"site": "team", "team": "agent", "agent": "flow"}[drill.level]
        return self._compliance(by, where)

    def grouped(self, by: str, period: Period, where: EventFilter = ALL_EVENTS) -> Report:
        """Compliance by team, agent, flow, class or touch point, beside the previous period."""
        if by not in GROUPINGS:
            raise ValueError(f"unknown grouping {by!r} (one of {', '.join(GROUPINGS)})")
        if by == "class":
            now = self._by_class(period.window(where))
            return with_previous(now, self._by_class(period.previous().window(where)))
        now_report = self._compliance(by, period.window(where))
        before = self._compliance(by, period.previous().window(where))
        return with_previous(now_report, before)

    def _by_class(self, where: EventFilter) -> Report:
        by_flow = self._compliance("flow", where)
        classes: dict[str, list[dict[str, object]]] = {}
        for row in by_flow.rows:
            flow = self.flow_of(str(row["key"]))
            classes.setdefault(flow.flow_class if flow is not None else "unknown", []).append(row)
        rows = [{"key": name, **_tally(r).row()} for name, r in sorted(classes.items())]
        columns = tuple(c for c in by_flow.columns if c != "title")
        return Report("compliance", columns, rows, by_flow.summary)

    def runs_skipping(
        self, flow_id: str, step_id: str, where: EventFilter, limit: int = 500
    ) -> Report:
        """The newest completed runs (``limit`` at most) whose path led through the step
        and did not do it: as the step report counts ``skipped_runs``, found in SQL."""
        from sqlalchemy import select

        from flowdesk.reports.aggregate import window_conditions
        from flowdesk.reports.snapshot import run_of_summary
        from flowdesk.usage.summary_schema import run_summary, step_summary

        ss, rs = step_summary.c, run_summary.c
        skipped = select(ss.run_id).where(
            *window_conditions(step_summary, where),
            ss.flow_id == flow_id,
            ss.step_id == step_id,
            ss.completed == 1,
            ss.on_path == 1,
            ss.done == 0,
        )
        stmt = (
            select(run_summary)
            .where(rs.run_id.in_(skipped))
            .order_by(rs.opened_us.desc(), rs.run_id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            runs = [run_of_summary(row, self.now) for row in conn.execute(stmt)]
        rows = []
        for run in runs:
            opened = datetime(1970, 1, 1) + timedelta(
                microseconds=run.opened_us, minutes=run.tz_min
            )
            rows.append(
                {
                    "key": run.run_id,
                    "agent_id": run.agent_id,
                    "team": run.team,
                    "opened": opened.strftime("%Y-%m-%d %H:%M"),
                    "outcome": run.outcome,
                    "compliant": self.judge.compliant(run),
                    "trace": run_trace(run, self.judge),  # the path, drawn without asking again
                }
            )
        return Report("runs", RUN_COLUMNS, rows, {"flow_id": flow_id, "step_id": step_id})

    def misses(self, period: Period) -> tuple[Report, Report]:
        """Search misses of the period, worst first, and the keywords they suggest."""
        from flowdesk.reports.search_misses import learned_proposals, proposal_report

        where = period.window()
        found = reports.search_miss_report(self.engine, where)
        learned = learned_proposals(self.engine, where, keywords_of=self.keywords_of)
        return found, proposal_report(learned)

    def trace(self, run: LoggedRun) -> list[StepMark]:
        return run_trace(run, self.judge)


_COUNTS = ("runs", "completed_runs", "compliant_runs", "abandoned_runs", "open_runs",
           "unresolved_runs")  # fmt: skip


def _tally(rows: Iterable[dict[str, object]]) -> Tally:
    """The counts of ``rows`` added up (a Tally's fields in the report's column order)."""
    total = Tally()
    for row in rows:
        counts = [int(row[c]) for c in _COUNTS]  # type: ignore[call-overload]
        total.runs += counts[0]
        total.completed += counts[1]
        total.compliant += counts[2]
        total.abandoned += counts[3]
        total.open += counts[4]
        total.unresolved += counts[5]
    return total


def _trend_of(days: list[dict[str, object]], by: str) -> Report:
    """The period day by day (or ISO week by week) from rows of key and day."""
    from flowdesk.reports.review import daily_trend

    if by == "week":
        days = [{**r, "period": _week_of(str(r["period"]))} for r in days]
    return daily_trend(Report("compliance", (), days, {}))


def _week_of(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def summary_of(teams: Report, before: Report) -> dict[str, Report]:
    """The summary's reports: the teams beside ``before`` and the figures beside its totals;
    ``teams`` itself is kept (as ``"this"``) to compare again when ``before`` comes."""
    return {
        "teams": with_previous(teams, before),
        "figures": _figures(teams.summary, before.summary),
        "this": teams,
    }


def _figures(now: dict[str, object], before: dict[str, object]) -> Report:
    rows = [
        {
            "key": k,
            "value": now.get(k),
            "previous": before.get(k),
            "change": rate_change(now.get(k), before.get(k)),
        }
        for k in ("runs", "completed_runs", "compliance_rate", "abandoned_runs", "abandon_rate")
    ]
    return Report("figures", ("key", "value", "previous", "change"), rows, dict(now))
