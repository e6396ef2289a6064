"""The small dialogs, answered by keyboard: 'this script is wrong' and the first start's name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from flowdesk.settings import Settings


def commit(widget, text: str) -> None:
    """Type Chinese through the input method, as an agent's IME does."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def answer_next_dialog(qtbot, fill) -> list[str]:
    """Once the next modal dialog is up, let ``fill`` type into it; returns what went wrong."""
    problems: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        try:
            dialog.activateWindow()  # as the window manager does for a new dialog
            qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
            fill(dialog)
        except Exception as exc:  # surfaced by the test, never swallowed
            problems.append(repr(exc))
            dialog.close()

    QTimer.singleShot(0, run)
    return problems


def test_feedback_on_the_current_step(qtbot, window, events) -> None:
    window.open_flow_id("np-out")
    qtbot.keyClick(window.flow, Qt.Key.Key_Space)

    def fill(dialog) -> None:
        editor = dialog.findChild(QPlainTextEdit, "feedbackText")
        commit(editor, "核实步骤缺少代办人证件说明")
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    problems = answer_next_dialog(qtbot, fill)
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert problems == []
    feedback = events[-1]
    assert feedback.type == "feedback"
    assert (feedback.flow_id, feedback.step_id) == ("np-out", "verify")
    assert feedback.text == "核实步骤缺少代办人证件说明"


def test_first_start_asks_for_agent_id_and_team(qtbot, tmp_path: Path, desk) -> None:
    from flowdesk.ui.app import build_desktop, start

    root = desk.data.root
    desk.close()
    desktop = build_desktop(root, synchronous=True, listen=False, ask_agent=True)
    qtbot.addWidget(desktop.window)

    def fill(dialog) -> None:
        agent = dialog.findChild(QLineEdit, "agentId")
        team = dialog.findChild(QLineEdit, "team")
        qtbot.keyClicks(agent, "A2046")
        commit(team, "话务三组")
        qtbot.keyClick(team, Qt.Key.Key_Return)

    try:
        problems = answer_next_dialog(qtbot, fill)
        start(desktop)
        qtbot.waitUntil(lambda: desktop.settings.agent_id == "A2046", timeout=10_000)
        assert problems == []
        saved = Settings.load(root / "settings.json")
        assert (saved.agent_id, saved.team) == ("A2046", "话务三组")
        assert (desktop.session.agent_id, desktop.session.team) == ("A2046", "话务三组")
    finally:
        desktop.close()


def test_shift_f2_starts_a_call_with_a_typed_call_id(qtbot, window, events) -> None:
    def fill(dialog) -> None:
        box = dialog.findChild(QLineEdit)
        qtbot.keyClicks(box, "CALL-2026-0042")
        qtbot.keyClick(box, Qt.Key.Key_Return)

    problems = answer_next_dialog(qtbot, fill)
    qtbot.keyClick(window, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    assert problems == []
    assert window.session.call_id == "CALL-2026-0042"
    assert (events[-1].type, events[-1].call_id) == ("call_start", "CALL-2026-0042")


def test_reindexing_runs_behind_progress_and_search_still_answers(qtbot, window, desk) -> None:
    index_dir = desk.data.indexes / "test-hotline-1"
    before = index_dir.stat().st_mtime_ns
    window.reindex()
    assert index_dir.stat().st_mtime_ns != before  # rebuilt
    assert "搜索索引已重建" in window.statusBar().currentMessage()
    assert [h.flow_id for h in desk.search("携转")][:1] == ["np-out"]
