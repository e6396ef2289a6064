"""``report steps``: how often each decision was answered from call data (§5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flowdesk.calls import CallSession, FlowRef
from flowdesk.packs import load_pack
from flowdesk.reports import step_report
from flowdesk.reports.from_data import with_from_data
from flowdesk.usage.rows import ALL_EVENTS, event_to_row, insert_ignoring_duplicates
from flowdesk.usage.schema import sqlite_engine
from tests.builders import write_context_pack


def test_decisions_taken_from_data_overridden_and_chosen_are_told_apart(tmp_path: Path) -> None:
    flow = load_pack(write_context_pack(tmp_path / "src")).pack.flow("np-ctx")
    events: list = []
    session = CallSession("A1001", "话务一组", events.append)
    for n, (brand, override) in enumerate([("G", False), ("G", True), ("M", False), (None, False)]):
        values = {"brand": brand} if brand else {}
        session.start_call(f"CA-{n}", values)
        run = session.open_flow(FlowRef(flow, "test-hotline", 1))
        session.step_done(run)
        session.step_done(run)  # arrives at the brand decision
        if run.current == "brand":
            session.choose(run, 0)  # no data: the agent answers
        elif override:
            session.back(run)
            session.choose(run, 1)
        session.complete(run)
        session.end_call()
    engine = sqlite_engine(tmp_path / "usage.sqlite3")
    with engine.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
    now = datetime.now(UTC) + timedelta(hours=2)
    report = with_from_data(engine, step_report(engine, lambda *_k: flow, now=now), ALL_EVENTS)
    engine.dispose()
    rows = {r["step_id"]: r for r in report.rows}
    assert "from_data_rate" in report.columns
    brand = rows["brand"]
    assert (brand["decided_runs"], brand["from_data_runs"], brand["overridden_runs"]) == (4, 2, 1)
    assert brand["from_data_rate"] == 0.5
    assert rows["greet"]["from_data_rate"] is None  # not a decision
