"""The Whoosh side of the index: weights in postings, few segments, nothing held open."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from flowdesk.search import FlowIndex
from flowdesk.search.documents import AxisNames, flow_document
from flowdesk.search.engine import Postings
from flowdesk.search.scoring import EXACT_TITLE_BONUS
from tests.search.search_packs import sample_flows, sample_pack


def whoosh_segments(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("*.seg"))


def test_postings_carry_the_weights_the_terms_were_given(tmp_path: Path) -> None:
    pack = sample_pack()
    FlowIndex.build(tmp_path / "ix", pack)
    postings = Postings(tmp_path / "ix")
    try:
        xhzw = next(f for f in pack.flows if f.id == "xhzw")
        terms = flow_document(xhzw, AxisNames(pack)).name_terms
        doc = postings.flow_ids().index("xhzw")
        for key in ("携号转网", "转网", "xhzw", "xie", "c1-g-b0102"):
            docs, weights = postings.postings("name", key)
            assert abs(weights[docs.index(doc)] - terms[key]) < 1e-5, key
        # step text: one posting per flow and term, weight 1
        docs, weights = postings.postings("step", "核实")
        assert doc in docs and set(weights) == {1.0}
        assert postings.postings("name", "光猫") == ([], [])
    finally:
        postings.close()


def test_an_exact_title_gets_its_bonus_on_the_single_term_path(tmp_path: Path) -> None:
    FlowIndex.build(tmp_path / "ix", sample_pack())
    with FlowIndex.open(tmp_path / "ix") as index:
        exact = index.search("漫游", typeahead_only=True)
        assert [h.flow_id for h in exact] == ["gjmy"]
        whole = index.search("国际漫游开通", typeahead_only=True)[0]
        assert whole.flow_id == "gjmy" and whole.score > EXACT_TITLE_BONUS


def test_updates_add_a_small_segment_and_an_open_index_keeps_answering(tmp_path: Path) -> None:
    FlowIndex.build(tmp_path / "ix", sample_pack())
    assert len(whoosh_segments(tmp_path / "ix")) == 1
    opened = FlowIndex.open(tmp_path / "ix")
    pack = sample_pack()
    for sequence in (2, 3, 4):
        flows = [
            dataclasses.replace(f, title=f"{f.title}{sequence}") if f.id == "tcbg" else f
            for f in sample_flows()
        ]
        new = sample_pack(flows, sequence=sequence)
        FlowIndex.update(tmp_path / "ix", pack, new)
        pack = new
        # the first segment stays as built; the segment of the flow changed before
        # holds nothing live any more and is dropped
        assert len(whoosh_segments(tmp_path / "ix")) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ix"]
    # the index opened before the updates answers from what it loaded
    assert opened.search("套餐变更")[0].title == "套餐变更"
    opened.close()
    with FlowIndex.open(tmp_path / "ix") as index:
        assert index.pack_sequence == 4
        assert index.search("套餐变更")[0].title == "套餐变更4"
        assert [h.flow_id for h in index.search("xhzw")] == ["xhzw"]


def test_ties_after_an_update_rank_as_a_fresh_build_ranks_them(tmp_path: Path) -> None:
    # Two flows of equal score for 话费: an update appends the new one, a fresh
    # build puts it first (话费充值 sorts before 话费查询); the saved ranks agree.
    recharge = dataclasses.replace(sample_flows()[1], id="hfcz", title="话费充值", keywords=())
    new = sample_pack([*sample_flows(), recharge], sequence=2)
    FlowIndex.build(tmp_path / "ix", sample_pack())
    FlowIndex.update(tmp_path / "ix", sample_pack(), new)
    FlowIndex.build(tmp_path / "fresh", new)
    for typeahead_only in (True, False):
        with FlowIndex.open(tmp_path / "ix") as updated, FlowIndex.open(tmp_path / "fresh") as f:
            for typed in ("话费", "hf", "h", "话", "费 话"):
                kw = {"limit": 1, "typeahead_only": typeahead_only}
                got = [(h.flow_id, h.score) for h in updated.search(typed, **kw)]
                want = [(h.flow_id, h.score) for h in f.search(typed, **kw)]
                assert got == want, typed
                assert got[0][0] == "hfcz", typed


def test_a_pack_without_flows_gives_an_empty_index_that_updates(tmp_path: Path) -> None:
    FlowIndex.build(tmp_path / "ix", sample_pack([]))
    with FlowIndex.open(tmp_path / "ix") as index:
        assert index.search("转网") == []
        assert index.search("xhzw", channel="C1") == []
    FlowIndex.update(tmp_path / "ix", sample_pack([]), sample_pack(sequence=2))
    with FlowIndex.open(tmp_path / "ix") as index:
        assert [h.flow_id for h in index.search("转网")] == ["xhzw"]
    FlowIndex.update(tmp_path / "ix", sample_pack(sequence=2), sample_pack([], sequence=3))
    with FlowIndex.open(tmp_path / "ix") as index:
        assert index.pack_sequence == 3
        assert index.search("转网") == []
