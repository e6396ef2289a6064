"""The agent's hands in the window tests: typing as an input method does, answering dialogs.

Chinese goes in through the input method (a committed string), Latin letters as
key presses; a dialog the window opens is answered from inside its own event
loop, as the agent answers it while the window waits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


def commit(widget: QWidget, text: str) -> None:
    """Type Chinese through the input method, as an agent's IME does."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type as an agent does: Latin letters as key presses, Chinese through the input method."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            commit(widget, ch)


def answer_next_dialog(qtbot, fill: Callable[[QWidget], None]) -> list[str]:
    """Once the next modal dialog is up, let ``fill`` type into it; returns what went wrong."""
    problems: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        try:
            dialog.activateWindow()  # as the window manager does for a new dialog
            qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
            fill(dialog)
        except Exception as exc:  # surfaced by the test, never swallowed
            problems.append(repr(exc))
            dialog.close()

    QTimer.singleShot(0, run)
    return problems


@contextmanager
def answering(qtbot, button: QMessageBox.StandardButton) -> Iterator[list[str]]:
    """Answer every message box the window asks inside the block by clicking ``button``.

    Yields the questions asked, so a test sees what the agent was asked, and that
    nothing was asked when nothing should be (a box nobody answers would hang).
    """
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            asked.append(box.text())
            qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(answer)
    timer.start()
    try:
        yield asked
    finally:
        timer.stop()
