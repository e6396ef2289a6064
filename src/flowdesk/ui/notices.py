"""Must-read changes in the window: old beside new, confirmed one by one, never in the way.

At the start of a shift (the window's first pack) and whenever a new version
takes effect, the open notices (:mod:`flowdesk.rollout.notices`) appear in a
non-modal dialog; opening a changed flow whose notice is still open brings it
forward at that flow. The flow opens and runs regardless: during a call the
dialog appears without taking the keyboard, so the agent's keys still go to
the flow. Each confirmation is a ``notice_ack`` event in the usage log.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # the rollout package reads packs (YAML): imported when notices are read
    from flowdesk.rollout.notices import Notice
    from flowdesk.ui.main_window import MainWindow


def side_by_side(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, str]:
    """The two texts as HTML, lines that differ highlighted (new flows: the old side says so)."""

    def lines(texts: tuple[str, ...], other: tuple[str, ...], colour: str) -> str:
        out = []
        for number, text in enumerate(texts, 1):
            changed = number > len(other) or other[number - 1] != text
            style = f' style="background:{colour}"' if changed else ""
            out.append(f"<p{style}>{number}. {html.escape(text)}</p>")
        return "".join(out)

    before = lines(old, new, "#f8d7da") if old else "<p><i>（新流程）</i></p>"
    return before, lines(new, old, "#d1e7dd")


class NoticeDialog(QDialog):
    """The open must-read changes: a list, and the chosen one's text before and after."""

    confirmed = Signal(object)  # the Notice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeDialog")
        self.setWindowTitle(self.tr("必读变更"))
        self.setModal(False)
        self.notices: list[Notice] = []
        self.list = QListWidget()
        self.list.setObjectName("noticeList")
        self.note = QLabel()
        self.note.setObjectName("noticeNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel { font-weight: bold; color: #842029; }")
        self.old = QTextBrowser()
        self.old.setObjectName("noticeOld")
        self.new = QTextBrowser()
        self.new.setObjectName("noticeNew")
        texts = QHBoxLayout()
        for label, view in ((self.tr("原来"), self.old), (self.tr("现在"), self.new)):
            column = QVBoxLayout()
            column.addWidget(QLabel(label))
            column.addWidget(view, 1)
            texts.addLayout(column, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.note)
        right_layout.addLayout(texts, 1)
        self.confirm_button = QPushButton(self.tr("已阅读，确认 (Ctrl+Enter)"))
        self.confirm_button.setObjectName("confirmNotice")
        self.later_button = QPushButton(self.tr("稍后"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.confirm_button)
        right_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setSizes([260, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.resize(1040, 520)
        self.list.currentRowChanged.connect(self._show)
        self.confirm_button.clicked.connect(self.confirm_current)
        self.later_button.clicked.connect(self.close)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.confirm_current)

    def set_notices(self, notices: list[Notice], focus: tuple | None = None) -> None:
        self.notices = list(notices)
        self.list.clear()
        for n in self.notices:
            self.list.addItem(f"{n.title or self.tr('整个流程包')} · {n.note}")
        row = next((i for i, n in enumerate(self.notices) if n.key == focus), 0)
        self.list.setCurrentRow(row if self.notices else -1)

    def current(self) -> Notice | None:
        row = self.list.currentRow()
        return self.notices[row] if 0 <= row < len(self.notices) else None

    def confirm_current(self) -> None:
        notice = self.current()
        if notice is None:
            return
        row = self.list.currentRow()
        del self.notices[row]
        self.list.takeItem(row)
        self.confirmed.emit(notice)
        if not self.notices:
            self.close()

    def _show(self, row: int) -> None:
        notice = self.notices[row] if 0 <= row < len(self.notices) else None
        if notice is None:
            self.note.clear()
            self.old.clear()
            self.new.clear()
            return
        where = f"{notice.pack_id} #{notice.sequence}"
        self.note.setText(f"{notice.title or self.tr('整个流程包')}（{where}）：{notice.note}")
        before, after = side_by_side(notice.old, notice.new)
        self.old.setHtml(before)
        self.new.setHtml(after)


class NoticeController(QObject):
    """Loads the agent's open notices off the UI thread and shows them at the right moments."""

    #: The open notices were (re)loaded (their number).
    loaded = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.open: list[Notice] = []
        self._acked: set[tuple] = set()  # this session's confirmations, not yet in the log
        self.dialog = NoticeDialog(window)
        self.dialog.confirmed.connect(self._confirm)
        window.pack_loaded.connect(self.reload)

    def reload(self) -> None:
        """Read the open notices of the active versions; show them if there are any."""
        desk, agent = self.window.desk, self.window.session.agent_id

        def work() -> list[Notice]:
            # imported here, on the work thread: the usage store and the rollout package
            # are SQLAlchemy and YAML, which the window's start does not wait for
            from flowdesk.rollout.notices import open_notices
            from flowdesk.services.qa import usage_store

            with usage_store(desk.data) as engine:
                return open_notices(desk, engine, agent)

        # a notice that cannot be read now is read at the next call: logged, not shown
        self.window.work_runner.run(work, self._loaded, _log_failure)

    def _loaded(self, notices: list[Notice]) -> None:
        fresh = [n for n in notices if n.key not in self._acked]
        new_keys = {n.key for n in fresh} - {n.key for n in self.open}
        self.open = fresh
        self.loaded.emit(len(fresh))
        if new_keys:
            self.show()

    def show(self, focus: tuple | None = None) -> None:
        self.dialog.set_notices(self.open, focus)
        in_call = self.window.session.in_call
        # during a call the dialog must not take the agent's keys from the flow
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, in_call)
        self.dialog.show()
        if not in_call:
            self.dialog.raise_()
            self.dialog.activateWindow()

    def flow_opened(self, pack_id: str, sequence: int, flow_id: str) -> None:
        """A flow was opened (it runs regardless): bring its open notice forward."""
        key = (pack_id, sequence, flow_id)
        if any(n.key == key for n in self.open):
            self.show(focus=key)
            self.window.statusBar().showMessage(self.tr("此流程有必读变更，请阅读并确认"), 8000)

    def _confirm(self, notice: Notice) -> None:
        self._acked.add(notice.key)
        self.open = [n for n in self.open if n.key != notice.key]
        self.window.session.record("notice_ack", **notice.ack_fields())
        if not self.open:
            self.window.statusBar().showMessage(self.tr("必读变更已全部确认"), 5000)


def _log_failure(exc: BaseException) -> None:
    from flowdesk.ui.errors import log_error

    log_error(exc, "notices")
