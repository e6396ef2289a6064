"""``report steps`` in SQL: skip rate and median time per step, from ``step_day`` cells.

The definitions are those of :func:`flowdesk.reports.measures.steps`. The
window's whole UTC days are read from ``step_day`` (:mod:`flowdesk.reports.step_cells`),
one row per (flow, step, day, time bucket); the rows the cells leave out are read
from ``step_summary`` and folded in the same way: the runs opened in a part-day
at either end of the window, and the runs still open by their events that are
idle (so abandoned) by the report's "now". The median is then read from the
buckets (exact when the middle timing's bucket holds only it or equal ones,
else within one bucket, about 4.4 %; docs/measurement.md).

With an agent or team filter (cells are per site, not per agent) the report
reads the filtered step rows themselves and takes exact medians
(:func:`steps_exact`); the filter keeps that to a team's or agent's share.
So does a desk's SQLite store, always: it holds one desk's log, or the logs QA
imported, and ``report steps --json`` there gives the contract's exact medians.
The buckets are for the central store at a site's size.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Connection, and_, case, cast, func, or_, select

from flowdesk.reports.aggregate import count_if, window_conditions
from flowdesk.reports.compliance import Report, rate
from flowdesk.reports.runs import IDLE_LIMIT_US
from flowdesk.reports.step_cells import (
    DAY_US,
    STEP_FIELDS,
    TALLIES,
    Cells,
    add_steps,
    median_seconds,
)
from flowdesk.usage.rows import EventFilter
from flowdesk.usage.schema import ts_to_row
from flowdesk.usage.summary_schema import run_summary, step_day, step_summary

COLUMNS = ("key", "required", "on_path_runs", "skipped_runs", "skip_rate", "median_seconds")


def steps_sql(
    conn: Connection,
    where: EventFilter,
    now: datetime | None,
    flow_id: str | None = None,
    exact: bool | None = None,
) -> Report:
    """Skip rate and median time of each step of each flow (optionally of one flow).

    ``exact``: medians from the step rows themselves; by default on SQLite (a desk)
    and for an agent's or team's share, and read from the day cells' buckets on the
    central store.
    """
    if exact is None:
        exact = conn.dialect.name == "sqlite" or bool(where.agents or where.teams)
    if exact:
        return steps_exact(conn, where, now, flow_id)
    since = ts_to_row(where.since)[0] if where.since is not None else None
    until = ts_to_row(where.until)[0] if where.until is not None else None
    first = None if since is None else -(-since // DAY_US) * DAY_US  # the first whole day
    last = None if until is None else until // DAY_US * DAY_US  # the end of the last one
    extra: Cells = {}  # what the cells leave out, read from the step rows
    ss = step_summary.c
    fields = [ss[n] for n in STEP_FIELDS]
    flow_only = [ss.flow_id == flow_id] if flow_id is not None else []
    edges: list[tuple[int | None, int | None]] = []
    cells: Iterable[Sequence] = ()
    if first is not None and last is not None and first >= last:
        edges.append((since, until))  # less than a whole day: no cell fits
    else:
        cells = _cells(conn, first, last, flow_id)
        if since is not None and since < first:  # type: ignore[operator]
            edges.append((since, first))
        if until is not None and last < until:  # type: ignore[operator]
            edges.append((last, until))
    for low, high in edges:
        bounds = [ss.opened_us >= low] if low is not None else []
        bounds += [ss.opened_us < high] if high is not None else []
        stmt = select(*fields).where(*bounds, *flow_only, ss.ended == 1)
        add_steps(extra, conn.execute(stmt), by_day=False)
    cut = ts_to_row(now or datetime.now(UTC))[0] - IDLE_LIMIT_US
    idle = select(*fields).where(
        ss.ended == 0, ss.last_us <= cut, *window_conditions(step_summary, where), *flow_only
    )
    add_steps(extra, conn.execute(idle), by_day=False)
    added = sorted((*key, *tally) for key, tally in extra.items())
    return _report(conn, heapq.merge(cells, added), where)


def _cells(
    conn: Connection, first: int | None, last: int | None, flow_id: str | None
) -> Iterator[Sequence]:
    """The window's cells summed per (flow, step, bucket), in code point order of the ids
    (Python's), streamed: a site's month is a few hundred thousand of them."""
    sd = step_day.c
    conditions = []
    if first is not None:
        conditions.append(sd.day_us >= first)
    if last is not None:
        conditions.append(sd.day_us < last)
    if flow_id is not None:
        conditions.append(sd.flow_id == flow_id)
    tallies = [cast(func.sum(sd[n]), BigInteger) for n in TALLIES]
    flow, step = sd.flow_id, sd.step_id
    if conn.dialect.name == "postgresql":  # SQLite's default order is already the bytes'
        flow, step = flow.collate("C"), step.collate("C")  # type: ignore[assignment]
    stmt = (
        select(sd.flow_id, sd.step_id, sd.bucket, *tallies)
        .where(*conditions)
        .group_by(sd.flow_id, sd.step_id, sd.bucket)
        .order_by(flow, step, sd.bucket)
    )
    result = conn.execute(stmt)
    cursor = result.cursor
    try:
        while batch := cursor.fetchmany(20_000):
            yield from batch
    finally:
        result.close()


def _report(conn: Connection, cells: Iterable[Sequence], where: EventFilter) -> Report:
    """One row per (flow, step) from its cells, which arrive in (flow, step, bucket) order."""
    rows: list[dict[str, object]] = []
    names: dict[str, str] = {}  # one string per id, not one per row
    at: tuple[str, str] | None = None
    walked = skipped = required = 0
    histogram: list[tuple[int, int, int]] = []

    def close() -> None:
        if at is not None and (walked or histogram):
            flow, step = at
            needed = _required(conn, where, flow, step, walked, required)
            rows.append(_row(flow, step, needed, walked, skipped, median_seconds(histogram)))

    for flow, step, bucket, n_walked, n_skipped, n_required, timed, timed_us in cells:
        if at is None or (flow, step) != at:
            close()
            at = (names.setdefault(flow, flow), names.setdefault(step, step))
            walked = skipped = required = 0
            histogram = []
        walked += n_walked
        skipped += n_skipped
        required += n_required
        if timed and histogram and histogram[-1][0] == bucket:  # cells and rows read apart
            _b, n, sum_us = histogram[-1]
            histogram[-1] = (bucket, n + timed, sum_us + timed_us)
        elif timed:
            histogram.append((bucket, timed, timed_us))
    close()
    return Report("steps", COLUMNS, rows, {"steps": len(rows)})


def _row(
    flow: str, step: str, required: bool | None, walked: int, skipped: int, median: float | None
) -> dict[str, object]:
    return {
        "key": f"{flow}/{step}",
        "flow_id": flow,
        "step_id": step,
        "required": required,
        "on_path_runs": walked,
        "skipped_runs": skipped,
        "skip_rate": rate(skipped, walked),
        "median_seconds": median,
    }


def _required(
    conn: Connection, where: EventFilter, flow: str, step: str, walked: int, required: int
) -> bool | None:
    """Whether the step is required: as the latest completed run's flow version says.

    Counted in the cells when every run in the window agrees (the usual case);
    asked of the step rows when versions in the window disagree.
    """
    if not walked:
        return None
    if required in (0, walked):
        return required == walked
    ss = step_summary.c
    latest = select(func.max(ss.opened_us * 2 + ss.required)).where(
        *window_conditions(step_summary, where),
        ss.flow_id == flow,
        ss.step_id == step,
        ss.completed == 1,
        ss.on_path == 1,
    )
    return bool(int(conn.execute(latest).scalar_one()) % 2)


def steps_exact(
    conn: Connection, where: EventFilter, now: datetime | None, flow_id: str | None = None
) -> Report:
    """The steps report from the step rows themselves, with exact medians."""
    ss = step_summary.c
    cut = ts_to_row(now or datetime.now(UTC))[0] - IDLE_LIMIT_US
    conditions = [*window_conditions(step_summary, where), or_(ss.ended == 1, ss.last_us <= cut)]
    if flow_id is not None:
        conditions.append(ss.flow_id == flow_id)
    conditions += through_runs(conn, where, flow_id)
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
        needed = None if required < 0 else bool(required % 2)
        rows.append(_row(flow, step, needed, on_path, skipped, medians.get((flow, step))))
    return Report("steps", COLUMNS, rows, {"steps": len(rows)})


def through_runs(conn: Connection, where: EventFilter, flow_id: str | None) -> list:  # type: ignore[type-arg]
    """On PostgreSQL, a team's or agent's step rows found through their runs.

    Read by the (flow, step, opened) index, one agent's steps of a busy flow are a
    few hundred among a month's hundreds of thousands, every one fetched and
    filtered (2.2 s at 20 M events); their runs come from run_summary's (team,
    opened) index, and their steps by run id (0.05 s). The condition selects the
    same rows: a step row carries its run's agent, team and opening time.
    """
    if conn.dialect.name != "postgresql" or not (where.agents or where.teams):
        return []
    rs = run_summary.c
    runs = select(rs.run_id).where(*window_conditions(run_summary, where))
    if flow_id is not None:
        runs = runs.where(rs.flow_id == flow_id)
    return [step_summary.c.run_id.in_(runs)]


def _medians(conn: Connection, conditions: list) -> dict[tuple[str, str], float]:  # type: ignore[type-arg]
    """Median seconds per (flow, step), as :func:`statistics.median` gives it.

    Only the middle value (odd count) or the two middle values (even count) of
    each step leave the database; the mean of two is taken here.
    """
    ss = step_summary.c
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
