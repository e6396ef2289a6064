"""'This script is wrong': the agent's note on the flow and step they are on.

Written with one hand mid-call: type, Ctrl+Enter sends, Esc cancels, Tab
leaves the text box (it never types a tab).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout


class FeedbackDialog(QDialog):
    def __init__(self, where: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("反馈：话术有误"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("feedbackText")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(self.tr("哪里不对？应该怎么说？"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("提交 Ctrl+Enter"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.text.installEventFilter(self)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("会连同当前流程和步骤一起提交给流程管理员：") + where)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(480, 240)
        self.text.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Enter in the text box sends (handled here, so it works in any window state)."""
        if (
            watched is self.text
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def feedback(self) -> str:
        return self.text.toPlainText().strip()
