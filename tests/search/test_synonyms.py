"""Synonyms from the shipped lexicon and from pack.yaml, and the cut of long queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowdesk.desk import Desk
from flowdesk.packs.build import build_pack
from flowdesk.packs.load import load_pack
from flowdesk.search import FlowIndex
from flowdesk.search.lexicon import LexiconError, parse_lexicon, shipped_lexicon
from flowdesk.search.segment import Vocabulary, cut, cut_pinyin
from tests.builders import edit_yaml


def with_synonyms(source: Path, synonyms: object) -> Path:
    """The shared test pack (``pack_source``) with ``synonyms`` added to its pack.yaml."""
    edit_yaml(source / "pack.yaml", lambda pack: pack.update(synonyms=synonyms))
    return source


def test_the_shipped_lexicon_covers_what_callers_say() -> None:
    lexicon = shipped_lexicon()
    assert lexicon.version
    assert len(lexicon.alternatives) >= 1000  # words with at least one other word
    expected = {
        "丢了": "挂失",
        "被偷了": "挂失",
        "没信号": "信号差",
        "掉线": "通话中断",
        "网速很慢": "网速慢",
        "wifi": "无线网",
        "光猫红灯": "光猫亮红灯",
        "乱扣费": "不明扣费",
        "太贵了": "套餐太贵",
        "取消业务": "退订",
        "忘了密码": "重置密码",
        "卡坏了": "sim卡坏了",
        "搬家": "移机",
        "香港": "国际漫游",
        "日本": "国际漫游",
        "转到联通": "携号转网",
        "身份证": "证件",
    }
    for said, meant in expected.items():
        assert meant in lexicon.others(said), (said, meant)
    assert "携号转网" not in lexicon.others("国际漫游")  # one-way lines stay one way
    assert "香港" not in lexicon.others("国际漫游")
    assert {"的", "了", "吗", "怎么办", "为什么", "可以", "一下"} <= lexicon.fillers


def test_lexicon_lines_are_checked_with_their_line_number() -> None:
    with pytest.raises(LexiconError, match="line 2"):
        parse_lexicon("挂失 丢了\n孤单\n")
    with pytest.raises(LexiconError, match="line 1"):
        parse_lexicon("香港 => \n")
    with pytest.raises(LexiconError, match="line 3"):
        parse_lexicon("[fillers]\n的 了\n[其他]\n")
    parsed = parse_lexicon("# c\n[fillers]\n的 吗\n[groups]\n丢了 挂失\n港 => 漫游 境外\n")
    assert parsed.fillers == {"的", "吗"}
    assert parsed.others("丢了") == ("挂失",) and parsed.others("挂失") == ("丢了",)
    assert parsed.others("漫游") == ()


def test_long_input_is_cut_with_the_packs_own_words() -> None:
    vocabulary = Vocabulary(["手机", "丢了", "怎么办", "5g套餐", "携号转网"], {"手机": "shouji"})
    pieces = cut(list("我手机丢了怎么办"), vocabulary)
    assert [p.text for p in pieces] == ["我", "手机", "丢了", "怎么办"]
    assert [p.known for p in pieces] == [False, True, True, True]
    assert [p.text for p in cut(["5", "g", "套", "餐", "携", "号", "专", "网"], vocabulary)] == [
        "5g套餐",
        "携号专网",  # no word covers it: kept whole, matched later by sound
    ]
    readings = Vocabulary(["手机", "丢了"], {"手机": "shouji", "丢了": "diule"})
    assert cut_pinyin("shoujidiule", readings) == ["shouji", "diule"]
    assert cut_pinyin("shoujidiu", readings) is None


def test_pack_synonyms_are_read_and_searched(tmp_path: Path, pack_source: Path) -> None:
    source = with_synonyms(pack_source, [["携号转网", "跳槽", "换个运营商"], ["密码", "口令"]])
    loaded = load_pack(source)
    assert loaded.ok, loaded.problems
    assert loaded.pack.synonyms == (("携号转网", "跳槽", "换个运营商"), ("密码", "口令"))
    FlowIndex.build(tmp_path / "index", loaded.pack)
    with FlowIndex.open(tmp_path / "index") as index:
        hits = index.search("客户说想跳槽")
        assert hits[0].flow_id == "np-out"
        assert ("跳槽", "携号转网") in hits[0].synonyms
        assert index.search("口令忘了")[0].flow_id == "pwd-reset"


@pytest.mark.parametrize(
    ("synonyms", "key", "message"),
    [
        ("挂失 丢了", "synonyms", "expected a list"),
        ([["挂失"]], "synonyms[0]", "at least two"),
        ([["挂失", "丢了"], "被偷"], "synonyms[1]", "expected a list of words"),
        ([["挂失", {"a": 1}]], "synonyms[0][1]", "expected text"),
        ([["挂失", " "]], "synonyms[0][1]", "empty word"),
    ],
)
def test_bad_synonym_groups_are_refused_with_their_key_path(
    pack_source: Path, synonyms: object, key: str, message: str
) -> None:
    loaded = load_pack(with_synonyms(pack_source, synonyms))
    assert not loaded.ok
    errors = [p for p in loaded.problems if p.severity == "error"]
    assert any(
        p.key == key and message in p.message and p.file.endswith("pack.yaml") for p in errors
    )


def test_pack_synonyms_travel_in_the_built_pack_and_stay_with_the_version(
    tmp_path: Path, pack_source: Path
) -> None:
    source = with_synonyms(pack_source, [["携号转网", "跳槽"]])
    built = tmp_path / "hotline.flowpack"
    build_pack(source, built)
    assert load_pack(built).pack.synonyms == (("携号转网", "跳槽"),)
    desk = Desk.open(tmp_path / "data")
    try:
        desk.import_pack(built)
        assert desk.pack("test-hotline", 1).synonyms == (("携号转网", "跳槽"),)
        assert desk.search("跳槽")[0].flow_id == "np-out"
    finally:
        desk.close()
    again = Desk.open(tmp_path / "data")  # from the store, index rebuilt from it
    try:
        again.reindex("test-hotline", 1)
        assert again.search("想跳槽")[0].flow_id == "np-out"
    finally:
        again.close()
