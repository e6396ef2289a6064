"""The agent's window opens the QA workspace on its own desk (质检工作台, Ctrl+Shift+Q)."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_ctrl_shift_q_opens_the_workspace_once(qtbot, window) -> None:
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Q, ctrl_shift)
    workspace = window.qa_workspace
    qtbot.addWidget(workspace)
    try:
        assert workspace.isVisible()
        assert "质检工作台" in workspace.windowTitle()
        qtbot.waitUntil(lambda: workspace.queries is not None and not workspace.asker.waiting)
        assert workspace.overview.cards["runs"].value.text() == "0"  # a desk with no calls yet
        assert workspace.layout_file == window.desk.data.qa_layout
        qtbot.keyClick(window, Qt.Key.Key_Q, ctrl_shift)
        assert window.qa_workspace is workspace  # brought forward, not opened twice
    finally:
        workspace.close()
        workspace.runner.wait()
        if workspace.queries is not None:
            workspace.queries.engine.dispose()
