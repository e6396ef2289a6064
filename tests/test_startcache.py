"""The start snapshot: what the window shows at once, and every reason it is not trusted."""

from __future__ import annotations

import copy
import datetime as dt
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from flowdesk import startcache
from flowdesk.desk import Desk
from tests.builders import FLOWS, PACK, write_pack

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def version(root: Path, sequence: int, effective: str | None = None) -> Path:
    pack = copy.deepcopy(PACK)
    pack["sequence"] = sequence
    pack.pop("effective", None)
    if effective is not None:
        pack["effective"] = effective
    return write_pack(root / f"v{sequence}", pack, copy.deepcopy(FLOWS))


@pytest.fixture
def desk(tmp_path: Path):
    desk = Desk.open(tmp_path / "data")
    desk.now = lambda: NOW
    desk.import_pack(version(tmp_path, 1))
    yield desk
    desk.close()


def test_the_snapshot_holds_the_active_versions_and_their_packs(desk: Desk) -> None:
    startcache.save(desk)
    snapshot = startcache.read(desk.data, lambda: NOW)
    assert snapshot is not None
    assert [(v.pack_id, v.sequence) for v in snapshot.versions] == [
        (i.pack_id, i.sequence) for i in desk.active_packs()
    ]
    assert snapshot.packs[0] == desk.pack()
    assert snapshot.valid_until is None  # nothing pending


def test_lookups_from_the_snapshot_answer_as_the_desk_does(desk: Desk) -> None:
    startcache.save(desk)
    snapshot = startcache.read(desk.data, lambda: NOW)
    early = startcache.SnapshotDesk.open(desk.data, snapshot)
    assert early is not None
    try:
        for query in ("携号转网", "xiehao", "密码 重置", "我想转网怎么办", "mima"):
            assert [h.flow_id for h in early.search(query)] == [
                h.flow_id for h in desk.search(query)
            ], query
        flow, version = early.flow("np-out")
        assert flow == desk.flow("np-out")[0] and version.sequence == 1
        code = next(iter(desk.pack().touchpoint_flows())).code
        assert early.flow_for_touchpoint(code)[0].id == desk.flow_for_touchpoint(code)[0].id
        with pytest.raises(KeyError):
            early.flow("no-such-flow")
        assert early.same_versions(desk)
    finally:
        for index in early.indexes().values():
            index.close()


def test_no_snapshot_is_kept_for_a_pack_too_big_to_gain_from_it(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    startcache.save(desk)
    assert startcache.path(desk.data).is_file()
    monkeypatch.setattr(startcache, "MAX_FLOWS", len(desk.pack().flows) - 1)
    startcache.save(desk)
    assert not startcache.path(desk.data).exists()  # and the old one is gone, not left stale


def test_any_write_to_the_store_makes_the_snapshot_stale(desk: Desk, tmp_path: Path) -> None:
    startcache.save(desk)
    desk.import_pack(version(tmp_path, 2))  # as `flowdesk pack import` would, window closed
    assert startcache.read(desk.data, lambda: NOW) is None


def test_the_snapshot_is_stale_once_a_pending_version_falls_due(desk: Desk, tmp_path: Path) -> None:
    result = desk.import_pack(version(tmp_path, 2, "2026-12-01T00:00:00+08:00"))
    assert result.info.state == "pending"
    startcache.save(desk)
    due = dt.datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    snapshot = startcache.read(desk.data, lambda: due - dt.timedelta(seconds=1))
    assert snapshot is not None and snapshot.valid_until == due
    assert [v.sequence for v in snapshot.versions] == [1]
    assert startcache.read(desk.data, lambda: due) is None


@pytest.mark.parametrize(
    "damage",
    [b"", b"\x80\x05garbage", b"not a pickle at all \xe4\xb8\xad\xe6\x96\x87", "truncate"],
    ids=["empty", "garbage", "text", "truncated"],
)
def test_a_damaged_snapshot_is_ignored_never_raised(desk: Desk, damage) -> None:
    startcache.save(desk)
    file = startcache.path(desk.data)
    raw = file.read_bytes()
    file.write_bytes(raw[: len(raw) // 2] if damage == "truncate" else damage)
    assert startcache.read(desk.data, lambda: NOW) is None


def test_a_planted_snapshot_cannot_run_code(desk: Desk, tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    startcache.path(desk.data).write_bytes(pickle.dumps(Payload()))
    assert startcache.read(desk.data, lambda: NOW) is None
    assert not marker.exists()


def test_a_snapshot_whose_index_is_gone_is_not_used(desk: Desk) -> None:
    import shutil

    startcache.save(desk)
    snapshot = startcache.read(desk.data, lambda: NOW)
    info = desk.active_packs()[0]
    desk.close()
    shutil.rmtree(desk.data.indexes / f"{info.pack_id}-{info.sequence}")
    assert startcache.SnapshotDesk.open(desk.data, snapshot) is None


def test_the_window_module_imports_nothing_the_first_paint_does_not_need() -> None:
    """Start-up cost is import cost: the store, the index engine, keys and YAML load later."""
    code = (
        "import sys, flowdesk.ui.app\n"
        "heavy = ('sqlalchemy', 'whoosh', 'keyring', 'cryptography', 'yaml', 'ruamel',"
        " 'pypinyin', 'jieba', 'openpyxl', 'multiprocessing')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.strip() == "[]"
