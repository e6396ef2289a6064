"""The agent's session without a window: steps, decisions, calls and the events they record."""

from __future__ import annotations

import pytest

from flowdesk.calls import CallSession, FlowRef, FlowRunError
from flowdesk.model import Flow, Option, Step, TouchPoint
from flowdesk.usage.events import UsageEvent


def porting_flow() -> Flow:
    """携号转网: a check, a decision with two branches, a transfer, an end."""
    return Flow(
        id="np-consult",
        title="携号转网资格咨询",
        flow_class="consultation",
        business="B0601",
        touchpoints=(TouchPoint("C1", "G", "B0601"),),
        keywords=("转网", "xiehao"),
        steps=(
            Step("greet", "script", "您好，请问您是要办理携号转网吗？", required=True),
            Step("verify", "check", "核实机主身份：服务密码或身份证号。", required=True),
            Step(
                "eligible",
                "decision",
                "号码是否满足转网条件（在网满 120 天、无欠费）？",
                options=(Option("满足", "sms"), Option("不满足", "explain")),
            ),
            Step("sms", "script", "请发送 SQXZW#姓名#证件号 到 10086 获取授权码。", next="bye"),
            Step("explain", "transfer", "转接携号转网专席。", target="携号转网专席"),
            Step("bye", "end", "感谢您的来电，再见！", required=True),
        ),
    )


@pytest.fixture
def recorded() -> tuple[CallSession, list[UsageEvent]]:
    events: list[UsageEvent] = []
    return CallSession("A1001", "班组三", events.append), events


def ref() -> FlowRef:
    return FlowRef(porting_flow(), "cmcc-hotline", 3, "2026.11 第3版")


def types(events: list[UsageEvent]) -> list[str]:
    return [f"{e.type}:{e.step_id}" if e.step_id else e.type for e in events]


def test_a_call_through_a_decision_to_the_end(recorded) -> None:
    session, events = recorded
    call_id = session.start_call("CALL-42")
    session.searched("xz", 3)
    session.searched("携号转网", 1)
    run = session.open_flow(ref(), from_search=True)
    assert run.current == "greet"
    assert session.step_done(run) is False
    session.step_done(run)
    with pytest.raises(FlowRunError, match="decision"):
        session.step_done(run)
    assert session.choose(run, 0) == "sms"
    session.step_done(run)  # sms → bye (explicit next)
    assert run.current == "bye"
    assert session.step_done(run) is True
    session.end_call()
    assert types(events) == [
        "call_start",
        "search",  # "xz" was unrelated to 携号转网: recorded as its own search
        "search",
        "flow_open",
        "step_done:greet",
        "step_done:verify",
        "step_done:eligible",
        "branch:eligible",
        "step_done:sms",
        "step_done:bye",
        "flow_complete:bye",
        "call_end",
    ]
    search = events[2]
    assert (search.query, search.result_count) == ("携号转网", 1)
    assert search.opened_flow_id == "np-consult"
    assert events[1].opened_flow_id is None
    assert events[7].option == "sms"
    assert {e.call_id for e in events} == {call_id}
    assert len({e.run_id for e in events[3:11]}) == 1
    assert all(e.pack_sequence == 3 and e.agent_id == "A1001" for e in events[3:11])


def test_unfinished_runs_are_abandoned_when_the_call_ends(recorded) -> None:
    session, events = recorded
    session.start_call()
    first = session.open_flow(ref())
    session.step_done(first)
    other = Flow("pay", "交费充值", "handling", (Step("s1", "script", "请问充值多少元？"),))
    session.open_flow(FlowRef(other, "cmcc-hotline", 3))
    session.end_call()
    abandons = [e for e in events if e.type == "flow_abandon"]
    assert [(e.flow_id, e.step_id) for e in abandons] == [("np-consult", "verify"), ("pay", "s1")]
    assert events[-1].type == "call_end"
    assert session.open_runs() == []
    assert not session.in_call


def test_typeahead_keystrokes_record_the_settled_query_with_digits_masked(recorded) -> None:
    session, events = recorded
    for q in ("z", "zh", "zhuan", "zhuanw", "zhuanwang"):
        session.searched(q, 5)
    session.searched("13800138000 停机", 2)
    session.flush_search()
    assert [(e.query, e.result_count) for e in events] == [
        ("zhuanwang", 5),
        ("*********** 停机", 2),
    ]


def test_back_restart_and_reopen_keep_the_agents_place(recorded) -> None:
    session, events = recorded
    session.start_call("c1")
    run = session.open_flow(ref())
    session.step_done(run)
    session.step_done(run)
    session.choose(run, 1)
    assert run.current == "explain"
    assert run.path() == ["greet", "verify", "eligible", "explain", "bye"]
    assert session.back(run) is True
    assert run.current == "eligible"
    assert run.path() == ["greet", "verify", "eligible"]  # the choice is undone
    again = session.open_flow(ref())
    assert again is run and again.current == "eligible"
    assert [e.type for e in events].count("flow_open") == 1
    session.restart(run)
    assert run.current == "greet" and session.back(run) is False


def test_choosing_a_missing_option_is_refused(recorded) -> None:
    session, _ = recorded
    run = session.open_flow(ref())
    with pytest.raises(FlowRunError, match="not a decision"):
        session.choose(run, 0)
    session.goto(run, "eligible")
    with pytest.raises(FlowRunError, match="no option 3"):
        session.choose(run, 2)


def test_feedback_carries_text_and_the_step(recorded) -> None:
    session, events = recorded
    run = session.open_flow(ref())
    session.feedback(run, "话术里的授权码指令写错了，应为 SQXZW", rating=2)
    with pytest.raises(FlowRunError):
        session.feedback(run, "   ")
    fb = events[-1]
    assert (fb.type, fb.step_id, fb.rating, fb.flow_id) == ("feedback", "greet", 2, "np-consult")
    assert fb.call_id is None


def test_a_screen_pop_with_a_new_call_id_ends_the_previous_call(recorded) -> None:
    session, events = recorded
    session.start_call("A")
    session.open_flow(ref())
    session.start_call("B")
    assert session.start_call("B") == "B"
    assert [e.type for e in events] == [
        "call_start",
        "flow_open",
        "flow_abandon",
        "call_end",
        "call_start",
    ]
    assert events[-1].call_id == "B"


def test_recent_flows_most_recent_first_without_duplicates(recorded) -> None:
    session, _ = recorded
    other = FlowRef(Flow("bill", "账单查询", "query", (Step("s", "script", "好的"),)), "p", 1)
    session.open_flow(ref())
    session.open_flow(other)
    session.open_flow(ref())
    assert [r.flow.id for r in session.recent] == ["np-consult", "bill"]


def test_close_abandons_runs_outside_a_call(recorded) -> None:
    session, events = recorded
    session.open_flow(ref())
    session.close()
    assert [e.type for e in events] == ["flow_open", "flow_abandon"]
    assert events[-1].call_id is None
