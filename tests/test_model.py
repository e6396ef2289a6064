"""The domain model's walk through a flow: successors, paths with choices, reachability."""

from __future__ import annotations

import pytest

from flowdesk.model import Brand, Business, Channel, Flow, Option, Pack, Step, TouchPoint

FLOW = Flow(
    id="np",
    title="携号转网受理",
    flow_class="handling",
    business="B1",
    steps=(
        Step("greet", "script", "您好"),
        Step("ask", "decision", "有合约吗？", options=(Option("有", "c"), Option("无", "apply"))),
        Step("c", "script", "先解约", next="end"),
        Step("apply", "action", "提交申请", required=True),
        Step("end", "end", "再见"),
        Step("orphan", "script", "永远到不了"),
    ),
)


def test_successor_follows_list_order_explicit_next_and_end() -> None:
    assert FLOW.successor("greet") == "ask"
    assert FLOW.successor("c") == "end"
    assert FLOW.successor("apply") == "end"
    assert FLOW.successor("end") is None
    assert FLOW.successor("orphan") is None  # the last step ends the flow
    assert FLOW.successors("ask") == ("c", "apply")


def test_path_takes_the_choices_made() -> None:
    assert FLOW.path([("ask", "apply")]) == ["greet", "ask", "apply", "end"]
    assert FLOW.path([("ask", "c")]) == ["greet", "ask", "c", "end"]
    assert FLOW.path() == ["greet", "ask"]  # no choice yet: the path stops at the decision
    assert FLOW.path([("ask", "nowhere"), ("ask", "c")]) == ["greet", "ask", "c", "end"]


def test_path_takes_the_last_choice_after_stepping_back() -> None:
    # The agent chose 有合约, stepped back, and chose 无合约: the second answer counts.
    assert FLOW.path([("ask", "c"), ("ask", "apply")]) == ["greet", "ask", "apply", "end"]


def test_path_of_a_looping_flow_is_finite() -> None:
    loop = Flow(
        id="loop",
        title="重新核实",
        flow_class="verification",
        steps=(
            Step("v", "check", "核实"),
            Step("d", "decision", "通过？", options=(Option("否", "v"), Option("是", "ok"))),
            Step("ok", "end", "完成"),
        ),
    )
    assert loop.path([("d", "v")]) == ["v", "d"]  # back to v: a revisit ends the path
    assert loop.path([("d", "v"), ("d", "ok")]) == ["v", "d", "ok"]


def test_reachable_leaves_out_orphans() -> None:
    assert FLOW.reachable() == {"greet", "ask", "c", "apply", "end"}


def test_touchpoint_code_and_parse() -> None:
    tp = TouchPoint("C1", "G", "B0102")
    assert tp.code == "C1-G-B0102"
    assert TouchPoint.parse(" C1-G-B0102 ") == tp
    for bad in ("C1-G", "C1-G-B01-02", "C1-全-B0102", ""):
        with pytest.raises(ValueError):
            TouchPoint.parse(bad)


def test_blind_spots_are_offered_cells_no_flow_claims() -> None:
    pack = Pack(
        id="p",
        title="包",
        sequence=1,
        channels=(Channel("C1", "热线"), Channel("C2", "网厅")),
        brands=(Brand("G", "全球通"), Brand("M", "动感地带")),
        businesses=(Business("B1", "携号转网", channels=("C1", "C2"), brands=("G", "M")),),
        flows=(
            Flow(
                id="np",
                title="携号转网",
                flow_class="handling",
                business="B1",
                steps=(Step("s", "end", "完成"),),
                touchpoints=(TouchPoint("C1", "G", "B1"), TouchPoint("C1", "M", "B1")),
            ),
        ),
    )
    assert [tp.code for tp in pack.blind_spots()] == ["C2-G-B1", "C2-M-B1"]
    assert pack.touchpoint_flows()[TouchPoint("C1", "M", "B1")] == "np"


def test_pack_lookups_follow_replace_and_are_read_only() -> None:
    import dataclasses
    import pickle

    pack = Pack(
        id="p",
        title="包",
        sequence=1,
        channels=(Channel("C1", "热线"),),
        brands=(Brand("G", "全球通"),),
        businesses=(Business("B1", "携号转网", channels=("C1",), brands=("G",)),),
        flows=(FLOW,),
    )
    assert pack.flow("np") is FLOW  # built once, then a dict look-up
    with pytest.raises(KeyError):
        pack.flow("没有")
    renamed = dataclasses.replace(FLOW, id="np2")
    other = dataclasses.replace(pack, flows=(renamed,))
    assert other.flow("np2") is renamed  # a replaced pack has its own index
    with pytest.raises(KeyError):
        other.flow("np")
    assert pickle.loads(pickle.dumps(pack)) == pack
    with pytest.raises(TypeError):
        pack.touchpoint_flows()[TouchPoint("C1", "G", "B1")] = "x"  # type: ignore[index]
