"""The call bar across the top of the window: the call's state and clock, the start and
end buttons, and the recent flows one key away (Alt+1…9).

It reads the :class:`flowdesk.calls.CallSession` and never changes it: the
window starts and ends calls, the bar repaints itself from the session once a
second (the call clock) and whenever the window tells it something changed.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from flowdesk.calls import CallSession

#: How many recent flows the bar names (Alt+1…9 reach all of them).
SHOWN_RECENT = 5


class CallBar(QWidget):
    """The call's state, the start/end buttons and the recent flows."""

    def __init__(self, session: CallSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callBar")
        self.session = session
        self.state = QLabel()
        self.state.setObjectName("callState")
        self.start = QToolButton()
        self.start.setText(self.tr("开始通话 F2"))
        self.end = QToolButton()
        self.end.setText(self.tr("结束通话 F4"))
        for b in (self.start, self.end):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent = QLabel()
        self.recent.setObjectName("recentFlows")
        self.recent.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.state)
        layout.addWidget(self.start)
        layout.addWidget(self.end)
        layout.addSpacing(12)
        layout.addWidget(self.recent, 1)
        self._call_clock = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()

    def start_clock(self) -> None:
        """A new call began: its clock starts from zero."""
        self._call_clock.start()

    def catch_up(self) -> None:
        """A call taken over mid-way (a new window for another language) gets a clock now."""
        if self.session.in_call and not self._call_clock.isValid():
            self._call_clock.start()

    def stop(self) -> None:
        self._tick.stop()

    def refresh(self) -> None:
        """Repaint from the session: in a call or not, its id and time, the recent flows."""
        session = self.session
        if session.in_call:
            clock = self._call_clock
            secs = clock.elapsed() // 1000 if clock.isValid() else 0
            self.state.setText(
                self.tr("通话中 ") + f"{session.call_id}  {secs // 60:02d}:{secs % 60:02d}"
            )
            self.state.setProperty("live", True)
        else:
            self.state.setText(self.tr("未在通话中"))
            self.state.setProperty("live", False)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
        self.start.setEnabled(not session.in_call)
        self.end.setEnabled(session.in_call)
        recent = [f"Alt+{i} {r.flow.title}" for i, r in enumerate(session.recent, 1)]
        shown = recent[:SHOWN_RECENT]
        self.recent.setText((self.tr("最近：") + "  ·  ".join(shown)) if recent else "")
