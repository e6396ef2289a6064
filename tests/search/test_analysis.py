"""Units, pinyin and the heteronym fixes the index is built on."""

from __future__ import annotations

import pytest

from flowdesk.search.pinyin import PHRASE_FIXES, reading, sound_key, syllables
from flowdesk.search.query import parse, readings
from flowdesk.search.terms import code_terms, ngram_terms, pinyin_terms
from flowdesk.search.text import joined, query_terms, runs
from tests.search.search_packs import sample_flows


def test_units_are_han_characters_and_latin_or_digit_runs() -> None:
    cut = runs("5G套餐（iPhone 15）")
    assert [[u.text for u in run] for run in cut] == [["5", "g", "套", "餐"], ["iphone"], ["15"]]
    assert [(u.start, u.end) for u in cut[1]] == [(5, 11)]


def test_full_width_text_folds_but_keeps_its_offsets() -> None:
    (run,) = runs("ＶｏＬＴＥ开通")
    assert joined(run) == "volte开通"
    assert run[-1].start == 6


def test_query_terms_split_on_spaces_and_punctuation_but_keep_codes() -> None:
    assert query_terms(" xhzw，全球通  C1-G-B0102 ") == ["xhzw", "全球通", "c1-g-b0102"]
    assert parse("，。") == []


@pytest.mark.parametrize(
    ("word", "spoken"),
    [
        ("重置", "chongzhi"),
        ("还款", "huankuan"),
        ("重新", "chongxin"),
        ("银行", "yinhang"),
        ("长途", "changtu"),
        ("调整", "tiaozheng"),
        ("单据", "danju"),
        ("行程", "xingcheng"),
        ("套餐", "taocan"),
        ("话费", "huafei"),
        ("密码重置", "mimachongzhi"),
        ("信用卡还款日", "xinyongkahuankuanri"),
        ("绿色", "lvse"),
    ],
)
def test_heteronyms_read_the_way_agents_type_them(word: str, spoken: str) -> None:
    assert reading(word) == spoken


TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔù", "aaaaeeeeiiiioooouuuu")


def test_every_phrase_fix_is_in_force() -> None:
    for word, fixed in PHRASE_FIXES.items():
        assert reading(word) == "".join(fixed.split()).translate(TONELESS), word


def test_homophones_share_a_sound_key() -> None:
    assert sound_key(syllables("携号专网")) == sound_key(syllables("携号转网"))
    assert sound_key(syllables("携号专网")) != sound_key(syllables("携号停网"))


def test_title_terms_cover_every_piece_and_weight_coverage() -> None:
    terms = ngram_terms("携号转网", (10.0, 3.0, 0.5))
    assert {"携", "携号", "号转网", "携号转网"} <= set(terms)
    assert terms["携号转网"] > terms["转网"] > terms["网"]


def test_pinyin_terms_are_edge_ngrams_from_every_character() -> None:
    terms = pinyin_terms("携号转网", (9.0, 2.0, 0.5))
    assert {"x", "xie", "xiehaozhuanwang", "xhzw", "xh", "zhuanw", "zw", "hzw"} <= set(terms)
    assert "haoz" in terms and "ie" not in terms


def test_codes_are_indexed_whole_and_as_prefixes() -> None:
    xhzw = sample_flows()[0]
    terms = code_terms(xhzw)
    assert {"c1-g-b0102", "c1-g", "b0102", "b01", "xhzw"} <= set(terms)
    assert terms["c1-g-b0102"] > terms["c1-g"]


def test_a_long_term_is_the_and_of_its_four_character_pieces() -> None:
    (term,) = parse("国际漫游开通")
    first = readings(term, typeahead_only=True)[0]
    assert first.keys == ("国际漫游", "际漫游开", "漫游开通")
    assert [r.field for r in readings(term, typeahead_only=False)] == ["name", "name", "step"]


UNIT_TEXTS = ("5G套餐（全球通）", "ＶｏＬＴＥ开通", "携号转网-C1", "ﬁ测试 ½ abc", "é café 123")


@pytest.mark.parametrize("text", [*UNIT_TEXTS, "重置密码!!", "〇号", " "])
def test_unit_text_is_the_units_run_together(text: str) -> None:
    from flowdesk.search.text import unit_text, units

    assert unit_text(text) == joined(units(text))
