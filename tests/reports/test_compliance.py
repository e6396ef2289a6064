"""Compliance rate (流程规范率) per contract §3, with hand-built event sequences."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flowdesk.reports import compliance_report, load_runs
from flowdesk.usage.rows import EventFilter
from tests.reports.report_fixtures import COMPLIANT, T0, Calls, lookup


def only(report, key="bill-query"):
    rows = [r for r in report.rows if r["key"] == key]
    assert len(rows) == 1, report.rows
    return rows[0]


def test_compliant_run_counts_as_compliant(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT)
    row = only(compliance_report(store(calls.events), lookup, now=T0 + timedelta(days=1)))
    assert (row["completed_runs"], row["compliant_runs"], row["abandoned_runs"]) == (1, 1, 0)
    assert row["compliance_rate"] == 1.0


def test_skipped_required_step_is_not_compliant(calls: Calls, store) -> None:
    calls.run("r1", 0, ["greet", "branch:ask:balance", "balance"])  # 核实身份 skipped
    calls.run("r2", 10, COMPLIANT)
    row = only(compliance_report(store(calls.events), lookup, now=T0 + timedelta(days=1)))
    assert (row["completed_runs"], row["compliant_runs"]) == (2, 1)
    assert row["compliance_rate"] == 0.5


def test_required_steps_out_of_path_order_are_not_compliant(calls: Calls, store) -> None:
    calls.run("r1", 0, ["verify", "greet", "branch:ask:balance", "balance"])
    row = only(compliance_report(store(calls.events), lookup, now=T0 + timedelta(days=1)))
    assert row["compliant_runs"] == 0 and row["completed_runs"] == 1


def test_events_stored_out_of_time_order_are_read_in_time_order(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT)
    shuffled = list(reversed(calls.events))  # a merged log holds them in any order
    row = only(compliance_report(store(shuffled), lookup, now=T0 + timedelta(days=1)))
    assert row["compliant_runs"] == 1


def test_optional_steps_and_the_branch_not_taken_do_not_count(calls: Calls, store) -> None:
    # 详单 branch: "balance" is not on this path, "detail" is optional and skipped.
    calls.run("r1", 0, ["greet", "verify", "branch:ask:detail"])
    row = only(compliance_report(store(calls.events), lookup, now=T0 + timedelta(days=1)))
    assert row["compliance_rate"] == 1.0


def test_abandoned_run_is_not_a_completed_run(calls: Calls, store) -> None:
    calls.run("r1", 0, ["greet"], end="abandon")
    calls.run("r2", 5, COMPLIANT)
    row = only(compliance_report(store(calls.events), lookup, now=T0 + timedelta(days=1)))
    assert (row["completed_runs"], row["abandoned_runs"], row["compliance_rate"]) == (1, 1, 1.0)
    assert row["abandon_rate"] == 0.5


def test_run_unfinished_at_call_end_is_abandoned(calls: Calls, store) -> None:
    calls.add("call_start", 0, call_id="c1")
    end = calls.run("r1", 0.1, ["greet", "verify"], end=None, call="c1")
    calls.add("call_end", end + 1, call_id="c1")
    runs = load_runs(store(calls.events), now=T0 + timedelta(minutes=5))
    assert [(r.outcome, r.end_reason) for r in runs] == [("abandoned", "call_end")]


def test_completion_after_the_call_ended_is_still_abandoned(calls: Calls, store) -> None:
    calls.add("call_start", 0, call_id="c1")
    calls.run("r1", 0.1, COMPLIANT, end=None, call="c1")
    calls.add("call_end", 2.4, call_id="c1")
    calls.add("flow_complete", 3.0, call_id="c1", run_id="r1", flow_id="bill-query")
    report = compliance_report(store(calls.events), lookup, now=T0 + timedelta(minutes=5))
    row = only(report)
    assert (row["completed_runs"], row["abandoned_runs"]) == (0, 1)
    assert row["compliance_rate"] is None


def test_idle_thirty_minutes_is_abandoned_and_before_that_still_open(calls: Calls, store) -> None:
    last = calls.run("r1", 0, ["greet"], end=None)
    engine = store(calls.events)
    early = load_runs(engine, now=T0 + timedelta(minutes=last + 29))
    late = load_runs(engine, now=T0 + timedelta(minutes=last + 30))
    assert [r.outcome for r in early] == ["open"]
    assert [(r.outcome, r.end_reason) for r in late] == [("abandoned", "idle")]
    row = only(compliance_report(engine, lookup, now=T0 + timedelta(minutes=last + 29)))
    assert (row["open_runs"], row["completed_runs"], row["abandoned_runs"]) == (1, 0, 0)


def test_a_gap_of_thirty_minutes_inside_a_run_abandons_it(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT, gap=11)  # 44 minutes in all, but no gap of 30
    calls.run("r2", 100, ["greet", "verify"], end=None)
    calls.add("flow_complete", 140, run_id="r2", flow_id="bill-query")  # 39 minutes idle
    runs = {r.run_id: r for r in load_runs(store(calls.events), now=T0 + timedelta(days=1))}
    assert runs["r1"].outcome == "completed"
    assert (runs["r2"].outcome, runs["r2"].end_reason) == ("abandoned", "idle")


def test_duplicate_events_are_stored_and_counted_once(calls: Calls, store) -> None:
    calls.run("r1", 0, ["greet", "branch:ask:balance", "balance"])
    engine = store(calls.events + calls.events)
    row = only(compliance_report(engine, lookup, now=T0 + timedelta(days=1)))
    assert (row["runs"], row["completed_runs"], row["compliant_runs"]) == (1, 1, 0)


def test_each_run_is_judged_by_its_own_pack_sequence(calls: Calls, store) -> None:
    skipped_verify = ["greet", "branch:ask:balance", "balance"]
    calls.run("old", 0, skipped_verify, seq=1)  # 核实身份 required in sequence 1
    calls.run("new", 10, skipped_verify, seq=2)  # and optional in sequence 2
    runs = load_runs(store(calls.events), now=T0 + timedelta(days=1))
    from flowdesk.reports import PathJudge

    judge = PathJudge(lookup)
    verdicts = {r.run_id: judge.compliant(r) for r in runs}
    assert verdicts == {"old": False, "new": True}


def test_unknown_flow_versions_are_unresolved_not_non_compliant(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT, seq=9)
    row = only(compliance_report(store(calls.events), lookup, now=T0 + timedelta(days=1)))
    assert (row["completed_runs"], row["unresolved_runs"], row["compliance_rate"]) == (0, 1, None)


def test_by_agent_team_and_touchpoint(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT, agent="A001", team="一组")
    calls.run("r2", 5, ["greet"], agent="B002", team="二组 erzu")
    calls.run(
        "r3",
        9,
        ["explain", "confirm", "change"],
        flow="plan-change",
        agent="B002",
        team="二组 erzu",
    )
    engine = store(calls.events)
    now = T0 + timedelta(days=1)
    by_agent = {
        r["key"]: r["compliance_rate"]
        for r in compliance_report(engine, lookup, by="agent", now=now).rows
    }
    assert by_agent == {"A001": 1.0, "B002": 0.5}
    by_team = {
        r["key"]: r["completed_runs"]
        for r in compliance_report(engine, lookup, by="team", now=now).rows
    }
    assert by_team == {"一组": 1, "二组 erzu": 2}
    by_tp = {
        r["key"]: (r["completed_runs"], r["compliant_runs"])
        for r in compliance_report(engine, lookup, by="touchpoint", now=now).rows
    }
    # A run counts for every touch point its flow claims.
    assert by_tp == {
        "C1-G-B01": (2, 1),
        "C1-M-B01": (2, 1),
        "C2-G-B01": (2, 1),
        "C1-G-B02": (1, 1),
        "C1-M-B02": (1, 1),
    }


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("day", ["2026-11-02", "2026-11-09"]),
        ("week", ["2026-W45", "2026-W46"]),
        ("month", ["2026-11"]),
    ],
)
def test_by_period_in_the_desks_own_offset(calls: Calls, store, period, expected) -> None:
    calls.run("r1", 0, COMPLIANT)
    calls.run("r2", 7 * 24 * 60 - 8 * 60 - 30, ["greet"])  # 00:30 Beijing time, 16:30 UTC before
    report = compliance_report(
        store(calls.events), lookup, period=period, now=T0 + timedelta(days=30)
    )
    assert sorted({r["period"] for r in report.rows}) == expected
    assert "period" in report.columns


def test_window_selects_runs_opened_inside_it(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT)
    calls.run("r2", 24 * 60, ["greet"])
    where = EventFilter(since=T0 + timedelta(hours=12))
    row = only(
        compliance_report(store(calls.events), lookup, where=where, now=T0 + timedelta(days=3))
    )
    assert (row["runs"], row["compliance_rate"]) == (1, 0.0)


def test_summary_totals_every_run(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT)
    calls.run("r2", 3, ["explain"], flow="plan-change", end="abandon")
    report = compliance_report(store(calls.events), lookup, now=T0 + timedelta(days=1))
    assert report.summary["runs"] == 2
    assert report.summary["compliance_rate"] == 1.0
    assert report.summary["abandon_rate"] == 0.5
