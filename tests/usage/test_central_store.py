"""The central store on a real PostgreSQL: roles, monthly partitions, retention, many pushers."""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import ProgrammingError

from flowdesk.model import Flow, Step
from flowdesk.problems import Refused
from flowdesk.reports import (
    BY_KEYS,
    PathJudge,
    abandon_report,
    compliance_report,
    coverage_report,
    load_runs,
    measures,
    rebuild_summaries,
    step_report,
)
from flowdesk.reports.central_summary import queued, summarise_central
from flowdesk.reports.compliance import compliance
from flowdesk.usage import UsageEvent, sqlite_engine
from flowdesk.usage.central import central_engine, central_url, push, set_password
from flowdesk.usage.central_retention import retire_month
from flowdesk.usage.central_schema import create_roles, ensure_months, months
from flowdesk.usage.rows import EventFilter, event_to_row, insert_ignoring_duplicates
from flowdesk.usage.schema import usage_event
from flowdesk.usage.summary_schema import run_summary
from tests.builders import MemoryKeyring
from tests.usage.pg_server import PASSWORD, USER, PgServer

pytestmark = pytest.mark.postgres

BEIJING = timezone(timedelta(hours=8))
OCT = datetime(2026, 10, 30, 9, 0, tzinfo=BEIJING)
NOV = datetime(2026, 11, 3, 9, 0, tzinfo=BEIJING)
FLOW = Flow(
    "bill-query",
    "话费查询 huafei",
    "query",
    steps=(
        Step("greet", "script", "您好", required=True),
        Step("verify", "check", "核实身份", required=True),
        Step("bye", "end", "再见"),
    ),
)


def lookup(pack_id: str, sequence: int, flow_id: str) -> Flow | None:
    return FLOW if (pack_id, flow_id) == ("huafei", "bill-query") else None


def call_events(agent: str, n: int, start: datetime, compliant: bool = True) -> list[UsageEvent]:
    """One call with one run: open, steps (verify skipped when not compliant), complete, end."""
    who = {"agent_id": agent, "team": f"班组{agent[:1]}", "call_id": f"{agent}-通话{n}"}
    run = {**who, "run_id": f"{agent}-run{n}"}
    steps = ["greet", "verify"] if compliant else ["greet"]
    t = start + timedelta(minutes=5 * n)
    out = [UsageEvent(str(uuid.uuid4()), t, "call_start", **who)]
    out.append(
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
        out.append(
            UsageEvent(
                str(uuid.uuid4()), t + timedelta(seconds=i), "step_done", step_id=step, **run
            )
        )
    out.append(UsageEvent(str(uuid.uuid4()), t + timedelta(seconds=9), "flow_complete", **run))
    out.append(UsageEvent(str(uuid.uuid4()), t + timedelta(seconds=20), "call_end", **who))
    return out


def admin_sql(server: PgServer, database: str, *statements: str) -> None:
    with psycopg.connect(
        host="127.0.0.1", port=server.port, user=USER, password=PASSWORD,
        dbname=database, autocommit=True,
    ) as conn:  # fmt: skip
        for statement in statements:
            conn.execute(statement)


@pytest.fixture
def site(pg_server: PgServer, memory_keyring: MemoryKeyring) -> Iterator[tuple[str, Engine]]:
    """A fresh central database set up as ``usage central-setup`` does, owner's engine."""
    name = f"site_{uuid.uuid4().hex[:10]}"
    admin_sql(pg_server, "postgres", f'CREATE DATABASE "{name}"')
    url = central_url(pg_server.url(name))
    set_password(url, PASSWORD)
    owner = central_engine(url)
    with owner.begin() as conn:
        ensure_months(conn, OCT.date(), NOV.date())
        create_roles(conn)
    suffix = name[-6:]
    admin_sql(
        pg_server,
        name,
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'desk_{suffix}') THEN "
        f"CREATE ROLE desk_{suffix} LOGIN PASSWORD 'd' IN ROLE flowdesk_push; "
        f"CREATE ROLE qa_{suffix} LOGIN PASSWORD 'q' IN ROLE flowdesk_read; "
        f"CREATE ROLE job_{suffix} LOGIN PASSWORD 's' IN ROLE flowdesk_summarise; END IF; END $$",
    )
    yield name, owner
    owner.dispose()
    admin_sql(pg_server, "postgres", f'DROP DATABASE "{name}" WITH (FORCE)')


