"""Compliance and conformance counted in SQL over run summaries (SQLite and PostgreSQL).

The definitions are those of :mod:`flowdesk.reports.compliance`; only the place
changes. The window and the agent/team filters become the ``WHERE`` of one
``GROUP BY`` over ``run_summary``, and Python only labels and merges the few
rows that come back: days into ISO weeks or months, flow versions into flows
(and a flow into every touch point it claims). Nothing proportional to the
window's events or runs is ever held in memory.

A run whose events leave it open turns abandoned once idle 30 minutes before the
report's horizon (``now``): that is decided here, from ``last_us``, so the
stored summary never depends on the clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from flowdesk.reports import run_cells
from flowdesk.reports.compliance import (
    BY_KEYS,
    COMPLIANCE_COLUMNS,
    PERIODS,
    Report,
    Tally,
    period_of,
)
from flowdesk.reports.runs import IDLE_LIMIT_US, FlowLookup
from flowdesk.usage.rows import ALL_EVENTS, EventFilter
from flowdesk.usage.schema import ts_to_row
from flowdesk.usage.summary_schema import run_summary

DAY_US = 86_400_000_000


@dataclass(frozen=True)
class Outcomes:
    """SQL conditions for a run's outcome as seen at the horizon ``now``."""

    completed: ColumnElement[bool]
    abandoned: ColumnElement[bool]
    open: ColumnElement[bool]
    idled: ColumnElement[bool]  # open by its events, abandoned by the clock


def outcomes(now: datetime | None) -> Outcomes:
    rs = run_summary.c
    cut = ts_to_row(now or datetime.now(UTC))[0] - IDLE_LIMIT_US
    idled = (rs.outcome == "open") & (rs.last_us <= cut)
    return Outcomes(
        completed=rs.outcome == "completed",
        abandoned=(rs.outcome == "abandoned") | idled,
        open=(rs.outcome == "open") & (rs.last_us > cut),
        idled=idled,
    )


def window_conditions(table, where: EventFilter) -> list[ColumnElement[bool]]:  # type: ignore[no-untyped-def]
    """The window on ``opened_us`` and the agent/team filters, for a summary table."""
    c = table.c
    out: list[ColumnElement[bool]] = []
    if where.since is not None:
        out.append(c.opened_us >= ts_to_row(where.since)[0])
    if where.until is not None:
        out.append(c.opened_us < ts_to_row(where.until)[0])
    if where.agents:
        out.append(c.agent_id.in_(where.agents))
    if where.teams:
        out.append(c.team.in_(where.teams))
    return out


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def day_label(day: int, period: str) -> str:
    return period_of(day * DAY_US, 0, period)


_KEY_COLUMNS = {
    "flow": ("flow_id", "pack_id", "pack_sequence"),
    "agent": ("agent_id",),
    "team": ("team",),
    "touchpoint": ("pack_id", "pack_sequence", "flow_id"),
}


