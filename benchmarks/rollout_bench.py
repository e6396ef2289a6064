"""Where every desk stands, at site scale: 2,000 desks push status and events to PostgreSQL.

A real PostgreSQL server (the test suite's ``tests/usage/pg_server.py``). Every
desk writes its day into its own usage log (SQLite, as a desk does) and pushes
it with ``flowdesk.usage.central.push``, the code ``flowdesk usage push`` runs,
a few desks at the same moment. Each desk brings 12 calls (call start, search,
a run of a few steps, call end), a month of older statuses (four a day, on
last month's version), and three ``desk_status`` reports today (start of
shift, after the 21:00 sync brought the pending December version, and with the
evening push), shaped exactly as a real desk with one version active and one
pending sends them. The floor is made to have known trouble: desks behind
(still on an older version), desks not ready (no pending version), desks silent
for three days, a pilot ring a version ahead. ``report desks`` must give every
desk its versions and ring and find exactly those (checked), within the bar:
≤ 2 s over the whole site (aim: a third of it), in process and as the command a
team lead types (a new process, its start included).

Run alone: ``python -m benchmarks.rollout_bench [--quick]``.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowdesk.usage import UsageEvent, sqlite_engine
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates

BEIJING = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 30, 22, 0, tzinfo=BEIJING)
EFFECTIVE = "2026-12-01T00:00:00+08:00"
PACK = "cmcc-hotline"
CALLS_PER_DESK = 12  # an evening's push: a couple of hours of calls
#: Statuses each desk sent over the month before (at start, with pushes, on pack changes):
#: the report must read only the newest, whatever the store holds.
HISTORY_DAYS, STATUSES_PER_DAY = 30, 4
PUSHING_AT_ONCE = 4  # desks pushing at the same moment (a site's desks push on their own)

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _desk_day(
    n: int, rng: random.Random, template: list[dict[str, Any]]
) -> tuple[list[UsageEvent], str, dict[str, Any]]:
    """One desk's day of events and the row ``report desks`` should give it.

    Its ``desk_status`` events are a real desk's (``template``: what
    :func:`~flowdesk.rollout.desk_status.status_fields` gives with one version
    active and one pending) with this desk's id, ring and versions.
    """
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
        else NOW - timedelta(seconds=rng.randrange(300, 7200), milliseconds=rng.randrange(1000))
    )
    events: list[UsageEvent] = []
    pack = template[0]["pack_id"]

    def status(at: datetime, active: int, pending: int | None) -> None:
        for fields in template:
            sequence = active if fields["state"] == "active" else pending
            if sequence is None:
                continue
            mine = {**fields, "desk_id": desk_id, "ring": ring, "pack_sequence": sequence}
            events.append(_event("desk_status", at, agent, team, **mine))

    start = last - timedelta(hours=9)
    for day in range(HISTORY_DAYS, 0, -1):  # the month before: what the store also holds
        for hour in range(0, 24, 24 // STATUSES_PER_DAY):
            status(start - timedelta(days=day, hours=hour), active - 1, active)
    status(start, active, None)
    t = start
    for call in range(CALLS_PER_DESK):
        t += timedelta(minutes=rng.randrange(5, 12))
        call_id = f"{desk_id}-c{call}"
        run_id = uuid.uuid4().hex
        flow = f"f{rng.randrange(10_000):05d}"
        ref = {"pack_id": pack, "pack_sequence": active}
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
    status(last - timedelta(minutes=30), active, pending)
    status(last, active, pending)
    expected = {"status": kind, "ring": ring or "-", "active_sequence": active,
                "pending_sequence": pending}  # fmt: skip
    return events, agent, expected


def _status_template(root: Path) -> list[dict[str, Any]]:
    """What a real desk sends as ``desk_status`` with #41 active and #42 pending, as of NOW."""
    from flowdesk import clock
    from flowdesk.desk import Desk
    from flowdesk.rollout.desk_status import status_fields
    from flowdesk.settings import Settings
    from tests.rollout.versions_fixtures import version

    os.environ[clock.ENV] = NOW.isoformat()
    try:
        with Desk.open(root / "template-desk") as desk:
            desk.import_pack(version(root, 41), allow_unsigned=True)
            desk.import_pack(version(root, 42, EFFECTIVE), allow_unsigned=True)
            fields = status_fields(desk, Settings(agent_id="A0000", team="班组000"))
    finally:
        del os.environ[clock.ENV]
    states = sorted(f["state"] for f in fields)
    if states != ["active", "pending"] or not any(f.get("effective") for f in fields):
        raise AssertionError(f"a desk with #41 active and #42 pending sends {fields}")
    return fields


def _push_desk(root: Path, central: Engine, n: int, events: list[UsageEvent]) -> int:
    """One desk's evening: its own usage log (SQLite, as on the desk), then ``usage push``."""
    from flowdesk.usage.central import push

    local = sqlite_engine(root / f"desk{n}.sqlite3", synchronous="OFF")
    try:
        with local.begin() as conn:
            insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
        result = push(local, central, f"desk{n}")
    finally:
        local.dispose()
    if result.pending or result.sent != len(events):
        raise AssertionError(f"desk {n}: pushed {result.sent} of {len(events)} events")
    return result.stored


