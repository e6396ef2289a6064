"""Syncing a real desk: check, prepare, apply, roll back, 新/改 marks, and refusals that
leave the desk exactly as it was."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from flowdesk.desk import Desk
from flowdesk.packs import load_pack
from flowdesk.problems import Refused
from flowdesk.services.updates import check_scheduled
from flowdesk.sync.index import INDEX_FILE
from flowdesk.sync.publish import publish_pack
from flowdesk.sync.records import SyncHistory, changed_flows_unseen, mark_flow_seen
from flowdesk.sync.sourcelist import SourceConfig, SourceList
from flowdesk.sync.sources import FolderSource, HttpSource, Limits
from flowdesk.sync.updates import (
    apply_update,
    check_for_updates,
    prepare_update,
    rollback,
)
from tests.builders import write_pack
from tests.sync.sync_fixtures import change_step_text

FAST = Limits(timeout=1.0, deadline=20.0)


@pytest.fixture
def desk(desk_data):
    with Desk.open(desk_data.root) as opened:
        yield opened


def _sync_all(desk, source, trust):
    plan = check_for_updates(desk, source)
    results = []
    for update in plan.updates:
        prepared = prepare_update(desk, source, update, trust)
        results.append((prepared, apply_update(desk, prepared, source=source.location)))
    return plan, results


def _state(desk) -> list[tuple[str, int, bool]]:
    return [(p.pack_id, p.sequence, p.active) for p in desk.packs()]


def test_sync_over_http_imports_shows_changes_and_marks(desk, publisher, trust, pack_server):
    publish_pack(publisher.build(1), pack_server.root)
    source = HttpSource(pack_server.url, limits=FAST)
    plan, [(first, _)] = _sync_all(desk, source, trust)
    assert first.diff is None  # new to this desk: nothing to compare
    assert [u.entry.sequence for u in plan.updates] == [1]
    assert changed_flows_unseen(desk) == {}

    publish_pack(publisher.build(2, change_step_text), pack_server.root)
    plan = check_for_updates(desk, source)
    assert [(u.entry.sequence, u.active_sequence) for u in plan.updates] == [(2, 1)]
    stages = []
    progress = lambda stage, done, total: stages.append((stage, done, total))  # noqa: E731
    prepared = prepare_update(desk, source, plan.updates[0], trust, progress)
    assert stages[0][0] == "下载 downloading" and stages[-1] == ("校验 verifying", 1, 1)
    assert _state(desk) == [("test-hotline", 1, True)]  # nothing changed before apply
    revision = prepared.loaded.revision  # only changed flow files were read
    assert "np-out" in revision.kept and "np-out" not in {f.id for f in revision.pack.flows}
    diff = prepared.diff
    assert diff.flows_added == ("balance-query",)
    (changed,) = diff.flows_changed
    assert changed.flow_id == "bill-query"
    assert changed.steps_changed[0].fields[0].new == "请稍等，正在为您查询本月话费及套餐余量。"
    result = apply_update(desk, prepared, source=source.location)
    assert result.info.sequence == 2
    assert desk.search("余额查询")[0].flow_id == "balance-query"
    assert desk.search("话费及套餐余量")[0].flow_id == "bill-query"
    assert changed_flows_unseen(desk) == {"balance-query": "新", "bill-query": "改"}
    # What the revision stored is the whole new version, as a full load reads it.
    expected = load_pack(publisher.build(2, change_step_text, name="again.flowpack")).pack
    assert result.info.flow_count == len(expected.flows)
    with Desk.open(desk.data.root) as fresh:
        assert fresh.pack("test-hotline", 2) == expected
    assert mark_flow_seen(desk, "bill-query")
    assert changed_flows_unseen(desk) == {"balance-query": "新"}
    assert not prepared.path.exists()
    assert [e["action"] for e in SyncHistory(desk).entries()] == ["sync", "sync"]
    assert check_for_updates(desk, source).up_to_date == ("test-hotline",)


def _share(tmp_path, publisher, desk, trust):
    share = tmp_path / "share"
    share.mkdir()
    source = FolderSource(share, FAST)
    publish_pack(publisher.build(1), share)
    _sync_all(desk, source, trust)
    return share, source


def _reads_back_as_published(desk, publisher) -> None:
    expected = load_pack(publisher.build(2, change_step_text, name="again.flowpack")).pack
    with Desk.open(desk.data.root) as fresh:
        assert fresh.pack("test-hotline", 2) == expected
        assert fresh.search("话费及套餐余量")[0].flow_id == "bill-query"
        assert fresh.search("余额查询")[0].flow_id == "balance-query"
        assert fresh.search("携号转网")[0].flow_id == "np-out"  # a kept flow is still found


@pytest.mark.parametrize("damage", ["missing", "garbled"])
def test_a_revision_whose_base_index_is_gone_indexes_the_whole_version(
    desk, publisher, trust, tmp_path, damage
):
    share, source = _share(tmp_path, publisher, desk, trust)
    base_index = desk.data.indexes / "test-hotline-1"
    assert base_index.is_dir()
    if damage == "missing":
        shutil.rmtree(base_index)
    else:
        for member in base_index.iterdir():
            member.write_bytes(b"\x00garbled \xe6\x8d\x9f\xe5\x9d\x8f")
    publish_pack(publisher.build(2, change_step_text), share)
    (update,) = check_for_updates(desk, source).updates
    prepared = prepare_update(desk, source, update, trust)
    assert prepared.loaded.revision is not None  # told as a revision of #1 …
    apply_update(desk, prepared)  # … yet indexed whole, from the store's copy of #1
    _reads_back_as_published(desk, publisher)


def test_a_revision_of_a_pack_imported_by_hand_is_stored_whole(desk, publisher, trust, tmp_path):
    """The base's manifest comes from the store, so a pack imported with ``pack import``
    (not synced) is the base of the next sync's revision as well."""
    desk.import_pack(publisher.build(1, name="by-hand.flowpack"))
    share = tmp_path / "share"
    share.mkdir()
    source = FolderSource(share, FAST)
    publish_pack(publisher.build(2, change_step_text), share)
    (update,) = check_for_updates(desk, source).updates
    prepared = prepare_update(desk, source, update, trust)
    assert {f.id for f in prepared.loaded.revision.pack.flows} == {"bill-query", "balance-query"}
    apply_update(desk, prepared)
    _reads_back_as_published(desk, publisher)