def compliance_sql(
    conn: Connection,
    flow_lookup: FlowLookup,
    by: str = "flow",
    period: str | None = None,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    """The compliance report (same rows and summary as :func:`compliance.compliance`)."""
    if by not in BY_KEYS:
        raise ValueError(f"unknown grouping {by!r} (one of {', '.join(BY_KEYS)})")
    if period is not None and period not in PERIODS:
        raise ValueError(f"unknown period {period!r} (one of {', '.join(PERIODS)})")
    width = len(_KEY_COLUMNS[by])
    at = width + (1 if period else 0)
    tallies: dict[tuple[str | None, str | None], Tally] = {}
    total = Tally()
    titles: dict[str, tuple[int, str]] = {}
    flows: dict[tuple, object] = {}
    for row in _counted(conn, by, period, where, now):
        key_values = row[:width]
        counts = Tally(*row[at : at + 6])
        _add(total, counts)
        when = day_label(int(row[width]), period) if period else None
        for key in _keys(by, key_values, flow_lookup, flows):
            tally = tallies.get((key, when))
            if tally is None:
                tally = tallies[(key, when)] = Tally()
            _add(tally, counts)
        if by == "flow":
            flow = _flow(flow_lookup, flows, key_values[1], key_values[2], key_values[0])
            first = int(row[at + 6])
            if flow is not None and (
                key_values[0] not in titles or first < titles[key_values[0]][0]
            ):
                titles[key_values[0]] = (first, flow.title)  # type: ignore[attr-defined]
    rows = []
    for (key, when), tally in sorted(tallies.items(), key=lambda i: (i[0][1] or "", i[0][0] or "")):
        out: dict[str, object] = {"key": key}
        if by == "flow":
            out["title"] = titles[key][1] if key in titles else None
        if period:
            out["period"] = when
        out.update(tally.row())
        rows.append(out)
    head = ("key", "title") if by == "flow" else ("key",)
    columns = (*head, *(("period",) if period else ()), *COMPLIANCE_COLUMNS[1:])
    return Report("compliance", columns, rows, {"by": by, "period": period, **total.row()})


def _counted(
    conn: Connection, by: str, period: str | None, where: EventFilter, now: datetime | None
) -> Iterator[Sequence]:
    """The counted rows: the key columns (and the local day with ``period``), then runs,
    completed, compliant, abandoned, open, unresolved and the earliest opening.

    Without an agent filter (and, by flow or touch point, a team filter) the window's
    whole local days come from the cells (:mod:`flowdesk.reports.run_cells`) and only
    the runs they leave out from the run summaries; otherwise the filtered runs
    themselves are counted (an agent's or a team's share of the month).
    """
    since = ts_to_row(where.since)[0] if where.since is not None else None
    until = ts_to_row(where.until)[0] if where.until is not None else None
    if where.agents or (where.teams and by not in ("team", "agent")):
        filtered = window_conditions(run_summary, where)
        yield from conn.execute(_runs_counted(by, period, filtered, now))
        return
    for row in conn.execute(run_cells.cell_counts(by, period, since, until, where.teams)):
        yield (run_cells.team_of(row[0]), *row[1:]) if by == "team" else row
    rs = run_summary.c
    spans = run_cells.part_days(conn, since, until, where.teams)
    team_only = [rs.team.in_(where.teams)] if where.teams else []
    if spans:  # the runs of the part-days at the window's ends, ended by their events
        inside = [run_cells.span_conditions(run_summary, spans), rs.outcome != "open", *team_only]
        yield from conn.execute(_runs_counted(by, period, inside, now))
    still_open = [rs.outcome == "open", *window_conditions(run_summary, where)]
    yield from conn.execute(_runs_counted(by, period, still_open, now))


def _runs_counted(by: str, period: str | None, conditions: list, now: datetime | None):  # type: ignore[no-untyped-def,type-arg]
    """One ``GROUP BY`` over the run summaries that meet ``conditions``."""
    rs = run_summary.c
    o = outcomes(now)
    resolved = rs.resolved == 1
    keys = [rs[name] for name in _KEY_COLUMNS[by]]
    groups = [*keys, rs.local_day] if period else keys
    return (
        select(
            *groups,
            func.count(),
            count_if(o.completed & resolved),
            count_if(o.completed & resolved & (rs.compliant == 1)),
            count_if(o.abandoned),
            count_if(o.open),
            count_if(o.completed & ~resolved),
            func.min(rs.opened_us),
        )
        .where(*conditions)
        .group_by(*groups)
    )


def _add(into: Tally, counts: Tally) -> None:
    into.runs += counts.runs
    into.completed += counts.completed
    into.compliant += counts.compliant
    into.abandoned += counts.abandoned
    into.open += counts.open
    into.unresolved += counts.unresolved


def _flow(lookup: FlowLookup, cache: dict[tuple, object], pack_id, sequence, flow_id):  # type: ignore[no-untyped-def]
    key = (pack_id, sequence, flow_id)
    if key not in cache:
        cache[key] = lookup(pack_id, int(sequence), flow_id)
    return cache[key]


def _keys(by: str, values, lookup: FlowLookup, cache: dict) -> list[str | None]:  # type: ignore[no-untyped-def]
    if by == "touchpoint":
        flow = _flow(lookup, cache, *values)
        if flow is None or not flow.touchpoints:
            return [None]
        return [tp.code for tp in flow.touchpoints]
    return [values[0]]


def conformance_sql(
    conn: Connection,
    flow_lookup: FlowLookup,
    by: str = "team",
    benchmark: float = 0.9,
    benchmarks: Mapping[str, float] | None = None,
    where: EventFilter = ALL_EVENTS,
    now: datetime | None = None,
) -> Report:
    """Teams (or agents) against the benchmark, from the SQL compliance rows."""
    from flowdesk.reports.measures import conformance_of

    if by not in ("team", "agent"):
        raise ValueError(f"conformance is by team or agent, not {by!r}")
    base = compliance_sql(conn, flow_lookup, by, None, where, now)
    return conformance_of(base, by, benchmark, benchmarks)
