"""One window of usage loaded once, and single runs traced step by step (QA drill-down)."""

from __future__ import annotations

from datetime import timedelta

from flowdesk.reports import UsageSnapshot, compliance_report
from flowdesk.reports.snapshot import DONE, EXTRA, OFF_PATH, OUT_OF_ORDER, SKIPPED
from tests.reports.report_fixtures import COMPLIANT, T0, Calls, lookup

NOW = T0 + timedelta(days=1)


def test_snapshot_reports_equal_the_direct_ones(calls: Calls, store) -> None:
    calls.run("r1", 0, COMPLIANT)
    calls.run("r2", 5, ["greet"], end="abandon")
    calls.add("search", 6, query="积分 jifen", result_count=0)
    engine = store(calls.events)
    snap = UsageSnapshot.load(engine, lookup, now=NOW)
    assert snap.compliance("team").rows == compliance_report(engine, lookup, "team", now=NOW).rows
    assert snap.search_misses().summary["no_result"] == 1
    assert [r.run_id for r in snap.runs_of("bill-query")] == ["r2", "r1"]  # newest first


def test_trace_marks_each_step_of_a_run(calls: Calls, store) -> None:
    # verify before greet (out of order), the 余额 branch, balance skipped, detail done anyway.
    calls.run("r1", 0, ["verify", "greet", "branch:ask:balance", "detail"], gap=1)
    snap = UsageSnapshot.load(store(calls.events), lookup, now=NOW)
    (run,) = snap.runs
    marks = {m.step_id: m for m in snap.trace(run)}
    assert [m.step_id for m in snap.trace(run)] == [
        "greet",
        "verify",
        "ask",
        "balance",
        "detail",
        "bye",
    ]
    assert marks["verify"].state == DONE and marks["greet"].state == OUT_OF_ORDER
    assert marks["ask"].state == SKIPPED  # a decision has no step_done here
    assert marks["balance"].state == SKIPPED and marks["balance"].required
    assert marks["detail"].state == EXTRA and not marks["detail"].on_path
    assert marks["bye"].on_path and marks["bye"].state == SKIPPED
    assert marks["verify"].seconds == 60.0
    assert snap.compliant(run) is False


def test_trace_of_the_branch_not_taken(calls: Calls, store) -> None:
    calls.run("r1", 0, ["greet", "verify", "branch:ask:detail", "detail"])
    snap = UsageSnapshot.load(store(calls.events), lookup, now=NOW)
    marks = {m.step_id: m.state for m in snap.trace(snap.runs[0])}
    assert marks["balance"] == OFF_PATH and marks["detail"] == DONE
    assert snap.compliant(snap.runs[0]) is True
