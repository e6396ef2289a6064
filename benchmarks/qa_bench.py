"""The QA workspace on a site's month: open → summary shown ≤ 2 s, each drill-down step ≤ 1 s.

The data is the site-scale generator's (``benchmarks.site_month``: 1,500 desks in
teams of 15 on the 10,000-flow synthetic pack), written into a real SQLite
usage store and folded into summaries first, as a QA desk holds it after
``usage import``, or (``--store postgres``) into a real central PostgreSQL store
made as ``usage central`` makes it, with a site's server settings, filled and
folded as the site-scale benchmark fills it. The calls are spread over November's 30 days (the first
hours of each day: the generator's order) so the month's trend has every day.

Measured in the real window (offscreen), with the real threaded
:class:`~flowdesk.ui.tasks.TaskRunner`: from the window's creation to the
overview's figures on screen (bringing summaries current included), then one
drill-down step at a time down the worst team: team → its agents, agent → its
flows, flow → its steps, step → the runs that skipped it (each drawn as a path).

Run alone: ``python -m benchmarks.qa_bench [--events N] [--flows N] [--store postgres]
[--keep DIR]`` (``--keep``: the filled store stays in DIR and a later run measures it
again without filling it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

from benchmarks.scale_bench import _analyze, _expand, _load_generator, _lookup
from benchmarks.site_month import CALLS_PER_DAY, SiteMonth, calls, calls_for, measured, site

DAYS = 30
OCTOBER = 100_000_000  # call numbers of the month before (their ids stay unique)
MONTH_US = 31 * 86_400_000_000


def month_calls(month: SiteMonth, events: int) -> list[tuple]:
    """The calls of about ``events`` events: half over November's 30 days, half over October's
    (the same site, other draws, 31 days earlier, call numbers from ``OCTOBER`` on)."""
    per_day = calls_for(month, events) // DAYS // 2
    rows: list[tuple] = []
    for day in range(DAYS):
        rows += calls(month, day * CALLS_PER_DAY, per_day)
        rows += [
            (n + OCTOBER, agent, team, start - MONTH_US, flow, variant, late)
            for n, agent, team, start, flow, variant, late in calls(
                month, day * CALLS_PER_DAY, per_day, seed=2
            )
        ]
    return rows


def fill(engine: Engine, month: SiteMonth, events: int) -> tuple[int, float, float]:
    """Write about ``events`` events over October and November into the usage store of
    ``engine`` (its schema made) and fold them into summaries: (events, seconds to write,
    seconds to fold). The site-scale benchmark's generator, loader and expansion."""
    from flowdesk.reports.summarise import ensure_current

    with engine.begin() as conn:
        _load_generator(conn, month, 0, month_calls(month, events))
    started = time.perf_counter()
    written = 0
    for first in (0, OCTOBER):  # a site's day at a time
        for day in range(DAYS):
            lo = first + day * CALLS_PER_DAY
            written += _expand(engine, month, lo, lo + CALLS_PER_DAY)
    _analyze(engine, "usage_event")
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    ensure_current(engine, _lookup(month))
    _analyze(engine, "run_summary, step_summary")
    return written, inserted, time.perf_counter() - started


def sqlite_store(path: Path) -> Engine:
    from flowdesk.usage.schema import sqlite_engine

    return sqlite_engine(path, synchronous="NORMAL")


@contextmanager
def postgres_store(root: Path) -> Iterator[tuple[str, bool]]:
    """A central PostgreSQL store under ``root``, as ``usage central`` makes it, started:
    (its URL, whether it already holds a benchmark month). Stopped on leaving."""
    from sqlalchemy import create_engine

    from benchmarks.scale_push import pg_cluster
    from flowdesk.usage.central_schema import create_schema, ensure_months
    from tests.usage.pg_server import PASSWORD, USER, PgServer, _bindir, _free_port

    filled = (root / "pg" / "data").is_dir()
    if filled:  # kept by an earlier run (--keep): start it again on a free port
        run_as = "postgres" if os.geteuid() == 0 else None
        server = PgServer(_bindir(), root / "pg", _free_port(), run_as)  # type: ignore[arg-type]
        server.start()
    else:
        root.chmod(0o755)  # the server runs as its own user
        server = pg_cluster(root / "pg")
    try:
        url = f"postgresql+psycopg://{USER}:{PASSWORD}@127.0.0.1:{server.port}/postgres"
        if not filled:
            engine = create_engine(url)
            with engine.begin() as conn:
                create_schema(conn)
                ensure_months(conn, date(2026, 10, 1), date(2026, 12, 1))
            engine.dispose()
        yield url, filled
    finally:
        server.stop("fast")