def _event(kind: str, at: datetime, agent: str, team: str, **fields: object) -> UsageEvent:
    values = {k: v for k, v in fields.items() if v is not None}
    return UsageEvent(str(uuid.uuid4()), at, kind, agent, team, **values)  # type: ignore[arg-type]


def run(quick: bool = False) -> list[dict]:
    import keyring
    import psycopg

    from flowdesk.reports.desks import desks_report
    from flowdesk.usage.central import central_engine, central_url, set_password
    from tests.builders import MemoryKeyring
    from tests.usage.pg_server import PASSWORD, USER, PgServer, _bindir, _free_port

    desks = 200 if quick else 2_000
    bindir = _bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries are needed (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="flowdesk-bench-desks-"))
    pg_root = Path(tempfile.mkdtemp(prefix="flowdesk-bench-pg-"))
    run_as = "postgres" if os.geteuid() == 0 else None
    server = PgServer(bindir, pg_root, _free_port(), run_as)
    server._chown(pg_root)
    keyring.set_keyring(MemoryKeyring())
    rows: list[dict] = []

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
        template = _status_template(root)
        rng = random.Random(15)
        expected: dict[str, dict[str, Any]] = {}
        days = []
        for n in range(desks):
            events, agent, wanted = _desk_day(n, rng, template)
            expected[agent] = wanted
            days.append(events)
        total_events = sum(len(d) for d in days)
        started = time.perf_counter()
        stored = 0
        with ThreadPoolExecutor(PUSHING_AT_ONCE) as pool:  # desks push at the same time
            futures = [pool.submit(_push_desk, root, central, n, d) for n, d in enumerate(days)]
            for done, future in enumerate(futures, 1):
                stored += future.result()
                if done % 250 == 0:
                    print(f"  {done} desks pushed, {time.perf_counter() - started:.0f} s",
                          file=sys.stderr)  # fmt: skip
        push_s = time.perf_counter() - started
        if stored != total_events:
            raise AssertionError(f"the central store took {stored} of {total_events} events")
        timings = []
        report = None
        for _ in range(5):
            t0 = time.perf_counter()
            report = desks_report(central, NOW)
            timings.append(time.perf_counter() - t0)
        print(f"  report desks: {', '.join(f'{t:.3f}' for t in timings)} s", file=sys.stderr)
        assert report is not None
        _check(report.rows, expected)
        command = _time_command(server.url("site"), expected)
        central.dispose()
        flagged = sum(w["status"] != "current" for w in expected.values())

        def row(name: str, value: object, unit: str, bar: str = "") -> dict:
            return {"benchmark": f"rollout: {name}", "value": value, "unit": unit, "bar": bar}

        rows += [
            row(f"{desks} desks push their day to PostgreSQL ({total_events:,} events, "
                f"{PUSHING_AT_ONCE} at a time)", push_s, "s"),
            row(f"report desks over {desks} desks, median of 5", statistics.median(timings), "s",
                "≤ 2 s"),
            row("report desks, worst of 5", max(timings), "s", "≤ 2 s"),
            row("`flowdesk report desks --db URL --json`, whole command, worst of 3", max(command),
                "s", "≤ 2 s"),
            row("report desks correct: every desk's versions and ring; behind / not ready / "
                "silent found", f"{flagged}/{flagged}", "desks", "all"),
        ]  # fmt: skip
    finally:
        with contextlib.suppress(RuntimeError):
            server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(pg_root, ignore_errors=True)
    return rows


def _check(rows: list[dict[str, Any]], expected: dict[str, dict[str, Any]]) -> None:
    """Every desk once, with exactly the versions, ring and status it was given."""
    got = {r["agent_id"]: {k: r[k] for k in ("status", "ring", "active_sequence",
                                              "pending_sequence")} for r in rows}  # fmt: skip
    wrong = {a: (got.get(a), w) for a, w in expected.items() if got.get(a) != w}
    if wrong or len(rows) != len(expected):
        raise AssertionError(
            f"report desks is wrong for {len(wrong)} desks ({len(rows)} rows for "
            f"{len(expected)} desks): {list(wrong.items())[:5]}"
        )


def _time_command(url: str, expected: dict[str, dict[str, Any]]) -> list[float]:
    """``flowdesk report desks`` as a team lead runs it: a new process each time."""
    from tests.usage.pg_server import PASSWORD

    env = {
        **os.environ,
        "PGPASSWORD": PASSWORD,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "PYTHONPATH": os.pathsep.join(filter(None, ["src", os.environ.get("PYTHONPATH")])),
    }
    timings = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as data:
            argv = [sys.executable, "-m", "flowdesk", "report", "desks", "--db", url,
                    "--now", NOW.isoformat(), "--json", "--data-dir", data]  # fmt: skip
            t0 = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, env=env, check=False)
            timings.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise AssertionError(f"report desks exited {done.returncode}: {done.stderr.decode()}")
        _check(json.loads(done.stdout)["rows"], expected)
    return timings


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
