"""The desk's bar: a site log of millions of events, imported, then one report as a process.

The log is written outside FlowDesk: the events are expanded inside a scratch
SQLite by :mod:`benchmarks.site_month` and turned into JSON Lines by SQLite's
own ``json_object`` (not FlowDesk's exporter). Then, as an agent's or QA's
desk would: ``flowdesk pack import`` (the 10,000-flow pack),
``flowdesk usage import LOG`` and ``flowdesk report compliance --by team
--json``, each a whole process; the report's time and peak memory are the
bar (≤ 2 s, ≤ 300 MB), and its totals are checked against what the
generator put in.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import site_month as sm
from benchmarks.synthetic import write_pack_source

_JSONL = """
SELECT json_object('event_id', event_id,
    'ts', strftime('%Y-%m-%dT%H:%M:%f', (ts_us + tz_min * 60000000) / 1e6, 'unixepoch') || '+08:00',
    'type', type, 'agent_id', agent_id, 'team', team, 'call_id', call_id, 'run_id', run_id,
    'pack_id', pack_id, 'pack_sequence', pack_sequence, 'flow_id', flow_id, 'step_id', step_id,
    'option', option, 'query', query, 'result_count', result_count,
    'opened_flow_id', opened_flow_id)
FROM usage_event ORDER BY seq
"""


def _timed(args: list[str]) -> tuple[float, float, str, float]:
    """Run a command; (seconds, peak MB of its process, stdout, CPU seconds it used).

    The CPU seconds tell what the command costs when the shared machine's load
    leaves it only part of a core.

    The peak comes from GNU time run as a small parent: a child forked straight
    from this (large) benchmark process would report this process's memory,
    because Linux carries the peak across fork and exec.
    """
    import shutil
    import tempfile

    timer = shutil.which("time") or "/usr/bin/time"
    with tempfile.TemporaryFile() as out_fh, tempfile.TemporaryFile() as err_fh:
        started = time.perf_counter()
        child = subprocess.Popen(
            [timer, "-f", "peak_kb=%M cpu=%U+%S", *args], stdout=out_fh, stderr=err_fh
        )
        child.wait()
        seconds = time.perf_counter() - started
        out_fh.seek(0)
        err_fh.seek(0)
        out, err = out_fh.read().decode("utf-8"), err_fh.read().decode("utf-8")
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {err}")
    peak_kb, cpu = [x for x in err.splitlines() if x.startswith("peak_kb=")][-1].split()
    user, system = cpu.removeprefix("cpu=").split("+")
    return seconds, int(peak_kb.removeprefix("peak_kb=")) / 1024, out, float(user) + float(system)


def write_outside_log(month: sm.SiteMonth, events: int, work: Path) -> tuple[Path, tuple[int, int]]:
    """A JSON Lines log of about ``events`` events, and its (completed, compliant) runs."""
    from sqlalchemy import text

    from benchmarks.site_month import EXPECTED_BY_TEAM
    from flowdesk.usage.schema import sqlite_engine

    engine = sqlite_engine(work / "outside.sqlite3", synchronous="OFF")
    n_calls = sm.calls_for(month, events)
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        raw.execute(sm.TPL_DDL)
        raw.execute(sm.CALL_DDL)
        raw.execute("CREATE TABLE bench_required (flow_idx INTEGER, n_required INTEGER)")
        raw.executemany("INSERT INTO bench_tpl VALUES (?,?,?,?,?,?,?,?,?)", month.tpl)
        rows = sm.calls(month, 0, n_calls)
        raw.executemany("INSERT INTO bench_call VALUES (?,?,?,?,?,?,?)", rows)
        raw.executemany("INSERT INTO bench_required VALUES (?,?)", sm.required_counts(month))
        raw.execute("CREATE INDEX ix_bench_tpl ON bench_tpl (flow_idx, variant)")
        for late in (0, 1):
            conn.execute(
                text(sm.expand_sql("sqlite")),
                {"pack": month.pack.id, "lo": 0, "hi": n_calls, "late": late},
            )
        expected = conn.execute(text(EXPECTED_BY_TEAM), {"hi": n_calls}).all()
    log = work / "site-log.jsonl"
    with engine.connect() as conn, log.open("w", encoding="utf-8") as fh:
        cursor = conn.connection.driver_connection.execute(_JSONL)
        while batch := cursor.fetchmany(50_000):
            fh.writelines(line + "\n" for (line,) in batch)
    engine.dispose()
    (work / "outside.sqlite3").unlink()
    return log, (sum(r[2] for r in expected), sum(r[3] for r in expected))


def bench_desk(month: sm.SiteMonth, events: int, work: Path) -> list[dict]:
    import flowdesk

    log, (completed, compliant) = write_outside_log(month, events, work)
    lines = sum(1 for _ in log.open("rb"))
    source = work / "pack"
    write_pack_source(month.pack, source)
    data = work / "desk"
    # As installed (a wheel, the bundle): byte-compiled, so a command does not compile
    # FlowDesk's modules first.
    package = str(Path(flowdesk.__file__).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)
    flowdesk_cli = [sys.executable, "-m", "flowdesk", "--data-dir", str(data)]
    _timed([*flowdesk_cli, "pack", "import", str(source)])
    imported, import_peak, _, import_cpu = _timed([*flowdesk_cli, "usage", "import", str(log)])
    tag = f"desk SQLite {lines / 1e6:.2f}M events (outside log)"
    rows = [
        sm.measured(f"{tag}: usage import (summaries included)", imported, "s"),
        sm.measured(f"{tag}: usage import, CPU time used", import_cpu, "s"),
        sm.measured(f"{tag}: usage import rate", lines / imported, "ev/s"),
        sm.measured(f"{tag}: usage import peak", import_peak, "MB"),
    ]
    report = [*flowdesk_cli, "report", "compliance", "--by", "team", "--json"]
    times, peaks, cpus = [], [], []
    for _ in range(5):  # the first after the import, then again: median and worst
        seconds, peak, out, cpu = _timed(report)
        times.append(seconds)
        peaks.append(peak)
        cpus.append(cpu)
    got_rows = json.loads(out)
    got = (sum(r["completed_runs"] for r in got_rows), sum(r["compliant_runs"] for r in got_rows))
    name = f"{tag}: report compliance --by team --json"
    return [
        *rows,
        sm.measured(f"{name} (median of 5)", sorted(times)[2], "s", "≤ 2 s"),
        sm.measured(f"{name} (worst of 5)", max(times), "s", "≤ 2 s"),
        sm.measured(f"{name}: CPU time used (median of 5)", sorted(cpus)[2], "s"),
        sm.measured(f"{tag}: that process's peak", max(peaks), "MB", "≤ 300 MB"),
        sm.measured(f"{tag}: totals right", str(got == (completed, compliant)), f"{got}"),
    ]
