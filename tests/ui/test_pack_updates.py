"""Pack sync from the window: check, change list, apply, 新/改 marks, refusals, rollback,
and the background check that never interrupts a call."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from flowdesk.sync.keys import PublicKey
from flowdesk.sync.publish import publish_pack
from flowdesk.sync.records import SyncHistory, changed_flows_unseen
from flowdesk.sync.sourcelist import SourceConfig, SourceList
from flowdesk.sync.trust import TrustStore
from flowdesk.ui.process_map import FLOW_ID_ROLE
from flowdesk.ui.process_map import MARK_ROLE as MAP_MARK
from flowdesk.ui.results import MARK_ROLE
from tests.sync.sync_fixtures import Publisher
from tests.ui.agent import answering

NEW_GREETING = "您好，这里是携号转网专线，请问需要办理转网吗？"


def reword_greeting(pack: dict, flows: dict) -> None:
    """Publication #2: the 携号转网 greeting reworded (改), a 余额查询 flow added (新)."""
    flows["flows/number/np.yaml"]["steps"][0]["text"] = NEW_GREETING
    flows["flows/query/balance.yaml"] = {
        "id": "balance-query",
        "title": "余额查询 yue chaxun",
        "class": "query",
        "business": "B0201",
        "steps": [
            {"id": "s1", "type": "action", "text": "查询账户余额", "required": True},
            {"id": "s2", "type": "end", "text": "再见"},
        ],
    }


@pytest.fixture
def source(tmp_path: Path, window, pack_data) -> Path:
    """A folder source named 'hq' on the window's desk, empty for now."""
    folder = tmp_path / "hq-packs 总部"
    folder.mkdir()
    SourceList(window.desk.data).add(SourceConfig("hq", str(folder)))
    return folder


@pytest.fixture
def publisher(tmp_path: Path, pack_data) -> Publisher:
    # pack_data is the window's own pack (ui_pack added 携号转网 to the same dicts)
    return Publisher(tmp_path / "publisher", pack_data)


def trust(window, publisher: Publisher) -> None:
    pub = publisher.public
    TrustStore(window.desk.data.keys).trust(PublicKey(pub.key_id, pub.name, pub.key))


def search(window, text: str) -> None:
    window.search.box.setText(text)
    window.search.controller.search_now()


def row_of(window, flow_id: str) -> int:
    model = window.search.model
    return next(r for r in range(model.rowCount()) if model.hit(r).flow_id == flow_id)


def map_marks(window) -> dict[str, str]:
    model = window.map.model
    found = {}
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            index = model.index(r, c)
            if index.data(MAP_MARK):
                found[index.data(FLOW_ID_ROLE)] = index.data(Qt.ItemDataRole.DisplayRole)
    return found


def test_check_preview_apply_marks_and_open_clears(qtbot, window, source, publisher) -> None:
    trust(window, publisher)
    publish_pack(publisher.build(2, reword_greeting), source)
    assert window.pack.sequence == 1

    dialog = window.updates.check_for_updates()
    assert not dialog.isModal()  # the agent can keep working beside it
    assert QApplication.activeModalWidget() is None
    text = dialog.changes.toPlainText()
    assert "np-out" in text and "greet" in text and NEW_GREETING in text
    assert "balance-query" in text
    assert dialog.apply_button.isEnabled()

    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert window.pack.sequence == 2
    assert "#2" in window.statusBar().currentMessage()
    assert window.updates.marks == {"np-out": "改", "balance-query": "新"}

    search(window, "携转")
    row = row_of(window, "np-out")
    assert window.search.model.index(row).data(MARK_ROLE) == "改"
    assert map_marks(window)["np-out"].startswith("【改】")

    window.search.list.setCurrentIndex(window.search.model.index(row))
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    assert window.flow.run is not None and window.flow.run.flow.id == "np-out"
    assert window.search.model.index(row).data(MARK_ROLE) is None
    assert "np-out" not in map_marks(window)
    assert changed_flows_unseen(window.desk) == {"balance-query": "新"}  # on disk too


def test_untrusted_pack_is_refused_and_nothing_changes(window, source, publisher) -> None:
    publish_pack(publisher.build(2, reword_greeting), source)  # its key is not trusted here
    before = [(p.pack_id, p.sequence, p.active) for p in window.desk.packs()]

    dialog = window.updates.check_for_updates()
    message = dialog.status.text()
    assert "没有任何改动" in message and "trust" in message.lower()
    assert not dialog.apply_button.isEnabled()
    assert [(p.pack_id, p.sequence, p.active) for p in window.desk.packs()] == before
    assert window.pack.sequence == 1
    assert list(window.desk.data.downloads.glob("*.flowpack")) == []  # nothing left behind


