"""Many desks pushing to the central PostgreSQL at once, each with its push-only login.

Each desk holds its own ``usage.sqlite3`` of whole calls and pushes it with
``usage push``'s code in batches, all desks in parallel threads (a site's
desks push at the end of every call, so the server sees this many at once).
Afterwards the central store must hold every event exactly once, and the
queue must have every run for the summariser.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.site_month import measured
from flowdesk.usage.events import UsageEvent
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates

BEIJING = timezone(timedelta(hours=8))


def _desk_events(desk: int, count: int) -> list[UsageEvent]:
    out: list[UsageEvent] = []
    t = datetime(2026, 11, 9, 8, 0, tzinfo=BEIJING) + timedelta(seconds=desk)
    n = 0
    while len(out) < count:
        who = {
            "agent_id": f"P{desk:04d}",
            "team": f"班组{desk // 15:03d}",
            "call_id": f"p{desk}-{n}",
        }
        run = {**who, "run_id": f"p{desk}-{n}-r"}
        t += timedelta(minutes=3)
        out.append(UsageEvent(str(uuid.uuid4()), t, "call_start", **who))
        out.append(
            UsageEvent(
                str(uuid.uuid4()), t, "flow_open", pack_id="p", pack_sequence=1, flow_id="f", **run
            )
        )
        for i in range(8):
            out.append(
                UsageEvent(
                    str(uuid.uuid4()),
                    t + timedelta(seconds=i + 1),
                    "step_done",
                    step_id=f"s{i}",
                    **run,
                )
            )
        out.append(UsageEvent(str(uuid.uuid4()), t + timedelta(seconds=20), "flow_complete", **run))
        out.append(UsageEvent(str(uuid.uuid4()), t + timedelta(seconds=30), "call_end", **who))
        n += 1
    return out[:count]


#: What a DBA sets for a site's store (docs/central-store.md), on the benchmark's server.
SITE_SETTINGS = {
    "shared_buffers": "1GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "max_wal_size": "16GB",
    "checkpoint_timeout": "30min",
    "max_connections": "300",
}


def pg_cluster(root: Path):  # type: ignore[no-untyped-def]
    """A fresh PostgreSQL cluster under ``root`` with a site's settings, started."""
    from tests.usage.pg_server import PgServer, _bindir, _free_port

    server = PgServer(_bindir(), root, _free_port(), "postgres" if os.geteuid() == 0 else None)
    server.root.mkdir()
    server._chown(server.root)
    server.init()
    with (server.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.writelines(f"{name} = '{value}'\n" for name, value in SITE_SETTINGS.items())
    server.start()
    return server


def bench_push(desks: int, per_desk: int, work: Path) -> list[dict]:
    from sqlalchemy import create_engine, text

    from flowdesk.usage.central import push
    from flowdesk.usage.central_schema import create_roles, create_schema, ensure_months
    from flowdesk.usage.schema import sqlite_engine
    from tests.usage.pg_server import PASSWORD, USER

    server = pg_cluster(work / "pg-push")
    try:
        base = f"127.0.0.1:{server.port}/postgres"
        owner = create_engine(f"postgresql+psycopg://{USER}:{PASSWORD}@{base}")
        with owner.begin() as conn:
            from datetime import date

            create_schema(conn)
            ensure_months(conn, date(2026, 11, 1), date(2026, 11, 30))
            create_roles(conn)
            conn.exec_driver_sql("CREATE ROLE desk LOGIN PASSWORD 'desk' IN ROLE flowdesk_push")
        locals_ = []
        for d in range(desks):
            local = sqlite_engine(work / f"desk{d}.sqlite3", synchronous="OFF")
            with local.begin() as conn:
                insert_ignoring_duplicates(
                    conn, [event_to_row(e) for e in _desk_events(d, per_desk)]
                )
            locals_.append(local)
        errors: list[BaseException] = []
        start = threading.Barrier(desks)

        def one(local) -> None:  # type: ignore[no-untyped-def]
            remote = create_engine(f"postgresql+psycopg://desk:desk@{base}", pool_size=1)
            try:
                start.wait()
                push(local, remote, "site", batch=200)
            except BaseException as exc:
                errors.append(exc)
            finally:
                remote.dispose()

        threads = [threading.Thread(target=one, args=(x,)) for x in locals_]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        with owner.connect() as conn:
            stored, distinct = conn.execute(
                text("SELECT count(*), count(DISTINCT event_id) FROM usage_event")
            ).one()
            queued = conn.execute(text("SELECT count(*) FROM run_dirty")).scalar_one()
        owner.dispose()
        for local in locals_:
            local.dispose()
        total = desks * per_desk
        ok = not errors and stored == distinct == total
        name = f"{desks} desks pushing at once"
        return [
            measured(f"{name}: {total:,} events", seconds, "s"),
            measured(f"{name}: events/s", total / seconds, "ev/s"),
            measured(
                f"{name}: all stored once, runs queued",
                str(ok),
                f"{stored} stored, {queued} runs queued, {len(errors)} errors",
            ),
        ]
    finally:
        server.stop("fast")
