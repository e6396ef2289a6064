"""A pending version in the window: shown in the call bar, applied between calls only."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from tests.builders import read_pack, write_pack
from tests.rollout.versions_fixtures import CST, Clock

NEW_GREETING = "您好！12月1日起携号转网免收手续费，请问需要办理吗？"


def pending_version(tmp_path: Path, ui_pack: Path, effective: str) -> Path:
    pack, flows = read_pack(ui_pack)
    pack.update(sequence=2, version="2026.12 第2版", effective=effective)
    for body in flows.values():
        if body["id"] == "np-out":
            body["steps"][0]["text"] = NEW_GREETING
    return write_pack(tmp_path / "v2", pack, flows)


@pytest.fixture
def beijing(monkeypatch: pytest.MonkeyPatch):
    """The desk's local zone is Beijing time, as on the hotline's floor."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.mark.usefixtures("beijing")
def test_pending_version_waits_for_the_end_of_the_call(qtbot, window, tmp_path, ui_pack) -> None:
    clock = Clock(dt.datetime(2026, 11, 30, 23, 59, 0, tzinfo=CST))
    window.desk.now = clock
    window.desk.import_pack(pending_version(tmp_path, ui_pack, "2026-12-01T00:00:00+08:00"))
    window.versions.check()
    label = window.versions.label
    assert label.isVisible() and "#2" in label.text() and "12-01 00:00" in label.text()
    assert window.pack.sequence == 1

    window.start_call("8f3a-跨夜通话")
    window.open_flow_id("np-out")
    assert window.flow.text.text() != NEW_GREETING
    clock.move_to(dt.datetime(2026, 12, 1, 0, 0, 5, tzinfo=CST))  # midnight passes mid-call
    window.versions.check()
    assert window.pack.sequence == 1
    assert [p.sequence for p in window.desk.active_packs()] == [1]
    assert window.desk.search("携号转网")[0].flow_id == "np-out"

    with qtbot.waitSignal(window.versions.activated, timeout=5000) as blocker:
        window.end_call()
    assert blocker.args == [["test-hotline #2"]]
    assert window.pack.sequence == 2
    assert window.updates.marks == {"np-out": "改"}
    assert label.isHidden()
    assert "已生效" in window.statusBar().currentMessage()
    run = window.open_flow_id("np-out")
    assert run.ref.pack_sequence == 2 and window.flow.text.text() == NEW_GREETING


def test_idle_window_applies_a_due_version_by_itself(qtbot, window, tmp_path, ui_pack) -> None:
    clock = Clock(dt.datetime(2026, 11, 30, 23, 0, tzinfo=CST))
    window.desk.now = clock
    window.desk.import_pack(pending_version(tmp_path, ui_pack, "2026-12-01"))
    clock.move_to(dt.datetime(2026, 12, 2, tzinfo=CST))
    with qtbot.waitSignal(window.versions.activated, timeout=15000):
        pass  # the window's own timer
    assert window.pack.sequence == 2


def test_the_window_records_its_desk_status_at_start_and_after_a_change(
    qtbot, window, tmp_path, ui_pack
) -> None:
    from flowdesk.usage.rows import read_events
    from flowdesk.usage.schema import sqlite_engine

    def statuses() -> list[tuple[int, str]]:
        engine = sqlite_engine(window.desk.data.usage)
        try:
            with engine.connect() as conn:
                found = [e for e in read_events(conn) if e.type == "desk_status"]
        finally:
            engine.dispose()
        return [(e.pack_sequence, e.state) for e in found]

    qtbot.waitUntil(lambda: statuses() == [(1, "active")], timeout=5000)
    clock = Clock(dt.datetime(2026, 11, 30, 12, 0, tzinfo=CST))
    window.desk.now = clock
    window.desk.import_pack(pending_version(tmp_path, ui_pack, "2026-12-01"))
    with qtbot.waitSignal(window.versions.status_sent, timeout=5000):
        window.load_pack()
    assert statuses()[-2:] == [(2, "pending"), (1, "active")]
