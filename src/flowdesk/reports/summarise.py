"""Keeping run and step summaries current: each run re-derived from all its events.

A run's summary is rebuilt by the same code that defines a run
(:func:`flowdesk.reports.runs._rebuild` and :class:`PathJudge`), from every
event carrying its ``run_id`` plus the first ``call_end`` of its call, so the
result never depends on arrival order, duplicates or how the events were
batched. When events arrive, the runs they touch are rebuilt:

* on a desk (SQLite), the events after the ``summarised_seq`` mark (one writer,
  so ``seq`` is commit order);
* on a central PostgreSQL, the runs and calls queued by its insert trigger
  (concurrent pushes commit out of ``seq`` order, a queue does not care).

A call's ``call_end`` touches every run of that call. Idleness at "now" is left
to the reports (``last_us``), so a summary never goes stale by the clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ARRAY, Connection, Engine, Text, any_, bindparam, delete, func, select
from sqlalchemy.sql.elements import ColumnElement

from flowdesk.reports import run_cells, step_cells
from flowdesk.reports.queries import _KINDS
from flowdesk.reports.runs import FlowLookup, LoggedRun, PathJudge, _rebuild
from flowdesk.usage.schema import usage_event
from flowdesk.usage.summary_schema import (
    RUN_COLUMNS,
    STEP_COLUMNS,
    run_day,
    run_summary,
    step_day,
    step_summary,
    summary_state,
)

CHUNK = 2_000  # runs rebuilt per query round trip
_NEVER_IDLE = -(2**62)  # a horizon so early that no run idles by it
_DAY_US = 86_400_000_000
_MARK = "summarised_seq"
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_EVENT_COLUMNS = (
    "run_id", "ts_us", "seq", "tz_min", "call_id", "agent_id", "team",
    "pack_id", "pack_sequence", "flow_id", "type", "step_id", "option",
)  # fmt: skip


@dataclass(frozen=True)
class SummaryResult:
    """What a summarising pass did: runs rebuilt, and whether it started from scratch."""

    runs: int
    rebuilt_all: bool = False


def summarise_run(run: LoggedRun, last_us: int, judge: PathJudge) -> tuple[tuple, list[tuple]]:
    """The ``run_summary`` row and ``step_summary`` rows of one rebuilt run."""
    judged = judge.path(run)
    compliant = required_done = required_skipped = None
    left_at: str | None = None
    steps: list[tuple] = []
    if judged is not None:
        path, required = judged
        verdict = judge.compliant(run)
        compliant = int(bool(verdict))
        first: dict[str, int] = {}
        previous = run.opened_us
        for step_id, ts in run.steps_done:
            if step_id not in first:
                first[step_id] = max(ts - previous, 0)
            previous = ts
        required_done = sum(1 for s in required if s in first)
        required_skipped = len(required) - required_done
        left_at = path[0] if path else None
        for i, step_id in enumerate(path):
            if step_id in first:
                left_at = path[i + 1] if i + 1 < len(path) else step_id
        completed = int(run.outcome == "completed")
        ended = int(run.outcome != "open")
        required_set = set(required)
        on_path = set(path)
        for step_id in dict.fromkeys([*path, *first]):
            steps.append(
                (run.run_id, run.opened_us, run.agent_id, run.team, run.flow_id, step_id,
                 completed, ended, last_us, int(step_id in on_path),
                 int(step_id in required_set), int(step_id in first), first.get(step_id))
            )  # fmt: skip
    row = (
        run.run_id, run.opened_us, run.tz_min, (run.opened_us + run.tz_min * 60_000_000) // _DAY_US,
        run.agent_id, run.team, run.call_id, run.pack_id, run.pack_sequence, run.flow_id,
        run.outcome, run.end_reason, run.ended_us, last_us, int(judged is not None), compliant,
        required_done, required_skipped, left_at,
        _json(run.steps_done),
        _json(run.choices),
    )  # fmt: skip
    return row, steps


def rebuild_runs(
    rows: Iterable[Sequence], call_ends: dict[str, int], judge: PathJudge
) -> Iterator[tuple[tuple, list[tuple]]]:
    """Summaries of the runs among event rows (:data:`_EVENT_COLUMNS` order)."""
    opens: dict[str, tuple] = {}
    steps: dict[str, list[tuple]] = {}
    for r in rows:
        run_id, ts, seq, tz_min, call_id, agent, team, pack, sequence, flow, kind = r[:11]
        if kind == "flow_open":
            if pack is None or flow is None:
                continue
            opening = (run_id, ts, seq, tz_min, call_id, agent, team, pack, sequence, flow)
            known = opens.get(run_id)
            if known is None or (ts, seq) < (known[1], known[2]):
                opens[run_id] = opening
        else:
            code = _KINDS.get(kind)
            if code is not None:
                steps.setdefault(run_id, []).append((ts, seq, code, r[11], r[12], run_id))
    for run_id, opening in opens.items():
        own = steps.get(run_id, [])
        run = _rebuild(opening, own, call_ends, _NEVER_IDLE)
        last = max([opening[1], *(s[0] for s in own)])
        yield summarise_run(run, last, judge)


def among(column, conn: Connection) -> ColumnElement[bool]:  # type: ignore[no-untyped-def]
    """``column`` is one of the ``ids`` parameter's values.

    PostgreSQL gets one array parameter (``= ANY(:ids)``): a statement with
    thousands of separate parameters costs more to build and parse than to run.
    """
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam("ids", type_=ARRAY(Text)))
    return column.in_(bindparam("ids", expanding=True))


class Summariser:
    """Rebuilds the summaries of given runs on one connection (inside its transaction)."""

    def __init__(self, conn: Connection, flow_lookup: FlowLookup) -> None:
        self.conn = conn
        self.judge = PathJudge(flow_lookup)
        self._sqlite = conn.dialect.name == "sqlite"
        self.cells: step_cells.Cells = {}  # step_day deltas not yet written
        self.run_cells: run_cells.Cells = {}  # run_day deltas not yet written

    def rebuild(self, run_ids: Sequence[str], clear: bool = True) -> int:
        """Re-derive the summaries of these runs from their events; returns runs written."""
        written = 0
        ids = sorted(set(run_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            c = usage_event.c
            stmt = select(*(c[n] for n in _EVENT_COLUMNS)).where(among(c.run_id, self.conn))
            written += self._write(self._rows(stmt, chunk), chunk if clear else None)
        self._flush()
        return written

    def _flush(self) -> None:
        step_cells.flush(self.conn, self.cells)
        run_cells.flush(self.conn, self.run_cells)

    def rebuild_all(self) -> int:
        """Every run from scratch, a range of run ids at a time (memory stays flat)."""
        for table in (run_day, step_day, step_summary, run_summary):
            self.conn.execute(delete(table))
        c = usage_event.c
        written, after = 0, ""
        while True:
            bounds = select(c.run_id).where(c.type == "flow_open", c.run_id > after)
            ids = self.conn.execute(bounds.order_by(c.run_id).limit(CHUNK)).scalars().all()
            if not ids:
                self._flush()
                return written
            stmt = select(*(c[n] for n in _EVENT_COLUMNS)).where(
                c.run_id >= ids[0], c.run_id <= ids[-1]
            )
            written += self._write(self._rows(stmt), None)
            after = ids[-1]

    def _rows(self, stmt, ids: list[str] | None = None) -> list[Sequence]:  # type: ignore[no-untyped-def]
        result = self.conn.execute(stmt, {"ids": ids} if ids is not None else {})
        rows = result.cursor.fetchall() if result.cursor is not None else []
        result.close()
        return rows

    def _call_ends(self, call_ids: list[str]) -> dict[str, int]:
        c = usage_event.c
        found: dict[str, int] = {}
        for start in range(0, len(call_ids), CHUNK):
            chunk = call_ids[start : start + CHUNK]
            stmt = (
                select(c.call_id, func.min(c.ts_us))
                .where(c.type == "call_end", among(c.call_id, self.conn))
                .group_by(c.call_id)
            )
            found.update(dict(self._rows(stmt, chunk)))
        return found

    def _write(self, rows: list[Sequence], clear: list[str] | None) -> int:
        call_ids = sorted({r[4] for r in rows if r[10] == "flow_open" and r[4] is not None})
        call_ends = self._call_ends(call_ids)
        runs: list[tuple] = []
        steps: list[tuple] = []
        for run_row, step_rows in rebuild_runs(rows, call_ends, self.judge):
            runs.append(run_row)
            steps.extend(step_rows)
        if clear:
            ss = step_summary.c
            fields = [ss[n] for n in step_cells.STEP_FIELDS]
            old = self.conn.execute(
                delete(step_summary)
                .where(among(ss.run_id, self.conn))
                .returning(ss.ended, *fields),
                {"ids": clear},
            ).all()
            step_cells.add_steps(self.cells, (r[1:] for r in old if r[0]), -1)
            rs = run_summary.c
            gone = self.conn.execute(
                delete(run_summary)
                .where(among(rs.run_id, self.conn))
                .returning(*(rs[n] for n in run_cells.RUN_FIELDS)),
                {"ids": clear},
            ).all()
            run_cells.add_runs(self.run_cells, gone, -1)
        step_cells.add_steps(self.cells, step_cells.ended_rows(steps))
        run_cells.add_runs(self.run_cells, run_cells.run_fields(runs))
        if len(self.cells) > step_cells.FLUSH_CELLS or len(self.run_cells) > run_cells.FLUSH_CELLS:
            self._flush()
        insert_rows(self.conn, "run_summary", RUN_COLUMNS, runs)
        insert_rows(self.conn, "step_summary", STEP_COLUMNS, steps)
        return len(runs)


def insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """Many rows at once: COPY on PostgreSQL, DB-API executemany on SQLite."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.cursor()
        try:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()
        return
    mark = "?"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