def test_a_base_imported_from_a_source_folder_gives_a_full_load(
    desk, publisher, trust, pack_data, tmp_path
):
    """No manifest in the store for a folder import: nothing to tell a revision against."""
    folder = write_pack(tmp_path / "authoring", *pack_data)
    desk.import_pack(folder, allow_unsigned=True)
    share = tmp_path / "share"
    share.mkdir()
    source = FolderSource(share, FAST)
    publish_pack(publisher.build(2, change_step_text), share)
    (update,) = check_for_updates(desk, source).updates
    prepared = prepare_update(desk, source, update, trust)
    assert prepared.loaded.pack.flow("np-out")  # the whole pack, read in full
    assert getattr(prepared.loaded, "revision", None) is None
    assert [c.flow_id for c in prepared.diff.flows_changed] == ["bill-query"]
    apply_update(desk, prepared)
    _reads_back_as_published(desk, publisher)


def test_a_revision_whose_base_was_rolled_away_meanwhile_goes_in_whole(
    desk, publisher, trust, tmp_path
):
    share, source = _share(tmp_path, publisher, desk, trust)  # #1
    publish_pack(publisher.build(2), share)
    _sync_all(desk, source, trust)  # #2, the same flows
    publish_pack(publisher.build(3, change_step_text), share)
    (update,) = check_for_updates(desk, source).updates
    prepared = prepare_update(desk, source, update, trust)
    assert prepared.loaded.revision.base.sequence == 2
    rollback(desk, "test-hotline", to_sequence=1)  # meanwhile, #1 is active again
    apply_update(desk, prepared)
    expected = load_pack(publisher.build(3, change_step_text, name="again.flowpack")).pack
    with Desk.open(desk.data.root) as fresh:
        assert fresh.pack("test-hotline", 3) == expected
        assert fresh.search("话费及套餐余量")[0].flow_id == "bill-query"
        assert fresh.search("携号转网")[0].flow_id == "np-out"


def test_rollback_is_recorded_and_not_undone_by_the_next_sync(desk, publisher, trust, tmp_path):
    share, source = _share(tmp_path, publisher, desk, trust)
    publish_pack(publisher.build(2, change_step_text), share)
    _sync_all(desk, source, trust)
    mark_flow_seen(desk, "bill-query")
    mark_flow_seen(desk, "balance-query")

    done = rollback(desk, "test-hotline", reason="新版话术有误")
    assert (done.from_sequence, done.to_sequence) == (2, 1)
    assert done.diff.flows_removed == ("balance-query",)
    assert ("test-hotline", 1, True) in _state(desk)
    assert all(hit.flow_id != "balance-query" for hit in desk.search("余额查询"))
    assert changed_flows_unseen(desk) == {"bill-query": "改"}
    actions = [e["action"] for e in SyncHistory(desk).entries()]
    assert actions[-1] == "rollback"
    assert any(h["action"] == "rollback" for h in desk.history("test-hotline"))

    plan = check_for_updates(desk, source)
    assert plan.updates == () and plan.held_back == ("test-hotline",)
    with pytest.raises(Refused, match="oldest version"):
        rollback(desk, "test-hotline")
    forward = rollback(desk, "test-hotline", to_sequence=2)
    assert forward.to_sequence == 2 and ("test-hotline", 2, True) in _state(desk)


