"""Keyword proposals learned from misses followed, in the same call, by opening a flow."""

from __future__ import annotations

from flowdesk.reports.search_misses import MissReader, learned_proposals, proposal_report
from tests.reports.report_fixtures import Calls


def missed_then_opened(calls: Calls, call: str, minute: float, missed: str, opened: str, **who):
    calls.add("search", minute, call_id=call, query=missed, result_count=0, **who)
    calls.add(
        "search",
        minute + 0.2,
        call_id=call,
        query="挂失",
        result_count=3,
        opened_flow_id=opened,
        pack_id="huafei",
        **who,
    )


def test_a_miss_then_an_opened_flow_in_the_same_call_proposes_a_keyword(
    calls: Calls, store
) -> None:
    missed_then_opened(calls, "c1", 0, "我手机不见了怎么办", "report-loss")
    missed_then_opened(calls, "c2", 5, "手机不见了", "report-loss", agent="A002")
    missed_then_opened(calls, "c3", 9, "shoujibujianle", "report-loss")  # pinyin, same group
    missed_then_opened(calls, "c4", 12, "手鸡不见了", "report-loss")  # homophone typo
    proposals = learned_proposals(store(calls.events))
    assert len(proposals) == 1
    first = proposals[0]
    assert (first.flow_id, first.keyword, first.count, first.agents) == (
        "report-loss",
        "手机不见了",
        4,
        2,
    )
    assert set(first.queries) == {"手机不见了", "shoujibujianle", "手鸡不见了"}
    report = proposal_report(proposals)
    assert report.rows[0]["keyword"] == "手机不见了" and report.summary["proposals"] == 1


def test_no_proposal_without_the_same_call_or_enough_evidence(calls: Calls, store) -> None:
    # A miss in one call and an opened flow in another call prove nothing.
    calls.add("search", 0, call_id="a", query="光猫闪红灯", result_count=0)
    calls.add("search", 1, call_id="b", query="宽带", result_count=2, opened_flow_id="bb-repair")
    # Outside a call (no call_id): not evidence either.
    calls.add("search", 2, query="光猫闪红灯", result_count=0)
    calls.add("search", 3, query="宽带", result_count=2, opened_flow_id="bb-repair")
    # One miss once: below the default of two.
    missed_then_opened(calls, "c", 4, "网断断续续", "bb-repair")
    engine = store(calls.events)
    assert learned_proposals(engine) == []
    assert [p.keyword for p in learned_proposals(engine, min_count=1)] == ["网断断续续"]


def test_a_search_with_results_but_no_flow_opened_is_a_miss_too(calls: Calls, store) -> None:
    for call in ("x", "y"):
        calls.add("search", 0, call_id=call, query="换个号码", result_count=4)
        calls.add("search", 1, call_id=call, query="选号", result_count=1, opened_flow_id="signup")
    proposals = learned_proposals(store(calls.events))
    assert [(p.flow_id, p.keyword, p.count) for p in proposals] == [("signup", "换个号码", 2)]


def test_words_the_flow_already_has_are_not_proposed(calls: Calls, store) -> None:
    for call in ("x", "y"):
        missed_then_opened(calls, call, 0, "挂失停机", "report-loss")
    engine = store(calls.events)
    assert learned_proposals(engine, keywords_of=lambda f: ["手机丢失挂失", "挂失停机"]) == []
    assert learned_proposals(engine, keywords_of=lambda f: ["手机丢失挂失"])


def test_misses_group_by_sound_and_content_not_spelling() -> None:
    reader = MissReader()
    assert reader.keyword("我手机丢了怎么办") == "手机丢了"
    assert reader.content("我手机丢了怎么办") == reader.content("手机丢了")
    assert reader.sound("手机丢了") == reader.sound("手鸡丢了") == reader.sound("shoujidiule")
    assert reader.sound("携号转网") == reader.sound("xiehaozhuanwang")
    assert reader.sound("携号转网") != reader.sound("手机丢了")
