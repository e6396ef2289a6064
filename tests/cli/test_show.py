"""``flowdesk show FLOW_ID --var … [--json]``: a flow rendered with a call's values (§5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import write_context_pack
from tests.cli.process import run


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    r = run("pack", "import", str(write_context_pack(tmp_path / "src")), data_dir=data)
    assert r.returncode == 0, r.stderr
    return data


def steps_of(shown: dict) -> dict[str, dict]:
    return {s["id"]: s for s in shown["steps"]}


def test_values_fill_placeholders_mask_and_answer_a_chain_of_decisions(data: Path) -> None:
    r = run(
        "show", "np-ctx", "--json",
        "--var", "name=张先生", "--var", "plan=畅享套餐 128元",
        "--var", "port_code=AB12345678", "--var", "brand=M", "--var", "has_debt=否",
        "--var", "crm_segment=钻石",  # a CTI field this flow does not use: ignored
        data_dir=data,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    steps = steps_of(shown)
    assert steps["greet"]["rendered"] == "张先生您好，您的号码当前套餐为畅享套餐 128元。"
    assert steps["greet"]["rendered_note"] == "授权码 ******5678"
    assert steps["greet"]["text"] == "{{name}}您好，您的号码当前套餐为{{ plan }}。"
    assert steps["pay"]["rendered"] == "您有欠费【欠费金额】元，需先结清。"
    assert steps["apply"]["rendered"] == "在CRM提交携转申请：转入【转入运营商】，授权码******5678"
    assert shown["auto_branches"] == [
        {"step_id": "brand", "option": "debt"},
        {"step_id": "debt", "option": "carrier"},
    ]
    assert steps["brand"]["options"][1]["when"] == {"brand": ["M", "E"]}
    assert "crm_segment" in r.stderr and "ignored" in r.stderr


def test_without_values_labels_show_and_no_decision_is_taken(data: Path) -> None:
    r = run("show", "np-ctx", "--json", data_dir=data)
    shown = json.loads(r.stdout)
    assert (
        steps_of(shown)["greet"]["rendered"] == "【客户姓名】您好，您的号码当前套餐为【当前套餐】。"
    )
    assert shown["auto_branches"] == []


def test_touch_point_gives_brand_and_an_unanswered_decision_stops_the_chain(data: Path) -> None:
    r = run("show", "np-ctx", "--json", "--var", "touchpoint=C1-G-B0101", data_dir=data)
    shown = json.loads(r.stdout)
    assert shown["auto_branches"] == [{"step_id": "brand", "option": "vip"}]
    r = run("show", "np-ctx", "--var", "brand=G", "--var", "has_debt=是", data_dir=data)
    assert r.returncode == 0
    assert "⚡ 自动 auto: 品牌 = 全球通 → vip" in r.stdout
    assert "⚡ 自动 auto: 是否欠费 = 是 → pay" in r.stdout


def test_a_value_no_option_takes_and_short_masked_values(data: Path) -> None:
    r = run("show", "np-ctx", "--json", "--var", "brand=G", "--var", "has_debt=不清楚",
            "--var", "port_code=1234", data_dir=data)  # fmt: skip
    shown = json.loads(r.stdout)
    assert shown["auto_branches"] == [{"step_id": "brand", "option": "vip"}]
    assert steps_of(shown)["greet"]["rendered_note"] == "授权码 1234"


@pytest.mark.parametrize(
    ("var", "words"),
    [
        ("name", "expected NAME=VALUE"),
        ("客户=张", "not a variable name"),
        ("Name=张", "not a variable name"),
        ("name=" + "张" * 501, "at most 500"),
        ("name=张\n先生", "control characters"),
    ],
)
def test_malformed_values_are_refused(data: Path, var: str, words: str) -> None:
    r = run("show", "np-ctx", "--json", "--var", var, data_dir=data)
    assert r.returncode == 1 and words in r.stderr and r.stdout == ""
    assert "Traceback" not in r.stderr


def test_a_name_given_twice_or_too_many_values_are_refused(data: Path) -> None:
    r = run("show", "np-ctx", "--var", "name=张", "--var", "name=李", data_dir=data)
    assert r.returncode == 1 and "given twice" in r.stderr
    many = [a for i in range(65) for a in ("--var", f"v{i}=x")]
    r = run("show", "np-ctx", *many, data_dir=data)
    assert r.returncode == 1 and "at most 64" in r.stderr
