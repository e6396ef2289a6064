"""The store keeps every pack version and gives it back exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from flowdesk import store
from flowdesk.model import Brand, Business, Channel, Flow, Option, Pack, Step, TouchPoint
from flowdesk.problems import Refused
from flowdesk.store.migrations import MIGRATIONS, SCHEMA_VERSION
from flowdesk.store.schema import Base


def make_pack(sequence: int = 1, title: str = "携号转网受理") -> Pack:
    steps = (
        Step("s1", "script", "您好，请问办理什么业务？", note="语气亲切"),
        Step(
            "d1",
            "decision",
            "是否有合约？",
            options=(Option("有合约", "s3"), Option("无合约", "s4")),
        ),
        Step("s3", "script", "需先解约", next="s5"),
        Step("s4", "action", "CRM提交申请", required=True),
        Step("s5", "transfer", "转二线", target="投诉专席"),
    )
    flow = Flow(
        id="np",
        title=title,
        flow_class="handling",
        steps=steps,
        business="B1",
        touchpoints=(TouchPoint("C2", "M", "B1"), TouchPoint("C1", "G", "B1")),
        keywords=("转网", "xhzw 5G"),
        summary="携号转网",
        elements={"input": "客户来电", "value": "留住客户"},
        owner="流程管理室",
        file="flows/np.yaml",
    )
    mgmt = Flow(id="qa", title="录音抽检", flow_class="quality", steps=(Step("a", "end", "完成"),))
    return Pack(
        id="p",
        title="测试包",
        sequence=sequence,
        channels=(Channel("C1", "热线"), Channel("C2", "网厅")),
        brands=(Brand("G", "全球通"), Brand("M", "动感地带")),
        businesses=(Business("B1", "携号转网", "号码", ("C1", "C2"), ("G", "M")),),
        flows=(flow, mgmt),
        version="第1版",
        publisher="流程管理室",
    )


def test_pack_round_trips_through_the_store(tmp_path: Path) -> None:
    engine = store.create_store_engine(tmp_path / "s.sqlite3")
    pack = make_pack()
    with store.writer(engine).begin() as conn:
        info = store.save_pack(conn, pack, manifest={"built_at": "2026-11-01T00:00:00Z"})
    assert info.active and info.flow_count == 2
    with engine.connect() as conn:
        assert store.load_pack(conn, "p", 1) == pack


def test_new_version_becomes_active_and_old_is_kept(tmp_path: Path) -> None:
    engine = store.create_store_engine(tmp_path / "s.sqlite3")
    with store.writer(engine).begin() as conn:
        store.save_pack(conn, make_pack(1))
        store.save_pack(conn, make_pack(2, title="携号转网受理（新版）"))
    with engine.connect() as conn:
        packs = store.list_packs(conn)
        assert [(p.sequence, p.active) for p in packs] == [(2, True), (1, False)]
        assert store.load_pack(conn, "p", 1).flows[0].title == "携号转网受理"
        assert store.load_pack(conn, "p", 2).flows[0].title == "携号转网受理（新版）"
        assert [h["action"] for h in store.history(conn)] == ["import", "import"]


def test_store_is_in_wal_mode(tmp_path: Path) -> None:
    store.create_store_engine(tmp_path / "s.sqlite3").dispose()
    with sqlite3.connect(tmp_path / "s.sqlite3") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migrated_schema_matches_the_orm(tmp_path: Path) -> None:
    engine = store.create_store_engine(tmp_path / "s.sqlite3")
    found = inspect(engine)
    for table in Base.metadata.sorted_tables:
        columns = {c["name"] for c in found.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name


def test_version_1_database_upgrades_in_place_keeping_its_packs(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:  # a desk as FlowDesk schema 1 left it
        for statement in MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute(
            "INSERT INTO packs (pack_id, sequence, format, title, imported_at, active, flow_count)"
            " VALUES ('old', 3, 'flowpack/1', '旧流程包', '2026-01-01T00:00:00+00:00', 1, 0)"
        )
        raw.execute("PRAGMA user_version = 1")
    engine = store.create_store_engine(path)
    with engine.connect() as conn:
        assert [(p.pack_id, p.sequence, p.title) for p in store.list_packs(conn)] == [
            ("old", 3, "旧流程包")
        ]
        assert store.history(conn)[0]["action"] == "import"
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with pytest.raises(Refused, match="newer than this FlowDesk"):
        store.create_store_engine(path)


def test_failed_save_leaves_nothing(tmp_path: Path) -> None:
    engine = store.create_store_engine(tmp_path / "s.sqlite3")
    with store.writer(engine).begin() as conn:
        store.save_pack(conn, make_pack(1))
    with pytest.raises(RuntimeError), store.writer(engine).begin() as conn:
        store.save_pack(conn, make_pack(2))
        raise RuntimeError("power cut")
    with engine.connect() as conn:
        assert [p.sequence for p in store.list_packs(conn)] == [1]
        assert store.find_pack(conn, "p").sequence == 1


def _digests(conn, pack_pk: int) -> dict[str, str]:
    """``{flow_id: digest}`` of one stored version, read straight from the tables."""
    rows = conn.exec_driver_sql(
        "SELECT f.flow_id, f.digest FROM pack_flows pf JOIN flows f ON f.id = pf.flow "
        "WHERE pf.pack = ?",
        (pack_pk,),
    )
    return dict(rows.all())


def test_unchanged_flows_are_shared_between_versions(tmp_path: Path) -> None:
    import dataclasses

    engine = store.create_store_engine(tmp_path / "s.sqlite3")
    first = make_pack(1)
    changed = dataclasses.replace(first.flows[0], title="携号转网受理（新）")
    second = dataclasses.replace(first, sequence=2, flows=(changed, first.flows[1]))
    with store.writer(engine).begin() as conn:
        store.save_pack(conn, first)
        store.save_pack(conn, second)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM flows").scalar() == 3
        one, two = (store.find_pack(conn, "p", s).row_id for s in (1, 2))
        old, new = _digests(conn, one), _digests(conn, two)
        assert old["qa"] == new["qa"] and old["np"] != new["np"]
        assert store.load_pack(conn, "p", 1) == first
        assert store.load_pack(conn, "p", 2) == second


def test_a_revision_is_stored_as_the_whole_version(tmp_path: Path) -> None:
    """save_revision writes what save_pack of the whole version writes, without the kept
    flows' steps; heads, single flows and the manifest read back from the store."""
    import dataclasses

    from flowdesk.model import FlowHead, Revision

    engine = store.create_store_engine(tmp_path / "s.sqlite3")
    first = make_pack(1)
    np_flow, qa_flow = first.flows
    changed = dataclasses.replace(np_flow, title="携号转网受理（第2版）")
    second = dataclasses.replace(first, sequence=2, flows=(changed, qa_flow))
    manifest = {"id": "p", "sequence": 2, "members": {"flows/np.yaml": "ab" * 32}}
    revision = Revision(
        base=dataclasses.replace(first, flows=(np_flow,)),
        pack=dataclasses.replace(second, flows=(changed,)),
        flows=(changed, FlowHead.of(qa_flow)),
    )
    with store.writer(engine).begin() as conn:
        store.save_pack(conn, first)
        info = store.save_revision(conn, revision, manifest=manifest, sha256="cd" * 32)
    assert (info.sequence, info.flow_count, info.active) == (2, 2, True)
    with engine.connect() as conn:
        assert store.load_pack(conn, "p", 2) == second
        assert conn.exec_driver_sql("SELECT count(*) FROM flows").scalar() == 3  # qa shared
        assert store.flow_heads(conn, "p", 2) == [FlowHead.of(f) for f in second.flows]
        assert store.load_flows(conn, "p", 1, ["qa", "nope"]) == [qa_flow]
        assert store.load_pack_head(conn, "p", 2) == dataclasses.replace(second, flows=())
        assert store.pack_manifest(conn, "p", 2) == manifest
        assert store.pack_manifest(conn, "p", 1) is None
        assert store.find_pack(conn, "p", 2).sha256 == "cd" * 32