# -- the desk's SQLite: summarise what arrived after the mark --------------------------


def _mark(conn: Connection) -> int:
    value = conn.execute(
        select(summary_state.c.value).where(summary_state.c.name == _MARK)
    ).scalar_one_or_none()
    return int(value or 0)


def _set_mark(conn: Connection, seq: int) -> None:
    conn.execute(delete(summary_state).where(summary_state.c.name == _MARK))
    conn.execute(summary_state.insert().values(name=_MARK, value=seq))


#: Past this many new events (and half the log) a full rebuild is cheaper
#: than rebuilding run by run: one range scan instead of a lookup per run.
_FULL_REBUILD_EVENTS = 50_000


def summarise_sqlite(engine: Engine, flow_lookup: FlowLookup, full: bool = False) -> SummaryResult:
    """Fold the desk's new events into its summaries (or rebuild them all with ``full``).

    When nothing is new (the usual report) it only reads, so a report on a log
    that is current never takes the write lock, and works on a read-only file.
    """
    if not full:
        with engine.connect() as conn:
            if _mark(conn) == _top(conn) and not unresolved_now_known(conn, PathJudge(flow_lookup)):
                return SummaryResult(0)
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # one summariser at a time, a stable snapshot
        try:
            result = _summarise_sqlite(conn, flow_lookup, full)
            conn.commit()
            return result
        except BaseException:
            conn.rollback()
            raise


