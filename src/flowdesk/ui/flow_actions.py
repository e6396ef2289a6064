"""The agent's keys on the flow view: each one a :class:`flowdesk.calls.CallSession` call.

A mixin of :class:`flowdesk.ui.flow_view.FlowView`, kept apart so the view's
module is its layout and painting: these methods act on the open run, then
repaint (``refresh``) and tell the window (``changed``, ``message``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QListWidgetItem

from flowdesk.calls import CallSession, FlowRun, FlowRunError
from flowdesk.ui.step_words import LINK_PREFIX
from flowdesk.variables import BadValues


class FlowActions:
    """Key and click handlers; the view supplies the widgets and the session."""

    session: CallSession
    run: FlowRun | None
    value_row: Any
    summary: Any
    summary_template: str | None
    last_finished: FlowRun | None
    changed: Any
    message: Any

    # -- the agent's keys ----------------------------------------------------

    def step_done(self) -> None:
        run = self._open_run()
        if run is None:
            return
        row = self.value_row
        if row.name and row.isVisible() and row.edit.hasFocus():  # Enter fills the value asked
            self._value_entered(row.name, row.edit.text())
            return
        step = run.step
        try:
            if step is not None and step.type == "input" and step.variable:
                completed = self.session.enter(run, self.value_row.edit.text())
            else:
                completed = self.session.step_done(run)
        except (FlowRunError, BadValues) as exc:
            self.message.emit(str(exc))
            return
        if completed:
            self._finished(run)
        self.refresh()
        self.changed.emit()
        if not self.value_row.isVisible():
            self.setFocus()

    def choose(self, index: int) -> None:
        run = self._open_run()
        if run is None:
            return
        step = run.step
        if step is None or step.type != "decision":
            return  # a digit on a non-decision step does nothing: no accidental jumps
        try:
            self.session.choose(run, index)
        except FlowRunError as exc:
            self.message.emit(str(exc))
            return
        self.refresh()
        self.changed.emit()

    def back(self) -> None:
        run = self._open_run()
        if run is not None and self.session.back(run):
            self.refresh()
            self.changed.emit()

    def restart(self) -> None:
        self._on_open_run(self.session.restart)

    def complete(self) -> None:
        self._on_open_run(self.session.complete, ends_run=True)

    def close_run(self) -> None:
        self._on_open_run(self.session.abandon, ends_run=True)

    def _on_open_run(self, action: Callable[[FlowRun], object], ends_run: bool = False) -> None:
        """Apply a session action to the open run, then repaint and tell the window."""
        run = self._open_run()
        if run is None:
            return
        action(run)
        if ends_run:
            self._finished(run)
        self.refresh()
        self.changed.emit()

    def copy_script(self) -> None:
        run = self.run
        step = run.step if run is not None else None
        if run is not None and step is not None:
            QGuiApplication.clipboard().setText(self.session.context(run).render(step.text))
            self.message.emit(QCoreApplication.translate("FlowView", "话术已复制"))

    def show_summary(self) -> None:
        """Compose the call summary (小结) and show it under the flow."""
        self.summary.show_text(self.session.summary(self.summary_template))

    def copy_summary(self) -> None:
        """F8: the call summary to the clipboard, ready to paste into the CRM."""
        text = self.session.summary(self.summary_template)
        self.summary.show_text(text)
        QGuiApplication.clipboard().setText(text)
        self.message.emit(QCoreApplication.translate("FlowView", "通话小结已复制"))

    def _fill_clicked(self, link: str) -> None:
        """A 【label】 clicked: the value row asks for that value, in place."""
        run = self._open_run()
        name = link.removeprefix(LINK_PREFIX)
        variable = self.session.context(run).variable(name) if run is not None else None
        if variable is not None:
            self.value_row.ask(name, variable.label + QCoreApplication.translate("FlowView", "："))

    def _value_entered(self, name: str, value: str) -> None:
        run = self._open_run()
        if run is None:
            return
        if not name:  # the input step's answer
            self.step_done()
            return
        try:
            self.session.set_value(run, name, value)
        except BadValues as exc:
            self.message.emit(str(exc))
            return
        self.refresh()
        self.setFocus()

    def _finished(self, run: FlowRun) -> None:
        self.last_finished = run
        if run.finished == "complete":
            self.show_summary()
        self.message.emit(
            QCoreApplication.translate("FlowView", "流程已完成：") + run.flow.title
            if run.finished == "complete"
            else QCoreApplication.translate("FlowView", "流程已放弃：") + run.flow.title
        )

    def _open_run(self) -> FlowRun | None:
        return self.run if self.run is not None and self.run.is_open else None

    def _path_clicked(self, item: QListWidgetItem) -> None:
        run = self._open_run()
        step_id = item.data(Qt.ItemDataRole.UserRole)
        if run is not None and step_id:
            self.session.goto(run, step_id)
            self.refresh()
            self.setFocus()
