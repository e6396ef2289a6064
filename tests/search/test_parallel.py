"""A large pack is analysed in worker processes; the index must be the same as in process."""

from __future__ import annotations

from dataclasses import replace
from itertools import accumulate
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from benchmarks.synthetic import synthetic_pack
from flowdesk.search import FlowIndex, parallel
from flowdesk.search.documents import AxisNames, flow_document
from flowdesk.search.engine import INDEX_NAME, SCHEMA

QUERIES = ["国际漫游", "gjmy", "套餐", "tc", "携号", "话费查询", "C1-G", "开通", "核实"]


def hits(directory: Path) -> list[list[tuple[str, float]]]:
    with FlowIndex.open(directory) as index:
        return [[(h.flow_id, round(h.score, 6)) for h in index.search(q)] for q in QUERIES]


def postings(directory: Path) -> list[tuple[str, bytes, list[int], list[float]]]:
    """Every term's postings as Whoosh reads them back: documents and weights."""
    index = FileIndex(FileStorage(str(directory)), schema=SCHEMA, indexname=INDEX_NAME)
    found = []
    with index.reader() as reader:
        for field, term in reader.all_terms():
            matcher = reader.postings(field, term)
            docs, weights = [], []
            while matcher.is_active():
                docs.append(matcher.id())
                weights.append(matcher.weight())
                matcher.next()
            found.append((field, term, docs, weights))
    return found


def test_pooled_build_equals_in_process_build(tmp_path: Path, monkeypatch) -> None:
    pack = synthetic_pack(400, seed=3)
    FlowIndex.build(tmp_path / "serial", pack)
    monkeypatch.setattr(parallel, "MIN_FLOWS", 50)
    monkeypatch.setattr(parallel, "CHUNK", 60)
    FlowIndex.build(tmp_path / "pooled", pack)
    assert any(hits(tmp_path / "serial"))
    assert hits(tmp_path / "pooled") == hits(tmp_path / "serial")
    assert postings(tmp_path / "pooled") == postings(tmp_path / "serial")


def test_chunks_come_back_in_order_and_complete(monkeypatch) -> None:
    pack = synthetic_pack(300, seed=5)
    monkeypatch.setattr(parallel, "MIN_FLOWS", 50)
    monkeypatch.setattr(parallel, "CHUNK", 40)
    names = AxisNames(pack)
    got = list(parallel.chunks(list(pack.flows), names, 10))
    assert [c.first_doc for c in got] == list(range(10, 310, 40))
    documents = [d for c in got for d in c.documents]
    assert [d.flow_id for d in documents] == [f.id for f in pack.flows]
    whole = flow_document(pack.flows[47], names)
    assert documents[47] == replace(whole, name_terms={}, step_terms=frozenset())
    # The worker's inverted postings: flow 47 is document 57, in the second chunk.
    name = got[1].name
    ends = list(accumulate(name.counts))
    found = {}
    for term, end, count in zip(name.terms, ends, name.counts, strict=True):
        span = slice(end - count, end)
        for doc, weight in zip(name.docs[span], name.weights[span], strict=True):
            if doc == 57:
                found[term.decode()] = weight
    assert found.keys() == whole.name_terms.keys()
    assert all(abs(found[t] - w) < 1e-3 for t, w in whole.name_terms.items())


def test_a_pool_that_cannot_start_falls_back_in_process(monkeypatch) -> None:
    pack = synthetic_pack(120, seed=6)
    monkeypatch.setattr(parallel, "MIN_FLOWS", 50)

    class NoProcesses:
        def __init__(self, *_args: object, **_kwargs: object) -> None:
            raise OSError("no processes allowed here")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", NoProcesses)
    got = list(parallel.chunks(list(pack.flows), AxisNames(pack), 0))
    assert sum(len(c.documents) for c in got) == 120
