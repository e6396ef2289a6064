"""Where every desk stands, at site scale: 2,000 desks push status and events to PostgreSQL.

A real PostgreSQL server (the test suite's ``tests/usage/pg_server.py``). The
first 50 desks write their day into their own usage log (SQLite, as a desk
does) and push it with ``flowdesk.usage.central.push``; the other 1,950 go
in through the same insert the push uses, many desks per transaction (a
one-by-one push of 2,000 desks takes minutes on a shared machine and measures
nothing of the report). Each desk brings 12 calls (call start, search, a run
of a few steps, call end) and three
``desk_status`` reports (start of shift, after the 21:00 sync brought the
pending December version, and with the evening push). The floor is made to
have known trouble: desks behind (still on an older version), desks not ready
(no pending version), desks silent for three days, a pilot ring a version
ahead. ``report desks`` must find exactly those (checked) within the bar:
≤ 2 s over the whole site (aim: a third of it).

Run alone: ``python -m benchmarks.rollout_bench [--quick]``.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flowdesk.usage import UsageEvent, sqlite_engine
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates

BEIJING = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 30, 22, 0, tzinfo=BEIJING)
EFFECTIVE = "2026-12-01T00:00:00+08:00"
PACK = "cmcc-hotline"
CALLS_PER_DESK = 12  # an evening's push: a couple of hours of calls


def _desk_day(n: int, rng: random.Random) -> tuple[list[UsageEvent], str, str]:
    """One desk's day of events and the status ``report desks`` should give it."""
    team = f"班组{n // 15:03d}"
    agent = f"A{n:04d}"
    desk_id = f"pc{n:04d}-{uuid.UUID(int=rng.getrandbits(128)).hex[:8]}"
    ring = "试点" if n < 60 else None
    kind = "current"
    if n % 97 == 5:
        kind = "behind"
    elif n % 89 == 7:
        kind = "not_ready"
    elif n % 83 == 11:
        kind = "silent"
    active = 41 if kind != "behind" else 40
    pending = 42 if kind not in ("not_ready", "behind") else None
    if ring:  # the pilot ring already runs #42 and has #43 pending
        active, pending = (42, 43) if kind != "behind" else (41, 43)
        if kind == "not_ready":
            pending = None
    last = (
        NOW - timedelta(days=3)
        if kind == "silent"
        else NOW - timedelta(minutes=rng.randrange(5, 120))
    )
    events: list[UsageEvent] = []

    def status(at: datetime, with_pending: bool) -> None:
        base = {"pack_id": PACK, "app_version": "0.1.0", "desk_id": desk_id, "ring": ring}
        events.append(
            _event("desk_status", at, agent, team, **base, pack_sequence=active, state="active")
        )
        if with_pending and pending is not None:
            events.append(
                _event(
                    "desk_status",
                    at,
                    agent,
                    team,
                    **base,
                    pack_sequence=pending,
                    state="pending",
                    effective=EFFECTIVE,
                )
            )

    start = last - timedelta(hours=9)
    status(start, False)
    t = start
    for call in range(CALLS_PER_DESK):
        t += timedelta(minutes=rng.randrange(5, 12))
        call_id = f"{desk_id}-c{call}"
        run_id = uuid.uuid4().hex
        flow = f"f{rng.randrange(10_000):05d}"
        ref = {"pack_id": PACK, "pack_sequence": active}
        events.append(_event("call_start", t, agent, team, call_id=call_id))
        events.append(
            _event("search", t, agent, team, call_id=call_id, query="携号转网", result_count=3)
        )
        events.append(
            _event("flow_open", t, agent, team, call_id=call_id, run_id=run_id, flow_id=flow, **ref)
        )
        for step in ("greet", "verify", "apply"):
            events.append(
                _event("step_done", t, agent, team, call_id=call_id, run_id=run_id, step_id=step)
            )
        events.append(_event("flow_complete", t, agent, team, call_id=call_id, run_id=run_id))
        events.append(_event("call_end", t, agent, team, call_id=call_id))
    status(last - timedelta(minutes=30), True)
    status(last, True)
    return events, agent, kind