def measure(month: SiteMonth, target: str) -> dict[str, float]:
    """Open the workspace on ``target`` (a SQLite file or a PostgreSQL URL) and walk down the
    worst team, seconds for each."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from sqlalchemy import create_engine

    from flowdesk.reports.review_drill import Drill, Period, QaQueries
    from flowdesk.ui.app import application
    from flowdesk.ui.qa_workspace.window import QaWorkspace
    from flowdesk.ui.tasks import TaskRunner

    app = application()
    flows = {f.id: f for f in month.pack.flows}
    engine = sqlite_store(Path(target)) if target.endswith(".sqlite3") else create_engine(target)

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

    def idle() -> None:
        deadline = time.perf_counter() + 120
        while window.asker.waiting and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

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
    idle()  # October's flows beside November's, the last answer
    out["open_compared"] = time.perf_counter() - started
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
    # ◀ to October and ▶ back: October was counted beside November, only September is new;
    # November again is counted already.
    window.tabs.setCurrentIndex(0)
    for name, button in (("back", window.period_bar.back), ("forward", window.period_bar.forward)):
        started = time.perf_counter()
        button.click()
        idle()
        out[name] = time.perf_counter() - started
    window.close()
    window.runner.wait()
    engine.dispose()
    return out


def run(
    quick: bool,
    events: int | None = None,
    n_flows: int | None = None,
    store: str = "sqlite",
    keep: Path | None = None,
) -> list[dict]:
    """Fill a store (``sqlite`` or ``postgres``) and measure the workspace on it.

    ``keep``: build the store in this folder and leave it there; a later run with the
    same folder measures it again without building it (the events it holds are kept
    beside it in ``events.txt``)."""
    events = events or (300_000 if quick else 1_000_000)
    n_flows = n_flows or (2_000 if quick else 10_000)
    month = site(n_flows)
    with ExitStack() as stack:
        work = keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="qa-bench-")))
        work.mkdir(parents=True, exist_ok=True)
        count = work / "events.txt"
        if store == "postgres":
            target, filled = stack.enter_context(postgres_store(work))
        else:
            target = str(work / "usage.sqlite3")
            filled = Path(target).exists()
        setup: list[dict] = []
        if filled and count.exists():
            written = int(count.read_text(encoding="ascii"))
        else:
            from sqlalchemy import create_engine

            engine = sqlite_store(Path(target)) if store == "sqlite" else create_engine(target)
            written, inserted, folded = fill(engine, month, events)
            engine.dispose()
            count.write_text(str(written), encoding="ascii")
            setup = [("write the events (setup)", inserted), ("fold them (setup)", folded)]
        got = measure(month, target)
    name = "PostgreSQL central store" if store == "postgres" else "SQLite"
    tag = f"QA workspace, {written / 1e6:.2f} M events, {n_flows:,} flows, {name}"
    rows = [measured(f"{tag}: {what}", seconds, "s") for what, seconds in setup]
    rows += [
        measured(f"{tag}: open → summary shown (figures, teams)", got["open"], "s", "≤ 2 s"),
        measured(f"{tag}: … then every flow ranked", got["open_all"], "s"),
        measured(f"{tag}: … then October beside every flow", got["open_compared"], "s"),
        measured(f"{tag}: ◀ to October, every answer in (September new)", got["back"], "s"),
        measured(f"{tag}: ▶ back to November, every answer in (counted once)", got["forward"],
                 "s"),
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
        compared = (
            f"previous period beside them at {got[level + '_compared']:.2f} s)"
            if level not in ("step", "site_step")
            else "nothing to compare)"
        )
        rows.append(
            measured(
                f"{tag}: drill {name} ({int(got[level + '_rows'])} rows; {compared}",
                got[level],
                "s",
                "≤ 1 s",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.qa_bench")
    parser.add_argument("--events", type=int, help="about this many events (default 1,000,000)")
    parser.add_argument("--flows", type=int, help="flows in the pack (default 10,000)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--store",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="the desk's SQLite log (default) or a central PostgreSQL store",
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="build the store in DIR and keep it; reuse it"
    )
    args = parser.parse_args(argv)
    for row in run(args.quick, args.events, args.flows, args.store, args.keep):
        print(
            f"{row['benchmark']}: {row['value']:.3f} {row['unit']}  {row.get('bar', '')}"
            f"  (load {row['load']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