def test_unsigned_or_untrusted_publication_is_refused_nothing_changes(
    desk, publisher, trust, pack_server, tmp_path
):
    publish_pack(publisher.build(1), pack_server.root)
    source = HttpSource(pack_server.url, limits=FAST)
    _sync_all(desk, source, trust)
    before = _state(desk)

    publish_pack(publisher.build(2, change_step_text, sign=False), pack_server.root, True)
    (update,) = check_for_updates(desk, source).updates
    with pytest.raises(Refused, match="not signed"):
        prepare_update(desk, source, update, trust)
    assert _state(desk) == before
    kept = [p.name for p in desk.data.downloads.iterdir()]
    assert kept == []  # the refused file is not kept

    trust.untrust(publisher.info.key_id)
    publish_pack(publisher.build(3), pack_server.root)
    (update,) = check_for_updates(desk, source).updates
    with pytest.raises(Refused, match="does not trust"):
        prepare_update(desk, source, update, trust)
    assert _state(desk) == before


def test_replayed_older_pack_is_refused(desk, publisher, trust, pack_server):
    """An index entry promising #3 whose file is the genuine, signed #1."""
    one = publisher.build(1)
    publish_pack(one, pack_server.root)
    source = HttpSource(pack_server.url, limits=FAST)
    _sync_all(desk, source, trust)
    publish_pack(publisher.build(2), pack_server.root)
    index_path = pack_server.root / INDEX_FILE
    index = json.loads(index_path.read_text(encoding="utf-8"))
    replay = dict(index["packs"][0], sequence=3, file="packs/replay.flowpack")
    shutil.copy(one, pack_server.root / "packs" / "replay.flowpack")
    index["packs"].append(replay)
    index_path.write_text(json.dumps(index), encoding="utf-8")
    (update,) = check_for_updates(desk, source).updates
    assert update.entry.sequence == 3
    with pytest.raises(Refused, match="replayed or misplaced"):
        prepare_update(desk, source, update, trust)
    assert _state(desk) == [("test-hotline", 1, True)]


def test_index_pointing_outside_its_source_is_refused(desk, pack_server):
    entry = {"id": "x", "sequence": 1, "file": "../../etc/passwd", "size": 5, "sha256": "0" * 64}
    (pack_server.root / INDEX_FILE).write_text(
        json.dumps({"format": "flowdesk-index/1", "packs": [entry]}), encoding="utf-8"
    )
    with pytest.raises(Refused, match="points outside the source"):
        check_for_updates(desk, HttpSource(pack_server.url, limits=FAST))
    assert desk.packs() == []


def test_the_scheduled_check_reads_the_index_and_refuses_plainly(desk, publisher, pack_server):
    """What ``source schedule`` runs in the window (through its task runner): the named
    source's index only; an unreachable source is a refusal that says so."""
    publish_pack(publisher.build(1), pack_server.root)
    sources = SourceList(desk.data)
    sources.add(SourceConfig("总部", pack_server.url))
    sources.add(SourceConfig("分部", "http://127.0.0.1:9/"))
    plan = check_scheduled(desk, "总部")
    assert [u.entry.sequence for u in plan.updates] == [1]  # a desk without packs: all offered
    assert desk.packs() == []  # the index alone: nothing downloaded, nothing imported
    assert list(desk.data.downloads.glob("*")) == []
    with pytest.raises(Refused, match="cannot reach"):
        check_scheduled(desk, "分部")


def test_corrupt_pack_with_a_matching_hash_is_refused(desk, trust, pack_server):
    """The index is honest about a file that is not a pack (a broken publish)."""
    corrupt = b"PK\x03\x04" + "损坏的流程包".encode() * 100
    (pack_server.root / "packs").mkdir()
    (pack_server.root / "packs" / "broken.flowpack").write_bytes(corrupt)
    entry = {
        "id": "test-hotline",
        "sequence": 1,
        "file": "packs/broken.flowpack",
        "size": len(corrupt),
        "sha256": hashlib.sha256(corrupt).hexdigest(),
    }
    (pack_server.root / INDEX_FILE).write_text(
        json.dumps({"format": "flowdesk-index/1", "packs": [entry]}), encoding="utf-8"
    )
    source = HttpSource(pack_server.url, limits=FAST)
    (update,) = check_for_updates(desk, source).updates
    with pytest.raises(Refused, match="not a readable pack file"):
        prepare_update(desk, source, update, trust)
    assert desk.packs() == []
    assert list(desk.data.downloads.iterdir()) == []
