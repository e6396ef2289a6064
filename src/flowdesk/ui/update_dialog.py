"""The update dialog and what it shows: progress, then the change list with Apply / Cancel.

:func:`find_updates` is the work-thread half (check every configured source,
download and verify what is newer); :class:`UpdateDialog` only displays it.
The dialog is not modal, so an agent mid-call keeps following the flow.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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

from flowdesk.sync import PreparedUpdate, TrustStore, UpdatePlan, check_for_updates, prepare_update
from flowdesk.sync.sourcelist import SourceList, open_source


@dataclass
class FoundUpdates:
    """What one "check for updates" found: verified downloads ready to apply, and notes."""

    prepared: list[tuple[str, PreparedUpdate]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: int = 0

    def change_text(self) -> str:
        parts = []
        for _location, p in self.prepared:
            entry = p.update.entry
            before = f"#{p.update.active_sequence}" if p.update.active_sequence else "—"
            head = f"{entry.pack_id}  {before} → #{entry.sequence}"
            body = p.diff.to_text() if p.diff is not None else f"+ {entry.pack_id} (new pack)"
            warnings = "".join(f"\n  ! {_where(w)}{w.message}" for w in p.warnings)
            parts.append(f"{head}\n{body}{warnings}")
        return "\n\n".join(parts)

    def discard(self) -> None:
        """Remove the verified downloads nobody will apply."""
        for _location, p in self.prepared:
            p.path.unlink(missing_ok=True)
        self.prepared = []


def find_updates(
    desk: Any, progress: Any, cancelled: Callable[[], bool], source: str | None = None
) -> FoundUpdates:
    """Check every configured source (or just ``source``), then download and verify what is newer.

    Runs on the work thread. A desk that already has packs is offered newer
    versions of those only; a new pack id is a team lead's decision (CLI).
    Any refusal removes what was downloaded, so nothing is left half-done.
    """
    found = FoundUpdates()
    configs = [c for c in SourceList(desk.data).all() if source is None or c.name == source]
    found.sources = len(configs)
    trust = TrustStore(desk.data.keys)
    installed = bool(desk.packs())
    try:
        for config in configs:
            source = open_source(config)
            plan = check_for_updates(desk, source, only_installed=installed)
            found.notes.extend(_plan_notes(config.name, plan))
            for update in plan.updates:
                if cancelled():
                    raise InterruptedError("cancelled")
                prepared = prepare_update(desk, source, update, trust, progress, cancelled)
                found.prepared.append((source.location, prepared))
    except BaseException:
        found.discard()
        raise
    return found


def _where(problem: Any) -> str:
    """The key path of a warning, without the download's temporary file name."""
    return f"{problem.key}: " if getattr(problem, "key", "") else ""


def _plan_notes(name: str, plan: UpdatePlan) -> list[str]:
    notes = [f"{name}: {pack_id} ✓" for pack_id in plan.up_to_date]
    notes += [
        f"{name}: {pack_id} ⟲ (rolled back, newest not re-applied)" for pack_id in plan.held_back
    ]
    return notes


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