def _event(kind: str, at: datetime, agent: str, team: str, **fields: object) -> UsageEvent:
    values = {k: v for k, v in fields.items() if v is not None}
    return UsageEvent(str(uuid.uuid4()), at, kind, agent, team, **values)  # type: ignore[arg-type]


def run(quick: bool = False) -> list[dict]:
    import keyring
    import psycopg

    from flowdesk.reports.desks import desks_report
    from flowdesk.usage.central import central_engine, central_url, push, set_password
    from tests.builders import MemoryKeyring
    from tests.usage.pg_server import PASSWORD, USER, PgServer, _bindir, _free_port

    desks = 200 if quick else 2_000
    real_pushes = 10 if quick else 50  # the others' rows go in as push sends them, in bulk
    bindir = _bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries are needed (apt-get install postgresql)")
    import os
    import shutil

    root = Path(tempfile.mkdtemp(prefix="flowdesk-bench-desks-"))
    pg_root = Path(tempfile.mkdtemp(prefix="flowdesk-bench-pg-"))
    run_as = "postgres" if os.geteuid() == 0 else None
    server = PgServer(bindir, pg_root, _free_port(), run_as)
    server._chown(pg_root)
    keyring.set_keyring(MemoryKeyring())
    rows: list[dict] = []
    import signal

    def stop(_sig: int, _frame: object) -> None:
        raise SystemExit(1)  # so that ``finally`` stops the server

    signal.signal(signal.SIGTERM, stop)
    try:
        server.init()
        server.start()
        with psycopg.connect(
            host="127.0.0.1", port=server.port, user=USER, password=PASSWORD,
            dbname="postgres", autocommit=True,
        ) as conn:  # fmt: skip
            conn.execute('CREATE DATABASE "site"')
        url = central_url(server.url("site"))
        set_password(url, PASSWORD)
        central = central_engine(url)
        rng = random.Random(15)
        expected: dict[str, str] = {}
        total_events = 0
        started = time.perf_counter()
        batch: list = []
        for n in range(desks):
            events, agent, kind = _desk_day(n, rng)
            expected[agent] = kind
            total_events += len(events)
            if n < real_pushes:  # a desk's own log and the real push
                local = sqlite_engine(root / f"desk{n}.sqlite3", synchronous="OFF")
                with local.begin() as conn:
                    insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
                push(local, central, f"desk{n}")
                local.dispose()
                continue
            batch += [event_to_row(e) for e in events]  # what push sends, many desks at once
            if len(batch) >= 50_000 or n == desks - 1:
                with central.begin() as conn:
                    insert_ignoring_duplicates(conn, batch)
                batch = []
            if n % 250 == 0:
                print(f"  {n} desks, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        push_s = time.perf_counter() - started
        with central.begin() as conn:
            conn.exec_driver_sql("ANALYZE usage_event")
        timings = []
        report = None
        for _ in range(5):
            t0 = time.perf_counter()
            report = desks_report(central, NOW)
            timings.append(time.perf_counter() - t0)
        assert report is not None
        got = {r["agent_id"]: r["status"] for r in report.rows}
        wrong = {a: (got.get(a), k) for a, k in expected.items() if got.get(a) != k}
        if wrong:
            raise AssertionError(
                f"report desks is wrong for {len(wrong)} desks: {list(wrong.items())[:5]}"
            )
        central.dispose()
        flagged = sum(k != "current" for k in expected.values())

        def row(name: str, value: object, unit: str, bar: str = "") -> dict:
            return {"benchmark": f"rollout: {name}", "value": value, "unit": unit, "bar": bar}

        rows += [
            row(f"{desks} desks' day into PostgreSQL ({total_events:,} events, {real_pushes} real "
                "pushes)", push_s, "s"),
            row(f"report desks over {desks} desks, median of 5", statistics.median(timings), "s",
                "≤ 2 s"),
            row("report desks, worst of 5", max(timings), "s", "≤ 2 s"),
            row("report desks correct: behind / not ready / silent found", f"{flagged}/{flagged}",
                "desks", "all"),
        ]  # fmt: skip
    finally:
        with contextlib.suppress(RuntimeError):
            server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(pg_root, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
