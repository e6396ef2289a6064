"""Validation of call context (flowpack §5): variables, placeholders, input steps, ``when``."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from flowdesk.model import Variable
from flowdesk.packs import load_pack
from flowdesk.problems import Problem
from tests.builders import CTX_FLOW, write_context_pack

FILE = "flows/number/np-ctx.yaml"


def problems_of(tmp_path: Path, change) -> tuple[list[Problem], Any]:
    flow = copy.deepcopy(CTX_FLOW)
    change(flow)
    loaded = load_pack(write_context_pack(tmp_path / "src", flow))
    return loaded.problems, loaded.pack


def errors_at(problems: list[Problem], key: str) -> list[str]:
    return [
        p.message for p in problems if p.severity == "error" and p.file == FILE and p.key == key
    ]


def test_the_context_flow_reads_into_the_model(tmp_path: Path) -> None:
    loaded = load_pack(write_context_pack(tmp_path / "src"))
    assert not [p for p in loaded.problems if p.severity == "error"]
    flow = loaded.pack.flow("np-ctx")
    assert flow.variables[4] == Variable("port_code", "携转授权码", "cti", True)
    assert flow.variables[5].source == "agent"
    assert flow.step("carrier").variable == "carrier"
    brand = flow.step("brand")
    assert brand.options[0].when == (("brand", ("G",)),)
    assert brand.options[1].when == (("brand", ("M", "E")),)
    assert flow.step("verify").options == ()


def _set(path: list, value: Any):
    def change(flow: dict) -> None:
        target = flow
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("path", "value", "key", "words"),
    [
        (["variables", 0, "name"], "客户", "variables[0].name", "not a valid name"),
        (["variables", 0, "name"], "Name", "variables[0].name", "not a valid name"),
        (["variables", 1, "name"], "name", "variables[1].name", "duplicate variable 'name'"),
        (["variables", 0, "name"], "brand", "variables[0].name", "built-in"),
        (["variables", 0, "source"], "crm", "variables[0].source", "unknown source 'crm'"),
        (["variables", 0, "mask"], "yes", "variables[0].mask", "expected true or false"),
        (["variables", 0, "label"], None, "variables[0].label", "required"),
        (["variables"], {"name": "x"}, "variables", "expected a list"),
        (["variables", 2], "amount", "variables[2]", "expected a mapping"),
    ],
)
def test_malformed_variables_are_errors_with_their_key_path(
    tmp_path: Path, path: list, value: Any, key: str, words: str
) -> None:
    problems, pack = problems_of(tmp_path, _set(path, value))
    assert pack is None
    messages = errors_at(problems, key)
    assert any(words in m for m in messages), [str(p) for p in problems]


def test_placeholder_without_a_variable_in_text_and_note(tmp_path: Path) -> None:
    def change(flow: dict) -> None:
        flow["steps"][0]["text"] = "您好 {{ 客户 }}，{{nmae}}"
        flow["steps"][0]["note"] = "看 {{ balance }}"

    problems, pack = problems_of(tmp_path, change)
    assert pack is None
    text = errors_at(problems, "steps[0].text")
    assert len(text) == 2 and "no variable 'nmae'" in text[1]
    assert "no variable 'balance'" in errors_at(problems, "steps[0].note")[0]


def test_built_ins_need_no_declaration_and_braces_elsewhere_warn(tmp_path: Path) -> None:
    def change(flow: dict) -> None:
        flow["steps"][0]["text"] = "{{brand}} {{channel}} {{touchpoint}} {{call_id}} {{name}}"
        flow["steps"][8]["target"] = "{{name}}的专席"
        flow["steps"][1]["text"] = "核实 {{name}"

    problems, pack = problems_of(tmp_path, change)
    assert pack is not None
    warned = {p.key for p in problems if p.severity == "warning" and p.file == FILE}
    assert {"steps[8].target", "steps[1].text"} <= warned


@pytest.mark.parametrize(
    ("change_step", "words"),
    [
        (lambda s: s.pop("variable"), "required for an input step"),
        (lambda s: s.update(variable="nobody"), "no variable 'nobody'"),
        (lambda s: s.update(variable="name"), "source 'cti'"),
        (lambda s: s.update(variable="brand"), "built in"),
    ],
)
def test_input_steps_need_an_agent_variable(tmp_path: Path, change_step, words: str) -> None:
    problems, pack = problems_of(tmp_path, lambda f: change_step(f["steps"][6]))
    assert pack is None
    assert any(words in m for m in errors_at(problems, "steps[6].variable")), problems


@pytest.mark.parametrize(
    ("when", "key", "words"),
    [
        ({"brnad": "G"}, "steps[2].options[0].when.brnad", "no variable 'brnad'"),
        ({"brand": "X"}, "steps[2].options[0].when.brand", "no brand 'X'"),
        ({"brand": ["G", "Q"]}, "steps[2].options[0].when.brand[1]", "no brand 'Q'"),
        ({"channel": "C9"}, "steps[2].options[0].when.channel", "no channel 'C9'"),
        ({"touchpoint": "C1-G-B9"}, "steps[2].options[0].when.touchpoint", "not in the process"),
        ({"brand": []}, "steps[2].options[0].when.brand", "empty list"),
        ({"brand": {"a": 1}}, "steps[2].options[0].when.brand", "expected a value"),
        ({"brand": [["G"]]}, "steps[2].options[0].when.brand[0]", "expected a value"),
        ({}, "steps[2].options[0].when", "empty mapping"),
        ("G", "steps[2].options[0].when", "expected {variable: value}"),
        ({"Brand": "G"}, "steps[2].options[0].when.Brand", "not a variable name"),
    ],
)
def test_malformed_when_is_refused_with_its_key_path(
    tmp_path: Path, when: Any, key: str, words: str
) -> None:
    problems, pack = problems_of(tmp_path, _set(["steps", 2, "options", 0, "when"], when))
    assert pack is None
    assert any(words in m for m in errors_at(problems, key)), [str(p) for p in problems]


def test_when_values_are_read_as_written_and_same_conditions_warn(tmp_path: Path) -> None:
    def change(flow: dict) -> None:
        flow["steps"][4]["options"][0]["when"] = {"amount": [100, "200"]}
        flow["steps"][4]["options"][1]["when"] = {"amount": ["200", 100]}

    problems, pack = problems_of(tmp_path, change)
    assert pack is not None
    assert pack.flow("np-ctx").step("debt").options[0].when == (("amount", ("100", "200")),)
    assert [p.key for p in problems if p.severity == "warning" and p.file == FILE] == [
        "steps[4].options[1].when"
    ]


def test_every_problem_is_listed_and_nothing_is_imported(tmp_path: Path) -> None:
    from flowdesk.desk import Desk
    from flowdesk.problems import Refused

    def change(flow: dict) -> None:
        flow["variables"][0]["name"] = "Bad"
        flow["steps"][0]["text"] = "{{nobody}}"
        flow["steps"][2]["options"][0]["when"] = {"brand": "X"}

    flow = copy.deepcopy(CTX_FLOW)
    change(flow)
    source = write_context_pack(tmp_path / "src", flow)
    with Desk.open(tmp_path / "data") as desk:
        with pytest.raises(Refused) as refused:
            desk.import_pack(source)
        assert desk.packs() == []
    keys = {p.key for p in refused.value.problems if p.severity == "error"}
    assert {"variables[0].name", "steps[0].text", "steps[2].options[0].when.brand"} <= keys
