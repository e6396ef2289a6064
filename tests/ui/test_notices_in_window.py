"""Must-read changes in the window: shown at shift start and at a changed flow, confirmed,
never blocking a flow; then the acknowledgements report over the same events."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from flowdesk.reports.acknowledgements import acknowledgements_report
from flowdesk.rollout.notices import installed_notices
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates
from flowdesk.usage.schema import sqlite_engine
from tests.builders import read_pack, write_pack

NEW_GREETING = "您好！自12月1日起携号转网免收手续费，请问需要办理吗？"
NOTE = "携号转网手续费取消，开场话术已改"


def must_read_version(tmp_path: Path, ui_pack: Path) -> Path:
    """#2: 携号转网's greeting reworded and marked must-read; 话费查询 unchanged."""
    pack, flows = read_pack(ui_pack)
    pack.update(sequence=2, version="2026.12 第2版")
    for body in flows.values():
        if body["id"] == "np-out":
            body["steps"][0]["text"] = NEW_GREETING
            body["must_read"] = NOTE
        elif body["id"] == "bill-query":
            body["must_read"] = "未改动的流程不算必读"  # unchanged: no notice
    return write_pack(tmp_path / "v2", pack, flows)


def test_notice_at_shift_start_old_beside_new_and_confirmed(
    qtbot, window, events, tmp_path, ui_pack
):
    window.desk.import_pack(must_read_version(tmp_path, ui_pack))
    with qtbot.waitSignal(window.notices.loaded, timeout=5000) as loaded:
        window.load_pack()
    assert loaded.args == [1]
    dialog = window.notices.dialog
    assert dialog.isVisible() and not dialog.isModal()
    assert NOTE in dialog.note.text() and "携号转网受理" in dialog.note.text()
    assert "您好，请问您是要办理携号转网吗？" in dialog.old.toPlainText()
    assert NEW_GREETING in dialog.new.toPlainText()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    acks = [e for e in events if e.type == "notice_ack"]
    assert [(e.pack_id, e.pack_sequence, e.flow_id, e.agent_id) for e in acks] == [
        ("test-hotline", 2, "np-out", "A1001")
    ]
    assert not dialog.isVisible()
    window.open_flow_id("np-out")
    assert not dialog.isVisible()  # confirmed: not shown again


def test_a_changed_flow_runs_before_its_notice_is_confirmed_and_the_report_says_so(
    qtbot, window, events, tmp_path, ui_pack
):
    window.desk.import_pack(must_read_version(tmp_path, ui_pack))
    with qtbot.waitSignal(window.notices.loaded, timeout=5000):
        window.load_pack()
    dialog = window.notices.dialog
    dialog.close()  # 稍后: the agent takes a call first
    window.start_call("c-携转-1")
    run = window.open_flow_id("np-out")
    assert run is not None and window.flow.text.text() == NEW_GREETING  # the flow runs
    assert dialog.isVisible() and dialog.current().flow_id == "np-out"
    assert window.session.current is run
    # during a call the notice appears without taking the keyboard: Space still does the step
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    qtbot.keyClick(window.flow, Qt.Key.Key_Space)
    done = [e for e in events if e.type == "step_done"]
    assert [(e.flow_id, e.step_id) for e in done] == [("np-out", "greet")], done
    window.end_call()
    dialog.confirm_current()

    engine = sqlite_engine(tmp_path / "qa-usage.sqlite3")
    try:
        with engine.begin() as conn:
            insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
        notices, _since = installed_notices(window.desk)
        report = acknowledgements_report(engine, notices, None)
    finally:
        engine.dispose()
    [row] = report.rows
    assert (row["agent_id"], row["team"], row["flow_id"]) == ("A1001", "话务一组", "np-out")
    assert row["confirmed"] and row["runs_before_confirm"] == 1 and row["status"] == "ran_first"
    assert report.summary["teams"] == {"话务一组": "1/1"}