def login(server: PgServer, database: str, role: str, password: str) -> Engine:
    return create_engine(
        f"postgresql+psycopg://{role}:{password}@127.0.0.1:{server.port}/{database}",
        hide_parameters=True,
    )


def denied(engine: Engine, sql: str) -> bool:
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    except ProgrammingError as exc:
        return "permission denied" in str(exc.orig) or "must be owner" in str(exc.orig)
    return False


def test_each_role_can_do_its_job_and_nothing_more(pg_server: PgServer, site) -> None:
    name, owner = site
    suffix = name[-6:]
    desk = login(pg_server, name, f"desk_{suffix}", "d")
    qa = login(pg_server, name, f"qa_{suffix}", "q")
    job = login(pg_server, name, f"job_{suffix}", "s")
    try:
        events = call_events("A001", 1, NOV) + call_events("A001", 2, NOV, compliant=False)
        with desk.begin() as conn:  # the desk adds its events, twice: stored once
            assert insert_ignoring_duplicates(conn, [event_to_row(e) for e in events]) == 11
        with desk.begin() as conn:
            assert insert_ignoring_duplicates(conn, [event_to_row(e) for e in events]) == 0
        # …but can read, change or delete nobody's events, nor touch the summaries.
        for sql in (
            "SELECT count(*) FROM usage_event",
            "SELECT * FROM usage_event_y2026m11",
            "UPDATE usage_event SET team = '二组'",
            "DELETE FROM usage_event",
            "TRUNCATE usage_event",
            "SELECT * FROM run_summary",
            "DELETE FROM run_dirty",
            "DROP TABLE usage_event_y2026m10",
        ):
            assert denied(desk, sql), sql
        # QA reads, but a report by QA writes nothing: the queue is the job's.
        assert compliance_report(qa, lookup, now=NOV + timedelta(days=1)).rows == []
        for sql in (
            "INSERT INTO usage_event (event_id, ts_us, tz_min, type, agent_id) "
            "VALUES ('x', 1, 0, 'search', 'A')",
            "DELETE FROM run_summary",
            "DROP TABLE usage_event_y2026m10",
        ):
            assert denied(qa, sql), sql
        assert queued(owner) == 4  # two runs and two calls wait
        assert summarise_central(job, lookup).runs == 2
        assert denied(job, "DROP TABLE usage_event_y2026m10")
        assert denied(job, "INSERT INTO usage_event (event_id, ts_us, tz_min, type, agent_id) "
                           "VALUES ('x', 1, 0, 'search', 'A')")  # fmt: skip
        (row,) = compliance_report(qa, lookup, by="team", now=NOV + timedelta(days=1)).rows
        assert (row["key"], row["completed_runs"], row["compliance_rate"]) == ("班组A", 2, 0.5)
        with owner.begin() as conn:  # only the owner drops partitions
            conn.exec_driver_sql("DROP TABLE usage_event_y2026m10")
    finally:
        for engine in (desk, qa, job):
            engine.dispose()


