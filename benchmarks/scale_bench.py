"""Measurement at a site's scale (issue 13's bars), on PostgreSQL and on SQLite.

* ingest: events written into a real PostgreSQL (partitioned, trigger-queued)
  and folded into run summaries, per million events;
* every report over 3, 10 and 30 million events (``--quick``: 0.3 and 1
  million), each size in a fresh child process whose peak memory is measured,
  so the slope to a site's 170 million a month is measured, not guessed;
* 200 desks pushing at once with their least-privilege role (nothing lost,
  nothing twice);
* the desk's bar: a log written outside FlowDesk (by SQLite's own JSON
  functions), ``flowdesk usage import``, then ``flowdesk report compliance
  --by team --json`` as a whole process, with its totals checked.

Run alone: ``python -m benchmarks.scale_bench [--quick] [--sizes 3,10,30]
[--only pg|sqlite|desk|push]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.site_month import (
    CALL_DDL,
    TPL_DDL,
    SiteMonth,
    calls,
    calls_for,
    expand_sql,
    measured,
    required_counts,
    site,
)

ROOT = Path(__file__).resolve().parent.parent

REPORTS = (
    "compliance_team",
    "compliance_flow",
    "compliance_agent",
    "compliance_touchpoint",
    "compliance_team_day",
    "abandon",
    "steps",
    "steps_from_data",
    "coverage",
    "search_misses",
    "conformance",
)


def _load_generator(conn, month: SiteMonth, n_calls: int, rows: list[tuple] | None = None) -> None:  # type: ignore[no-untyped-def]
    """The generator's tables: the flows' templates and calls 0 … ``n_calls`` (or ``rows``)."""
    from sqlalchemy import text

    conn.exec_driver_sql(TPL_DDL)
    conn.exec_driver_sql(CALL_DDL)
    conn.exec_driver_sql("CREATE TABLE bench_required (flow_idx INTEGER, n_required INTEGER)")
    rows = calls(month, 0, n_calls) if rows is None else rows
    if conn.dialect.name == "postgresql":
        cur = conn.connection.cursor()
        for table, data in (
            ("bench_tpl", month.tpl),
            ("bench_call", rows),
            ("bench_required", required_counts(month)),
        ):
            with cur.copy(f"COPY {table} FROM STDIN") as copy:
                for r in data:
                    copy.write_row(r)
        cur.close()
    else:
        raw = conn.connection.driver_connection
        raw.executemany("INSERT INTO bench_tpl VALUES (?,?,?,?,?,?,?,?,?)", month.tpl)
        raw.executemany("INSERT INTO bench_call VALUES (?,?,?,?,?,?,?)", rows)
        raw.executemany("INSERT INTO bench_required VALUES (?,?)", required_counts(month))
    conn.exec_driver_sql("CREATE INDEX ix_bench_tpl ON bench_tpl (flow_idx, variant)")
    conn.exec_driver_sql("CREATE INDEX ix_bench_call ON bench_call (call_no)")
    conn.execute(text("SELECT 1"))


def _expand(engine, month: SiteMonth, lo: int, hi: int) -> int:  # type: ignore[no-untyped-def]
    """Write calls lo…hi as events: on-time desks first, the late desks after."""
    from sqlalchemy import text

    written = 0
    for late in (0, 1):
        with engine.begin() as conn:
            result = conn.execute(
                text(expand_sql(conn.dialect.name)),
                {"pack": month.pack.id, "lo": lo, "hi": hi, "late": late},
            )
            written += max(result.rowcount, 0)
    return written


def _lookup(month: SiteMonth):  # type: ignore[no-untyped-def]
    flows = {f.id: f for f in month.pack.flows}

    def lookup(pack_id: str, sequence: int, flow_id: str):  # type: ignore[no-untyped-def]
        return flows.get(flow_id) if pack_id == month.pack.id else None

    return lookup


class HeadsLookup:
    """The reporting child's flow lookup: flow heads (title, touch points) read from a
    file, as a desk reads them from its store's flow rows, not the whole pack.

    Called for a whole flow (summarising a run, which the child never has to: the
    parent summarised) it would build the pack; ``whole_built`` says whether it did.
    """

    def __init__(self, path: Path) -> None:
        from flowdesk.model import FlowHead, TouchPoint

        data = json.loads(path.read_text(encoding="utf-8"))
        self.pack_id: str = data["pack"]
        self.n_flows = len(data["flows"])
        self.heads = {
            f: FlowHead(f, title, None, tuple(TouchPoint(*tp) for tp in tps))
            for f, title, tps in data["flows"]
        }
        self.offered = [TouchPoint(*tp) for tp in data["offered"]]
        self._whole = None

    @staticmethod
    def write(month: SiteMonth, path: Path) -> Path:
        flows = [
            [f.id, f.title, [[t.channel, t.brand, t.business] for t in f.touchpoints]]
            for f in month.pack.flows
        ]
        offered = [[t.channel, t.brand, t.business] for t in month.pack.offered_touchpoints()]
        data = {"pack": month.pack.id, "flows": flows, "offered": offered}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    @property
    def whole_built(self) -> bool:
        return self._whole is not None

    def head(self, pack_id: str, sequence: int, flow_id: str):  # type: ignore[no-untyped-def]
        return self.heads.get(flow_id) if pack_id == self.pack_id else None

    def __call__(self, pack_id: str, sequence: int, flow_id: str):  # type: ignore[no-untyped-def]
        if self._whole is None:
            self._whole = _lookup(site(self.n_flows))
        return self._whole(pack_id, sequence, flow_id)


def _peak_mb() -> float:
    """This process's own peak resident memory.

    Not ``getrusage``: Linux carries a parent's peak across fork and exec, so a
    child of this large benchmark would report the benchmark's memory (it did:
    1,281 MB at every size). The kernel's high-water mark of this process's own
    address space starts afresh at exec.
    """
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_reports(target: str, heads: Path) -> dict[str, float]:
    """In a fresh process: every report once, seconds each, and the process's peak memory."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine

    import flowdesk.reports as r
    from flowdesk.usage.rows import EventFilter
    from flowdesk.usage.schema import sqlite_engine

    lookup = HeadsLookup(heads)
    engine = sqlite_engine(Path(target)) if target.endswith(".sqlite3") else create_engine(target)
    now = datetime(2026, 12, 31, tzinfo=UTC)
    nov = EventFilter(
        since=datetime(2026, 11, 1, tzinfo=UTC), until=datetime(2026, 12, 1, tzinfo=UTC)
    )
    offered = lookup.offered
    jobs = {
        "compliance_team": lambda: r.compliance_report(engine, lookup, "team", now=now),
        "compliance_flow": lambda: r.compliance_report(engine, lookup, "flow", where=nov, now=now),
        "compliance_agent": lambda: r.compliance_report(
            engine, lookup, "agent", where=nov, now=now
        ),
        "compliance_touchpoint": lambda: r.compliance_report(
            engine, lookup, "touchpoint", where=nov, now=now
        ),
        "compliance_team_day": lambda: r.compliance_report(
            engine, lookup, "team", "day", where=nov, now=now
        ),
        "abandon": lambda: r.abandon_report(engine, lookup, nov, now),
        "steps": lambda: r.step_report(engine, lookup, nov, now),
        # what ``flowdesk report steps`` adds: decisions answered from call data
        "steps_from_data": lambda: _from_data(engine, nov),
        "coverage": lambda: r.coverage_report(engine, lookup, offered, nov, now),
        "search_misses": lambda: r.search_miss_report(engine, nov, 50),
        "conformance": lambda: r.conformance_report(engine, lookup, "team", where=nov, now=now),
    }
    out: dict[str, float] = {}
    peak = _peak_mb()
    out["before_mb"] = peak  # the interpreter, the libraries and the 10,000 flow heads
    for name, job in jobs.items():
        started = time.perf_counter()
        report = job()
        out[name] = time.perf_counter() - started
        now_peak = _peak_mb()
        out[f"{name}_grew_mb"] = now_peak - peak
        peak = now_peak
        if name == "compliance_team":
            out["completed_runs"] = float(report.summary["completed_runs"])  # type: ignore[arg-type]
            out["compliant_runs"] = float(report.summary["compliant_runs"])  # type: ignore[arg-type]
    out["peak_mb"] = _peak_mb()
    out["whole_pack_built"] = float(lookup.whole_built)
    engine.dispose()
    return out


