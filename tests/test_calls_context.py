"""The call session with call context: automatic decisions, overrides, input, the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowdesk.calls import CallSession, FlowRef, FlowRunError
from flowdesk.packs import load_pack
from flowdesk.reports.runs import LoggedRun as MeasuredRun
from flowdesk.reports.runs import PathJudge
from flowdesk.summary import compose
from flowdesk.usage.events import UsageEvent
from tests.builders import write_context_pack

NAMES = {"brand": {"G": "全球通", "M": "动感地带", "E": "神州行"}}


@pytest.fixture
def flow(tmp_path: Path):
    return load_pack(write_context_pack(tmp_path / "src")).pack.flow("np-ctx")


@pytest.fixture
def session() -> tuple[CallSession, list[UsageEvent]]:
    events: list[UsageEvent] = []
    s = CallSession("A1001", "话务一组", events.append)
    s.names = NAMES
    return s, events


def branches(events: list[UsageEvent]) -> list[tuple[str, str, bool | None]]:
    return [(e.step_id, e.option, e.auto) for e in events if e.type == "branch"]


def test_a_chain_of_decisions_is_taken_from_the_pop_and_recorded_as_auto(flow, session) -> None:
    s, events = session
    values = {"name": "张先生", "has_debt": "否", "port_code": "AB12345678"}
    s.start_call("CA-1", values, touchpoint="C1-M-B0101")
    run = s.open_flow(FlowRef(flow, "test-hotline", 1))
    assert (
        s.context(run).render(flow.step("greet").text)
        == "张先生您好，您的号码当前套餐为【当前套餐】。"
    )
    s.step_done(run)  # greet
    s.step_done(run)  # verify → brand (M) → debt (否) → carrier, by themselves
    assert run.current == "carrier"
    assert branches(events) == [("brand", "debt", True), ("debt", "carrier", True)]
    assert run.auto == {"brand": "品牌 = 动感地带", "debt": "是否欠费 = 否"}
    # required decision: step_done recorded for it as for a chosen one
    assert [e.step_id for e in events if e.type == "step_done"] == [
        "greet",
        "verify",
        "brand",
        "debt",
    ]
    # values never reach an event; the built-ins may
    dumped = " ".join(str(e.to_json()) for e in events)
    assert "张先生" not in dumped and "AB12345678" not in dumped and "5678" not in dumped


def test_the_agent_overrides_an_automatic_decision_and_the_override_counts(flow, session) -> None:
    s, events = session
    s.start_call("CA-2", {"has_debt": "否"}, touchpoint="C1-G-B0101")
    run = s.open_flow(FlowRef(flow, "test-hotline", 1))
    s.step_done(run)
    s.step_done(run)  # brand = G → vip (auto), stops at vip (a script)
    assert run.current == "vip" and run.auto == {"brand": "品牌 = 全球通"}
    assert s.back(run) and run.current == "brand"  # stepping back does not re-take it
    s.choose(run, 1)  # the customer is in fact 其他品牌
    assert run.current == "carrier"  # debt answered from data again on arrival
    assert branches(events) == [
        ("brand", "vip", True),
        ("brand", "debt", None),
        ("debt", "carrier", True),
    ]
    assert "brand" not in run.auto
    assert run.path()[:5] == ["greet", "verify", "brand", "debt", "carrier"]


def test_input_steps_take_the_agents_value_and_the_summary_masks(flow, session) -> None:
    s, events = session
    s.start_call("CA-3", {"brand": "E", "has_debt": "是", "amount": "58.5"}, "C1-E-B0101")
    run = s.open_flow(FlowRef(flow, "test-hotline", 1))
    for _ in range(3):
        s.step_done(run)  # greet, verify, (brand, debt auto) pay
    assert run.current == "carrier"
    with pytest.raises(FlowRunError):
        s.enter(run, "   ")  # required input needs a value
    s.enter(run, "中国电信")
    s.set_value(run, "port_code", "AB12345678")  # filled in place from a 【携转授权码】
    assert (
        s.context(run).render(flow.step("apply").text)
        == "在CRM提交携转申请：转入中国电信，授权码******5678"
    )
    s.step_done(run)  # apply
    s.step_done(run)  # handoff (transfer)
    s.step_done(run)  # end → completes
    assert not run.is_open
    s.end_call()
    text = s.summary()
    assert "携号转网（带客户资料）（已完成）" in text
    assert "客户是否为全球通客户？ → 其他品牌（自动：品牌 = 神州行）" in text
    assert "是否有欠费？ → 有欠费（自动：是否欠费 = 是）" in text
    assert "转入运营商：中国电信" in text and "携转授权码：******5678" in text
    assert "AB12345678" not in text
    assert "转携号转网专席确认 → 携转专席" in text and "CA-3" in text
    # measured from its events, the run is compliant: automatic branches count like chosen ones
    measured = MeasuredRun("r", "A1001", None, "CA-3", "test-hotline", 1, "np-ctx", 0, 480)
    measured.outcome = "completed"
    measured.steps_done = [(e.step_id, i) for i, e in enumerate(events) if e.type == "step_done"]
    measured.choices = [(e.step_id, e.option) for e in events if e.type == "branch"]
    judge = PathJudge(lambda *_key: flow)
    assert judge.compliant(measured) is True
    assert "pay" in judge.path(measured)[0]
    measured.steps_done = [d for d in measured.steps_done if d[0] != "brand"]
    assert judge.compliant(measured) is False  # the required decision counts as a step


def test_a_pop_for_another_call_starts_afresh_and_values_end_with_the_call(flow, session) -> None:
    s, _events = session
    s.start_call("CA-4", {"name": "张先生"}, "C1-G-B0101")
    s.start_call("CA-4", {"plan": "畅享套餐"})  # the same call: values add up
    assert s.values["name"] == "张先生" and s.values["plan"] == "畅享套餐"
    assert s.values["brand"] == "G" and s.values["call_id"] == "CA-4"
    s.start_call("CA-5", {"name": "李女士"}, "C1-M-B0101")
    assert s.values["name"] == "李女士" and "plan" not in s.values and s.values["brand"] == "M"
    s.end_call()
    run = s.open_flow(FlowRef(flow, "test-hotline", 1))
    assert s.context(run).render("{{name}}") == "【客户姓名】"


def test_a_template_from_the_pack_fills_fields_and_call_values(flow) -> None:
    values = {"x": "AB12345678", "name": "张先生"}
    runs = [CallSession("A1", None, lambda e: None).open_flow(FlowRef(flow, "test-hotline", 1))]
    template = "{{call_id}}/{{touchpoint}}/{{name}}/{{port_code}}/{{x}}/{{y}}"
    text = compose(runs, values, call_id="C9", touchpoint=None, agent_id="A1", template=template)
    # a flow's variable as the flow shows it; a value no flow declares is masked; none: 无
    assert text == "C9/无/张先生/【携转授权码】/******5678/无"