def test_retiring_a_month_exports_it_whole_then_drops_only_it(tmp_path: Path, site) -> None:
    _name, owner = site
    october = [e for n in range(3) for e in call_events("B001", n, OCT)]
    november = [e for n in range(2) for e in call_events("B002", n, NOV)]
    with owner.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in october + november])
    summarise_central(owner, lookup)
    with owner.connect() as conn:
        assert {"2026-10", "2026-11"} <= set(months(conn))
    out = tmp_path / "归档" / "2026-10.jsonl"
    done = retire_month(owner, "2026-10", out)
    assert done.events == len(october) == 18
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {x["event_id"] for x in lines} == {e.event_id for e in october}
    with owner.connect() as conn:
        assert "2026-10" not in months(conn) and "2026-11" in months(conn)
        stored = conn.execute(select(func.count()).select_from(usage_event)).scalar_one()
        assert stored == len(november)
        assert conn.execute(select(func.count()).select_from(run_summary)).scalar_one() == 2
    with pytest.raises(Refused, match="no partition"):
        retire_month(owner, "2026-10", tmp_path / "again.jsonl")
    # The export is a contract log: a desk imports it whole.
    from flowdesk.usage import import_events

    archive = sqlite_engine(tmp_path / "archive.sqlite3")
    assert import_events(archive, out).imported == 18
    archive.dispose()


def test_events_for_a_month_without_partition_wait_in_default_and_move_in(site) -> None:
    _name, owner = site
    later = datetime(2027, 3, 1, 10, 0, tzinfo=BEIJING)
    with owner.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in call_events("C001", 0, later)])
        assert ensure_months(conn, later.date(), later.date()) == 1
    with owner.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM usage_event_default")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM usage_event_y2027m03")).scalar_one() == 6


