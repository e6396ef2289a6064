"""The agent window's small dialogs, one function each: a call id to start with, feedback
on the step at hand, the settings, the shortcut table.

Each takes the window it belongs to and gives focus back to where the agent
was. Their words keep the window's translation context ("MainWindow"), spelt
out in each call so ``pyside6-lupdate`` finds them. The
feedback and settings dialogs are imported when first asked for, not at start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from flowdesk.ui.actions import shortcut_table

if TYPE_CHECKING:
    from flowdesk.ui.main_window import MainWindow


def ask_call_id(window: MainWindow) -> None:
    """Start a call with the telephony system's call id, typed or pasted."""
    call_id, ok = QInputDialog.getText(
        window,
        QCoreApplication.translate("MainWindow", "开始通话"),
        QCoreApplication.translate("MainWindow", "呼叫编号（可留空）："),
    )
    if ok:
        window.start_call(call_id.strip() or None)
    window.focus_search()


def ask_feedback(window: MainWindow) -> None:
    """'This script is wrong': recorded with the open run and its step, if any."""
    from flowdesk.ui.feedback import FeedbackDialog

    shown = window.flow.run
    run = shown if shown is not None and shown.is_open else None
    where = "—"
    if run is not None:
        where = f"{run.flow.title}（{run.flow.id}）" + (f" · {run.current}" if run.current else "")
    dialog = FeedbackDialog(where, window)
    if dialog.exec() and dialog.feedback():
        window.session.feedback(run, dialog.feedback())
        window.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "反馈已记录，谢谢"), 5000
        )
    window.flow.setFocus()


def edit_settings(window: MainWindow) -> None:
    """The settings dialog; a new language rebuilds the window (``on_language``)."""
    from flowdesk.ui.settings_dialog import SettingsDialog

    settings, session = window.settings, window.session
    dialog = SettingsDialog(settings, window.pack, parent=window)
    language = settings.language
    if dialog.exec():
        dialog.apply()
        session.agent_id = settings.agent_id or session.agent_id
        session.team = settings.team or session.team
        window.save_settings()
        if settings.language != language and window.on_language is not None:
            window.on_language(settings.language)


def show_shortcuts(window: MainWindow) -> None:
    """Every key of the window in one table (F1)."""
    rows = "".join(
        f"<tr><td style='padding-right:16px'><b>{k}</b></td><td>{t}</td></tr>"
        for k, t in shortcut_table()
    )
    box = QMessageBox(window)
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "快捷键"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(f"<table>{rows}</table>")
    box.exec()
