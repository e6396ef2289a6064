"""The 新/改 marks: which flows changed in the last update and are not yet opened here.

The search results and the process map show them; opening a flow clears its
mark, here at once and on disk on the work thread. The marks are a hint:
failing to read or write them is logged and never disturbs the agent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from flowdesk.ui.errors import log_error

if TYPE_CHECKING:
    from flowdesk.ui.main_window import MainWindow


class UpdateMarks(QObject):
    """Flow id -> 新 / 改 for the window's pack, kept in step with the data folder."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.marks: dict[str, str] = {}

    def pack_changed(self) -> None:
        """The window shows another pack: re-apply known marks, then reload them off-thread."""
        self._push()
        desk = self.window.desk

        def read() -> dict[str, str]:
            from flowdesk.sync import changed_flows_unseen  # off the start path (the store)

            return changed_flows_unseen(desk)

        self.window.work_runner.run(read, self.set, _log)

    def set(self, marks: dict[str, str]) -> None:
        self.marks = dict(marks)
        self._push()

    def flow_opened(self, flow_id: str) -> None:
        """The agent opened a flow: its mark goes, here and (on the work thread) on disk."""
        if self.marks.pop(flow_id, None) is None:
            return
        self._push()
        desk = self.window.desk

        def write() -> None:
            from flowdesk.sync import mark_flow_seen

            mark_flow_seen(desk, flow_id)

        self.window.work_runner.run(write, None, _log)

    def _push(self) -> None:
        self.window.search.model.set_marks(self.marks)
        self.window.map.set_marks(self.marks)


def _log(exc: BaseException) -> None:
    """Marks are a hint: a failure goes to the log, never to the agent."""
    log_error(exc, "新/改 marks")