def _from_data(engine, where):  # type: ignore[no-untyped-def]
    from flowdesk.reports.from_data import add_from_data

    with engine.connect() as conn:
        add_from_data(conn, [], where, None)


def _child_reports(target: str, heads: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale_bench", "--child", target,
         "--heads", str(heads)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _expected(engine, n_calls: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from benchmarks.site_month import EXPECTED_BY_TEAM

    with engine.connect() as conn:
        rows = conn.execute(text(EXPECTED_BY_TEAM), {"hi": n_calls}).all()
    return sum(r[2] for r in rows), sum(r[3] for r in rows)


def _grow(engine, month: SiteMonth, sizes: list[int], target: str, label: str, summarise):  # type: ignore[no-untyped-def]
    rows: list[dict] = []
    done_calls = 0
    at_size: dict[int, dict[str, float]] = {}
    for size in sizes:
        n_calls = calls_for(month, size)
        started = time.perf_counter()
        events = 0
        step = 400_000  # a site's day at a time
        for lo in range(done_calls, n_calls, step):
            events += _expand(engine, month, lo, min(lo + step, n_calls))
        _analyze(engine, "usage_event")
        inserted = time.perf_counter() - started
        started = time.perf_counter()
        summarise()
        _analyze(engine, "run_summary, step_summary")
        folded = time.perf_counter() - started
        done_calls = n_calls
        heads = HeadsLookup.write(
            month, Path(tempfile.gettempdir()) / f"flowdesk-heads-{os.getpid()}.json"
        )
        try:
            measured_ = _child_reports(target, heads)
        finally:
            heads.unlink()
        at_size[size] = measured_
        expected = _expected(engine, n_calls)
        got = (int(measured_["completed_runs"]), int(measured_["compliant_runs"]))
        tag = f"{label} {size / 1e6:g}M events"
        new = [
            measured(f"{tag}: insert {events:,} new events", inserted, "s"),
            measured(f"{tag}: fold them into summaries", folded, "s"),
            measured(f"{tag}: ingest rate, into summaries", events / (inserted + folded), "ev/s",
                     "≥ 10,000 ev/s (6 M in 10 min)"),
        ]  # fmt: skip
        for name in REPORTS:
            bar = "≤ 5 s" if name == "compliance_team" else "≤ 10 s"
            new.append(measured(f"{tag}: report {name}", measured_[name], "s", bar))
        new.append(measured(f"{tag}: reporting process peak", measured_["peak_mb"], "MB",
                            "≤ 500 MB"))  # fmt: skip
        grew = sorted(((measured_[f"{n}_grew_mb"], n) for n in REPORTS), reverse=True)[:3]
        most = "grew most: " + ", ".join(f"{n} +{mb:.0f}" for mb, n in grew)
        whole = str(bool(measured_["whole_pack_built"]))
        new.append(measured(f"{tag}: the whole pack built by the reporting process", whole, "",
                            "False: flow heads only"))  # fmt: skip
        new.append(measured(f"{tag}: of that peak, before any report (libraries, flow heads)",
                            measured_["before_mb"], "MB", most))  # fmt: skip
        new.append(measured(f"{tag}: totals right (completed, compliant)", str(got == expected),
                            f"{got}"))  # fmt: skip
        rows += new
        print(json.dumps(new, ensure_ascii=False), file=sys.stderr, flush=True)
    return rows + _slopes(label, at_size)


def _analyze(engine, tables: str) -> None:  # type: ignore[no-untyped-def]
    """Statistics and the visibility map after a bulk load, as autovacuum keeps them on a
    site (index-only scans of the search and timed-step indexes need the map)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM ANALYZE {tables}")


def _slopes(label: str, at_size: dict[int, dict[str, float]]) -> list[dict]:
    """Each report's growth per million events, smallest to largest size, and at 170 M."""
    if len(at_size) < 2:
        return []
    low, high = min(at_size), max(at_size)
    span = (high - low) / 1e6
    out = []
    for name in (*REPORTS, "peak_mb"):
        per_million = (at_size[high][name] - at_size[low][name]) / span
        at_month = at_size[high][name] + per_million * (170 - high / 1e6)
        unit = "MB" if name == "peak_mb" else "s"
        out.append(
            measured(
                f"{label} slope {low / 1e6:g}→{high / 1e6:g}M: {name} per million events "
                f"(→ at 170 M: {at_month:,.1f} {unit})",
                per_million,
                f"{unit}/M",
            )
        )
    return out


def bench_postgres(month: SiteMonth, sizes: list[int], work: Path) -> list[dict]:
    from sqlalchemy import create_engine

    from benchmarks.scale_push import pg_cluster
    from flowdesk.reports.central_summary import summarise_central
    from flowdesk.usage.central_schema import create_schema, ensure_months
    from tests.usage.pg_server import PASSWORD, USER

    server = pg_cluster(work / "pg")
    try:
        url = f"postgresql+psycopg://{USER}:{PASSWORD}@127.0.0.1:{server.port}/postgres"
        engine = create_engine(url)
        with engine.begin() as conn:
            create_schema(conn)
            from datetime import date

            ensure_months(conn, date(2026, 11, 1), date(2026, 12, 1))
            _load_generator(conn, month, calls_for(month, max(sizes)))
        lookup = _lookup(month)
        rows = _grow(
            engine, month, sizes, url, "PostgreSQL", lambda: summarise_central(engine, lookup)
        )
        engine.dispose()
        return rows
    finally:
        server.stop("fast")


def bench_sqlite(month: SiteMonth, sizes: list[int], work: Path) -> list[dict]:
    from flowdesk.reports.summarise import summarise_sqlite
    from flowdesk.usage.schema import sqlite_engine

    path = work / "site.sqlite3"
    engine = sqlite_engine(path, synchronous="NORMAL")
    with engine.begin() as conn:
        _load_generator(conn, month, calls_for(month, max(sizes)))
    lookup = _lookup(month)
    rows = _grow(
        engine, month, sizes, str(path), "SQLite", lambda: summarise_sqlite(engine, lookup)
    )
    engine.dispose()
    return rows


def run(quick: bool, sizes: list[float] | None = None, only: str | None = None) -> list[dict]:
    chosen = sizes or ([0.3, 1] if quick else [3, 10, 30])
    events = [int(s * 1_000_000) for s in chosen]
    month = site(1_000 if quick else 10_000)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="flowdesk-scale-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # the PostgreSQL server runs as its own user
        if only in (None, "desk"):
            from benchmarks.scale_desk import bench_desk

            rows += bench_desk(month, 300_000 if quick else 3_000_000, work)
        if only in (None, "push"):
            from benchmarks.scale_push import bench_push

            rows += bench_push(20 if quick else 200, 500 if quick else 1_000, work)
        if only in (None, "pg"):
            rows += bench_postgres(month, events, work)
        if only in (None, "sqlite"):
            rows += bench_sqlite(month, events, work)
    return rows


def _shown(value: object) -> str:
    return value if isinstance(value, str) else f"{value:,.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale_bench")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", help="millions of events, e.g. 3,10,30")
    parser.add_argument("--only", choices=("pg", "sqlite", "desk", "push"))
    parser.add_argument("--child", metavar="TARGET", help=argparse.SUPPRESS)
    parser.add_argument("--heads", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_reports(args.child, args.heads)))
        return 0
    sizes = [float(s) for s in args.sizes.split(",")] if args.sizes else None
    print("| benchmark | value | unit | bar | load (1 min) |")
    print("|---|---|---|---|---|")
    for row in run(args.quick, sizes, args.only):
        value, bar = _shown(row["value"]), row.get("bar", "")
        print(f"| {row['benchmark']} | {value} | {row['unit']} | {bar} | {row.get('load', '')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
