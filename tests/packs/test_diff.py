"""``diff_packs``: flows added, removed, changed; steps; touch points moved; text and JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from flowdesk.model import Brand, Business, Channel, Flow, Option, Pack, Step, TouchPoint
from flowdesk.packs.diff import diff_packs


def _pack(flows: tuple[Flow, ...], sequence: int = 1, **extra) -> Pack:
    return Pack(
        id="cmcc-hotline",
        title="10086 热线流程包",
        sequence=sequence,
        channels=(Channel("C1", "热线语音"), Channel("C2", "网上营业厅")),
        brands=(Brand("G", "全球通"),),
        businesses=(Business("B0101", "携号转网", channels=("C1", "C2")),),
        flows=flows,
        **extra,
    )


NP = Flow(
    id="np-out",
    title="携号转网受理",
    flow_class="handling",
    business="B0101",
    touchpoints=(TouchPoint("C1", "G", "B0101"), TouchPoint("C2", "G", "B0101")),
    keywords=("转网", "xiezhuan"),
    steps=(
        Step("greet", "script", "您好，请问办理携号转网吗？"),
        Step("verify", "check", "核实机主身份", required=True),
        Step(
            "ask",
            "decision",
            "是否有合约？",
            options=(Option("有合约", "end"), Option("无合约", "apply")),
        ),
        Step("apply", "action", "提交转网申请", required=True),
        Step("end", "end", "感谢来电"),
    ),
    file="flows/np.yaml",
)
QA = Flow(id="qa", title="录音抽检", flow_class="quality", steps=(Step("a", "action", "抽检"),))


def test_identical_packs_have_an_empty_diff_even_if_files_moved() -> None:
    moved = replace(NP, file="flows/number/np.yaml")
    diff = diff_packs(_pack((NP, QA)), _pack((moved, QA), sequence=2))
    assert diff.is_empty
    assert diff.changed_flow_ids == set()
    assert "新增 0 added" in diff.to_text()


def test_step_text_type_required_and_branches() -> None:
    steps = list(NP.steps)
    steps[0] = replace(steps[0], text="您好，这里是10086，请问办理携号转网吗？")
    steps[1] = replace(steps[1], required=False, type="script")
    steps[2] = replace(steps[2], options=(Option("有合约", "apply"), Option("无合约", "apply")))
    new = replace(NP, steps=(*steps[:4], Step("survey", "script", "请为本次服务评分"), steps[4]))
    diff = diff_packs(_pack((NP,)), _pack((new,), sequence=2))
    (change,) = diff.flows_changed
    by_step = {s.step_id: {f.name: (f.old, f.new) for f in s.fields} for s in change.steps_changed}
    assert by_step["greet"]["text"][1] == "您好，这里是10086，请问办理携号转网吗？"
    assert by_step["verify"] == {"type": ("check", "script"), "required": (True, False)}
    assert by_step["ask"]["options"][1] == [
        {"label": "有合约", "next": "apply"},
        {"label": "无合约", "next": "apply"},
    ]
    assert change.steps_added == ("survey",)
    assert not change.step_order_changed
    assert diff.marks() == {"np-out": "changed"}


def test_flows_added_removed_and_touch_points_moved() -> None:
    np_c1 = replace(NP, touchpoints=(TouchPoint("C1", "G", "B0101"),))
    web = Flow(
        id="np-web",
        title="网厅携号转网",
        flow_class="handling",
        business="B0101",
        touchpoints=(TouchPoint("C2", "G", "B0101"),),
        steps=(Step("s", "action", "网厅提交"),),
    )
    diff = diff_packs(_pack((NP, QA)), _pack((np_c1, web), sequence=2))
    assert diff.flows_added == ("np-web",)
    assert diff.flows_removed == ("qa",)
    assert [(m.code, m.old_flow, m.new_flow) for m in diff.touchpoints_moved] == [
        ("C2-G-B0101", "np-out", "np-web")
    ]
    (change,) = diff.flows_changed
    assert change.touchpoints_removed == ("C2-G-B0101",)
    assert diff.changed_flow_ids == {"np-web", "np-out"}
    text = diff.to_text()
    assert "+ np-web  网厅携号转网" in text and "- qa  录音抽检" in text
    assert "> C2-G-B0101: np-out → np-web" in text


def test_reordered_steps_and_flow_fields_are_reported() -> None:
    new = replace(NP, title="携号转网（新）", keywords=("转网",), steps=NP.steps[::-1])
    (change,) = diff_packs(_pack((NP,)), _pack((new,), sequence=2)).flows_changed
    assert change.step_order_changed
    fields = {f.name: (f.old, f.new) for f in change.fields}
    assert fields["title"] == ("携号转网受理", "携号转网（新）")
    assert fields["keywords"] == (["转网", "xiezhuan"], ["转网"])


def test_json_is_plain_and_includes_pack_level_changes() -> None:
    old = _pack((NP,), version="第1版", effective=date(2026, 11, 1))
    new = replace(
        _pack((NP,), sequence=2, version="第2版", effective=date(2026, 12, 1)),
        channels=(Channel("C1", "热线语音"), Channel("C2", "网厅")),
    )
    data = diff_packs(old, new).to_json()
    text = json.dumps(data, ensure_ascii=False)  # everything JSON-able
    assert (data["old_sequence"], data["new_sequence"]) == (1, 2)
    fields = {f["field"]: f for f in data["pack_fields"]}
    assert fields["effective"]["new"] == "2026-12-01"
    assert fields["channels"]["new"] == [{"code": "C2", "name": "网厅"}]
    assert "第2版" in text
