"""Usage log and report benchmarks (issue 4's bars).

* logging: ``UsageLog.record`` at a paced 2,000 events/s for a few seconds
  (the UI thread's cost per event and the worst single call), and flat out
  (the writer's sustained commit rate, fsync per batch included);
* ``usage import`` of 1,000,000 events from JSON Lines into a fresh SQLite (bar ≤ 60 s);
* ``report compliance`` over those 1,000,000 events on SQLite (bar ≤ 5 s).

The events are whole calls on a synthetic pack (``benchmarks.synthetic``):
call start, a search, a flow run along a real path with its branches (a few
steps skipped, some runs abandoned or left open), call end.
Run alone: ``python -m benchmarks.usage_bench [--quick]``.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.synthetic import synthetic_pack
from flowdesk.model import Flow, Pack
from flowdesk.reports import compliance_report
from flowdesk.reports.summarise import summarise_sqlite
from flowdesk.usage import UsageEvent, UsageLog, import_events, sqlite_engine

BEIJING = timezone(timedelta(hours=8))


def _events_of_call(rng: random.Random, pack: Pack, start: datetime, n: int) -> list[dict]:
    agent = f"A{rng.randrange(1500):04d}"
    team = f"班组{int(agent[1:]) // 15:03d}"
    call = f"call-{n}"
    run = uuid.uuid4().hex
    flow: Flow = rng.choice(pack.flows)
    t = start

    def ev(kind: str, **fields: object) -> dict:
        nonlocal t
        t += timedelta(seconds=rng.uniform(2, 20))
        return {
            "event_id": str(uuid.uuid4()),
            "ts": t.isoformat(timespec="milliseconds"),
            "type": kind,
            "agent_id": agent,
            "team": team,
            "call_id": call,
            **fields,
        }

    out = [ev("call_start")]
    out.append(
        ev(
            "search",
            query=f"{flow.title} 138{rng.randrange(10**8):08d}",
            result_count=rng.randrange(4),
            opened_flow_id=flow.id,
        )
    )
    run_keys = {"run_id": run, "pack_id": pack.id, "pack_sequence": pack.sequence}
    out.append(ev("flow_open", flow_id=flow.id, **run_keys))
    choices = []
    for step in flow.steps:
        if step.type == "decision" and step.options:
            choices.append((step.id, rng.choice(step.options).next))
    path = flow.path(choices)
    chosen = dict(choices)
    for step_id in path:
        if rng.random() < 0.05:
            continue  # a skipped step
        out.append(ev("step_done", flow_id=flow.id, step_id=step_id, run_id=run))
        if step_id in chosen:
            out.append(
                ev("branch", flow_id=flow.id, step_id=step_id, option=chosen[step_id], run_id=run)
            )
    fate = rng.random()
    if fate < 0.85:
        out.append(ev("flow_complete", flow_id=flow.id, run_id=run))
    elif fate < 0.95:
        out.append(ev("flow_abandon", flow_id=flow.id, run_id=run))
    out.append(ev("call_end"))  # a run left open ends with its call
    return out


def write_log(path: Path, n_events: int, pack: Pack, seed: int = 4) -> int:
    rng = random.Random(seed)
    start = datetime(2026, 11, 2, 8, 0, tzinfo=BEIJING)
    written = calls = 0
    with path.open("w", encoding="utf-8") as fh:
        while written < n_events:
            when = start + timedelta(seconds=calls * 3)
            for obj in _events_of_call(rng, pack, when, calls):
                fh.write(json.dumps(obj, ensure_ascii=False))
                fh.write("\n")
                written += 1
            calls += 1
    return written


def bench_logging(folder: Path, seconds: float) -> list[dict]:
    rows = []
    with UsageLog.open(folder / "paced.sqlite3") as log:
        rate, times = 2000, []
        total = int(rate * seconds)
        begin = time.perf_counter()
        for i in range(total):
            due = begin + i / rate
            while (now := time.perf_counter()) < due:
                time.sleep(min(due - now, 0.001))
            ev = UsageEvent.new("step_done", "A0001", "一组", run_id="r", step_id=f"步骤{i}")
            t0 = time.perf_counter()
            log.record(ev)
            times.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - begin
        t0 = time.perf_counter()
        log.flush(timeout=60)
        backlog = time.perf_counter() - t0
    times.sort()
    rows += [
        {
            "benchmark": "usage log: paced rate achieved",
            "value": total / elapsed,
            "unit": "ev/s",
            "bar": "≥ 2,000",
        },
        {
            "benchmark": "usage log: record() p99 at 2,000 ev/s",
            "value": times[int(len(times) * 0.99)] * 1e3,
            "unit": "ms",
            "bar": "",
        },
        {
            "benchmark": "usage log: record() worst at 2,000 ev/s",
            "value": times[-1] * 1e3,
            "unit": "ms",
            "bar": "no UI stall (< 16 ms)",
        },
        {
            "benchmark": "usage log: writer backlog at end",
            "value": backlog * 1e3,
            "unit": "ms",
            "bar": "",
        },
    ]
    events = [
        UsageEvent.new("step_done", "A0001", "一组", run_id="r", step_id=f"s{i}")
        for i in range(int(20_000 * seconds / 5))
    ]
    with UsageLog.open(folder / "flat.sqlite3") as log:
        t0 = time.perf_counter()
        for ev in events:
            log.record(ev)
        log.flush(timeout=120)
        flat = len(events) / (time.perf_counter() - t0)
    rows.append(
        {
            "benchmark": "usage log: flat-out durable commit rate",
            "value": flat,
            "unit": "ev/s",
            "bar": "≥ 2,000",
        }
    )
    return rows


def run(quick: bool = False) -> list[dict]:
    n_events = 50_000 if quick else 1_000_000
    label = f"{n_events:,}"
    pack = synthetic_pack(50 if quick else 300)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="flowdesk-usage-bench-") as tmp:
        folder = Path(tmp)
        rows += bench_logging(folder, 1.0 if quick else 5.0)
        log = folder / "site.jsonl"
        written = write_log(log, n_events, pack)
        engine = sqlite_engine(folder / "qa.sqlite3")
        t0 = time.perf_counter()
        result = import_events(engine, log)
        took = time.perf_counter() - t0
        assert result.imported == written, result
        rows.append(
            {
                "benchmark": f"usage import of {label} events",
                "value": took,
                "unit": "s",
                "bar": "≤ 60 (1M)",
            }
        )
        t0 = time.perf_counter()
        again = import_events(engine, log)
        rows.append(
            {
                "benchmark": f"usage import of {label} events again (all duplicates)",
                "value": time.perf_counter() - t0,
                "unit": "s",
                "bar": "",
            }
        )
        assert again.imported == 0

        def lookup(pack_id: str, sequence: int, flow_id: str) -> Flow | None:
            return pack.flow(flow_id) if (pack_id, sequence) == (pack.id, pack.sequence) else None

        t0 = time.perf_counter()
        summarise_sqlite(engine, lookup)  # as `usage import` does after storing
        rows.append(
            {
                "benchmark": f"fold {label} events into run summaries",
                "value": time.perf_counter() - t0,
                "unit": "s",
                "bar": "",
            }
        )
        now = datetime(2027, 1, 1, tzinfo=BEIJING)
        for by in ("flow", "team"):
            t0 = time.perf_counter()
            report = compliance_report(engine, lookup, by=by, now=now)
            rows.append(
                {
                    "benchmark": f"report compliance --by {by} over {label} events (SQLite)",
                    "value": time.perf_counter() - t0,
                    "unit": "s",
                    "bar": "≤ 5 (1M)",
                }
            )
        rows.append(
            {
                "benchmark": "  (its overall compliance rate)",
                "value": float(report.summary["compliance_rate"] or 0.0),
                "unit": "",
                "bar": "",
            }
        )
        engine.dispose()
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(f"{row['benchmark']}: {row['value']:,.3f} {row['unit']}  {row['bar']}")
