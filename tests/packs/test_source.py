"""Validation of a pack source folder: every error and warning of contract §1, placed exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flowdesk.model import Option, TouchPoint
from flowdesk.packs import LoadedPack, load_pack
from tests.builders import write_files
from tests.packs.pack_texts import HOLD_FLOW, PACK_YAML, PAY_FLOW, QA_FLOW, VALID_FILES, at, only


def load_with(tmp_path: Path, **changes: str | bytes | None) -> LoadedPack:
    """Load the valid pack with some files replaced (``flows__x_yaml`` → ``flows/x.yaml``)."""
    files: dict[str, str | bytes] = dict(VALID_FILES)
    for key, body in changes.items():
        name = key.replace("__", "/").replace("_yaml", ".yaml")
        if body is None:
            files.pop(name)
        else:
            files[name] = body
    return load_pack(write_files(tmp_path / "src", files))


def test_valid_pack_reads_into_the_model(source: Path) -> None:
    loaded = load_pack(source)
    assert loaded.ok and loaded.problems == [] and loaded.manifest is None
    pack = loaded.pack
    assert pack is not None
    assert (pack.id, pack.title, pack.sequence) == ("hotline-zj", "热线服务流程包", 3)
    assert pack.version == "2026.11 第3版" and pack.effective == dt.date(2026, 11, 1)
    assert [b.name for b in pack.brands] == ["全球通", "动感地带", "神州行"]
    assert pack.business("B0101").brands == ("G", "M", "E")  # defaults to all brands
    # sorted member order: flows/account/… < flows/mgmt/… < flows/pay.yaml
    assert [f.file for f in pack.flows] == [
        "flows/account/hold.yaml",
        "flows/mgmt/qa/sample.yaml",
        "flows/pay.yaml",
    ]
    pay = pack.flow("pay")
    assert pay.keywords == ("交话费", "充值", "jiaofei", "10086")  # a YAML int kept as written
    assert pay.step("how").options == (Option("银行卡", "card"), Option("微信支付", "done"))
    assert pay.step("verify").required and pay.elements == {
        "input": "客户手机号",
        "output": "交费成功",
    }
    assert TouchPoint("C2", "E", "B0101") in pay.touchpoints and len(pay.touchpoints) == 6
    assert pack.flow("hold.keep-number").touchpoints == (
        TouchPoint("C1", "G", "B0102"),
        TouchPoint("C1", "M", "B0102"),
    )
    assert pack.flow("qa-sample").business is None
    assert set(loaded.files) == {"pack.yaml", *(n for n in VALID_FILES if n != "pack.yaml")}


def test_pack_yaml_path_and_missing_path(source: Path, tmp_path: Path) -> None:
    assert load_pack(source / "pack.yaml").ok
    missing = load_pack(tmp_path / "nowhere")
    assert not missing.ok and "no such file or folder" in str(missing.problems[0])
    flow_file = load_pack(source / "flows" / "pay.yaml")
    assert not flow_file.ok and "pack folder" in flow_file.problems[0].message


def test_missing_pack_yaml(tmp_path: Path) -> None:
    loaded = load_with(tmp_path, pack_yaml=None)
    assert "needs pack.yaml" in only(loaded.problems, "pack.yaml", "").message
    assert loaded.pack is None


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    broken = PAY_FLOW.replace("keywords: [交话费, 充值, jiaofei, 10086]", "keywords: [交话费, 充值")
    loaded = load_with(tmp_path, flows__pay_yaml=broken)
    problem = only(loaded.problems, "flows/pay.yaml", "")
    assert "YAML syntax error" in problem.message and problem.line is not None
    assert problem.line >= 8  # the unclosed list opens on line 8
    assert loaded.pack is None


def test_invalid_utf8_names_file_byte_and_line(tmp_path: Path) -> None:
    gbk = HOLD_FLOW.encode("gbk")  # a Windows editor's legacy encoding
    loaded = load_with(tmp_path, flows__account__hold_yaml=gbk)
    problem = only(loaded.problems, "flows/account/hold.yaml", "")
    assert "not valid UTF-8" in problem.message and "offset" in problem.message
    assert problem.line == 2  # 停机保号办理 on the title line is the first non-ASCII text


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    laughs = ["a: &a [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        laughs.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb = QA_FLOW + "\n".join(laughs) + "\n"
    loaded = load_with(tmp_path, flows__mgmt__qa__sample_yaml=bomb)
    problem = only(loaded.problems, "flows/mgmt/qa/sample.yaml", "")
    assert "aliases expand to more than" in problem.message


def test_unknown_class_business_channel_brand(tmp_path: Path) -> None:
    flow = PAY_FLOW.replace("class: handling", "class: billing").replace(
        "  - channel: C2\n", "  - channel: C9\n  - {channel: C1, brands: [X]}\n"
    )
    hold = HOLD_FLOW.replace("business: B0102", "business: B0999")
    loaded = load_with(tmp_path, flows__pay_yaml=flow, flows__account__hold_yaml=hold)
    problems = loaded.problems
    assert "unknown class 'billing'" in only(problems, "flows/pay.yaml", "class").message
    assert only(problems, "flows/pay.yaml", "class").line == 3
    assert (
        "unknown channel 'C9'" in only(problems, "flows/pay.yaml", "touchpoints[1].channel").message
    )
    assert (
        "unknown brand 'X'" in only(problems, "flows/pay.yaml", "touchpoints[2].brands[0]").message
    )
    problem = only(problems, "flows/account/hold.yaml", "business")
    assert "unknown business 'B0999'" in problem.message and problem.line == 4
    assert loaded.pack is None


def test_unknown_codes_in_pack_yaml_businesses(tmp_path: Path) -> None:
    pack = PACK_YAML.replace("channels: [C1, C2]", "channels: [C1, C7]").replace(
        "brands: [G, M]", "brands: [G, Z]"
    )
    problems = load_with(tmp_path, pack_yaml=pack).problems
    assert (
        "unknown channel 'C7'" in only(problems, "pack.yaml", "businesses[0].channels[1]").message
    )
    assert "unknown brand 'Z'" in only(problems, "pack.yaml", "businesses[1].brands[1]").message


def test_dangling_next_in_step_and_option(tmp_path: Path) -> None:
    flow = PAY_FLOW.replace("{label: 微信支付, next: done}", "{label: 微信支付, next: wechat}")
    flow = flow.replace("    note: 注意核对金额\n", "    note: 注意核对金额\n    next: pay\n")
    problems = load_with(tmp_path, flows__pay_yaml=flow).problems
    problem = only(problems, "flows/pay.yaml", "steps[2].options[1].next")
    assert problem.message == "no step 'wechat'"
    assert str(problem).startswith("flows/pay.yaml: steps[2].options[1].next: no step 'wechat'")
    assert problem.line == 27
    assert only(problems, "flows/pay.yaml", "steps[3].next").message == "no step 'pay'"


def test_duplicate_flow_ids_name_both_files(tmp_path: Path) -> None:
    copy = HOLD_FLOW.replace("id: hold.keep-number", "id: pay").replace(
        "touchpoints:\n  - channel: C1\n", ""
    )
    problems = load_with(tmp_path, flows__account__hold_yaml=copy).problems
    problem = only(problems, "flows/pay.yaml", "id")  # sorted: flows/account/… is read first
    assert "duplicate flow id 'pay'" in problem.message
    assert "flows/account/hold.yaml" in problem.message


def test_duplicate_step_ids(tmp_path: Path) -> None:
    flow = PAY_FLOW.replace("  - id: card\n", "  - id: greet\n").replace(
        "next: card", "next: greet"
    )
    problems = load_with(tmp_path, flows__pay_yaml=flow).problems
    problem = only(problems, "flows/pay.yaml", "steps[3].id")
    assert "duplicate step id 'greet'" in problem.message and "steps[0]" in problem.message


def test_duplicate_codes(tmp_path: Path) -> None:
    pack = PACK_YAML.replace(
        "{code: C2, name: 短信营业厅}", "{code: C1, name: 短信营业厅}"
    ).replace("{code: E, name: 神州行}", "{code: G, name: 神州行}")
    pack = pack.replace("  - code: B0102\n", "  - code: B0101\n")
    problems = load_with(tmp_path, pack_yaml=pack).problems
    assert "duplicate code 'C1'" in only(problems, "pack.yaml", "channels[1].code").message
    assert "also brands[0]" in only(problems, "pack.yaml", "brands[2].code").message
    assert "duplicate code 'B0101'" in only(problems, "pack.yaml", "businesses[1].code").message


def test_touch_point_claimed_by_two_flows(tmp_path: Path) -> None:
    hold = HOLD_FLOW.replace("business: B0102", "business: B0101").replace(
        "  - channel: C1\n", "  - {channel: C2, brands: [M]}\n"
    )
    problems = load_with(tmp_path, flows__account__hold_yaml=hold).problems
    problem = only(problems, "flows/pay.yaml", "touchpoints[1]")
    assert "C2-M-B0101" in problem.message
    assert "'hold.keep-number' (flows/account/hold.yaml)" in problem.message
    assert "'pay' (flows/pay.yaml)" in problem.message
    assert len([p for p in problems if p.severity == "error"]) == 1  # only the one cell clashes


def test_decision_with_one_option_or_none(tmp_path: Path) -> None:
    one = PAY_FLOW.replace("      - {label: 微信支付, next: done}\n", "")
    problem = only(
        load_with(tmp_path / "a", flows__pay_yaml=one).problems,
        "flows/pay.yaml",
        "steps[2].options",
    )
    assert "at least two options, found 1" in problem.message
    options = (
        "    options:\n      - {label: 银行卡, next: card}\n      - {label: 微信支付, next: done}\n"
    )
    none = PAY_FLOW.replace(options, "")
    problem = only(
        load_with(tmp_path / "b", flows__pay_yaml=none).problems,
        "flows/pay.yaml",
        "steps[2].options",
    )
    assert "required for a decision" in problem.message


def test_option_needs_label_and_next(tmp_path: Path) -> None:
    flow = PAY_FLOW.replace("{label: 银行卡, next: card}", "{next: card}").replace(
        "{label: 微信支付, next: done}", "{label: 微信支付}"
    )
    problems = load_with(tmp_path, flows__pay_yaml=flow).problems
    assert "missing" in only(problems, "flows/pay.yaml", "steps[2].options[0].label").message
    assert "missing" in only(problems, "flows/pay.yaml", "steps[2].options[1].next").message


def test_missing_required_keys(tmp_path: Path) -> None:
    pack = PACK_YAML.replace("title: 热线服务流程包\n", "").replace(
        "brands:\n  - {code: G", "brandz:\n  - {code: G"
    )
    flow = PAY_FLOW.replace("    text: 核实号码与机主\n", "").replace(
        "title: 话费交费（缴费）\n", "title:\n"
    )
    qa = QA_FLOW.split("steps:")[0]
    problems = load_with(
        tmp_path, pack_yaml=pack, flows__pay_yaml=flow, flows__mgmt__qa__sample_yaml=qa
    ).problems
    assert only(problems, "pack.yaml", "title").message == "required, but missing"
    assert only(problems, "pack.yaml", "brands").message == "required, but missing"
    assert only(problems, "flows/pay.yaml", "title").message == "required, but empty"
    assert only(problems, "flows/pay.yaml", "steps[1].text").message == "required, but missing"
    assert only(problems, "flows/mgmt/qa/sample.yaml", "steps").message == "required, but missing"


def test_service_flow_needs_business(tmp_path: Path) -> None:
    flow = HOLD_FLOW.replace("business: B0102\ntouchpoints:\n  - channel: C1\n", "")
    problems = load_with(tmp_path, flows__account__hold_yaml=flow).problems
    problem = only(problems, "flows/account/hold.yaml", "business")
    assert "required for a service flow" in problem.message


def test_wrong_types(tmp_path: Path) -> None:
    pack = PACK_YAML.replace("sequence: 3", "sequence: '3'").replace(
        "format: flowpack/1", "format: flowpack/2"
    )
    pack = pack.replace("effective: 2026-11-01", "effective: 下个月").replace(
        "id: hotline-zj", "id: Hotline_ZJ"
    )
    flow = (
        PAY_FLOW.replace("required: true", "required: 是")
        .replace("keywords: [交话费, 充值, jiaofei, 10086]", "keywords: 交话费")
        .replace("title: 话费交费（缴费）", "title: [话费, 交费]")
    )
    hold = HOLD_FLOW.replace("steps:\n", "steps: 请见附件\nx:\n")
    problems = load_with(
        tmp_path, pack_yaml=pack, flows__pay_yaml=flow, flows__account__hold_yaml=hold
    ).problems
    assert "positive integer" in only(problems, "pack.yaml", "sequence").message
    assert "expected 'flowpack/1'" in only(problems, "pack.yaml", "format").message
    assert "date" in only(problems, "pack.yaml", "effective").message
    assert "not a valid id" in only(problems, "pack.yaml", "id").message
    assert "true or false" in only(problems, "flows/pay.yaml", "steps[1].required").message
    assert "expected a list" in only(problems, "flows/pay.yaml", "keywords").message
    assert "expected text, found a list" in only(problems, "flows/pay.yaml", "title").message
    assert "expected a list" in only(problems, "flows/account/hold.yaml", "steps").message


def test_zero_sequence_and_non_mapping_files(tmp_path: Path) -> None:
    pack = PACK_YAML.replace("sequence: 3", "sequence: 0")
    problems = load_with(tmp_path, pack_yaml=pack, flows__pay_yaml="- 只是一个列表\n").problems
    assert "positive integer" in only(problems, "pack.yaml", "sequence").message
    assert "expected a mapping" in only(problems, "flows/pay.yaml", "").message


def test_numbers_where_codes_are_expected_are_read_as_written(tmp_path: Path) -> None:
    pack = PACK_YAML.replace("{code: C2, name: 短信营业厅}", "{code: 0105, name: 短信营业厅}")
    pack = pack.replace("channels: [C1, C2]", "channels: [C1, 0105]")
    flow = PAY_FLOW.replace("  - channel: C2\n", "  - channel: 0105\n")
    loaded = load_with(tmp_path, pack_yaml=pack, flows__pay_yaml=flow)
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert loaded.pack is not None and loaded.pack.channels[1].code == "0105"  # not octal 69
    assert TouchPoint("0105", "G", "B0101") in loaded.pack.flow("pay").touchpoints


def test_brand_not_offered_is_an_error_channel_not_offered_a_warning(tmp_path: Path) -> None:
    hold = HOLD_FLOW.replace(
        "  - channel: C1\n", "  - {channel: C1, brands: [G, M]}\n  - {channel: C2, brands: [E]}\n"
    )
    problems = load_with(tmp_path, flows__account__hold_yaml=hold).problems
    problem = only(problems, "flows/account/hold.yaml", "touchpoints[1].brands[0]")
    assert "'B0102' is not offered for brand 'E'" in problem.message
    warning = only(problems, "flows/account/hold.yaml", "touchpoints[1].channel", "warning")
    assert "not offered on channel 'C2'" in warning.message


def test_unreachable_steps_and_blind_spots_are_warnings(tmp_path: Path) -> None:
    flow = PAY_FLOW.replace("next: card}", "next: done}").replace("  - channel: C2\n", "")
    loaded = load_with(tmp_path, flows__pay_yaml=flow)
    assert loaded.ok and loaded.pack is not None  # warnings do not refuse the pack
    unreached = only(loaded.problems, "flows/pay.yaml", "steps[3]", "warning")
    assert "'card' is never reached" in unreached.message and unreached.line == 27
    blind = at(loaded.problems, "pack.yaml", "businesses[0].channels", "warning")
    assert [str(p) for p in blind] == [
        f"pack.yaml: businesses[0].channels: blind spot C2-{b}-B0101 (no flow claims it) (line 19)"
        for b in ("G", "M", "E")
    ]


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    flow = PAY_FLOW.replace("owner: 客服部\n", "owner: 客服部\nowner: 质检部\n")
    problem = only(load_with(tmp_path, flows__pay_yaml=flow).problems, "flows/pay.yaml", "owner")
    assert "duplicate key (also on line 13)" in problem.message and problem.line == 14


def test_yml_and_hidden_files_are_left_out_with_a_warning(tmp_path: Path) -> None:
    extra = {"flows/extra/x.yml": QA_FLOW, "flows/extra/.y.yaml": QA_FLOW}
    loaded = load_pack(write_files(tmp_path / "src", {**VALID_FILES, **extra}))
    assert loaded.ok
    assert "end in .yaml" in only(loaded.problems, "flows/extra/x.yml", "", "warning").message
    assert "hidden" in only(loaded.problems, "flows/extra/.y.yaml", "", "warning").message


def test_extra_keys_are_ignored_and_elements_checked(tmp_path: Path) -> None:
    flow = PAY_FLOW.replace("owner: 客服部\n", "owner: 客服部\nfuture_key: 以后的版本\n").replace(
        "  output: 交费成功\n", "  output: 交费成功\n  cost: 0\n"
    )
    loaded = load_with(tmp_path, flows__pay_yaml=flow)
    assert loaded.ok
    assert (
        "unknown element"
        in only(loaded.problems, "flows/pay.yaml", "elements.cost", "warning").message
    )


def test_every_error_is_reported_in_one_pass(tmp_path: Path) -> None:
    flow = PAY_FLOW.replace("class: handling", "class: x").replace("next: card}", "next: nowhere}")
    hold = HOLD_FLOW.replace("type: transfer", "type: jump")
    loaded = load_with(tmp_path, flows__pay_yaml=flow, flows__account__hold_yaml=hold)
    keys = {(p.file, p.key) for p in loaded.errors}
    assert keys == {
        ("flows/pay.yaml", "class"),
        ("flows/pay.yaml", "steps[2].options[0].next"),
        ("flows/account/hold.yaml", "steps[1].type"),
    }


def test_touch_points_need_a_business_and_empty_brands_claim_nothing(tmp_path: Path) -> None:
    qa = QA_FLOW.replace("steps:\n", "touchpoints:\n  - {channel: C1}\nsteps:\n")
    pay = PAY_FLOW.replace("  - channel: C2\n", "  - {channel: C2, brands: []}\n")
    loaded = load_with(tmp_path, flows__mgmt__qa__sample_yaml=qa, flows__pay_yaml=pay)
    assert (
        "needs the flow's business"
        in only(loaded.problems, "flows/mgmt/qa/sample.yaml", "touchpoints").message
    )
    warning = only(loaded.problems, "flows/pay.yaml", "touchpoints[1].brands", "warning")
    assert "claims no touch point" in warning.message
