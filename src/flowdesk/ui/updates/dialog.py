"""The update dialog and what it shows: progress, then the change list with Apply / Cancel.

The work-thread half (check every configured source, download and verify what
is newer) is :func:`flowdesk.services.updates.find_updates`; this module only
displays it. The dialog is not modal, so an agent mid-call keeps following the flow.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowdesk.problems import Problem

if TYPE_CHECKING:  # the sync service loads on the first check, not with the window
    from flowdesk.services.updates import FoundUpdates


def change_text(found: FoundUpdates) -> str:
    """The change list: per update, the version step, what changed and any warning."""
    parts = []
    for _location, p in found.prepared:
        entry = p.update.entry
        before = f"#{p.update.active_sequence}" if p.update.active_sequence else "—"
        head = f"{entry.pack_id}  {before} → #{entry.sequence}"
        body = p.diff.to_text() if p.diff is not None else f"+ {entry.pack_id} (new pack)"
        warnings = "".join(f"\n  ! {_where(w)}{w.message}" for w in p.warnings)
        parts.append(f"{head}\n{body}{warnings}")
    return "\n\n".join(parts)


def _where(problem: Problem) -> str:
    """The key path of a warning, without the download's temporary file name."""
    return f"{problem.key}: " if problem.key else ""


class UpdateDialog(QDialog):
    """Progress, then the change list with Apply / Cancel. Not modal: the call goes on."""

    apply_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("updateDialog")
        self.setWindowTitle(self.tr("检查更新"))
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(640, 460)
        self.cancelled = threading.Event()
        self.status = QLabel(self.tr("正在检查更新来源…"))
        self.status.setObjectName("updateStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.changes = QPlainTextEdit()
        self.changes.setObjectName("changeList")
        self.changes.setReadOnly(True)
        self.changes.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        self.changes.setFont(mono)
        self.changes.hide()
        self.buttons = QDialogButtonBox()
        self.apply_button = QPushButton(self.tr("应用更新"))
        self.apply_button.setObjectName("applyUpdate")
        self.apply_button.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.clicked.connect(self._apply)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.changes, 1)
        layout.addWidget(self.buttons)

    def show_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.show()
        self.progress.setRange(0, max(total, 1) if total > 0 else 0)
        if total > 0:
            self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{stage}  %p%")
        self.status.setText(self.tr("正在下载并校验…") + f"\n{stage}")

    def show_changes(self, summary: str, text: str, can_apply: bool) -> None:
        self.progress.hide()
        self.status.setText(summary)
        self.changes.setPlainText(text)
        self.changes.setVisible(bool(text))
        self.apply_button.setEnabled(can_apply)
        self.apply_button.setVisible(can_apply)
        self.cancel_button.setText(self.tr("取消") if can_apply else self.tr("关闭"))
        (self.apply_button if can_apply else self.cancel_button).setFocus()

    def show_refused(self, message: str) -> None:
        """A refusal (untrusted, bad hash, network): say why; nothing was changed."""
        self.progress.hide()
        self.status.setProperty("refused", True)
        self.status.setStyleSheet("color: #842029;")
        self.status.setText(self.tr("未更新，本机流程包没有任何改动。原因：") + "\n" + message)
        self.apply_button.setEnabled(False)
        self.apply_button.hide()
        self.cancel_button.setText(self.tr("关闭"))

    def _apply(self) -> None:
        self.apply_button.setEnabled(False)
        self.status.setText(self.tr("正在导入更新…"))
        self.progress.setRange(0, 0)
        self.progress.show()
        self.apply_requested.emit()

    def reject(self) -> None:
        self.cancelled.set()
        super().reject()
