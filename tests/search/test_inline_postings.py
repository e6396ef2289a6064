"""A small term's postings live in its term-table row (flowdesk.search.writer.INLINE_BELOW):
the index reads back exactly what it reads when every term has a posting block, and
searches and updates rank the same."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from benchmarks.synthetic import synthetic_pack
from flowdesk.search import FlowIndex, writer
from flowdesk.search.engine import INDEX_NAME, SCHEMA
from tests.search.test_parallel import hits, postings


def inlined_share(directory: Path) -> tuple[int, int]:
    """(terms whose postings are in their row, all terms)."""
    index = FileIndex(FileStorage(str(directory)), schema=SCHEMA, indexname=INDEX_NAME)
    inlined = total = 0
    with index.reader() as reader:
        for field, term in reader.all_terms():
            total += 1
            inlined += reader.term_info(field, term).is_inlined()
    return inlined, total


def test_small_terms_are_inlined_and_read_back_as_blocks_would_be(
    tmp_path: Path, monkeypatch
) -> None:
    pack = synthetic_pack(300, seed=4)
    FlowIndex.build(tmp_path / "inline", pack)
    monkeypatch.setattr(writer, "INLINE_BELOW", 0)
    FlowIndex.build(tmp_path / "blocks", pack)
    inlined, total = inlined_share(tmp_path / "inline")
    assert inlined_share(tmp_path / "blocks")[0] == 0
    assert total > 1000 and inlined > total // 2  # most terms are rare
    assert inlined < total  # frequent ones keep their blocks (and block skipping)
    assert postings(tmp_path / "inline") == postings(tmp_path / "blocks")
    assert any(hits(tmp_path / "inline"))
    assert hits(tmp_path / "inline") == hits(tmp_path / "blocks")


def test_an_update_reads_back_as_with_blocks_and_finds_the_changed_flow(
    tmp_path: Path, monkeypatch
) -> None:
    old = synthetic_pack(200, seed=8)
    first = old.flows[0]
    changed = replace(first, steps=(replace(first.steps[0], text="新增核对：携号转网授权码"),
                                    *first.steps[1:]))  # fmt: skip
    new = replace(old, sequence=old.sequence + 1, flows=(changed, *old.flows[1:]))
    for name, below in (("inline", writer.INLINE_BELOW), ("blocks", 0)):
        monkeypatch.setattr(writer, "INLINE_BELOW", below)
        FlowIndex.build(tmp_path / name, old)  # the old version's blocks, then the update
        FlowIndex.update(tmp_path / name, old, new)
    assert postings(tmp_path / "inline") == postings(tmp_path / "blocks")
    with FlowIndex.open(tmp_path / "inline") as index:
        found = [h.flow_id for h in index.search("携号转网授权码")]
    assert found[:1] == [first.id]