def test_many_desks_pushing_at_once_lose_and_duplicate_nothing(
    pg_server: PgServer, site, tmp_path: Path
) -> None:
    name, owner = site
    url = central_url(f"postgresql+psycopg://desk_{name[-6:]}@127.0.0.1:{pg_server.port}/{name}")
    set_password(url, "d")
    desks: list[Engine] = []
    everything: list[UsageEvent] = []
    for d in range(12):
        local = sqlite_engine(tmp_path / f"desk{d}.sqlite3")
        events = [e for n in range(15) for e in call_events(f"D{d:03d}", n, NOV, n % 3 != 0)]
        with local.begin() as conn:
            insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
        desks.append(local)
        everything.extend(events)
    errors: list[BaseException] = []

    def push_twice(local: Engine) -> None:
        remote = central_engine(url)  # the desk's own least-privilege login
        try:
            push(local, remote, "site", batch=7)
            with local.begin() as conn:  # forget the acknowledgement: everything again
                conn.execute(text("DELETE FROM push_ack"))
            push(local, remote, "site", batch=11)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            remote.dispose()

    threads = [threading.Thread(target=push_twice, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    with owner.connect() as conn:
        ids = conn.execute(select(usage_event.c.event_id)).scalars().all()
    assert len(ids) == len(set(ids)) == len(everything) == 12 * (10 * 6 + 5 * 5)
    assert set(ids) == {e.event_id for e in everything}
    summarise_central(owner, lookup)
    now = NOV + timedelta(days=1)
    central_rows = compliance_report(owner, lookup, by="agent", now=now).rows
    rebuild_summaries(owner, lookup)  # from scratch: the same
    assert compliance_report(owner, lookup, by="agent", now=now).rows == central_rows
    assert [r["compliant_runs"] for r in central_rows] == [10] * 12
    for local in desks:
        local.dispose()


def test_central_summaries_equal_a_rebuild_under_shuffled_duplicated_and_late_events(
    site, monkeypatch
) -> None:
    from flowdesk.reports import central_summary
    from tests.reports.report_fixtures import Calls
    from tests.reports.report_fixtures import lookup as packs_lookup
    from tests.reports.test_summarise import site_log

    monkeypatch.setattr(central_summary, "QUEUE_BATCH", 5)  # many small queue batches
    _name, owner = site
    searches_only = Calls()
    for n in range(12):  # calls in which no flow was opened: queued, but no run to redo
        searches_only.add("call_start", 60.0 + n, "A001", "一组", call_id=f"只查询-{n}")
        searches_only.add("call_end", 61.0 + n, "A001", "一组", call_id=f"只查询-{n}")
    with owner.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in searches_only.events])
    summarise_central(owner, packs_lookup)
    assert queued(owner) == 0  # every batch of calls taken, though none had a run
    calls = site_log(8)
    for n, seconds in enumerate((1, 2, 3, 4)):  # an even count: the median is a mean
        calls.run(f"计时-{n}", 90.0 + n, ["explain"], "complete", flow="plan-change",
                  agent="计时员", gap=seconds / 60)  # fmt: skip
    events = calls.events
    rng = random.Random(8)
    arriving = events + rng.sample(events, len(events) // 3)  # duplicates
    rng.shuffle(arriving)  # late call ends, steps before their run's open, …
    for start in range(0, len(arriving), 97):
        with owner.begin() as conn:
            insert_ignoring_duplicates(
                conn, [event_to_row(e) for e in arriving[start : start + 97]]
            )
        summarise_central(owner, packs_lookup)
        assert queued(owner) == 0

    def stored() -> tuple[list, list, list]:
        with owner.connect() as conn:
            runs = conn.execute(text("SELECT * FROM run_summary ORDER BY run_id")).all()
            steps = conn.execute(text("SELECT * FROM step_summary ORDER BY run_id, step_id")).all()
            cells = conn.execute(text("SELECT * FROM step_day ORDER BY 1, 2, 3, 4")).all()
            days = conn.execute(text("SELECT * FROM run_day ORDER BY 1, 2, 3, 4, 5, 6, 7, 8")).all()
        return (
            [tuple(r) for r in runs],
            [tuple(s) for s in steps],
            [tuple(c) for c in cells],
            [tuple(d) for d in days],
        )

    incremental = stored()
    assert len(incremental[0]) == 164 and len(incremental[1]) > 164 and len(incremental[3]) > 20
    rebuild_summaries(owner, packs_lookup)
    assert stored() == incremental
    # Every report on PostgreSQL equals the definitions replayed in memory.
    from tests.reports.report_fixtures import BEIJING, PACKS, T0, assert_same_steps

    now = T0 + timedelta(days=3, hours=1)
    runs = load_runs(owner, EventFilter(), now)
    judge = PathJudge(packs_lookup)
    offered = list(PACKS[1].offered_touchpoints())
    for by in BY_KEYS:
        got = compliance_report(owner, packs_lookup, by, "day", now=now)
        assert got == compliance(runs, judge, by, "day")
    beijing_days = datetime(2026, 11, 3, tzinfo=BEIJING), datetime(2026, 11, 5, tzinfo=BEIJING)
    for where in (
        EventFilter(since=beijing_days[0], until=beijing_days[1]),  # whole days, and B002's parts
        EventFilter(since=T0 + timedelta(hours=7), until=T0 + timedelta(days=2, hours=5)),
        EventFilter(since=beijing_days[0], teams=("一组",)),
    ):
        in_window = load_runs(owner, where, now)
        for by in BY_KEYS:
            got = compliance_report(owner, packs_lookup, by, None, where, now)
            assert got == compliance(in_window, judge, by, None), (by, where)
    pairs = [
        (abandon_report(owner, packs_lookup, now=now), measures.abandons(runs, judge)),
        (
            coverage_report(owner, packs_lookup, offered, now=now),
            measures.coverage(runs, judge, offered),
        ),
    ]
    for got, expected in pairs:
        assert got == expected, got.name
    assert_same_steps(step_report(owner, packs_lookup, now=now), measures.steps(runs, judge))
    timed = EventFilter(agents=("计时员",))
    got = step_report(owner, packs_lookup, timed, now)
    assert got == measures.steps(load_runs(owner, timed, now), judge)
    medians = {r["key"]: r["median_seconds"] for r in got.rows}
    assert medians["plan-change/explain"] == 2.5  # 1, 2, 3, 4 seconds: a mean of two


def test_a_pack_version_that_comes_later_resolves_central_runs(site) -> None:
    _name, owner = site
    events = call_events("E001", 0, NOV)
    for e in events:
        if e.type == "flow_open":
            events[events.index(e)] = replace(e, pack_sequence=7)  # not on the summariser's desk
    with owner.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])

    def first_only(pack_id: str, sequence: int, flow_id: str) -> Flow | None:
        return lookup(pack_id, sequence, flow_id) if sequence == 1 else None

    summarise_central(owner, first_only)
    now = NOV + timedelta(days=1)
    before = compliance_report(owner, first_only, now=now).summary
    assert (before["unresolved_runs"], before["completed_runs"]) == (1, 0)
    # Sequence 7 is now on the summarising desk (``lookup`` knows every sequence).
    assert summarise_central(owner, lookup).runs == 1  # the queue is empty: that run
    after = compliance_report(owner, lookup, now=now).summary
    assert (after["unresolved_runs"], after["completed_runs"], after["compliant_runs"]) == (0, 1, 1)


