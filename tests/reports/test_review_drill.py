"""The QA workspace's questions (flowdesk.reports.review_drill) against the reports."""

from __future__ import annotations

from datetime import date

import pytest

from flowdesk import reports
from flowdesk.desk import Desk
from flowdesk.reports.review_drill import Drill, Period
from flowdesk.services.qa import open_queries
from tests.reports.review_fixtures import TEAMS, qa_desk

NOVEMBER = Period.around("month", date(2026, 11, 17))


@pytest.fixture(scope="module")
def queries(tmp_path_factory):  # type: ignore[no-untyped-def]
    desk = Desk.open(qa_desk(tmp_path_factory.mktemp("drill")))
    opened = open_queries(desk)
    yield opened
    opened.engine.dispose()
    desk.close()


def test_periods_and_the_one_before() -> None:
    assert (NOVEMBER.first, NOVEMBER.last) == (date(2026, 11, 1), date(2026, 11, 30))
    assert NOVEMBER.previous().label == "2026-10" and NOVEMBER.shifted(1).label == "2026-12"
    week = Period.around("week", date(2026, 11, 19))  # a Thursday
    assert (week.first, week.label, week.previous().label) == (
        date(2026, 11, 16),
        "2026-W47",
        "2026-W46",
    )
    custom = Period.around("custom", date(2026, 11, 10), date(2026, 11, 3))
    assert (custom.first, custom.last) == (date(2026, 11, 3), date(2026, 11, 10))
    assert (custom.previous().first, custom.previous().last) == (
        date(2026, 10, 26),
        date(2026, 11, 2),
    )
    assert Period.around("month", date(2026, 1, 5)).previous().label == "2025-12"


def test_the_review_an_export_writes_is_of_the_month_holding_most_of_the_period() -> None:
    assert NOVEMBER.review_month == "2026-11"
    assert Period.around("week", date(2026, 12, 2)).review_month == "2026-12"  # 11-30 … 12-06
    assert Period.around("week", date(2026, 10, 28)).review_month == "2026-10"  # 10-26 … 11-01
    assert Period.around("day", date(2026, 11, 30)).review_month == "2026-11"
    spread = Period.around("custom", date(2026, 11, 27), date(2026, 12, 5))  # 4 + 5 days
    assert spread.review_month == "2026-12"
    even = Period.around("custom", date(2026, 11, 29), date(2026, 12, 2))  # 2 + 2 days
    assert even.review_month == "2026-11"


def test_drill_goes_down_and_back_up() -> None:
    drill = Drill().into("一组").into("A001").into("bill-hotline").into("explain")
    assert drill.level == "step" and drill.up_to("agent") == Drill("一组", "A001")
    assert drill.up_to("site") == Drill()
    with pytest.raises(ValueError):
        drill.into("again")


def test_the_summary_is_the_compliance_report_of_each_period(queries) -> None:  # type: ignore[no-untyped-def]
    summary = queries.summary(NOVEMBER)
    now = reports.compliance_report(queries.engine, queries.lookup, "team", where=NOVEMBER.where())
    before = reports.compliance_report(
        queries.engine, queries.lookup, "team", where=NOVEMBER.previous().where()
    )
    cols = ("runs", "completed_runs", "compliant_runs", "abandoned_runs", "compliance_rate")
    mine = {r["key"]: tuple(r[c] for c in cols) for r in summary["teams"].rows}
    assert mine == {r["key"]: tuple(r[c] for c in cols) for r in now.rows}
    earlier = {r["key"]: r["compliance_rate"] for r in before.rows}
    for row in summary["teams"].rows:
        assert row["previous"] == earlier[row["key"]]
        assert row["change"] == pytest.approx(row["compliance_rate"] - earlier[row["key"]])
    figures = {r["key"]: r for r in summary["figures"].rows}
    assert figures["runs"]["value"] == now.summary["runs"]
    assert figures["runs"]["previous"] == before.summary["runs"]
    assert sum(r["runs"] for r in queries.details(NOVEMBER)["trend"].rows) == now.summary["runs"]
    weeks = queries.details(NOVEMBER, "week")["trend"].rows
    assert [r["period"] for r in weeks] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert sum(r["runs"] for r in weeks) == now.summary["runs"]


def test_tables_by_class_and_of_one_team(queries) -> None:  # type: ignore[no-untyped-def]
    by_class = queries.grouped("class", NOVEMBER)
    by_flow = reports.compliance_report(
        queries.engine, queries.lookup, "flow", where=NOVEMBER.where()
    )
    assert sum(r["runs"] for r in by_class.rows) == sum(r["runs"] for r in by_flow.rows)
    assert {r["key"] for r in by_class.rows} <= {"query", "handling", "complaint", "verification"}
    from flowdesk.usage.rows import EventFilter

    agents = queries.grouped("agent", NOVEMBER, EventFilter(teams=("三组",)))
    assert [r["key"] for r in agents.rows] == ["C001"]
    everyone = queries.grouped("agent", NOVEMBER)
    assert everyone.columns[:2] == ("key", "team")
    assert {r["key"]: r["team"] for r in everyone.rows} == {
        agent: team for team, agents in TEAMS.items() for agent in agents
    }  # each agent beside their team
    with pytest.raises(ValueError, match="unknown grouping"):
        queries.grouped("brand", NOVEMBER)


def test_a_flows_steps_are_compared_on_the_previous_periods_skip_rate(queries) -> None:  # type: ignore[no-untyped-def]
    drill = Drill(team="三组", agent="C001", flow="bill-hotline")
    october = drill.where(NOVEMBER.previous().where())
    report = reports.step_report(queries.engine, None, october, None, "bill-hotline")
    expected = {r["step_id"]: r["skip_rate"] for r in report.rows if r["on_path_runs"]}
    before = queries.level_before(drill, NOVEMBER)
    assert {r["key"]: r["skip_rate"] for r in before.rows if r["on_path_runs"]} == expected
    assert any(rate for rate in expected.values())  # something was skipped in October
    rows = {r["key"]: r for r in queries.level(drill, NOVEMBER).rows}
    for step, rate in expected.items():
        if step in rows:
            assert rows[step]["previous"] == rate


def test_a_period_is_counted_once_until_asked_afresh(queries) -> None:  # type: ignore[no-untyped-def]
    october = Period.around("month", date(2026, 10, 1))
    flows = queries.flows_before(NOVEMBER)
    assert queries.details(october)["flows"].rows == [
        {**r, "previous": None, "change": None} for r in flows.rows
    ]  # September is empty: nothing beside October
    assert queries.flows_before(NOVEMBER) is flows  # kept: October counted once
    queries.forget()
    again = queries.flows_before(NOVEMBER)
    assert again is not flows and again.rows == flows.rows
    by_flow = reports.compliance_report(
        queries.engine, queries.lookup, "flow", where=october.where()
    )
    assert [(r["key"], r["compliance_rate"]) for r in flows.rows] == [
        (r["key"], r["compliance_rate"]) for r in by_flow.rows
    ]
