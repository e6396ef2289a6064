"""Push to a real central PostgreSQL: idempotent, resumable, passwords only in the keyring."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, delete, event, func, select
from sqlalchemy.exc import DBAPIError, OperationalError

from flowdesk.model import Flow, Step, TouchPoint
from flowdesk.problems import Refused
from flowdesk.reports import compliance_report
from flowdesk.usage import UsageEvent, sqlite_engine
from flowdesk.usage.central import (
    KEYRING_SERVICE,
    central_engine,
    central_url,
    keyring_user,
    pending_count,
    push,
    set_password,
    target_name,
)
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates
from flowdesk.usage.schema import push_ack, usage_event
from tests.builders import MemoryKeyring
from tests.usage.pg_server import PASSWORD, USER, PgServer

pytestmark = pytest.mark.postgres

BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=BEIJING)


def admin(server: PgServer) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1",
        port=server.port,
        user=USER,
        password=PASSWORD,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def central(pg_server: PgServer, memory_keyring: MemoryKeyring) -> Iterator[tuple[str, Engine]]:
    """A fresh central database, its password in the (test) keyring, and an engine on it."""
    name = f"usage_{uuid.uuid4().hex[:10]}"
    with admin(pg_server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = central_url(pg_server.url(name))
    set_password(url, PASSWORD)
    engine = central_engine(url)
    yield target_name(url), engine
    engine.dispose()
    with admin(pg_server) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def desk_with(tmp_path: Path, count: int, agent: str = "A001") -> Engine:
    engine = sqlite_engine(tmp_path / f"{agent}.sqlite3")
    events = []
    for i in range(count):
        events.append(
            UsageEvent(
                str(uuid.uuid4()),
                T0 + timedelta(seconds=i),
                "search",
                agent,
                "一组",
                query=f"宽带报修 {i}",
                result_count=i % 3,
            )
        )
    with engine.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
    return engine


def central_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(usage_event.c.event_id)).scalars())


def local_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(usage_event.c.event_id)).scalars())


def test_push_sends_everything_once_and_then_nothing(tmp_path: Path, central) -> None:
    target, remote = central
    desk = desk_with(tmp_path, 1200)
    first = push(desk, remote, target, batch=500)
    assert (first.sent, first.stored, first.pending) == (1200, 1200, 0)
    second = push(desk, remote, target, batch=500)
    assert (second.sent, second.stored) == (0, 0)
    ids = central_ids(remote)
    assert len(ids) == 1200 and set(ids) == local_ids(desk)


def test_a_lost_acknowledgement_duplicates_nothing(tmp_path: Path, central) -> None:
    target, remote = central
    desk = desk_with(tmp_path, 300)
    push(desk, remote, target, batch=100)
    with desk.begin() as conn:  # the central commits happened, the desk's mark was lost
        conn.execute(delete(push_ack))
    again = push(desk, remote, target, batch=100)
    assert (again.sent, again.stored) == (300, 0)
    assert len(central_ids(remote)) == 300


def test_connection_cut_inside_a_central_transaction_loses_and_duplicates_nothing(
    tmp_path: Path, central, pg_server: PgServer
) -> None:
    target, remote = central
    desk = desk_with(tmp_path, 1000)
    inserts = 0

    @event.listens_for(remote, "before_cursor_execute")
    def cut(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        nonlocal inserts
        if statement.startswith("INSERT INTO usage_event"):
            inserts += 1
            if inserts == 4:  # the fourth batch: kill our own server process mid-transaction
                with admin(pg_server) as a:
                    pid = conn.connection.driver_connection.info.backend_pid
                    a.execute("SELECT pg_terminate_backend(%s)", (pid,))

    with pytest.raises(DBAPIError):
        push(desk, remote, target, batch=100)
    event.remove(remote, "before_cursor_execute", cut)
    assert len(central_ids(remote)) == 300  # three batches committed, the fourth rolled back
    assert pending_count(desk, target) == 700
    resumed = push(desk, remote, target, batch=100)
    assert (resumed.sent, resumed.stored, resumed.pending) == (700, 700, 0)
    ids = central_ids(remote)
    assert len(ids) == len(set(ids)) == 1000 and set(ids) == local_ids(desk)


def test_server_stopped_mid_push_then_the_desk_catches_up(
    tmp_path: Path, central, pg_server: PgServer
) -> None:
    target, remote = central
    desk = desk_with(tmp_path, 800)

    def stop_after_two(sent: int) -> None:
        if sent == 200:
            pg_server.stop("immediate")

    try:
        with pytest.raises(OperationalError):
            push(desk, remote, target, batch=100, after_batch=stop_after_two)
    finally:
        pg_server.start()
    remote.dispose()  # the pool's connections died with the server
    assert pending_count(desk, target) == 600
    more = desk_with(tmp_path / "later", 50, agent="A001-晚")  # events recorded while offline
    with desk.begin() as conn, more.connect() as src:
        rows = [tuple(r[1:]) for r in src.execute(select(usage_event).order_by(usage_event.c.seq))]
        insert_ignoring_duplicates(conn, rows)
    resumed = push(desk, remote, target, batch=100)
    assert resumed.pending == 0
    ids = central_ids(remote)
    assert len(ids) == len(set(ids)) == 850


def test_reports_run_on_postgresql_with_the_same_code(tmp_path: Path, central) -> None:
    target, remote = central
    flow = Flow(
        "bill-query",
        "话费查询",
        "query",
        business="B01",
        touchpoints=(TouchPoint("C1", "G", "B01"),),
        steps=(
            Step("greet", "script", "您好", required=True),
            Step("verify", "check", "核实身份", required=True),
            Step("bye", "end", "再见"),
        ),
    )
    events = []
    for n, steps in enumerate([["greet", "verify"], ["greet"], ["verify", "greet"]]):
        run = {"run_id": f"r{n}", "agent_id": "A001", "team": "一组"}
        t = T0 + timedelta(minutes=10 * n)
        events.append(
            UsageEvent(
                str(uuid.uuid4()),
                t,
                "flow_open",
                pack_id="huafei",
                pack_sequence=1,
                flow_id="bill-query",
                **run,
            )
        )
        for i, step in enumerate(steps, start=1):
            events.append(
                UsageEvent(
                    str(uuid.uuid4()), t + timedelta(seconds=i), "step_done", step_id=step, **run
                )
            )
        events.append(
            UsageEvent(str(uuid.uuid4()), t + timedelta(seconds=9), "flow_complete", **run)
        )
    desk = sqlite_engine(tmp_path / "desk.sqlite3")
    with desk.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
    push(desk, remote, target)

    def lookup(pack_id: str, sequence: int, flow_id: str) -> Flow | None:
        return flow if (pack_id, sequence, flow_id) == ("huafei", 1, "bill-query") else None

    now = T0 + timedelta(days=2)
    on_sqlite = compliance_report(desk, lookup, by="touchpoint", now=now).rows
    on_postgres = compliance_report(remote, lookup, by="touchpoint", now=now).rows
    assert on_postgres == on_sqlite
    assert on_postgres[0]["compliance_rate"] == pytest.approx(1 / 3)
    from flowdesk.reports import step_report

    steps = step_report(remote, lookup, now=now)  # medians by another route on PostgreSQL
    assert steps == step_report(desk, lookup, now=now)
    medians = {r["step_id"]: r["median_seconds"] for r in steps.rows}
    assert medians == {"greet": 1.0, "verify": 1.0, "bye": None}


def test_url_with_a_password_is_refused_and_the_keyring_holds_it(
    memory_keyring: MemoryKeyring,
) -> None:
    with pytest.raises(Refused, match="keyring"):
        central_url("postgresql://qa:hunter2@db.site/usage")
    with pytest.raises(Refused, match="PostgreSQL"):
        central_url("sqlite:///x.db")
    url = central_url("postgresql://qa@db.site:5433/usage")
    set_password(url, "质检密码")
    assert memory_keyring.secrets == {(KEYRING_SERVICE, "qa@db.site:5433/usage"): "质检密码"}
    assert keyring_user(url) == "qa@db.site:5433/usage"
    assert "质检密码" not in target_name(url)


def test_central_table_is_created_once(central) -> None:
    _target, remote = central
    with remote.connect() as conn:
        assert conn.execute(select(func.count()).select_from(usage_event)).scalar_one() == 0


def test_cli_push_with_the_password_from_the_keyring(
    tmp_path: Path, central, pg_server: PgServer, monkeypatch, capsys
) -> None:
    import io
    import json

    from flowdesk.cli import main

    target, remote = central
    data = tmp_path / "desk"
    desk = sqlite_engine(data / "usage.sqlite3")
    with desk.begin() as conn:
        insert_ignoring_duplicates(
            conn,
            [
                event_to_row(
                    UsageEvent.new("search", "A001", "一组", query=f"积分兑换 {i}", result_count=0)
                )
                for i in range(7)
            ],
        )
    desk.dispose()
    base = ["--data-dir", str(data), "usage"]
    assert main([*base, "central", target]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main([*base, "password", "--stdin"]) == 0
    capsys.readouterr()
    assert main([*base, "push", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"sent": 7, "stored": 7, "pending": 0}
    assert len(central_ids(remote)) == 7
    settings = (data / "settings.json").read_text(encoding="utf-8")
    assert PASSWORD not in settings
    report = ["--data-dir", str(data), "report", "search-misses", "--db", target, "--json"]
    assert main(report) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["searches"] == 7


def test_cli_push_to_an_unreachable_store_fails_cleanly(
    tmp_path: Path, memory_keyring: MemoryKeyring, capsys
) -> None:
    import socket

    from flowdesk.cli import main

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://qa@127.0.0.1:{port}/usage"
    assert main(["--data-dir", str(tmp_path), "usage", "push", "--url", url]) == 1
    err = capsys.readouterr().err
    assert "unreachable" in err and "Traceback" not in err
