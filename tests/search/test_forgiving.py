"""Callers' own words: sentences, fillers, word order, synonyms, partial matches, non-questions.

On the real sample pack, copied into tmp_path and indexed there, and on small
packs written as YAML folders.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowdesk.packs.load import load_pack
from flowdesk.paths import sample_pack
from flowdesk.search import FlowIndex, Hit

SAMPLE = Path(str(sample_pack()))


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlowIndex]:
    folder = tmp_path_factory.mktemp("sample") / "pack"
    shutil.copytree(SAMPLE, folder)
    loaded = load_pack(folder)
    assert loaded.ok, loaded.problems
    FlowIndex.build(folder.parent / "index", loaded.pack)
    index = FlowIndex.open(folder.parent / "index")
    yield index
    index.close()


def ids(hits: list[Hit], n: int = 5) -> list[str]:
    return [h.flow_id for h in hits[:n]]


# The queries issue 11 lists as finding nothing, each with the flows an agent wants.
CALLER_WORDS = {
    "手机挂失": {"report-loss"},
    "挂失手机": {"report-loss"},
    "我手机丢了怎么办": {"report-loss"},
    "网速很慢": {"bb-repair", "network-complaint"},
    "没信号了": {"network-complaint"},
    "查话费余额": {"balance-hotline", "balance-self"},
    "话费为什么这么高": {"cdr-verify", "fee-dispute", "bill-hotline"},
    "想换个便宜套餐": {"plan-change-hotline", "plan-consult"},
    "去香港": {"roaming-open-hotline", "roaming-consult"},
    "宽带坏了怎么报修": {"bb-repair"},
}


@pytest.mark.parametrize(("query", "wanted"), CALLER_WORDS.items())
def test_what_callers_say_finds_the_flow_near_the_top(
    sample_index: FlowIndex, query: str, wanted: set[str]
) -> None:
    found = ids(sample_index.search(query), 3)
    assert wanted & set(found), (query, found)


def test_fillers_and_particles_never_block(sample_index: FlowIndex) -> None:
    plain = ids(sample_index.search("携号转网"), 1)
    for query in ("我想问一下携号转网怎么办啊", "携号转网可以吗", "你好我要携号转网呢"):
        assert ids(sample_index.search(query), 1) == plain, query


def test_words_in_any_order_across_title_keywords_and_steps(sample_index: FlowIndex) -> None:
    assert ids(sample_index.search("挂失 手机"), 1) == ids(sample_index.search("手机 挂失"), 1)
    assert ids(sample_index.search("停机保号出国"), 1) == ["keep-number"]
    assert ids(sample_index.search("出国 停机保号"), 1) == ["keep-number"]


def test_a_question_about_nothing_in_the_pack_finds_nothing(sample_index: FlowIndex) -> None:
    for query in ("今天天气怎么样", "你好", "谢谢你啊", "好的好的"):
        assert sample_index.search(query) == [], query


def test_pinyin_sentences_and_homophone_typos(sample_index: FlowIndex) -> None:
    assert ids(sample_index.search("shouji diule"), 1) == ["report-loss"]
    assert ids(sample_index.search("woshoujidiule"), 1) == ["report-loss"]
    assert set(ids(sample_index.search("我想携号专网"), 3)) & {"np-qualify", "np-store"}


def test_a_synonym_match_says_which_word_it_matched(sample_index: FlowIndex) -> None:
    hits = sample_index.search("手机弄丢了怎么办")
    assert hits[0].flow_id == "report-loss"
    hong_kong = sample_index.search("下个月去香港")
    roaming = [h for h in hong_kong if h.flow_id.startswith("roaming")]
    assert roaming and ("香港", "国际漫游") in roaming[0].synonyms
    assert roaming[0].highlights  # 国际漫游 marked in the title


def test_nearly_right_queries_show_partial_matches_marked(sample_index: FlowIndex) -> None:
    hits = sample_index.search("宽带新装要交多少钱的发票")
    assert hits, "a query about the business never comes back empty"
    partial = [h for h in hits if h.partial]
    assert partial and all(h.missing for h in partial)
    full = [h for h in hits if not h.partial]
    if full:  # full matches, if any, come before partial ones
        assert hits.index(full[-1]) < hits.index(partial[0])


def test_short_queries_keep_their_strict_ranking(sample_index: FlowIndex) -> None:
    for query in ("携号", "xhzw", "宽带", "5g"):
        hits = sample_index.search(query)
        assert hits and not any(h.partial or h.synonyms for h in hits), query
    # A short query strict search cannot answer is still read for its meaning.
    assert set(ids(sample_index.search("丢了"), 3)) & {"report-loss"}


def test_filters_apply_to_forgiving_matches(sample_index: FlowIndex) -> None:
    hits = sample_index.search("我手机丢了怎么办", channel="C2")
    assert "report-loss" not in ids(hits, 20)  # 热线/IVR only
    assert all(
        h.flow_class == "query" for h in sample_index.search("查话费余额", flow_class="query")
    )
