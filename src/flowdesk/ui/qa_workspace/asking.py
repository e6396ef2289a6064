"""Questions to the usage store, asked off the UI thread with a busy bar and a cancel button.

Every query of the workspace goes through :class:`Asker`: it runs on the
window's :class:`~flowdesk.ui.tasks.TaskRunner`, shows the busy bar and the
cancel button while it runs, and drops an answer that comes after the
question was cancelled or replaced (the database cannot be interrupted
mid-statement on every engine; the window never waits for it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from flowdesk.ui.errors import log_error, plain_message
from flowdesk.ui.tasks import TaskRunner


class Asker(QObject):
    """One question at a time per purpose; a newer question replaces an older one."""

    answered = Signal(str, float)  # what, seconds
    failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        progress: QProgressBar,
        cancel: QPushButton,
        status: QLabel,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.progress = progress
        self.cancel_button = cancel
        self.status = status
        self._current: dict[str, int] = {}
        #: What the status line says once every answer is in (the window sets it).
        self.idle_text = ""
        self._serial = 0
        cancel.clicked.connect(self.cancel)
        self._busy()

    @property
    def waiting(self) -> bool:
        return bool(self._current)

    def ask(self, what: str, question: Callable[[], Any], answer: Callable[[Any], None]) -> None:
        """Run ``question()`` off the UI thread; ``answer(result)`` on it unless cancelled."""
        self._serial += 1
        serial = self._current[what] = self._serial
        started = time.perf_counter()
        self.status.setText(self.tr("查询中…"))
        self._busy()

        def done(result: Any) -> None:
            if self._current.get(what) != serial:
                return
            del self._current[what]
            self._busy()
            answer(result)
            if not self._current:
                self.status.setText(self.idle_text)
            self.answered.emit(what, time.perf_counter() - started)

        def failed(exc: BaseException) -> None:
            if self._current.get(what) != serial:
                return
            del self._current[what]
            self._busy()
            log_error(exc, f"QA workspace: {what}")
            message = plain_message(exc)
            self.status.setText(self.tr("查询失败：{0}").format(message))
            self.failed.emit(message)

        self.runner.run(question, on_done=done, on_error=failed)

    def cancel(self) -> None:
        """Stop waiting: answers still to come are dropped."""
        self._current.clear()
        self._busy()
        self.status.setText(self.tr("已取消"))

    def _busy(self) -> None:
        busy = bool(self._current)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
