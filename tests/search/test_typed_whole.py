"""Names typed whole as agents type them, and Latin words said by callers (esim, volte).

Found by a check written outside the project: a title mixing Han and Latin typed as
one pinyin word, the initials of a title longer than eight characters, and a query
whose only word the pack knows is a Latin one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flowdesk.search import FlowIndex
from tests.search.search_packs import sample_flows, sample_pack, service_flow


@pytest.fixture
def index(tmp_path: Path) -> Iterator[FlowIndex]:
    flows = [
        *sample_flows(),
        service_flow("bhsim", "补换SIM卡", "B0901", [("C1", "G")], ["核验身份", "写卡"]),
        service_flow("esim", "eSIM手表开通", "B0902", [("C1", "G")], ["确认手表型号"]),
        service_flow(
            "ydsw",
            "异地身份验证补办全球通手机卡",
            "B0903",
            [("C1", "G")],
            ["核验证件"],
        ),
    ]
    FlowIndex.build(tmp_path / "index", sample_pack(flows))
    with FlowIndex.open(tmp_path / "index") as opened:
        yield opened


def ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.flow_id for h in hits]


@pytest.mark.parametrize("typed", ["buhuansimka", "buhuansim", "buhuans", "5gtaocan", "5gtao"])
def test_a_name_mixing_han_and_latin_typed_as_one_word(index: FlowIndex, typed: str) -> None:
    found = ids(index.search(typed, typeahead_only=True))
    assert found[:1] == ["bhsim" if typed.startswith("b") else "5gtc"]


def test_the_initials_of_a_long_title_find_it_whole(index: FlowIndex) -> None:
    assert ids(index.search("ydsfyzbbqqtsjk", typeahead_only=True))[:1] == ["ydsw"]
    assert ids(index.search("ydsfyzbb", typeahead_only=True))[:1] == ["ydsw"]
    assert ids(index.search("ydsfyzbbqqtsjkx", typeahead_only=True)) == []  # one letter too many


@pytest.mark.parametrize("said", ["办个esim", "esim怎么开", "我想开esim"])
def test_a_latin_word_alone_is_enough_to_find_a_flow(index: FlowIndex, said: str) -> None:
    assert "esim" in ids(index.search(said))[:3]


def test_one_letter_or_a_han_character_alone_is_still_not_enough(index: FlowIndex) -> None:
    assert index.search("我想e") == [] or "esim" not in ids(index.search("我想e"))
    assert ids(index.search("今天天气怎么样")) == []


def test_courtesies_heard_alike_find_nothing_written_ones_are_found(tmp_path: Path) -> None:
    """你好 sounds like 立号 (n/l folded for southern agents): nothing. 您好 is written in
    the scripts: a full search finds it where it is written, as any word of a script."""
    flows = [
        service_flow("dlhm", "独立号码开通", "B0904", [("C1", "G")], ["您好，请问办理什么业务"]),
        service_flow("hfcx", "话费查询", "B0905", [("C1", "G")], ["您好，核实机主身份"]),
    ]
    FlowIndex.build(tmp_path / "index", sample_pack(flows))
    with FlowIndex.open(tmp_path / "index") as index:
        for said in ("你好", "谢谢", "好的"):
            assert index.search(said) == [] and index.search(said, typeahead_only=True) == []
        assert index.search("您好", typeahead_only=True) == []  # in no title or keyword
        assert sorted(ids(index.search("您好"))) == ["dlhm", "hfcx"]  # in both scripts
        assert ids(index.search("化费")) == ["hfcx"]  # a homophone typo is still heard
        assert ids(index.search("核实")) == ["hfcx"]  # script words are still found
        assert ids(index.search("立号", typeahead_only=True)) == ["dlhm"]
        assert ids(index.search("你好我要开独立号码"))[:1] == ["dlhm"]


@pytest.mark.parametrize("typed", ["挂shi", "手机挂shi", "shou机挂失"])
def test_han_then_pinyin_across_an_input_method_switch(tmp_path: Path, typed: str) -> None:
    flows = [
        *sample_flows(),
        service_flow("gs", "手机挂失", "B0906", [("C1", "G")], ["核实机主身份", "办理挂失"]),
    ]
    FlowIndex.build(tmp_path / "index", sample_pack(flows))
    with FlowIndex.open(tmp_path / "index") as index:
        assert ids(index.search(typed))[:1] == ["gs"]
