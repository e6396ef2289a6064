"""Pack updates in the window: check, change list, apply, roll back, the schedule, 新/改 marks.

The Qt-free work is the sync service (:mod:`flowdesk.services.updates`); this
package only runs it off the UI thread and shows what it reports:

* :mod:`~flowdesk.ui.updates.marks`: the 新/改 marks of changed flows;
* :mod:`~flowdesk.ui.updates.manual`: 检查更新, the change list, apply, 回退;
* :mod:`~flowdesk.ui.updates.scheduled`: the background check and applying
  between calls, never during one;
* :mod:`~flowdesk.ui.updates.dialog`: the (non-modal) update dialog.

:class:`UpdateController` puts them into the window: its call-bar buttons,
its actions, the state the manual and the scheduled update share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QToolButton

from flowdesk.ui.tasks import TaskRunner
from flowdesk.ui.updates.manual import ROLLBACK_REASON, ManualUpdate
from flowdesk.ui.updates.marks import UpdateMarks
from flowdesk.ui.updates.scheduled import FIRST_SCHEDULED_CHECK_S, ScheduledUpdate

if TYPE_CHECKING:
    from flowdesk.ui.main_window import MainWindow

__all__ = ["FIRST_SCHEDULED_CHECK_S", "ROLLBACK_REASON", "UpdateController"]


class UpdateController(QObject, ManualUpdate, ScheduledUpdate):
    """Wires pack updates into a :class:`flowdesk.ui.main_window.MainWindow`.

    Holds the 新/改 marks (``marks``: flow id -> mark) the search results and
    the process map show, and the optional background check.
    """

    # A scheduled check's outcome (an ``UpdatePlan`` or the exception).
    _scheduled = Signal(object)
    # The notice in the call bar appeared or went (tests wait for it).
    notice_changed = Signal(bool)
    # Updates went in ("pack #seq" each), from the dialog or by schedule.
    applied = Signal(list)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.change_marks = UpdateMarks(window)
        self.dialog = None
        self.pending = None
        self.last_error = None
        self._schedule = None
        self._auto_preparing = False
        self._auto_found = None
        self.confirm: Callable[[str, str], bool] = self._ask
        # the scheduled check waits on the network: a runner of its own, so imports never wait
        work = window.work_runner
        self.check_runner = TaskRunner(1, synchronous=work.synchronous, parent=self)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._timer = QTimer(self)
        for timer in (self._first, self._timer):
            timer.timeout.connect(self._run_scheduled)

        self.check_button = QToolButton()
        self.check_button.setObjectName("checkUpdates")
        self.check_button.setText(self.tr("检查更新"))
        self.check_button.setToolTip(self.tr("检查更新 Ctrl+U · 回退流程包 Ctrl+Shift+U"))
        self.notice = QToolButton()
        self.notice.setObjectName("updateNotice")
        self.notice.setStyleSheet("QToolButton { background: #fff3cd; color: #664d03; }")
        self.notice.hide()
        for b in (self.check_button, self.notice):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            window.call_bar.layout().addWidget(b)
        self.check_button.clicked.connect(self.check_for_updates)
        self.notice.clicked.connect(self.check_for_updates)
        window.actions_by_name["check_updates"].triggered.connect(self.check_for_updates)
        window.actions_by_name["rollback_pack"].triggered.connect(self.rollback_pack)
        self._scheduled.connect(self._on_scheduled)
        self._idle = QTimer(self)
        self._idle.setInterval(1000)
        self._idle.timeout.connect(self._refresh_notice)
        self._idle.start()

    def _found_summary(self, n: int) -> str:
        """The change list's heading (here, where lupdate finds its plural forms)."""
        return self.tr("有 %n 个流程包更新，已下载并校验签名。请查看改动后应用：", "", n)

    # -- 新/改 marks (flowdesk.ui.updates.marks) --------------------------------

    @property
    def marks(self) -> dict[str, str]:
        return self.change_marks.marks

    def pack_changed(self) -> None:
        self.change_marks.pack_changed()

    def set_marks(self, marks: dict[str, str]) -> None:
        self.change_marks.set(marks)

    def flow_opened(self, flow_id: str) -> None:
        self.change_marks.flow_opened(flow_id)
