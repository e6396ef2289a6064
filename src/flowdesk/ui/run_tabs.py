"""The call's open flow runs as tabs above the flow view.

A call often has two or three flows open at once (a complaint that turns into
a plan change); the tabs show them and switch between them. They are painted
from the :class:`flowdesk.calls.CallSession` and choosing one selects it
there and shows it in the :class:`flowdesk.ui.flow_view.FlowView`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTabBar, QWidget

from flowdesk.calls import CallSession
from flowdesk.ui.flow_view import FlowView


class RunTabs(QTabBar):
    """One tab per open run of the call; hidden while none is open."""

    #: The agent chose another run by its tab (the call bar repaints).
    chosen = Signal()

    def __init__(self, session: CallSession, flow: FlowView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openRuns")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setExpanding(False)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.session = session
        self.flow = flow
        self.currentChanged.connect(self._tab_chosen)

    def sync(self) -> None:
        """Repaint the tabs from the session's open runs, the shown run current."""
        self.blockSignals(True)
        while self.count():
            self.removeTab(0)
        open_runs = self.session.open_runs()
        for run in open_runs:
            self.addTab(run.flow.title)
        if self.flow.run in open_runs:
            self.setCurrentIndex(open_runs.index(self.flow.run))
        self.setVisible(bool(open_runs))
        self.blockSignals(False)

    def cycle(self, step: int) -> None:
        """Show the next (``step`` 1) or previous (-1) open run, round the end."""
        open_runs = self.session.open_runs()
        if not open_runs:
            return
        at = open_runs.index(self.flow.run) if self.flow.run in open_runs else -1
        run = open_runs[(at + step) % len(open_runs)]
        self.session.select(run)
        self.flow.show_run(run)
        self.sync()
        self.flow.setFocus()

    def _tab_chosen(self, index: int) -> None:
        open_runs = self.session.open_runs()
        if 0 <= index < len(open_runs):
            self.session.select(open_runs[index])
            self.flow.show_run(open_runs[index])
            self.chosen.emit()
