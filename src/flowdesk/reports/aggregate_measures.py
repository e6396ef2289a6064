"""Abandon, steps, coverage and search misses counted in SQL (SQLite and PostgreSQL).

The definitions are those of :mod:`flowdesk.reports.measures`. Each report is a
``GROUP BY`` over ``run_summary`` or ``step_summary`` (search misses over the
``search`` events) with the window pushed into the ``WHERE``; Python merges the
few rows that come back. ``report steps`` has its own summary and module
(:mod:`flowdesk.reports.steps`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, func, literal_column, or_, select

from flowdesk.model import TouchPoint
from flowdesk.reports.aggregate import count_if, outcomes, window_conditions
from flowdesk.reports.compliance import Report, rate
from flowdesk.reports.measures import ABANDON_COLUMNS, search_miss_report_of
from flowdesk.reports.runs import FlowLookup
from flowdesk.usage.rows import EventFilter
from flowdesk.usage.schema import usage_event
from flowdesk.usage.summary_schema import run_summary


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