def test_the_administrators_commands_set_up_summarise_and_retire(
    tmp_path: Path, site, pg_server: PgServer, capsys
) -> None:
    from flowdesk.cli import main

    name, owner = site
    url = pg_server.url(name)  # the owner's login; its password is in the keyring
    data = ["--data-dir", str(tmp_path / "admin")]
    assert main([*data, "usage", "central-setup", "--db", url, "--months-ahead", "0"]) == 0
    with owner.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in call_events("F001", 0, OCT)])
    capsys.readouterr()
    assert main([*data, "usage", "summarise", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"runs": 1}
    out = tmp_path / "2026-10.jsonl"
    retire = ["usage", "retire", "--db", url, "--month", "2026-10", "--export", str(out)]
    assert main([*data, *retire, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["events"] == 6
    with owner.connect() as conn:
        assert "2026-10" not in months(conn)
    assert main([*data, "usage", "retire", "--db", url, "--month", "2026-13", "--export", "x"]) == 1
    assert "not a month" in capsys.readouterr().err


def test_a_store_made_before_the_step_cells_gets_them_and_the_same_steps_report(
    site, pg_server: PgServer
) -> None:
    name, owner = site
    events = [e for n in range(6) for e in call_events(f"U00{n}", n, NOV, compliant=n % 2 == 0)]
    with owner.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
    summarise_central(owner, lookup)
    now = NOV + timedelta(days=1)
    before = step_report(owner, lookup, now=now)
    assert before.rows and all(r["on_path_runs"] for r in before.rows)
    teams_before = compliance_report(owner, lookup, "team", now=now)
    with owner.begin() as conn:  # the store as the FlowDesk before step_day left it
        conn.exec_driver_sql("DROP TABLE step_day, run_day")
        conn.exec_driver_sql(
            "DROP INDEX ix_step_summary_open, ix_step_summary_opened, ix_usage_event_branch"
        )
    owner_again = central_engine(central_url(pg_server.url(name)))  # the owner's next start
    try:
        assert queued(owner_again) == 6  # every run re-derived, its cells with it
        assert summarise_central(owner_again, lookup).runs == 6
        assert step_report(owner_again, lookup, now=now) == before
        assert compliance_report(owner_again, lookup, "team", now=now) == teams_before
        with owner_again.connect() as conn:
            parts = conn.exec_driver_sql(
                "SELECT p.relname, count(*) FROM pg_inherits i JOIN pg_class p "
                "ON p.oid = i.inhparent WHERE p.relname IN ('step_day', 'run_day', 'usage_event') "
                "GROUP BY p.relname"
            ).all()
        months_of = dict(parts)
        assert months_of["step_day"] == months_of["run_day"] == months_of["usage_event"] >= 3
        with owner_again.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT to_regclass('ix_usage_event_branch') IS NOT NULL "
                "AND to_regclass('ix_step_summary_open') IS NOT NULL"
            ).scalar_one()
        assert found
        qa = login(pg_server, name, f"qa_{name[-6:]}", "q")
        with qa.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM step_day").scalar_one() > 0
            assert conn.exec_driver_sql("SELECT count(*) FROM run_day").scalar_one() > 0
        qa.dispose()
    finally:
        owner_again.dispose()