def test_no_source_says_how_to_add_one(window) -> None:
    dialog = window.updates.check_for_updates()
    assert "flowdesk source add" in dialog.status.text()
    assert not dialog.apply_button.isEnabled()


def test_up_to_date_offers_nothing(window, source, publisher) -> None:
    trust(window, publisher)
    publish_pack(publisher.build(1), source)  # the version this desk already has
    dialog = window.updates.check_for_updates()
    assert "最新" in dialog.status.text()
    assert "test-hotline ✓" in dialog.changes.toPlainText()
    assert not dialog.apply_button.isVisible()


def test_rollback_from_the_window_is_recorded(qtbot, window, source, publisher) -> None:
    trust(window, publisher)
    publish_pack(publisher.build(2, reword_greeting), source)
    dialog = window.updates.check_for_updates()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert window.pack.sequence == 2

    # the real confirmation, declined: nothing changes
    history = SyncHistory(window.desk).entries()
    with answering(qtbot, QMessageBox.StandardButton.No) as asked:
        window.actions_by_name["rollback_pack"].trigger()
    assert len(asked) == 1 and "#2 → #1" in asked[0]
    assert window.pack.sequence == 2
    assert SyncHistory(window.desk).entries() == history
    # accepted: back to #1, recorded
    with answering(qtbot, QMessageBox.StandardButton.Yes) as asked:
        window.actions_by_name["rollback_pack"].trigger()
    assert "#2 → #1" in asked[0]
    assert window.pack.sequence == 1
    assert "#2 → #1" in window.statusBar().currentMessage()
    last = SyncHistory(window.desk).entries()[-1]
    assert (last["action"], last["from_sequence"], last["to_sequence"]) == ("rollback", 2, 1)
    # the flow changed back is marked again; at #1, the oldest, there is nothing to ask
    assert window.updates.marks.get("np-out") == "改"
    with answering(qtbot, QMessageBox.StandardButton.Yes) as asked:
        assert window.updates.rollback_pack() is False
    assert asked == []
    assert window.pack.sequence == 1


def test_scheduled_check_raises_a_notice_not_a_dialog(qtbot, window, source, publisher) -> None:
    trust(window, publisher)
    publish_pack(publisher.build(3, reword_greeting), source)
    window.settings.sync_source = "hq"
    window.settings.sync_interval_minutes = 30
    updates = window.updates

    window.start_call("呼叫-2026-001")
    with qtbot.waitSignal(updates._scheduled, timeout=10_000):
        assert updates.start_schedule(interval_s=3600, first_delay_s=0)
    assert updates.pending is not None
    assert updates.notice.isHidden()  # on a call: it waits
    assert updates.dialog is None and QApplication.activeModalWidget() is None

    window.end_call()
    with qtbot.waitSignal(updates.notice_changed, timeout=3000) as shown:
        pass
    assert shown.args == [True]
    assert "#3" in updates.notice.text()
    assert window.pack.sequence == 1  # nothing applied by itself
    updates.notice.click()
    assert updates.dialog is not None and "np-out" in updates.dialog.changes.toPlainText()
    assert updates.notice.isHidden()
    updates.stop()


def _schedule(window, apply: str) -> None:
    window.settings.sync_source = "hq"
    window.settings.sync_interval_minutes = 30
    window.settings.sync_apply = apply


def test_scheduled_sync_applies_between_calls_by_itself(qtbot, window, source, publisher) -> None:
    """ "auto" (what ``flowdesk source schedule NAME --every N`` sets): downloaded and
    verified in the background, applied once the call ends, the changes marked 新/改."""
    trust(window, publisher)
    publish_pack(publisher.build(3, reword_greeting), source)
    other = source.parent / "分部"  # another configured source: not the scheduled one
    other.mkdir()
    publish_pack(publisher.build(4, reword_greeting, name="other.flowpack"), other)
    SourceList(window.desk.data).add(SourceConfig("分部", str(other)))
    _schedule(window, "auto")
    updates = window.updates

    window.start_call("呼叫-2026-002")
    with qtbot.waitSignal(updates._scheduled, timeout=10_000):
        assert updates.start_schedule(interval_s=3600, first_delay_s=0)
    assert window.pack.sequence == 1  # on a call: verified, waiting
    assert list(window.desk.data.downloads.glob("*.flowpack"))
    assert updates.notice.isHidden() and updates.dialog is None
    assert QApplication.activeModalWidget() is None

    with qtbot.waitSignal(updates.applied, timeout=5000) as applied:
        window.end_call()
    assert applied.args == [["test-hotline #3"]]
    assert window.pack.sequence == 3
    assert "已自动更新" in window.statusBar().currentMessage()
    assert updates.marks == {"np-out": "改", "balance-query": "新"}
    assert updates.notice.isHidden() and QApplication.activeModalWidget() is None
    assert [e["action"] for e in SyncHistory(window.desk).entries()] == ["sync"]
    search(window, "余额查询")
    assert window.search.model.hit(0).flow_id == "balance-query"
    updates.stop()


