"""The desk's import is atomic across store and index; search and show see the active version."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowdesk.desk import Desk
from flowdesk.problems import Cancelled, Refused
from tests.builders import edit_yaml


def bump(folder: Path, sequence: int, title: str | None = None) -> Path:
    edit_yaml(folder / "pack.yaml", lambda pack: pack.update(sequence=sequence))
    if title:
        edit_yaml(folder / "flows/number/np.yaml", lambda flow: flow.update(title=title))
    return folder


def test_import_then_search_and_show(pack_source: Path, data_dir: Path) -> None:
    with Desk.open(data_dir) as desk:
        assert desk.needs_sample()
        result = desk.import_pack(pack_source)
        assert result.info.pack_id == "test-hotline" and result.info.active
        assert any("C2-G-B0201" in str(w) for w in result.warnings)  # the blind spot
        assert [h.flow_id for h in desk.search("转网")][:1] == ["np-out"]
        flow, info = desk.flow("np-out")
        assert flow.title == "携号转网受理" and info.sequence == 1
        assert desk.flow_for_touchpoint("c2-m-b0101")[0].id == "np-out"
        assert not desk.needs_sample()


def test_older_or_equal_sequence_is_refused_and_nothing_changes(
    pack_source: Path, data_dir: Path
) -> None:
    with Desk.open(data_dir) as desk:
        desk.import_pack(bump(pack_source, 5))
        before = sorted(p.name for p in desk.data.indexes.iterdir())
        for sequence in (5, 4):
            with pytest.raises(Refused, match="not newer"):
                desk.import_pack(bump(pack_source, sequence, "不该出现的标题"))
        assert [(p.sequence, p.active) for p in desk.packs()] == [(5, True)]
        assert sorted(p.name for p in desk.data.indexes.iterdir()) == before
        assert desk.search("不该出现") == []


def test_new_version_replaces_old_which_is_kept(pack_source: Path, data_dir: Path) -> None:
    with Desk.open(data_dir) as desk:
        desk.import_pack(pack_source)
        result = desk.import_pack(bump(pack_source, 2, "携号转网新版受理"))
        assert result.previous is not None and result.previous.sequence == 1
        assert [(p.sequence, p.active) for p in desk.packs()] == [(2, True), (1, False)]
        assert desk.search("新版")[0].flow_id == "np-out"
        assert desk.pack("test-hotline", 1).flow("np-out").title == "携号转网受理"
        desk.activate("test-hotline", 1, action="rollback")
        assert desk.search("新版") == []
        assert [h["action"] for h in desk.history()] == ["import", "import", "rollback"]


def test_cancelled_import_changes_nothing(pack_source: Path, data_dir: Path) -> None:
    with Desk.open(data_dir) as desk:
        with pytest.raises(Cancelled):
            desk.import_pack(pack_source, cancel=lambda: True)
        assert desk.packs() == []
        assert list(desk.data.indexes.iterdir()) == []


def test_invalid_pack_is_refused_with_every_problem(pack_source: Path, data_dir: Path) -> None:
    def break_flow(flow: dict) -> None:
        flow["class"] = "gossip"
        flow["steps"][0]["next"] = "nowhere"

    edit_yaml(pack_source / "flows/query/bill.yaml", break_flow)
    with Desk.open(data_dir) as desk:
        with pytest.raises(Refused) as refused:
            desk.import_pack(pack_source)
        text = str(refused.value)
        assert "flows/query/bill.yaml" in text and "class" in text and "nowhere" in text
        assert desk.packs() == []


def test_missing_index_is_rebuilt_from_the_store(pack_source: Path, data_dir: Path) -> None:
    with Desk.open(data_dir) as desk:
        desk.import_pack(pack_source)
    import shutil

    shutil.rmtree(data_dir / "index" / "test-hotline-1")
    with Desk.open(data_dir) as desk:
        assert desk.search("话费")[0].flow_id == "bill-query"


def test_sample_pack_imports_on_first_start(data_dir: Path) -> None:
    with Desk.open(data_dir) as desk:
        stages: list[str] = []
        result = desk.import_sample(progress=lambda stage, _d, _t: stages.append(stage))
        assert result.info.flow_count >= 60
        assert any("索引" in s for s in stages)
        assert desk.search("转网")


def test_trust_policy_once_the_desk_trusts_a_publisher(pack_source: Path, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from flowdesk.packs import build_pack
    from flowdesk.sync.keys import PublicKey, key_id_of
    from flowdesk.sync.signature import sign_pack
    from flowdesk.sync.trust import TrustStore

    publisher, stranger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    built = {}
    for sequence, key in ((1, None), (2, stranger), (3, publisher)):
        path = tmp_path / f"p{sequence}.flowpack"
        build_pack(bump(pack_source, sequence), path)
        if key is not None:
            sign_pack(path, key, signer="流程管理室")
        built[sequence] = path
    with Desk.open(tmp_path / "data") as desk:
        public = publisher.public_key()
        TrustStore(desk.data.keys).trust(PublicKey(key_id_of(public), "流程管理室", public))
        with pytest.raises(Refused, match="not signed"):
            desk.import_pack(built[1])
        with pytest.raises(Refused, match="does not trust"):
            desk.import_pack(built[2], allow_unsigned=True)
        assert desk.packs() == []
        assert desk.import_pack(built[1], allow_unsigned=True).info.signer is None
        result = desk.import_pack(built[3])
        assert result.info.signer == key_id_of(public)
        assert not any("unsigned" in str(w) for w in result.warnings)


def test_a_desk_that_trusts_nobody_accepts_unsigned_with_a_warning(
    pack_source: Path, data_dir: Path
) -> None:
    with Desk.open(data_dir) as desk:
        result = desk.import_pack(pack_source)
        assert "unsigned pack accepted" in str(result.warnings[0])


def test_a_running_desk_sees_another_process_import_at_once(
    pack_source: Path, data_dir: Path
) -> None:
    """The window's desk asks on every keystroke; a commit elsewhere shows on the next one."""
    with Desk.open(data_dir) as window_desk:
        window_desk.import_pack(pack_source)
        assert [p.sequence for p in window_desk.active_packs()] == [1]
        asked = window_desk.search("携号转网")
        assert window_desk.answered("携号转网") == asked  # asked before: kept
        with Desk.open(data_dir) as command_desk:  # `flowdesk pack import` meanwhile
            command_desk.import_pack(bump(pack_source, 2, title="携号转网受理（新）"))
        assert window_desk.answered("携号转网") is None  # the store changed: not the old answer
        assert [p.sequence for p in window_desk.active_packs()] == [2]
        assert window_desk.search("携号转网")[0].title == "携号转网受理（新）"
        assert window_desk.active_packs() == window_desk.active_packs()  # nothing new: same


def test_the_change_watch_answers_only_commits(data_dir: Path) -> None:
    from sqlalchemy import text

    from flowdesk.store import ChangeWatch, create_store_engine

    engine = create_store_engine(data_dir / "store.sqlite3")
    watch = ChangeWatch(data_dir / "store.sqlite3")
    try:
        assert watch.changed()  # the first look: read it
        assert not watch.changed()
        with engine.begin() as conn:
            conn.execute(text("SELECT count(*) FROM packs")).scalar()
        assert not watch.changed()  # a read is no change
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE probe (x INTEGER)"))  # any commit
        assert watch.changed()
        watch.forget()
        assert watch.changed()
    finally:
        watch.close()
        engine.dispose()
