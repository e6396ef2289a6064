"""``diff_packs``: flows added, removed, changed; steps; touch points moved; text and JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

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


def test_synonym_groups_added_and_dropped_are_listed() -> None:
    old = _pack((NP,), synonyms=(("挂失", "丢了"), ("转网", "携转", "带号转网")))
    new = _pack((NP,), sequence=2, synonyms=(("丢了", "挂失"), ("转网", "携转"), ("停机", "暂停")))
    diff = diff_packs(old, new)
    assert diff.synonyms_added == (("转网", "携转"), ("停机", "暂停"))  # 挂失/丢了 only reordered
    assert diff.synonyms_removed == (("转网", "携转", "带号转网"),)
    assert not diff.is_empty and diff.changed_flow_ids == set()
    text = diff.to_text()
    assert "+ 同义词 synonyms [停机, 暂停]" in text
    assert "- 同义词 synonyms [转网, 携转, 带号转网]" in text
    data = diff.to_json()
    assert data["synonyms_added"] == [["转网", "携转"], ["停机", "暂停"]]
    assert data["synonyms_removed"] == [["转网", "携转", "带号转网"]]
    same = diff_packs(old, replace(old, sequence=2))
    assert same.is_empty and "同义词" not in same.to_text()


def test_must_read_changes_are_listed_for_the_team_lead() -> None:
    changed = replace(
        NP, steps=(replace(NP.steps[0], text="您好，携号转网现已免收手续费。"), *NP.steps[1:])
    )
    web = Flow(
        id="np-web",
        title="网厅携号转网",
        flow_class="handling",
        steps=(Step("s", "action", "提交"),),
    )
    new = _pack(
        (changed, QA, web),
        sequence=2,
        must_read=(
            ("", "12月1日起携号转网免收手续费"),
            ("np-out", "开场话术改为免费说明"),
            ("qa", "未改"),
        ),
    )
    diff = diff_packs(_pack((NP, QA)), new)
    got = [(m.flow_id, m.title, m.note) for m in diff.must_read]
    # its own note wins; the pack's note marks the new flow; the unchanged flow is no change
    assert got == [
        ("np-out", "携号转网受理", "开场话术改为免费说明"),
        ("np-web", "网厅携号转网", "12月1日起携号转网免收手续费"),
    ]
    text = diff.to_text()
    assert "必读 2 must read" in text.splitlines()[0]
    assert "! 必读 must read: np-out  携号转网受理: 开场话术改为免费说明" in text
    assert diff.to_json()["must_read"][1] == {
        "flow_id": "np-web",
        "title": "网厅携号转网",
        "note": "12月1日起携号转网免收手续费",
    }
    # a pack-wide note with no flow changed is one change of the whole pack
    alone = diff_packs(_pack((NP,)), _pack((NP,), sequence=2, must_read=(("", "新话术规范"),)))
    assert [(m.flow_id, m.note) for m in alone.must_read] == [(None, "新话术规范")]
    assert "! 必读 must read: (whole pack 全部): 新话术规范" in alone.to_text()
    assert not alone.is_empty


def test_pack_diff_command_shows_synonyms_and_must_read_of_hand_written_packs(
    tmp_path: Path, capsys
) -> None:
    """Two sources as a process owner writes them, then the same two once installed."""
    from flowdesk.cli import main
    from tests.builders import write_files

    pack_yaml = (
        "format: flowpack/1\nid: hotline\ntitle: 热线\nsequence: {seq}\n{extra}"
        "channels: [{{code: C1, name: 热线语音}}]\nbrands: [{{code: G, name: 全球通}}]\n"
        "businesses: [{{code: B1, name: 携号转网, channels: [C1]}}]\n"
    )
    flow = (
        "id: np\ntitle: 携号转网受理\nclass: handling\nbusiness: B1\n{extra}"
        "touchpoints: [{{channel: C1}}]\nsteps:\n  - {{id: a, type: script, text: '{text}'}}\n"
    )
    one = write_files(
        tmp_path / "one",
        {
            "pack.yaml": pack_yaml.format(seq=1, extra="synonyms: [[挂失, 丢了]]\n"),
            "flows/np.yaml": flow.format(extra="", text="您好，转网需收手续费。"),
        },
    )
    two = write_files(
        tmp_path / "two",
        {
            "pack.yaml": pack_yaml.format(
                seq=2, extra="synonyms:\n  - [挂失, 丢了, 被偷]\nmust_read: 12月起免收手续费\n"
            ),
            "flows/np.yaml": flow.format(
                extra="must_read: 开场话术已改\n", text="您好，转网免费。"
            ),
        },
    )
    assert main(["pack", "diff", str(one), str(two), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["synonyms_added"] == [["挂失", "丢了", "被偷"]]
    assert data["synonyms_removed"] == [["挂失", "丢了"]]
    assert data["must_read"] == [{"flow_id": "np", "title": "携号转网受理", "note": "开场话术已改"}]

    data_dir = tmp_path / "desk"
    for src in (one, two):
        assert main(["pack", "import", str(src), "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    assert main(["pack", "diff", "hotline#1", "hotline#2", "--data-dir", str(data_dir)]) == 0
    text = capsys.readouterr().out
    assert "! 必读 must read: np  携号转网受理: 开场话术已改" in text
    assert "+ 同义词 synonyms [挂失, 丢了, 被偷]" in text
