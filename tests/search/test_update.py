"""FlowIndex.update: only changed flows analysed, the result the same as a fresh build."""

from __future__ import annotations

import dataclasses
import shutil
import sys
import threading
from functools import partial
from pathlib import Path

import pytest

from flowdesk.model import FlowHead, Pack, Revision
from flowdesk.problems import Cancelled, Refused
from flowdesk.search import FlowIndex, Hit
from tests.search.search_packs import sample_flows, sample_pack

QUERIES = ["转网", "xhzw", "套餐", "携号专网", "光猫", "B0102", "漫游 出国", "密码", "5g", "质检"]


def answers(directory: Path) -> dict[str, list[tuple[str, float, tuple[str, ...]]]]:
    with FlowIndex.open(directory) as index:
        return {q: [(h.flow_id, h.score, h.matched) for h in index.search(q)] for q in QUERIES}


def next_pack() -> Pack:
    """Sequence 2: 携号转网 retitled, 宽带报修 removed, 话费充值 added, the rest untouched."""
    flows = []
    for flow in sample_flows():
        if flow.id == "kdbx":
            continue
        if flow.id == "xhzw":
            flow = dataclasses.replace(flow, title="携号转网办理", keywords=("转网", "带号转网"))
        flows.append(flow)
    recharge = dataclasses.replace(sample_flows()[1], id="hfcz", title="话费充值", keywords=())
    return sample_pack([*flows, recharge], sequence=2)


def test_update_gives_what_a_fresh_build_gives(tmp_path: Path) -> None:
    FlowIndex.build(tmp_path / "ix", sample_pack())
    analysed: list[tuple[int, int]] = []
    FlowIndex.update(
        tmp_path / "ix", sample_pack(), next_pack(), progress=lambda d, t: analysed.append((d, t))
    )
    assert analysed == [(2, 2)]  # the retitled flow and the new one, nothing else
    FlowIndex.build(tmp_path / "fresh", next_pack())
    updated, fresh = answers(tmp_path / "ix"), answers(tmp_path / "fresh")
    assert updated == fresh
    assert [h[0] for h in updated["转网"]] == ["xhzw"]
    with FlowIndex.open(tmp_path / "ix") as index:
        assert index.pack_sequence == 2
        assert index.search("宽带") == []
        # 密码重置 follows as a homophone (chongzhi) match, below the title match
        assert [h.title for h in index.search("充值")] == ["话费充值", "密码重置"]
        assert [h.flow_id for h in index.search("xhzwbl")] == ["xhzw"]  # the new title


def test_a_cancelled_update_leaves_the_old_index(tmp_path: Path) -> None:
    FlowIndex.build(tmp_path / "ix", sample_pack())
    before = answers(tmp_path / "ix")
    with pytest.raises(Cancelled):
        FlowIndex.update(tmp_path / "ix", sample_pack(), next_pack(), cancel=lambda: True)
    assert answers(tmp_path / "ix") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ix"]


def test_update_refuses_an_index_of_another_pack_version(tmp_path: Path) -> None:
    FlowIndex.build(tmp_path / "ix", sample_pack())
    with pytest.raises(Refused, match="#1"):
        FlowIndex.update(tmp_path / "ix", next_pack(), next_pack())


def revision_of(old: Pack, new: Pack) -> Revision:
    """``new`` told as its change to ``old``: equal flows kept as heads."""
    before = {f.id: f for f in old.flows}
    flows = tuple(FlowHead.of(f) if before.get(f.id) == f else f for f in new.flows)
    kept = {f.id for f in flows if isinstance(f, FlowHead)}
    return Revision(
        base=dataclasses.replace(old, flows=tuple(f for f in old.flows if f.id not in kept)),
        pack=dataclasses.replace(new, flows=tuple(f for f in new.flows if f.id not in kept)),
        flows=flows,
    )


def test_a_revision_updates_to_what_a_fresh_build_gives(tmp_path: Path) -> None:
    FlowIndex.build(tmp_path / "ix", sample_pack())
    revision = revision_of(sample_pack(), next_pack())
    assert {f.id for f in revision.pack.flows} == {"xhzw", "hfcz"}
    analysed: list[tuple[int, int]] = []
    FlowIndex.update_revision(
        tmp_path / "ix", revision, progress=lambda d, t: analysed.append((d, t))
    )
    assert analysed == [(2, 2)]
    FlowIndex.build(tmp_path / "fresh", next_pack())
    assert answers(tmp_path / "ix") == answers(tmp_path / "fresh")
    with FlowIndex.open(tmp_path / "ix") as index:
        assert index.pack_sequence == 2 and index.search("宽带") == []


@pytest.mark.parametrize("held", ["another version", "garbled"])
def test_a_revision_is_refused_by_an_index_it_cannot_carry_over(tmp_path: Path, held) -> None:
    """The caller (the desk) then indexes the whole version; this index stays as it was."""
    FlowIndex.build(tmp_path / "ix", sample_pack())
    revision = revision_of(sample_pack(), next_pack())
    if held == "garbled":
        for member in (tmp_path / "ix").iterdir():
            member.write_bytes(b"\x00 \xe6\x8d\x9f\xe5\x9d\x8f")
    else:
        revision = dataclasses.replace(
            revision, base=dataclasses.replace(revision.base, sequence=7)
        )
    before = sorted((m.name, m.read_bytes()) for m in (tmp_path / "ix").iterdir())
    with pytest.raises(Refused):
        FlowIndex.update_revision(tmp_path / "ix", revision)
    assert sorted((m.name, m.read_bytes()) for m in (tmp_path / "ix").iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ix"]


def test_concurrent_searches_agree_with_a_single_thread(index: FlowIndex) -> None:
    # Whoosh's posting files keep a read position: without the index's lock,
    # threads switching this often garble each other's blocks.
    expected = {q: index.search(q) for q in QUERIES}
    failures: list[str] = []

    def worker() -> None:
        for _ in range(30):
            for q in QUERIES:
                try:
                    got: list[Hit] = index.search(q)
                except Exception as exc:  # a garbled block raises; report it as a failure
                    failures.append(f"{q}: {exc!r}")
                    continue
                if got != expected[q]:
                    failures.append(q)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []


def record(into: list[tuple[int, int]], done: int, total: int) -> None:
    into.append((done, total))


def test_an_index_that_cannot_be_carried_over_is_built_anew(tmp_path: Path) -> None:
    FlowIndex.build(tmp_path / "fresh", next_pack())
    for damage in ("older format", "display data cut short", "missing"):
        ix = tmp_path / damage.replace(" ", "-")
        FlowIndex.build(ix, sample_pack())
        table = ix / "flowdesk-index.json"
        if damage == "older format":
            table.write_text(
                table.read_text(encoding="utf-8").replace('"format": 3', '"format": 2')
            )
        elif damage == "display data cut short":
            docs = ix / "docs.jsonl"
            docs.write_text(docs.read_text(encoding="utf-8")[:300], encoding="utf-8")
        else:
            shutil.rmtree(ix)
        analysed: list[tuple[int, int]] = []
        FlowIndex.update(ix, sample_pack(), next_pack(), progress=partial(record, analysed))
        assert analysed[-1] == (10, 10), damage  # every flow of the new pack
        assert answers(ix) == answers(tmp_path / "fresh"), damage