def test_a_refused_scheduled_update_is_not_applied_but_shown(qtbot, window, source, publisher):
    publish_pack(publisher.build(2, reword_greeting), source)  # its key is not trusted here
    _schedule(window, "auto")
    updates = window.updates
    with qtbot.waitSignal(updates.notice_changed, timeout=10_000) as shown:
        assert updates.start_schedule(interval_s=3600, first_delay_s=0)
    assert shown.args == [True]  # someone has to look: the notice asks
    assert window.pack.sequence == 1
    assert "自动更新被拒绝" in window.statusBar().currentMessage()
    assert "trust" in updates.check_button.toolTip().lower()
    assert list(window.desk.data.downloads.glob("*.flowpack")) == []
    updates.stop()


def test_scheduled_sync_over_https_with_a_password_in_the_keyring(
    qtbot, window, publisher, pack_server, memory_keyring
) -> None:
    """A team lead's usual setup: an HTTP(S) source behind Basic auth, the password in the
    OS keyring, applied by schedule; served by a real HTTP server on loopback."""
    trust(window, publisher)
    pack_server.auth = ("lead7", "班组口令pw")
    publish_pack(publisher.build(2, reword_greeting), pack_server.root)
    SourceList(window.desk.data).add(SourceConfig("总部", pack_server.url, "lead7"), "班组口令pw")
    window.settings.sync_source = "总部"
    window.settings.sync_interval_minutes = 60
    window.settings.sync_apply = "auto"
    updates = window.updates
    with qtbot.waitSignal(updates.applied, timeout=10_000) as applied:
        assert updates.start_schedule(interval_s=3600, first_delay_s=0)
    assert applied.args == [["test-hotline #2"]]
    assert window.pack.sequence == 2 and updates.marks["np-out"] == "改"
    assert any(path.endswith(".flowpack") for path, _range in pack_server.requests)
    updates.stop()


def test_cancel_at_the_change_list_leaves_the_desk_as_it_was(window, source, publisher) -> None:
    trust(window, publisher)
    publish_pack(publisher.build(2, reword_greeting), source)
    dialog = window.updates.check_for_updates()
    assert list(window.desk.data.downloads.glob("*.flowpack"))  # verified, waiting
    dialog.cancel_button.click()
    assert list(window.desk.data.downloads.glob("*.flowpack")) == []
    assert [p.sequence for p in window.desk.packs()] == [1]
    assert window.pack.sequence == 1 and window.updates.marks == {}


def test_an_unreachable_scheduled_source_is_told_plainly_and_checked_again(qtbot, window):
    """The scheduled check runs through the window's task runner: a failure is logged and
    named in plain words on the button, and the timer tries again at the next interval."""
    SourceList(window.desk.data).add(SourceConfig("总部", "http://127.0.0.1:9/packs/"))
    _schedule(window, "ask")
    window.settings.sync_source = "总部"
    updates = window.updates
    outcomes: list[object] = []
    updates._scheduled.connect(outcomes.append)
    with qtbot.waitSignal(updates._scheduled, timeout=10_000):
        assert updates.start_schedule(interval_s=0.05, first_delay_s=0)
    tip = updates.check_button.toolTip()
    assert "后台检查更新失败" in tip and "cannot reach" in tip
    assert "Refused" not in tip and "Error" not in tip  # never an exception class name
    qtbot.waitUntil(lambda: len(outcomes) >= 2, timeout=10_000)  # checked again by the timer
    updates.stop()
    count = len(outcomes)
    qtbot.wait(200)
    assert len(outcomes) == count  # stopped: no more checks
    assert updates.notice.isHidden() and window.pack.sequence == 1