def _top(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(usage_event.c.seq), 0))).scalar_one())


def _summarise_sqlite(conn: Connection, flow_lookup: FlowLookup, full: bool) -> SummaryResult:
    c = usage_event.c
    mark = _mark(conn)
    top = _top(conn)
    summariser = Summariser(conn, flow_lookup)
    if not full and top - mark > max(_FULL_REBUILD_EVENTS, top // 2):
        full = True  # most of the log is new (a first summary, a big import): one pass
    if full:
        runs = summariser.rebuild_all()
        _set_mark(conn, top)
        return SummaryResult(runs, rebuilt_all=True)
    touched = unresolved_now_known(conn, summariser.judge)
    if top > mark:
        new = (c.seq > mark) & (c.seq <= top)
        touched.update(
            conn.execute(select(c.run_id).distinct().where(new, c.run_id.is_not(None))).scalars()
        )
        ends = select(c.call_id).where(new, c.type == "call_end", c.call_id.is_not(None))
        touched.update(
            conn.execute(
                select(run_summary.c.run_id).where(run_summary.c.call_id.in_(ends))
            ).scalars()
        )
        _set_mark(conn, top)
    return SummaryResult(summariser.rebuild(sorted(touched)) if touched else 0)


def unresolved_now_known(conn: Connection, judge: PathJudge) -> set[str]:
    """Runs judged without their flow whose pack version has since arrived on this desk.

    Cheap when there are none (the usual report): a partial index holds only them.
    """
    rs = run_summary.c
    versions = conn.execute(
        select(rs.pack_id, rs.pack_sequence, rs.flow_id).distinct().where(rs.resolved == 0)
    ).all()
    known = [v for v in versions if judge._lookup(*v) is not None]
    runs: set[str] = set()
    for pack_id, sequence, flow_id in known:
        stmt = select(rs.run_id).where(
            rs.resolved == 0,
            rs.pack_id == pack_id,
            rs.pack_sequence == sequence,
            rs.flow_id == flow_id,
        )
        runs.update(conn.execute(stmt).scalars())
    return runs


def pending_events(engine: Engine) -> int:
    """Events on the desk not yet folded into its summaries."""
    with engine.connect() as conn:
        top = conn.execute(select(func.coalesce(func.max(usage_event.c.seq), 0))).scalar_one()
        return max(int(top) - _mark(conn), 0)


def ensure_current(engine: Engine, flow_lookup: FlowLookup) -> None:
    """Before a report: summarise what arrived since the last one, where this role may."""
    if engine.dialect.name == "sqlite":
        summarise_sqlite(engine, flow_lookup)
        return
    from flowdesk.reports.central_summary import summarise_central

    summarise_central(engine, flow_lookup, only_if_allowed=True)
