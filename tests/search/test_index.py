"""FlowIndex end to end: a real pack, a real index folder, the queries agents type."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowdesk.model import Pack
from flowdesk.problems import Cancelled, Refused
from flowdesk.search import FlowIndex, Hit, IndexUnavailable
from flowdesk.search.text import units
from tests.search.search_packs import sample_pack


def ids(hits: list[Hit]) -> list[str]:
    return [h.flow_id for h in hits]


def pieces(text: str) -> set[str]:
    """Every 1–4 character substring made of letters, digits or Han characters."""
    found = set()
    for size in range(1, 5):
        for start in range(len(text) - size + 1):
            piece = text[start : start + size]
            if len(units(piece)) and all(c.isalnum() for c in piece):
                found.add(piece)
    return found


def test_every_short_piece_of_a_title_or_keyword_finds_its_flow(
    index: FlowIndex, pack: Pack
) -> None:
    for flow in pack.flows:
        for text in (flow.title, *flow.keywords):
            for piece in pieces(text):
                hits = index.search(piece, typeahead_only=True, limit=50)
                assert flow.id in ids(hits), f"{piece!r} (from {text!r}) misses {flow.id}"


def test_a_piece_of_a_latin_word_finds_its_flow(index: FlowIndex) -> None:
    assert ids(index.search("g套餐", typeahead_only=True)) == ["5gtc"]
    assert index.search("g套餐", typeahead_only=True)[0].highlights == ((1, 4),)
    for typed in ("volte", "VoLTE", "volt", "iphone", "iPh"):
        hit = index.search(typed)[0]
        assert hit.flow_id == "5gtc", typed
        assert hit.snippet is not None and typed.lower() in hit.snippet.lower()


@pytest.mark.parametrize(
    ("typed", "flow_id"),
    [
        ("xhzw", "xhzw"),
        ("xiehaozhuanwang", "xhzw"),
        ("xiehao", "xhzw"),
        ("xhz", "xhzw"),
        ("zhuanwang", "xhzw"),
        ("XieHao", "xhzw"),
        ("hfcx", "hfcx"),
        ("huafeichaxun", "hfcx"),
        ("guojimanyou", "gjmy"),
        ("kdbx", "kdbx"),
    ],
)
def test_pinyin_full_initials_and_half_typed_find_the_flow(
    index: FlowIndex, typed: str, flow_id: str
) -> None:
    hits = index.search(typed, typeahead_only=True)
    assert hits[0].flow_id == flow_id
    assert "pinyin" in hits[0].matched


def test_pinyin_highlights_the_characters_it_stands_for(index: FlowIndex) -> None:
    hit = index.search("xiehao", typeahead_only=True)[0]
    assert hit.highlights == ((0, 2),)
    assert index.search("zw", typeahead_only=True)[0].highlights == ((2, 4),)


def test_heteronyms_read_as_agents_type_them(index: FlowIndex) -> None:
    assert ids(index.search("chongzhi", typeahead_only=True)) == ["mmcz"]
    assert ids(index.search("mmcz", typeahead_only=True)) == ["mmcz"]
    assert ids(index.search("huankuan", typeahead_only=True)) == ["hkcx"]
    assert ids(index.search("zhongzhi", typeahead_only=True)) == []


def test_a_homophone_typo_still_finds_the_flow(index: FlowIndex) -> None:
    hits = index.search("携号专网", typeahead_only=True)
    assert ids(hits) == ["xhzw"]
    assert hits[0].matched == ("pinyin",)
    assert hits[0].highlights == ((0, 4),)


def test_step_text_words_are_found_in_a_full_search_only(index: FlowIndex) -> None:
    assert index.search("光猫", typeahead_only=True) == []
    hits = index.search("光猫")
    assert ids(hits) == ["kdbx"]
    assert hits[0].matched == ("step",)
    assert hits[0].snippet is not None and "光猫" in hits[0].snippet


def test_title_matches_rank_above_step_text_matches(index: FlowIndex) -> None:
    # 套餐 is in two titles, in keywords, and only in the step text of 话费查询.
    hits = index.search("套餐")
    assert ids(hits)[:2] == ["tcbg", "5gtc"]
    assert ids(hits)[-1] == "hfcx"
    assert hits[-1].matched == ("step",)
    assert hits[0].score > hits[-1].score


def test_an_exact_title_ranks_first_and_shorter_titles_before_longer(index: FlowIndex) -> None:
    assert ids(index.search("套餐变更"))[0] == "tcbg"
    hits = index.search("办理", typeahead_only=True)
    assert ids(hits) == ["lljb", "5gtc"]  # 流量包办理 (5) before 5G套餐办理 (6)


@pytest.mark.parametrize("typed", ["C1-G-B0102", "c1-g-b0102", "B0102", "b0102", "c1-m-b01"])
def test_touch_point_and_business_codes_find_the_flow(index: FlowIndex, typed: str) -> None:
    hits = index.search(typed, typeahead_only=True)
    assert ids(hits) == ["xhzw"]
    assert "code" in hits[0].matched


def test_mixed_input_needs_every_term_and_takes_the_last_as_a_prefix(index: FlowIndex) -> None:
    assert ids(index.search("5G套餐", typeahead_only=True)) == ["5gtc"]
    assert ids(index.search("xhzw 全球通", typeahead_only=True)) == ["xhzw"]
    assert ids(index.search("xhzw 全球", typeahead_only=True)) == ["xhzw"]
    assert ids(index.search("全球通 xhz", typeahead_only=True)) == ["xhzw"]
    # no flow has both: the sentence reading finds what the pack knows of it, the same
    # for the initials as for the Chinese (a Latin word counts as a word)
    by_initials = index.search("xhzw 神州行", typeahead_only=True)
    assert ids(by_initials) == ids(index.search("携号转网 神州行", typeahead_only=True))
    assert by_initials and by_initials[0].score < index.search("xhzw 全球通")[0].score / 2
    assert ids(index.search("流量包 bl", typeahead_only=True)) == ["lljb"]
    assert ids(index.search("流量包 ban", typeahead_only=True)) == ["lljb"]
    assert ids(index.search("密码 短信")) == ["mmcz"]


def test_filters_by_channel_brand_and_class(index: FlowIndex) -> None:
    assert ids(index.search("套餐", channel="C2", typeahead_only=True)) == ["5gtc"]
    assert ids(index.search("话费", brand="E")) == ["hfcx"]
    # channel and brand together must be one touch point: hfcx has C1-G and C2-E, not C1-E
    assert ids(index.search("话费", channel="C1", brand="E")) == []
    assert ids(index.search("话费", channel="C2", brand="E")) == ["hfcx"]
    assert ids(index.search("宽带", flow_class="complaint")) == ["kdbx"]
    assert ids(index.search("宽带", flow_class="query")) == []


def test_management_flows_drop_out_under_a_channel_or_brand_filter(index: FlowIndex) -> None:
    assert ids(index.search("质检")) == ["zjgl"]
    assert ids(index.search("质检", flow_class="quality")) == ["zjgl"]
    assert index.search("质检", channel="C1") == []
    assert index.search("质检", brand="G") == []


@pytest.mark.parametrize("typed", ["", "   ", "\t", "，。", "--"])
def test_an_empty_query_finds_nothing(index: FlowIndex, typed: str) -> None:
    assert index.search(typed) == []


def test_a_hit_carries_what_the_result_list_shows(index: FlowIndex) -> None:
    hit = index.search("转网", typeahead_only=True)[0]
    assert hit.flow_id == "xhzw"
    assert hit.pack_id == "hotline"
    assert hit.title == "携号转网"
    assert hit.flow_class == "handling"
    assert hit.business == "B0102"
    assert hit.touchpoints == ("C1-G-B0102", "C1-M-B0102")
    assert hit.matched == ("title",)
    assert hit.highlights == ((2, 4),)
    assert hit.snippet is None


def test_limit_caps_the_results(index: FlowIndex) -> None:
    assert len(index.search("理", limit=1)) == 1
    assert len(index.search("理", limit=50)) >= 3
    assert index.search("理", limit=0) == []


def test_build_reports_progress_and_refuses_a_folder_in_use(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    pack = sample_pack()
    FlowIndex.build(tmp_path / "ix", pack, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(pack.flows), len(pack.flows))
    with pytest.raises(Refused, match="not empty"):
        FlowIndex.build(tmp_path / "ix", pack)


def test_a_cancelled_build_leaves_no_usable_index(tmp_path: Path) -> None:
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(Cancelled):
        FlowIndex.build(tmp_path / "ix", sample_pack(), cancel=cancel)
    with pytest.raises(IndexUnavailable):
        FlowIndex.open(tmp_path / "ix")
    # an empty folder given by the caller stays, emptied
    (tmp_path / "given").mkdir()
    with pytest.raises(Cancelled):
        FlowIndex.build(tmp_path / "given", sample_pack(), cancel=lambda: True)
    assert list((tmp_path / "given").iterdir()) == []


def test_open_refuses_a_folder_without_a_complete_index(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable):
        FlowIndex.open(tmp_path / "absent")
    for damaged in ("*.seg", "*.toc"):
        broken = tmp_path / f"broken{damaged[1:]}"
        FlowIndex.build(broken, sample_pack())
        for path in broken.glob(damaged):
            path.write_bytes(path.read_bytes()[:40])
        with pytest.raises(IndexUnavailable, match="unreadable"):
            FlowIndex.open(broken)
    half_built = tmp_path / "half-built"
    FlowIndex.build(half_built, sample_pack())
    (half_built / "flowdesk-index.json").unlink()
    with pytest.raises(IndexUnavailable, match="no complete search index"):
        FlowIndex.open(half_built)


def test_searching_a_closed_index_is_an_error(tmp_path: Path) -> None:
    FlowIndex.build(tmp_path / "ix", sample_pack())
    with FlowIndex.open(tmp_path / "ix") as index:
        assert index.search("转网")
    with pytest.raises(RuntimeError, match="closed"):
        index.search("转网")


def test_flows_needing_step_text_for_a_term_rank_below_name_matches(index: FlowIndex) -> None:
    # 套餐 短信: tcbg has both by name (title, and its 短信 channel); 5gtc has 套餐 in its
    # title but 短信 only in a step; hfcx has both only in steps.
    hits = index.search("套餐 短信")
    assert ids(hits) == ["tcbg", "5gtc", "hfcx"]
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[1].matched == ("title", "step")
    assert index.search("套餐 短信", typeahead_only=True)[0].flow_id == "tcbg"


def test_a_repeated_query_is_answered_as_the_first_time(index: FlowIndex) -> None:
    """The open index keeps its answers; filters, mode and limit are part of the question."""
    first = index.search("携号", typeahead_only=True)
    again = index.search("携号", typeahead_only=True)
    assert again == first and again is not first
    again.clear()  # what the caller does with its list is not the index's answer
    assert index.search("携号", typeahead_only=True) == first
    assert ids(index.search("携号", limit=1)) == ids(first)[:1]
    assert index.search("携号", channel="不存在的渠道") == []
    assert ids(index.search("携号"))  # the full search is its own question
