"""Abandon, step, coverage, search-miss and conformance measurements."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flowdesk.reports import (
    abandon_report,
    conformance_report,
    coverage_report,
    search_miss_report,
    step_report,
)
from flowdesk.reports.step_cells import MEDIAN_RELATIVE
from flowdesk.reports.steps import steps_sql
from flowdesk.usage.rows import ALL_EVENTS
from tests.reports.report_fixtures import COMPLIANT, PACKS, T0, Calls, lookup

NOW = T0 + timedelta(days=1)


def test_abandon_rate_per_flow_with_reasons_and_the_step_left(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT)
    calls.run("r2", 5, ["greet"], end="abandon")  # left while on 核实身份
    calls.add("call_start", 9.9, call_id="c3")
    calls.run("r3", 10, ["greet"], end=None, call="c3")
    calls.add("call_end", 12, call_id="c3")
    calls.run("r4", 20, ["greet"], end=None)  # idle until the horizon
    report = abandon_report(store(calls.events), lookup, now=NOW)
    (row,) = report.rows
    assert row["key"] == "bill-query"
    assert (row["completed_runs"], row["abandoned_runs"]) == (1, 3)
    assert row["abandon_rate"] == 0.75
    assert (row["abandon"], row["call_end"], row["idle"]) == (1, 1, 1)
    assert row["abandoned_at"] == "verify"


def test_skip_rate_and_median_time_per_step(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT, gap=1)  # each step one minute after the previous
    calls.run("r2", 10, ["greet", "branch:ask:balance", "balance"], gap=2)
    calls.run("r3", 20, ["greet", "verify", "branch:ask:balance", "balance"], gap=3)
    rows = {r["step_id"]: r for r in step_report(store(calls.events), lookup, now=NOW).rows}
    assert rows["verify"]["on_path_runs"] == 3
    assert rows["verify"]["skipped_runs"] == 1
    assert rows["verify"]["skip_rate"] == pytest.approx(1 / 3)
    assert rows["greet"]["skip_rate"] == 0.0
    assert rows["greet"]["median_seconds"] == 120.0  # 60, 120, 180 seconds
    assert "detail" not in rows  # no run took the 详单 branch
    assert rows["bye"]["skipped_runs"] == 3 and rows["bye"]["required"] is False
    assert rows["verify"]["required"] is True


def test_a_median_among_close_timings_is_exact_on_a_desk_and_within_a_bucket_centrally(
    calls: Calls, store
) -> None:
    """Timings closer than a bucket's 4.4 % share it: read from the buckets (the central
    store's way) the median is their bucket's mean, within the documented precision; a
    desk's SQLite store gives the exact median, as the contract defines it."""
    close = (30.0, 60.6, 61.2, 62.4, 200.0)  # the middle three in one bucket
    for n, seconds in enumerate(close):
        calls.run(f"近-{n}", 10 * n, ["greet"], agent=f"A{n}", gap=seconds / 60)
    engine = store(calls.events)
    exact = 61.2  # the mean of its bucket is 61.4
    (row,) = [r for r in step_report(engine, lookup, now=NOW).rows if r["step_id"] == "greet"]
    assert row["median_seconds"] == exact and row["on_path_runs"] == 5
    with engine.connect() as conn:
        read = steps_sql(conn, ALL_EVENTS, NOW, exact=False)
    (bucketed,) = [r for r in read.rows if r["step_id"] == "greet"]
    assert bucketed["median_seconds"] != exact  # read from the bucket, not from the timings
    assert abs(bucketed["median_seconds"] - exact) <= exact * MEDIAN_RELATIVE
    assert bucketed["on_path_runs"] == 5  # the counts stay exact


def test_coverage_lists_offered_touch_points_never_used(calls: Calls, store) -> None:
    calls.run("r1", 0, ["explain"], flow="plan-change", end="abandon")
    offered = list(PACKS[1].offered_touchpoints())
    report = coverage_report(store(calls.events), lookup, offered, now=NOW)
    summary = report.summary
    # B01: 2 channels × 2 brands, B02: 1 × 2, B03: 1 × 1 → 7 offered cells.
    assert summary["offered_touchpoints"] == 7
    assert summary["used_touchpoints"] == 2
    assert summary["coverage"] == pytest.approx(2 / 7)
    assert "C1-G-B03" in summary["never_used"]  # the blind spot 宽带报修 has no flow
    assert "C1-G-B02" not in summary["never_used"]


def test_search_misses_are_no_result_or_no_flow_opened(calls: Calls, store) -> None:
    calls.add("search", 0, query="携号转网", result_count=0)
    calls.add("search", 1, query="携号转网 ", result_count=0)
    calls.add("search", 2, query="huafei", result_count=3, opened_flow_id="bill-query")
    calls.add("search", 3, query="国际漫游 manyou", result_count=2)
    calls.add("search", 4, query="查话费 13800138000", result_count=1, opened_flow_id="bill-query")
    report = search_miss_report(store(calls.events))
    assert [r["key"] for r in report.rows] == ["携号转网", "国际漫游 manyou"]
    assert report.rows[0]["no_result"] == 2
    assert report.rows[1]["no_flow_opened"] == 1
    assert report.summary["miss_rate"] == pytest.approx(3 / 5)


def test_stored_queries_never_hold_the_customers_number(calls: Calls, store) -> None:
    calls.add("search", 0, query="查话费 13800138000", result_count=0)
    report = search_miss_report(store(calls.events))
    assert report.rows[0]["key"] == "查话费 ***********"


def test_conformance_flags_teams_below_the_benchmark(calls: Calls, store) -> None:
    for i in range(4):
        calls.run(f"a{i}", i * 3, COMPLIANT, team="一组")
    for i in range(4):
        steps = COMPLIANT if i < 3 else ["greet"]
        calls.run(f"b{i}", 20 + i * 3, steps, team="二组", agent="B002")
    engine = store(calls.events)
    report = conformance_report(engine, lookup, benchmark=0.9, now=NOW)
    rows = {r["key"]: r for r in report.rows}
    assert rows["二组"]["below"] is True and rows["一组"]["below"] is False
    assert rows["二组"]["gap"] == pytest.approx(0.75 - 0.9)
    assert report.summary["below"] == ["二组"]
    lenient = conformance_report(engine, lookup, benchmark=0.9, benchmarks={"二组": 0.7}, now=NOW)
    assert lenient.summary["below"] == []
    by_agent = conformance_report(engine, lookup, by="agent", benchmark=0.8, now=NOW)
    assert by_agent.summary["below"] == ["B002"]
