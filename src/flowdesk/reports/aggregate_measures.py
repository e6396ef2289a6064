"""Abandon, steps, coverage and search misses counted in SQL (SQLite and PostgreSQL).

The definitions are those of :mod:`flowdesk.reports.measures`. Each report is a
``GROUP BY`` over ``run_summary`` or ``step_summary`` (search misses over the
``search`` events) with the window pushed into the ``WHERE``; Python merges the
few rows that come back. The median time per step is taken with window
functions (both engines have them): only the one or two middle values of each
step leave the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, and_, case, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import array

from flowdesk.model import TouchPoint
from flowdesk.reports.aggregate import count_if, outcomes, window_conditions
from flowdesk.reports.compliance import Report, rate
from flowdesk.reports.measures import ABANDON_COLUMNS, search_miss_report_of
from flowdesk.reports.runs import IDLE_LIMIT_US, FlowLookup
from flowdesk.usage.rows import EventFilter
from flowdesk.usage.schema import ts_to_row, usage_event
from flowdesk.usage.summary_schema import run_summary, step_summary


def abandons_sql(conn: Connection, where: EventFilter, now: datetime | None) -> Report:
    """Abandon rate per flow (worst first), by reason, and the step most runs were left at."""
    rs = run_summary.c
    o = outcomes(now)
    window = window_conditions(run_summary, where)
    stored = rs.outcome == "abandoned"
    per_flow = (
        select(
            rs.flow_id,
            func.count(),
            count_if(o.completed),
            count_if(stored & (rs.end_reason == "abandon")),
            count_if(stored & (rs.end_reason == "call_end")),
            count_if((stored & (rs.end_reason == "idle")) | o.idled),
        )
        .where(*window)
        .group_by(rs.flow_id)
    )
    left = (
        select(rs.flow_id, rs.left_at, func.count(), func.min(rs.opened_us))
        .where(*window, o.abandoned, rs.left_at.is_not(None))
        .group_by(rs.flow_id, rs.left_at)
    )
    most: dict[str, tuple[int, int, str]] = {}
    for flow_id, step_id, n, first in conn.execute(left):
        best = most.get(flow_id)
        if best is None or (-n, first) < (-best[0], best[1]):
            most[flow_id] = (n, first, step_id)
    rows: list[dict[str, object]] = []
    done = gone = 0
    for flow_id, runs, completed, by_agent, at_end, idle in sorted(conn.execute(per_flow)):
        abandoned = by_agent + at_end + idle
        done += completed
        gone += abandoned
        rows.append(
            {
                "key": flow_id,
                "runs": runs,
                "completed_runs": completed,
                "abandoned_runs": abandoned,
                "abandon_rate": rate(abandoned, completed + abandoned),
                "abandon": by_agent,
                "call_end": at_end,
                "idle": idle,
                "abandoned_at": most[flow_id][2] if flow_id in most else None,
            }
        )
    rows.sort(key=lambda r: -float(r["abandon_rate"] or 0.0))  # type: ignore[arg-type]
    return Report("abandon", ABANDON_COLUMNS, rows, {"abandon_rate": rate(gone, done + gone)})


def steps_sql(
    conn: Connection, where: EventFilter, now: datetime | None, flow_id: str | None = None
) -> Report:
    """Skip rate and median time of each step of each flow (optionally of one flow)."""
    ss = step_summary.c
    cut = ts_to_row(now or datetime.now(UTC))[0] - IDLE_LIMIT_US
    conditions = [*window_conditions(step_summary, where), or_(ss.ended == 1, ss.last_us <= cut)]
    if flow_id is not None:
        conditions.append(ss.flow_id == flow_id)
    walked = and_(ss.completed == 1, ss.on_path == 1)
    tallies = (
        select(
            ss.flow_id,
            ss.step_id,
            count_if(walked),
            count_if(walked & (ss.done == 0)),
            # As the in-memory tally: the latest run's flow version says whether it is required.
            func.max(case((walked, ss.opened_us * 2 + ss.required), else_=-1)),
            count_if(ss.done == 1),
        )
        .where(*conditions)
        .group_by(ss.flow_id, ss.step_id)
    )
    medians = _medians(conn, conditions)
    rows = []
    for flow, step, on_path, skipped, required, timed in sorted(conn.execute(tallies)):
        if not on_path and not timed:
            continue
        rows.append(
            {
                "key": f"{flow}/{step}",
                "flow_id": flow,
                "step_id": step,
                "required": None if required < 0 else bool(required % 2),
                "on_path_runs": on_path,
                "skipped_runs": skipped,
                "skip_rate": rate(skipped, on_path),
                "median_seconds": medians.get((flow, step)),
            }
        )
    columns = ("key", "required", "on_path_runs", "skipped_runs", "skip_rate", "median_seconds")
    return Report("steps", columns, rows, {"steps": len(rows)})


_UPPER = 0.5 + 1e-10  # exact up to 5·10⁹ timed steps in one (flow, step)


def _medians(conn: Connection, conditions: list) -> dict[tuple[str, str], float]:  # type: ignore[type-arg]
    """Median seconds per (flow, step), as :func:`statistics.median` gives it.

    Only the middle value (odd count) or the two middle values (even count) of
    each step leave the database; the mean of two is taken here, in the same
    float arithmetic as ``statistics.median``.
    """
    ss = step_summary.c
    if conn.dialect.name == "postgresql":
        # The lower middle is the value at position ceil(n/2), which percentile_disc(0.5)
        # gives; the upper middle at floor(n/2)+1, which a fraction a hair above a half
        # gives (any ε < 1/2n). Both from one sort per step, inside one aggregate.
        # Grouped in byte order ("C"), the index's: only the groups matter here.
        middles = func.percentile_disc(array((0.5, _UPPER))).within_group(ss.seconds_us)
        flow, step = ss.flow_id.collate("C"), ss.step_id.collate("C")
        stmt = select(flow, step, middles).where(*conditions, ss.done == 1).group_by(flow, step)
        # The central store's ix_step_summary_timed holds exactly these rows in this
        # order: an index-only scan, and each step's values arrive sorted.
        return {
            (flow, step): _mean_of_middles(int(low) / 1e6, int(high) / 1e6)
            for flow, step, (low, high) in conn.execute(stmt)
        }
    timed = (
        select(
            ss.flow_id,
            ss.step_id,
            ss.seconds_us,
            func.row_number()
            .over(partition_by=(ss.flow_id, ss.step_id), order_by=ss.seconds_us)
            .label("rn"),
            func.count().over(partition_by=(ss.flow_id, ss.step_id)).label("n"),
        )
        .where(*conditions, ss.done == 1)
        .subquery()
    )
    middle = select(timed.c.flow_id, timed.c.step_id, timed.c.seconds_us).where(
        or_(timed.c.rn == (timed.c.n + 1) // 2, timed.c.rn == (timed.c.n + 2) // 2)
    )
    found: dict[tuple[str, str], list[float]] = {}
    for flow, step, us in conn.execute(middle):
        found.setdefault((flow, step), []).append(int(us) / 1e6)
    return {k: v[0] if len(v) == 1 else (v[0] + v[1]) / 2 for k, v in found.items()}


def _mean_of_middles(low: float, high: float) -> float:
    return low if low == high else (low + high) / 2


def coverage_sql(
    conn: Connection,
    flow_lookup: FlowLookup,
    offered: Iterable[TouchPoint],
    where: EventFilter,
) -> Report:
    """Coverage of the process map: offered touch points with at least one run."""
    from flowdesk.reports.measures import coverage_of

    rs = run_summary.c
    stmt = (
        select(rs.pack_id, rs.pack_sequence, rs.flow_id, func.count())
        .where(*window_conditions(run_summary, where))
        .group_by(rs.pack_id, rs.pack_sequence, rs.flow_id)
    )
    used: Counter[str] = Counter()
    for pack_id, sequence, flow_id, n in conn.execute(stmt):
        flow = flow_lookup(pack_id, int(sequence), flow_id)
        if flow is not None:
            for tp in flow.touchpoints:
                used[tp.code] += n
    return coverage_of(used, offered)


def search_misses_sql(conn: Connection, where: EventFilter, limit: int | None = None) -> Report:
    """Queries that found nothing or from which no flow was opened, worst first."""
    c = usage_event.c
    no_result = or_(c.result_count.is_(None), c.result_count == 0)
    no_open = ~no_result & or_(c.opened_flow_id.is_(None), c.opened_flow_id == "")
    query = func.coalesce(c.query, literal_column("''"))
    stmt = where.apply(
        select(query, func.count(), count_if(no_result), count_if(no_open))
        .where(c.type == "search")
        .group_by(query)
    )
    return search_miss_report_of(conn.execute(stmt), limit)
