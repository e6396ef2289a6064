"""How often each decision was answered from call data (flowpack §5), for ``report steps``.

A decision is *answered from data* in a run when the desk took it by itself
(a ``branch`` with ``auto: true``) and the agent did not override it (no
chosen ``branch`` at the same decision in that run). Counted straight on the
event table, by distinct run, so it runs the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Engine, case, func, select

from flowdesk.reports.compliance import Report, rate
from flowdesk.usage.rows import EventFilter
from flowdesk.usage.schema import usage_event

COLUMNS = ("decided_runs", "from_data_runs", "overridden_runs", "from_data_rate")


def add_from_data(
    conn: Connection, rows: list[dict[str, Any]], where: EventFilter, flow_id: str | None
) -> None:
    """Add :data:`COLUMNS` to the rows of decision steps (None on other steps)."""
    c = usage_event.c
    branch = where.apply(select(c.run_id, c.flow_id, c.step_id, c.auto)).where(c.type == "branch")
    if flow_id is not None:
        branch = branch.where(c.flow_id == flow_id)
    b = branch.subquery()
    taken = case((b.c.auto.is_(True), 1), else_=0)
    per_run = (
        select(
            b.c.flow_id,
            b.c.step_id,
            b.c.run_id,
            func.max(taken).label("auto"),
            func.min(taken).label("all"),
        )
        .group_by(b.c.flow_id, b.c.step_id, b.c.run_id)
        .subquery()
    )
    tallies = select(
        per_run.c.flow_id,
        per_run.c.step_id,
        func.count(per_run.c.run_id),  # one row per run already: no distinct (a sort) needed
        func.sum(per_run.c.auto),
        func.sum(per_run.c.auto - per_run.c.all),
    ).group_by(per_run.c.flow_id, per_run.c.step_id)
    found = {(f, s): (n, int(a or 0), int(o or 0)) for f, s, n, a, o in conn.execute(tallies)}
    for row in rows:
        tally = found.get((row["flow_id"], row["step_id"]))
        if tally is None:
            row.update(dict.fromkeys(COLUMNS))
            continue
        decided, auto, overridden = tally
        row.update(
            decided_runs=decided,
            from_data_runs=auto - overridden,
            overridden_runs=overridden,
            from_data_rate=rate(auto - overridden, decided),
        )


def with_from_data(engine: Engine, report: Report, where: EventFilter) -> Report:
    """The steps report with how often each decision was answered from data."""
    rows = [dict(r) for r in report.rows]
    with engine.connect() as conn:
        add_from_data(conn, rows, where, None)
    return replace(report, columns=(*report.columns, "from_data_rate"), rows=rows)
