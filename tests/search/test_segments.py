"""Successive updates: each adds a small segment, results stay those of a fresh build."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from flowdesk.model import Flow, Pack, Step
from flowdesk.search import FlowIndex
from flowdesk.search.documents import AxisNames, flow_document
from flowdesk.search.engine import Postings
from flowdesk.search.writer import MAX_SEGMENTS, merged_from
from tests.search.search_packs import sample_flows, sample_pack

NUMERALS = "一二三四五六七八九十"
QUERIES = [
    "转网", "xhzw", "x", "t", "套", "套餐", "tc", "携号专网", "b0", "c1-g", "漫游 出国",
    "密码", "5g", "volt", "质检", "修订", "第三", "sanban", "话费 查询", "流量包",
]  # fmt: skip
FILTERS = [{}, {"channel": "C1"}, {"brand": "M", "channel": "C1"}, {"flow_class": "query"}]


def many_flows(copies: int) -> list[Flow]:
    """``copies`` numbered variants of each sample flow: several Whoosh blocks per common term."""
    flows = []
    for n in range(copies):
        for flow in sample_flows():
            numeral = NUMERALS[n % 10] + ("" if n < 10 else str(n))
            flows.append(
                dataclasses.replace(flow, id=f"{flow.id}{n}", title=f"{flow.title}{numeral}")
            )
    return flows


def revised(pack: Pack, version: int, changed: range, removed: range, added: int) -> Pack:
    """The next version: some flows retitled or with a new first step, some gone, some new."""
    flows = []
    for i, flow in enumerate(pack.flows):
        if i in removed:
            continue
        if i in changed:
            if i % 2:
                flow = dataclasses.replace(flow, title=f"{flow.title}第{NUMERALS[version]}版")
            else:
                first = Step("s0", "script", f"第{NUMERALS[version]}版修订：核对{flow.title}")
                flow = dataclasses.replace(flow, steps=(first, *flow.steps))
        flows.append(flow)
    for k in range(added):
        extra = sample_flows()[k % 10]
        flows.append(dataclasses.replace(extra, id=f"v{version}n{k}", title=f"新{extra.title}"))
    return sample_pack(flows, sequence=version)


def answers(directory: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    with FlowIndex.open(directory) as index:
        for query in QUERIES:
            for number, filters in enumerate(FILTERS):
                for typeahead_only in (True, False):
                    for limit in (3, 50):
                        hits = index.search(
                            query, limit=limit, typeahead_only=typeahead_only, **filters
                        )
                        key = f"{query}|{number}|{typeahead_only}|{limit}"
                        found[key] = [(h.flow_id, h.title, h.score, h.snippet) for h in hits]
    return found


def segments(directory: Path) -> int:
    return len(list(directory.glob("*.seg")))


def test_successive_updates_answer_as_a_fresh_build(tmp_path: Path) -> None:
    pack = sample_pack(many_flows(30))
    FlowIndex.build(tmp_path / "ix", pack)
    counts = []
    steps = [
        (range(0, 300, 30), range(0), 0),
        (range(5, 300, 40), range(290, 295), 3),
        (range(0, 300, 30), range(0), 0),  # the same flows changed again
        (range(1, 50, 7), range(10, 12), 1),
        (range(100, 110), range(0), 2),
        (range(3, 300, 25), range(0), 0),
        (range(7, 300, 50), range(40, 41), 0),  # past MAX_SEGMENTS: small segments merge
        (range(0, 150), range(200, 220), 5),  # most flows changed: everything merges
        (range(0), range(0, 3), 0),  # removals only
    ]
    for version, (changed, removed, added) in enumerate(steps, start=2):
        new = revised(pack, version, changed, removed, added)
        FlowIndex.update(tmp_path / "ix", pack, new)
        pack = new
        counts.append(segments(tmp_path / "ix"))
        fresh = tmp_path / f"fresh{version}"
        FlowIndex.build(fresh, pack)
        assert answers(tmp_path / "ix") == answers(fresh), version
    assert max(counts) <= MAX_SEGMENTS
    # One small segment per update (none left for flows changed again), merged past
    # the bound; a delta changing most flows merges everything.
    assert counts == [2, 3, 3, 4, 5, 6, 2, 1, 1]


def test_deleted_and_replaced_flows_never_show(tmp_path: Path) -> None:
    pack = sample_pack(many_flows(3))
    FlowIndex.build(tmp_path / "ix", pack)
    gone = {"kdbx0", "kdbx1", "kdbx2"}
    flows = [f for f in pack.flows if f.id not in gone]
    flows = [
        dataclasses.replace(f, title="携号转网（新规）", steps=(Step("s1", "script", "核对新规"),))
        if f.id == "xhzw1"
        else f
        for f in flows
    ]
    FlowIndex.update(tmp_path / "ix", pack, sample_pack(flows, sequence=2))
    with FlowIndex.open(tmp_path / "ix") as index:
        assert index.search("宽带") == [] and index.search("kdbx", limit=50) == []
        assert index.search("光猫") == []  # step text of the removed flows
        hits = index.search("新规", limit=50)
        assert [(h.flow_id, h.title) for h in hits] == [("xhzw1", "携号转网（新规）")]
        assert [h.snippet for h in index.search("核对新规")] == ["核对新规"]
        titles = [h.title for h in index.search("xhzw", limit=50) if h.flow_id == "xhzw1"]
        assert titles == ["携号转网（新规）"]
        every = [h.flow_id for h in index.search("b0", limit=100)]
        assert sorted(every) == sorted(f.id for f in flows if f.business)  # each flow once
    postings = Postings(tmp_path / "ix")
    try:
        assert len(postings.leaves) == 2
        assert postings.flow_ids().count("xhzw1") == 1
        assert sum(flow_id is None for flow_id in postings.flow_ids()) == 4  # 3 gone, 1 replaced
    finally:
        postings.close()


@pytest.mark.parametrize(
    ("counts", "live", "kept"),
    [
        ([1000, 10, 10], [990, 10, 10], 3),  # few segments: all kept, one more added
        ([1000] + [10] * (MAX_SEGMENTS - 1), [995] + [10] * (MAX_SEGMENTS - 1), 1),
        ([1000, 10], [700, 10], 0),  # too much deleted: one full merge
        ([100] + [90] * (MAX_SEGMENTS - 1), [100] + [90] * (MAX_SEGMENTS - 1), 0),
        ([], [], 0),
    ],
)
def test_segments_are_kept_while_few_and_mostly_live(
    counts: list[int], live: list[int], kept: int
) -> None:
    assert merged_from(counts, live) == kept


def test_common_terms_keep_every_posting_across_blocks(tmp_path: Path) -> None:
    # Terms of more than one Whoosh block (128 postings) go to its writer a block at a time.
    pack = sample_pack(many_flows(30))
    FlowIndex.build(tmp_path / "ix", pack)
    names = AxisNames(pack)
    expected: dict[tuple[str, str], dict[str, float]] = {}
    for flow in pack.flows:
        document = flow_document(flow, names)
        for term, weight in document.name_terms.items():
            expected.setdefault(("name", term), {})[flow.id] = weight
        for term in document.step_terms:
            expected.setdefault(("step", term), {})[flow.id] = 1.0
    common = sorted(expected, key=lambda key: -len(expected[key]))[:8]
    assert len(expected[common[0]]) > 128
    postings = Postings(tmp_path / "ix")
    try:
        flow_ids = postings.flow_ids()
        for field, term in common:
            docs, weights = postings.postings(field, term)
            got = {flow_ids[doc]: weight for doc, weight in zip(docs, weights, strict=True)}
            assert got.keys() == expected[(field, term)].keys(), term
            for flow_id, weight in got.items():
                assert abs(weight - expected[(field, term)][flow_id]) < 1e-5, (term, flow_id)
    finally:
        postings.close()
