"""Run summaries: the same as a rebuild from scratch, whatever order events arrive in,
and every SQL report equal to the definitions replayed in memory."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from flowdesk.reports import (
    abandon_report,
    compliance_report,
    conformance_report,
    coverage_report,
    load_runs,
    measures,
    rebuild_summaries,
    search_miss_report,
    step_report,
)
from flowdesk.reports.compliance import compliance
from flowdesk.reports.queries import search_rows
from flowdesk.reports.run_cells import agent_teams
from flowdesk.reports.runs import PathJudge
from flowdesk.reports.summarise import pending_events, summarise_sqlite
from flowdesk.usage.rows import EventFilter, event_to_row, insert_ignoring_duplicates
from flowdesk.usage.schema import sqlite_engine
from flowdesk.usage.summary_schema import run_day, run_summary, step_day, step_summary
from tests.reports.report_fixtures import BEIJING, PACKS, T0, Calls, assert_same_steps, lookup

BILL_PATHS = [
    ["greet", "verify", "branch:ask:balance", "balance"],
    ["greet", "branch:ask:balance", "balance"],  # verify skipped
    ["verify", "greet", "branch:ask:detail", "detail"],  # out of order
    ["greet", "verify", "branch:ask:detail", "detail", "bye"],
    ["greet", "verify"],  # no branch chosen: the path ends at ask
    ["greet", "greet", "verify", "branch:ask:balance", "balance"],
]
PLAN_PATHS = [["explain", "confirm", "change"], ["explain", "change"], ["confirm", "explain"]]
TEAMS = {"A001": "一组", "A002": "一组", "B001": "二组 erzu", "B002": None}
#: B002 works from a desk five hours behind UTC: its local days are not Beijing's.
NEW_YORK = timezone(timedelta(hours=-5))
QUERIES = ["宽带 报修", "宽带  报修", "话费 huafei", "套餐变更", "13800138000 查询", "Kuandai"]


def site_log(seed: int) -> Calls:
    """Calls over three days: every kind of ending, late call ends, idle gaps, old packs."""
    rng = random.Random(seed)
    calls = Calls()
    for n in range(160):
        agent = rng.choice(list(TEAMS))
        team = TEAMS[agent]
        minute = rng.uniform(0, 3 * 24 * 60)
        call = f"通话-{n}" if rng.random() < 0.85 else None
        if call:
            calls.add("call_start", minute - 1, agent, team, call_id=call)
        if rng.random() < 0.6:
            result = rng.choice([0, 3, 5])
            opened = rng.choice([None, "bill-query"]) if result else None
            calls.add(
                "search", minute - 0.5, agent, team, call_id=call,
                query=rng.choice(QUERIES), result_count=result, opened_flow_id=opened,
            )  # fmt: skip
        flow = rng.choice(["bill-query", "plan-change"])
        steps = rng.choice(BILL_PATHS if flow == "bill-query" else PLAN_PATHS)
        end = rng.choice(["complete"] * 6 + ["abandon", None, None])
        seq = rng.choice([1, 1, 2, 3])  # sequence 3 is on no desk: unresolved
        gap = rng.choice([0.5, 0.5, 1.0, 31.0])  # 31 minutes between steps: idle
        last = calls.run(
            f"run-{n}", minute, steps, end, call=call, flow=flow, seq=seq,
            agent=agent, team=team, gap=gap,
        )  # fmt: skip
        if call and rng.random() < 0.8:
            calls.add("call_end", last + rng.choice([-0.7, 0.2, 5.0]), agent, team, call_id=call)
    calls.events = [
        replace(e, ts=e.ts.astimezone(NEW_YORK)) if e.agent_id == "B002" else e
        for e in calls.events
    ]
    return calls


def store_at(path: Path, events) -> Engine:  # type: ignore[no-untyped-def]
    engine = sqlite_engine(path)
    with engine.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
    return engine


def summaries(engine: Engine) -> tuple[list, list, list]:
    with engine.connect() as conn:
        runs = conn.execute(select(run_summary).order_by(run_summary.c.run_id)).all()
        steps = conn.execute(
            select(step_summary).order_by(step_summary.c.run_id, step_summary.c.step_id)
        ).all()
        cells = conn.execute(select(step_day).order_by(*step_day.primary_key.columns)).all()
        days = conn.execute(select(run_day).order_by(*run_day.primary_key.columns)).all()
    return (
        [tuple(r) for r in runs],
        [tuple(s) for s in steps],
        [tuple(c) for c in cells],
        [tuple(d) for d in days],
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_equal_a_rebuild_under_shuffled_duplicated_and_late_events(
    tmp_path: Path, seed: int
) -> None:
    events = site_log(seed).events
    rng = random.Random(seed)
    arriving = events + rng.sample(events, len(events) // 3)  # duplicates
    rng.shuffle(arriving)
    late = arriving[len(arriving) * 3 // 4 :]  # a desk that was offline comes back
    incremental = sqlite_engine(tmp_path / "incremental.sqlite3")
    for start in range(0, len(arriving) - len(late), 97):
        with incremental.begin() as conn:
            insert_ignoring_duplicates(
                conn, [event_to_row(e) for e in arriving[start : start + 97]]
            )
        summarise_sqlite(incremental, lookup)
    with incremental.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in late])
    assert pending_events(incremental) > 0
    summarise_sqlite(incremental, lookup)
    assert pending_events(incremental) == 0
    scratch = store_at(tmp_path / "scratch.sqlite3", events)
    rebuild_summaries(scratch, lookup)
    got, expected = summaries(incremental), summaries(scratch)
    assert len(got[0]) == 160 and len(got[1]) > 160 and len(got[2]) > 20 and len(got[3]) > 20
    assert got == expected
    rebuild_summaries(incremental, lookup)  # a rebuild of a current store changes nothing
    assert summaries(incremental) == expected


NOWS = [T0 + timedelta(days=1), T0 + timedelta(days=3, hours=1), T0 + timedelta(days=9)]
WINDOWS = [
    EventFilter(),
    EventFilter(since=T0 + timedelta(days=1), until=T0 + timedelta(days=2)),
    EventFilter(teams=("一组",)),
    EventFilter(agents=("B001", "B002"), since=T0 + timedelta(hours=12)),
    EventFilter(since=T0 + timedelta(hours=7), until=T0 + timedelta(days=2, hours=5)),
    # Beijing's midnights: whole local days for most runs, part-days for B002's
    EventFilter(
        since=datetime(2026, 11, 3, tzinfo=BEIJING), until=datetime(2026, 11, 5, tzinfo=BEIJING)
    ),
    EventFilter(since=datetime(2026, 11, 3, tzinfo=UTC), teams=("一组", "二组 erzu")),
    EventFilter(until=datetime(2026, 11, 4, tzinfo=NEW_YORK)),
    EventFilter(since=T0 + timedelta(days=1, hours=2), until=T0 + timedelta(days=1, hours=5)),
]


@pytest.mark.parametrize("seed", [4, 5])
def test_every_sql_report_equals_the_definitions_replayed_in_memory(
    tmp_path: Path, seed: int
) -> None:
    engine = store_at(tmp_path / "usage.sqlite3", site_log(seed).events)
    offered = list(PACKS[1].offered_touchpoints())
    for now in NOWS:
        for where in WINDOWS:
            runs = load_runs(engine, where, now)
            judge = PathJudge(lookup)
            for by in ("flow", "agent", "team", "touchpoint"):
                for period in (None, "day", "week", "month"):
                    expected = compliance(runs, judge, by, period)
                    got = compliance_report(engine, lookup, by, period, where, now)
                    assert (got.columns, got.rows, got.summary) == (
                        expected.columns, expected.rows, expected.summary,
                    )  # fmt: skip
            assert_same_steps(step_report(engine, lookup, where, now), measures.steps(runs, judge))
            with engine.connect() as conn:  # QA's agents table: each beside their team
                assert agent_teams(conn, where) == teams_of(runs)
            pairs = [
                (abandon_report(engine, lookup, where, now), measures.abandons(runs, judge)),
                (
                    coverage_report(engine, lookup, offered, where, now),
                    measures.coverage(runs, judge, offered),
                ),
                (
                    search_miss_report(engine, where),
                    measures.search_misses(search_rows(engine, where)),
                ),
                (
                    conformance_report(engine, lookup, "agent", 0.8, {"A001": 0.5}, where, now),
                    measures.conformance(runs, judge, "agent", 0.8, {"A001": 0.5}),
                ),
            ]
            for got, expected in pairs:
                assert got == expected, got.name


def teams_of(runs) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    """Each agent and the last team by name of their runs (none when no run had one)."""
    teams: dict[str, str | None] = {}
    for run in runs:
        named = [t for t in (teams.get(run.agent_id), run.team) if t is not None]
        teams[run.agent_id] = max(named) if named else None
    return sorted(teams.items())


def test_a_pack_version_imported_later_resolves_its_runs(tmp_path: Path) -> None:
    calls = Calls()
    calls.run("旧版-1", 0, ["greet", "verify", "branch:ask:balance", "balance"], seq=7)
    engine = store_at(tmp_path / "usage.sqlite3", calls.events)
    now = T0 + timedelta(days=1)
    before = compliance_report(engine, lookup, where=EventFilter(), now=now).summary
    assert (before["unresolved_runs"], before["completed_runs"]) == (1, 0)

    def with_seven(pack_id: str, sequence: int, flow_id: str):  # type: ignore[no-untyped-def]
        return lookup(pack_id, 1 if sequence == 7 else sequence, flow_id)

    after = compliance_report(engine, with_seven, now=now).summary
    assert (after["unresolved_runs"], after["completed_runs"], after["compliant_runs"]) == (0, 1, 1)
