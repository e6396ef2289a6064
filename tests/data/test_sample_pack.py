"""The bundled Chinese sample pack (data/sample-pack): complete, valid, realistic.

It is what a new desk shows first and what the end-to-end tests search, so its
counts and its one deliberate blind spot are pinned here.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from flowdesk.model import ELEMENT_KEYS, MANAGEMENT_CLASSES, SERVICE_CLASSES, Pack, TouchPoint
from flowdesk.packs import load_pack
from flowdesk.paths import sample_pack

SAMPLE = Path(str(sample_pack()))


@pytest.fixture(scope="module")
def raw_flows() -> dict[str, dict]:
    """Every flow file parsed with yaml.safe_load, by path relative to the pack."""
    return {
        str(p.relative_to(SAMPLE)): yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((SAMPLE / "flows").rglob("*.yaml"))
    }


@pytest.fixture(scope="module")
def pack() -> Pack:
    loaded = load_pack(SAMPLE)
    assert loaded.ok, [str(p) for p in loaded.errors]
    assert loaded.pack is not None
    return loaded.pack


def test_pack_yaml_declares_the_hotline_axes() -> None:
    head = yaml.safe_load((SAMPLE / "pack.yaml").read_text(encoding="utf-8"))
    assert head["format"] == "flowpack/1"
    assert head["id"] == "cmcc-hotline"
    assert head["sequence"] == 1
    assert head["version"] == "2026.11 第1版"
    assert isinstance(head["effective"], date)
    assert len(head["channels"]) >= 6
    assert {b["code"]: b["name"] for b in head["brands"]} == {
        "G": "全球通",
        "M": "动感地带",
        "E": "神州行",
    }
    assert len(head["businesses"]) >= 24
    assert all(b.get("group") and b.get("channels") for b in head["businesses"])
    assert any("brands" in b for b in head["businesses"]), "some business for a brand subset"


def test_flow_files_are_plain_yaml_with_readable_fields(raw_flows: dict[str, dict]) -> None:
    assert len(raw_flows) >= 60
    ids = [f["id"] for f in raw_flows.values()]
    assert len(set(ids)) == len(ids)
    for name, flow in raw_flows.items():
        assert Path(name).stem == flow["id"], name
        assert len(Path(name).parts) == 3, f"{name}: flows sit in a business-group folder"
        assert 5 <= len(flow["steps"]) <= 15, name
        assert flow.get("summary") and flow.get("owner") and flow.get("keywords"), name
        assert all(isinstance(k, str) for k in flow["keywords"]), (
            f"{name}: a keyword read as a number"
        )


def test_sample_pack_loads_with_only_the_documented_blind_spot() -> None:
    loaded = load_pack(SAMPLE)
    assert loaded.ok
    assert loaded.errors == []
    assert len(loaded.warnings) >= 1
    assert all("blind spot" in p.message for p in loaded.warnings), [
        str(p) for p in loaded.warnings
    ]
    assert any("C3-E-B0501" in p.message for p in loaded.warnings)


def test_every_offered_touch_point_has_one_flow_except_the_blind_spot(pack: Pack) -> None:
    offered = list(pack.offered_touchpoints())
    assert len(offered) >= 200
    assert pack.blind_spots() == [TouchPoint("C3", "E", "B0501")]
    claims = Counter(tp for flow in pack.flows for tp in flow.touchpoints)
    assert max(claims.values()) == 1
    assert set(claims) == set(offered) - {TouchPoint("C3", "E", "B0501")}
    # The blind spot is explained where process owners look: the top of pack.yaml.
    assert "C3-E-B0501" in (SAMPLE / "pack.yaml").read_text(encoding="utf-8")


def test_flows_cover_every_service_class_and_the_management_classes(pack: Pack) -> None:
    classes = Counter(f.flow_class for f in pack.flows)
    assert set(SERVICE_CLASSES) <= set(classes)
    assert len(set(MANAGEMENT_CLASSES) & set(classes)) >= 3
    for flow in pack.flows:
        if flow.is_service:
            assert flow.business is not None, flow.id
        else:
            assert flow.business is None and flow.touchpoints == (), flow.id


def test_flows_have_real_decisions_transfers_and_required_steps(pack: Pack) -> None:
    steps = [s for f in pack.flows for s in f.steps]
    decisions = [s for s in steps if s.type == "decision"]
    transfers = [s for s in steps if s.type == "transfer"]
    assert len(decisions) >= 40
    assert all(len(s.options) >= 2 for s in decisions)
    assert transfers and all(s.target for s in transfers)
    assert "二线投诉专席" in {s.target for s in transfers}
    assert all(any(s.required for s in f.steps) for f in pack.flows)
    assert any(s.text == "核实机主身份（服务密码或身份证件后四位）" for s in steps)
    for flow in pack.flows:
        assert flow.reachable() == {s.id for s in flow.steps}, flow.id
        assert flow.steps[-1].type == "end" or flow.path(), flow.id


def test_main_flows_carry_the_six_elements(pack: Pack) -> None:
    with_elements = [f for f in pack.flows if f.elements]
    assert len(with_elements) >= 15
    for flow in with_elements:
        assert set(flow.elements) == set(ELEMENT_KEYS), flow.id


def test_some_flows_serve_several_channels_and_brand_subsets(pack: Pack) -> None:
    assert sum(1 for f in pack.flows if len({tp.channel for tp in f.touchpoints}) >= 3) >= 5
    gotone = pack.flow("5g-plan-gotone")
    assert {tp.brand for tp in gotone.touchpoints} == {"G"}
    assert {tp.brand for tp in pack.flow("kinship-number").touchpoints} == {"M", "E"}


@pytest.mark.parametrize(
    ("flow_id", "words"),
    [
        ("np-qualify", {"转网", "携转", "带号转网"}),
        ("balance-hotline", {"查话费", "话费余额"}),
        ("keep-number", {"停机保号"}),
        ("password-reset-hotline", {"改密码", "忘记密码"}),
        ("roaming-open-hotline", {"国际漫游", "出国"}),
    ],
)
def test_keywords_hold_the_words_agents_type(pack: Pack, flow_id: str, words: set[str]) -> None:
    assert words <= set(pack.flow(flow_id).keywords)
