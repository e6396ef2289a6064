"""The QA workspace on a site's month: open → summary shown ≤ 2 s, each drill-down step ≤ 1 s.

The data is the site-scale generator's (``benchmarks.site_month``: 1,500 desks in
teams of 15 on the 10,000-flow synthetic pack), written into a real SQLite
usage store and folded into summaries first, as a QA desk holds it after
``usage import``. The calls are spread over November's 30 days (the first
hours of each day: the generator's order) so the month's trend has every day.

Measured in the real window (offscreen), with the real threaded
:class:`~flowdesk.ui.tasks.TaskRunner`: from the window's creation to the
overview's figures on screen (bringing summaries current included), then one
drill-down step at a time down the worst team: team → its agents, agent → its
flows, flow → its steps, step → the runs that skipped it (each drawn as a path).

Run alone: ``python -m benchmarks.qa_bench [--events N] [--flows N]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.scale_bench import _lookup
from benchmarks.site_month import (
    CALL_DDL,
    CALLS_PER_DAY,
    TPL_DDL,
    SiteMonth,
    calls,
    expand_sql,
    site,
)

DAYS = 30
OCTOBER = 100_000_000  # call numbers of the month before (their ids stay unique)
MONTH_US = 31 * 86_400_000_000


def build(month: SiteMonth, events: int, path: Path) -> tuple[int, float]:
    """A usage store of about ``events`` events over October and November; (events, seconds
    to fold)."""
    from sqlalchemy import text

    from flowdesk.reports.summarise import summarise_sqlite
    from flowdesk.usage.schema import sqlite_engine

    engine = sqlite_engine(path, synchronous="NORMAL")
    per_day = int(events / 14.5 / DAYS / 2)  # half in November, half in October
    with engine.begin() as conn:
        conn.exec_driver_sql(TPL_DDL)
        conn.exec_driver_sql(CALL_DDL)
        raw = conn.connection.driver_connection
        raw.executemany("INSERT INTO bench_tpl VALUES (?,?,?,?,?,?,?,?,?)", month.tpl)
        for day in range(DAYS):
            rows = calls(month, day * CALLS_PER_DAY, per_day)
            raw.executemany("INSERT INTO bench_call VALUES (?,?,?,?,?,?,?)", rows)
            earlier = [  # October: the same site, other draws, 31 days earlier
                (n + OCTOBER, agent, team, start - MONTH_US, flow, variant, late)
                for n, agent, team, start, flow, variant, late in calls(
                    month, day * CALLS_PER_DAY, per_day, seed=2
                )
            ]
            raw.executemany("INSERT INTO bench_call VALUES (?,?,?,?,?,?,?)", earlier)
        conn.exec_driver_sql("CREATE INDEX ix_bench_tpl ON bench_tpl (flow_idx, variant)")
        conn.exec_driver_sql("CREATE INDEX ix_bench_call ON bench_call (call_no)")
    written = 0
    for late in (0, 1):
        with engine.begin() as conn:
            result = conn.execute(
                text(expand_sql("sqlite")),
                {
                    "pack": month.pack.id,
                    "lo": 0,
                    "hi": OCTOBER + DAYS * CALLS_PER_DAY,
                    "late": late,
                },
            )
            written += max(result.rowcount, 0)
    started = time.perf_counter()
    summarise_sqlite(engine, _lookup(month))
    folded = time.perf_counter() - started
    engine.dispose()
    return written, folded


def measure(month: SiteMonth, path: Path) -> dict[str, float]:
    """Open the workspace on ``path`` and walk down the worst team, seconds for each."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from flowdesk.reports.review_drill import Drill, Period, QaQueries
    from flowdesk.ui.app import application
    from flowdesk.ui.qa_workspace.window import QaWorkspace
    from flowdesk.ui.tasks import TaskRunner
    from flowdesk.usage.schema import sqlite_engine

    app = application()
    flows = {f.id: f for f in month.pack.flows}
    engine = sqlite_engine(path)

    def open_queries() -> QaQueries:
        queries = QaQueries(
            engine, _lookup(month), month.pack.offered_touchpoints(), flows.get, pack=month.pack
        )
        queries.prepare()
        return queries

    def wait(signal, what: str | None = None) -> None:  # type: ignore[no-untyped-def]
        loop = QEventLoop()
        if what is None:
            signal.connect(loop.quit)
        else:
            signal.connect(lambda shown: shown == what and loop.quit())
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()

    out: dict[str, float] = {}
    started = time.perf_counter()
    window = QaWorkspace(
        open_queries, TaskRunner(1), period=Period.around("month", date(2026, 11, 1))
    )
    window.resize(1920, 1080)
    window.show()
    wait(window.ready)
    out["open"] = time.perf_counter() - started
    if window.asker.waiting:  # the trend and the flows, asked after the summary
        wait(window.shown, "overview")
    out["open_all"] = time.perf_counter() - started
    app.processEvents()
    out["teams"] = float(window.overview.teams.rows.height() and len(window.overview.teams._all))
    worst = window.overview.teams.shown()[0].label
    drill = Drill(team=worst)
    for level in ("team", "agent", "flow", "step"):
        started = time.perf_counter()
        window.show_drill(drill, switch=True)
        wait(window.shown, "level")
        out[level] = time.perf_counter() - started
        if window.asker.waiting:  # the previous period's rows, filled in beside them
            wait(window.shown, "compared")
        out[f"{level}_compared"] = time.perf_counter() - started
        page = window.drill
        rows = [page.model.row(i) for i in range(page.model.rowCount())]
        out[f"{level}_rows"] = float(len(rows))
        if level == "step":
            break
        if level == "flow":  # the step most skipped
            rows = sorted(rows, key=lambda r: -(r.get("skipped_runs") or 0))  # type: ignore[operator]
        else:
            rows = sorted(rows, key=lambda r: -(r.get("runs") or 0))  # type: ignore[operator]
        drill = drill.into(str(rows[0]["key"]))
    # From the process map: the site's most used flow, all teams, down to the runs.
    busiest = max(window.overview.flows._all, key=lambda b: b.runs or 0).label
    flow_id = window.overview._flow_ids.get(busiest, busiest)
    drill = Drill(flow=flow_id)
    for level in ("site_flow", "site_step"):
        started = time.perf_counter()
        window.show_drill(drill, switch=True)
        wait(window.shown, "level")
        out[level] = time.perf_counter() - started
        if window.asker.waiting:
            wait(window.shown, "compared")
        out[f"{level}_compared"] = time.perf_counter() - started
        rows = [window.drill.model.row(i) for i in range(window.drill.model.rowCount())]
        out[f"{level}_rows"] = float(len(rows))
        if rows and level == "site_flow":
            most = max(rows, key=lambda r: r.get("skipped_runs") or 0)
            drill = drill.into(str(most["key"]))
    window.close()
    window.runner.wait()
    engine.dispose()
    return out


