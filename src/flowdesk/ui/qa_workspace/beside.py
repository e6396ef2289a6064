"""The agent's window opens the QA workspace on its own desk (质检工作台, Ctrl+Shift+Q).

One workspace per agent window: a second press brings it forward. It asks its
questions on its own runner, so a long month never queues behind the agent's
searches or imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowdesk.ui.main_window import MainWindow
    from flowdesk.ui.qa_workspace.window import QaWorkspace


def open_beside(window: MainWindow) -> QaWorkspace:
    """The workspace of ``window``'s desk, opened (or brought forward) beside it."""
    from flowdesk.ui.qa_workspace import workspace_for_desk

    workspace: QaWorkspace | None = getattr(window, "qa_workspace", None)
    if workspace is None or not workspace.isVisible():
        workspace = workspace_for_desk(window.desk)
        window.qa_workspace = workspace  # type: ignore[attr-defined]
        workspace.showMaximized()
    workspace.raise_()
    workspace.activateWindow()
    return workspace
