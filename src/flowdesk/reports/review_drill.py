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
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from flowdesk import reports
from flowdesk.model import Flow, Pack, TouchPoint
from flowdesk.reports.compliance import Report, Tally, rate
from flowdesk.reports.review import rate_change
from flowdesk.reports.review_period import LEVELS, PERIOD_KINDS, Drill, Period
from flowdesk.reports.runs import IDLE_LIMIT_US, FlowLookup, LoggedRun, PathJudge
from flowdesk.reports.snapshot import StepMark, run_trace
from flowdesk.usage.rows import ALL_EVENTS, EventFilter

__all__ = ["GROUPINGS", "LEVELS", "PERIOD_KINDS", "Drill", "Period", "QaQueries", "summary_of"]

#: What each level's rows are compared on.
_MEASURED = {"site": "compliance_rate", "team": "compliance_rate", "agent": "compliance_rate",
             "flow": "skip_rate"}  # fmt: skip
GROUPINGS = ("team", "agent", "flow", "class", "touchpoint")
RUN_COLUMNS = ("key", "agent_id", "team", "opened", "outcome", "compliant")
#: How many answers a workspace keeps (each is a few thousand rows at most).
KEPT_ANSWERS = 24


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
        # Answers by (question, grouping, window): every figure of a period is asked again
        # as the next period's "previous" and by several pages; it is counted once.
        self._kept: dict[tuple[object, ...], Report] = {}

    def forget(self) -> None:
        """Count everything afresh from now on (F5: the store may have grown)."""
        self._kept.clear()

    def _keep(self, key: tuple[object, ...], count: Callable[[], Report]) -> Report:
        found = self._kept.get(key)
        if found is None:
            found = count()
            while len(self._kept) >= KEPT_ANSWERS:
                self._kept.pop(next(iter(self._kept)))
            self._kept[key] = found
        return found

    def prepare(self) -> None:
        """Bring the summaries up to date once, before the first question."""
        from flowdesk.reports.summarise import ensure_current

        ensure_current(self.engine, self.lookup)

    def _compliance(self, by: str, where: EventFilter, period: str | None = None) -> Report:
        from flowdesk.reports.aggregate import compliance_sql

        def count() -> Report:
            with self.engine.connect() as conn:
                return compliance_sql(conn, self.lookup, by, period, where, self.now)

        return self._keep(("compliance", by, period, where), count)

    def summary(self, period: Period, compare: bool = True) -> dict[str, Report]:
        """The headline figures and every team beside the previous period (asked first).

        ``compare=False``: this period alone (one ``GROUP BY team``), shown at once;
        :meth:`teams_before` then answers the previous period for :func:`summary_of`.
        """
        teams = self._compliance("team", period.where())
        before = self.teams_before(period) if compare else Report("", (), [], {})
        return summary_of(teams, before)

    def teams_before(self, period: Period) -> Report:
        """Every team in the previous period (the summary's comparison)."""
        return self._compliance("team", period.previous().where())

    def details(
        self, period: Period, trend_by: str = "day", compare: bool = True
    ) -> dict[str, Report]:
        """The trend (day by day, or week by week) and every flow beside the previous period.

        ``compare=False``: the flows of this period alone; :meth:`flows_before` answers the
        previous period's after them.
        """
        now = period.where()
        days = self._compliance("team", now, "day").rows
        before = self.flows_before(period) if compare else Report("", (), [], {})
        return {
            "trend": _trend_of(days, trend_by),
            "flows": with_previous(self._compliance("flow", now), before),
        }

    def flows_before(self, period: Period) -> Report:
        """Every flow in the previous period (the ranked flows' comparison)."""
        return self._compliance("flow", period.previous().where())

    def overview(self, period: Period, trend_by: str = "day") -> dict[str, Report]:
        """:meth:`summary` and :meth:`details` together (the review, tests)."""
        return {**self.summary(period), **self.details(period, trend_by)}

    def level(self, drill: Drill, period: Period, compare: bool = True) -> Report:
        """The rows of one level of the drill-down, beside the previous period.

        ``compare=False``: this period alone, its ``previous`` and ``change`` empty, so
        the rows show at once; :meth:`level_before` then answers the comparison.
        """
        now = drill.where(period.where())
        if drill.level == "step":
            assert drill.flow is not None and drill.step is not None
            return self.runs_skipping(drill.flow, drill.step, now)
        rows = self._level_rows(drill, now)
        before = self.level_before(drill, period) if compare else None
        return with_previous(rows, before or Report("", (), [], {}), _MEASURED[drill.level])

    def level_before(self, drill: Drill, period: Period) -> Report | None:
        """The previous period's rows of a level (None for the runs: nothing to compare).

        A team's or agent's steps of a flow are compared on their skip rate alone: the
        previous period's medians, read from their step rows, are never shown; the
        whole site's come from the step report's day cells, which cost little.
        """
        where = drill.where(period.previous().where())
        if drill.level == "step":
            return None
        if drill.level == "flow" and (where.teams or where.agents):
            assert drill.flow is not None
            flow_id = drill.flow
            return self._keep(("skips", flow_id, where), lambda: self._skips(flow_id, where))
        return self._level_rows(drill, where)

    def _skips(self, flow_id: str, where: EventFilter) -> Report:
        """Each step of one flow: runs whose path led through it and skipped it (as the step
        report counts them: completed runs, ended or idle at the horizon), no medians."""
        from sqlalchemy import and_, or_, select

        from flowdesk.reports.aggregate import count_if, window_conditions
        from flowdesk.reports.steps import through_runs
        from flowdesk.usage.schema import ts_to_row
        from flowdesk.usage.summary_schema import step_summary

        ss = step_summary.c
        cut = ts_to_row(self.now or datetime.now(UTC))[0] - IDLE_LIMIT_US
        walked = and_(ss.completed == 1, ss.on_path == 1)
        with self.engine.connect() as conn:
            stmt = (
                select(ss.step_id, count_if(walked), count_if(walked & (ss.done == 0)))
                .where(
                    *window_conditions(step_summary, where),
                    ss.flow_id == flow_id,
                    or_(ss.ended == 1, ss.last_us <= cut),
                    *through_runs(conn, where, flow_id),
                )
                .group_by(ss.step_id)
            )
            rows = [
                {"key": step, "on_path_runs": n, "skipped_runs": s, "skip_rate": rate(s, n)}
                for step, n, s in conn.execute(stmt)
            ]
        return Report("steps", ("key", "on_path_runs", "skipped_runs", "skip_rate"), rows, {})

    def _level_rows(self, drill: Drill, where: EventFilter) -> Report:
        if drill.level == "flow":
            assert drill.flow is not None
            steps = reports.step_report(self.engine, None, where, self.now, drill.flow)  # type: ignore[arg-type]
            return self._with_texts(drill.flow, steps)
        by = {"site": "team", "team": "agent", "agent": "flow"}[drill.level]
        return self._compliance(by, where)

    def _with_texts(self, flow_id: str, steps: Report) -> Report:
        """A flow's step rows keyed by step id, each with its text as the desk has the flow
        now (QA reads "核实机主身份", not "verify"); the flow's title in the summary."""
        flow = self.flow_of(flow_id)
        texts = {s.id: s.text for s in flow.steps} if flow is not None else {}
        rows = [
            {**r, "key": r["step_id"], "step_text": texts.get(str(r["step_id"]))}
            for r in steps.rows
        ]
        columns = ("key", "step_text", *steps.columns[1:])
        title = flow.title if flow is not None else flow_id
        return Report(steps.name, columns, rows, {**steps.summary, "title": title})

    def grouped(
        self, by: str, period: Period, where: EventFilter = ALL_EVENTS, compare: bool = True
    ) -> Report:
        """Compliance by team, agent, flow, class or touch point, beside the previous period
        (``compare=False``: this period alone, as the process map colours it)."""
        if by not in GROUPINGS:
            raise ValueError(f"unknown grouping {by!r} (one of {', '.join(GROUPINGS)})")
        count = self._by_class if by == "class" else lambda w: self._compliance(by, w)
        before = count(period.previous().where(where)) if compare else Report("", (), [], {})
        now = count(period.where(where))
        if by == "agent":  # whose team each agent is in: QA reads "N1303, 话务二组"
            now = self._with_teams(now, period.where(where))
        return with_previous(now, before)

    def _with_teams(self, agents: Report, where: EventFilter) -> Report:
        """Each agent's row with the team of their runs in the window (the last by name
        when they moved)."""
        from flowdesk.reports.run_cells import agent_teams

        def count() -> Report:
            with self.engine.connect() as conn:
                found = agent_teams(conn, where)
            return Report("teams", ("key", "team"), [dict(key=a, team=t) for a, t in found], {})

        teams = {r["key"]: r["team"] for r in self._keep(("teams", where), count).rows}
        rows = [{"key": r["key"], "team": teams.get(r["key"]), **r} for r in agents.rows]
        return Report(agents.name, ("key", "team", *agents.columns[1:]), rows, agents.summary)

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
        from flowdesk.reports.steps import through_runs
        from flowdesk.usage.summary_schema import run_summary, step_summary

        ss, rs = step_summary.c, run_summary.c
        with self.engine.connect() as conn:
            skipped = select(ss.run_id).where(
                *window_conditions(step_summary, where),
                ss.flow_id == flow_id,
                ss.step_id == step_id,
                ss.completed == 1,
                ss.on_path == 1,
                ss.done == 0,
                *through_runs(conn, where, flow_id),  # one agent's: through their runs
            )
            # The newest first, taken while walking the step's rows newest first (a step
            # row's opening is its run's), so a busy step of a site's month stops early.
            skipped = skipped.order_by(ss.opened_us.desc(), ss.run_id.desc()).limit(limit)
            stmt = (
                select(run_summary)
                .where(rs.run_id.in_(skipped))
                .order_by(rs.opened_us.desc(), rs.run_id.desc())
                .limit(limit)
            )
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

        where = period.where()
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
