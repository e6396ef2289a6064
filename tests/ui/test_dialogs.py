"""The small dialogs, answered by keyboard: 'this script is wrong' and the first start's name."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QProgressDialog

from flowdesk.settings import Settings
from flowdesk.ui.tasks import TaskRunner
from tests.ui.agent import answer_next_dialog, commit, type_text


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


def test_reindexing_runs_behind_progress_and_search_still_answers(
    qtbot, window, desk, monkeypatch
) -> None:
    """The rebuild runs on a real work thread. Held there half-way, behind its progress
    dialog, the agent's search answers from the index in place; then the new one serves."""
    index_dir = desk.data.indexes / "test-hotline-1"
    before = index_dir.stat().st_mtime_ns
    building, release = threading.Event(), threading.Event()
    rebuild = desk.reindex

    def held(pack_id, sequence, progress=None, cancel=None) -> None:
        def report(stage: str, done: int, total: int) -> None:
            if not building.is_set():  # the first report: the build has begun; wait here
                building.set()
                release.wait(10)
            if progress is not None:
                progress(stage, done, total)

        rebuild(pack_id, sequence, progress=report, cancel=cancel)

    monkeypatch.setattr(desk, "reindex", held)
    window.work_runner = TaskRunner(1, parent=window)  # a thread pool, as the product runs
    try:
        window.reindex()
        assert building.wait(10)
        qtbot.waitUntil(lambda: _progress_shown(window), timeout=5000)
        assert QApplication.activeModalWidget() is None  # the agent can reach the box
        type_text(qtbot, window.search.box, "携转")
        qtbot.waitUntil(lambda: window.search.model.rowCount() >= 1, timeout=5000)
        assert window.search.model.hit(0).flow_id == "np-out"
        assert window.work_runner.busy  # the search answered while the rebuild went on
        assert index_dir.stat().st_mtime_ns == before
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.work_runner.busy, timeout=20_000)
    assert index_dir.stat().st_mtime_ns != before  # rebuilt
    assert "搜索索引已重建" in window.statusBar().currentMessage()
    assert [h.flow_id for h in desk.search("携转")][:1] == ["np-out"]


def _progress_shown(window) -> bool:
    dialog = window.findChild(QProgressDialog)
    return dialog is not None and dialog.isVisible()
