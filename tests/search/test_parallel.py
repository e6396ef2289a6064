"""A large pack is analysed in worker processes; the index must be the same as in process."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synthetic import synthetic_pack
from flowdesk.search import FlowIndex, parallel
from flowdesk.search.documents import AxisNames, flow_document

QUERIES = ["国际漫游", "gjmy", "套餐", "tc", "携号", "话费查询", "C1-G", "开通", "核实"]


def hits(directory: Path) -> list[list[tuple[str, float]]]:
    with FlowIndex.open(directory) as index:
        return [[(h.flow_id, round(h.score, 6)) for h in index.search(q)] for q in QUERIES]


def test_pooled_build_equals_in_process_build(tmp_path: Path, monkeypatch) -> None:
    pack = synthetic_pack(400, seed=3)
    FlowIndex.build(tmp_path / "serial", pack)
    monkeypatch.setattr(parallel, "MIN_FLOWS", 50)
    monkeypatch.setattr(parallel, "CHUNK", 60)
    FlowIndex.build(tmp_path / "pooled", pack)
    assert any(hits(tmp_path / "serial"))
    assert hits(tmp_path / "pooled") == hits(tmp_path / "serial")


def test_documents_come_back_in_order_and_complete(monkeypatch) -> None:
    pack = synthetic_pack(300, seed=5)
    monkeypatch.setattr(parallel, "MIN_FLOWS", 50)
    monkeypatch.setattr(parallel, "CHUNK", 40)
    names = AxisNames(pack)
    got = list(parallel.documents(list(pack.flows), names))
    assert [d.flow_id for d in got] == [f.id for f in pack.flows]
    assert got[7] == flow_document(pack.flows[7], names)


def test_a_pool_that_cannot_start_falls_back_in_process(monkeypatch) -> None:
    pack = synthetic_pack(120, seed=6)
    monkeypatch.setattr(parallel, "MIN_FLOWS", 50)

    class NoProcesses:
        def __init__(self, *_args: object, **_kwargs: object) -> None:
            raise OSError("no processes allowed here")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", NoProcesses)
    got = list(parallel.documents(list(pack.flows), AxisNames(pack)))
    assert len(got) == 120