def run(quick: bool, events: int | None = None, n_flows: int | None = None) -> list[dict]:
    events = events or (300_000 if quick else 1_000_000)
    n_flows = n_flows or (2_000 if quick else 10_000)
    month = site(n_flows)
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as work:
        path = Path(work) / "usage.sqlite3"
        written, folded = build(month, events, path)
        got = measure(month, path)
    tag = f"QA workspace, {written / 1e6:.2f} M events, {n_flows:,} flows, SQLite"
    rows = [
        {"benchmark": f"{tag}: fold into summaries (setup)", "value": folded, "unit": "s"},
        {"benchmark": f"{tag}: open → summary shown (figures, teams)", "value": got["open"],
         "unit": "s", "bar": "≤ 2 s"},
        {"benchmark": f"{tag}: … then every flow ranked", "value": got["open_all"],
         "unit": "s"},
    ]  # fmt: skip
    names = {
        "team": "team → its agents",
        "agent": "agent → its flows",
        "flow": "flow → its steps",
        "step": "step → the runs that skipped it",
        "site_flow": "map cell → its flow's steps, all teams",
        "site_step": "step → the runs that skipped it, all teams (newest 500 at most)",
    }
    for level, name in names.items():
        rows.append(
            {
                "benchmark": f"{tag}: drill {name} ({int(got[level + '_rows'])} rows; "
                + (
                    f"previous period beside them at {got[level + '_compared']:.2f} s)"
                    if level not in ("step", "site_step")
                    else "nothing to compare)"
                ),
                "value": got[level],
                "unit": "s",
                "bar": "≤ 1 s",
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.qa_bench")
    parser.add_argument("--events", type=int, help="about this many events (default 1,000,000)")
    parser.add_argument("--flows", type=int, help="flows in the pack (default 10,000)")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    for row in run(args.quick, args.events, args.flows):
        print(f"{row['benchmark']}: {row['value']:.3f} {row['unit']}  {row.get('bar', '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
