"""The scheduled update (``flowdesk source schedule``): a background check, never during a call.

A part of :class:`flowdesk.ui.updates.UpdateController`. A timer on the UI
thread starts each check; the check itself
(:func:`flowdesk.services.updates.check_scheduled`, the source's index only)
runs through a :class:`~flowdesk.ui.tasks.TaskRunner` of its own, the one
helper every slow task uses, so a slow network never holds up an import and
tests run it synchronously. What it finds either lights a button in the call
bar ("ask"), or is downloaded, verified and applied between calls ("auto"),
after which the changed flows carry their 新/改 marks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer

from flowdesk.settings import SyncSchedule
from flowdesk.ui.errors import log_error, plain_message
from flowdesk.ui.updates.manual import sync_service

if TYPE_CHECKING:
    from flowdesk.services.updates import FoundUpdates
    from flowdesk.sync import UpdatePlan
    from flowdesk.ui.updates import UpdateController

# How long after the window opens the first scheduled check runs (start-up stays fast).
FIRST_SCHEDULED_CHECK_S = 60.0


class ScheduledUpdate:
    """The background check, its notice in the call bar, and applying by schedule.

    Its words are translated in the context of the controller it is part of
    (``UpdateController``), as they were written there.
    """

    pending: UpdatePlan | None
    last_error: str | None
    # the running schedule; auto_apply turns off for the session after a refusal
    _schedule: SyncSchedule | None
    # auto-apply: True while downloading and verifying, then the verified updates
    _auto_preparing: bool
    _auto_found: FoundUpdates | None
    _first: QTimer  # single shot: the first check, ``first_delay_s`` after the start
    _timer: QTimer  # every interval after it

    def start_schedule(
        self: UpdateController,
        interval_s: float | None = None,
        first_delay_s: float = FIRST_SCHEDULED_CHECK_S,
    ) -> bool:
        """Check the settings' schedule's source in the background (``source schedule``)."""
        schedule = self.window.settings.sync_schedule()
        if schedule is None:
            return False
        interval = interval_s if interval_s is not None else schedule.every_minutes * 60
        self.stop()
        self._schedule = schedule
        self._timer.setInterval(round(interval * 1000))
        self._first.start(round(first_delay_s * 1000))
        return True

    def stop(self: UpdateController) -> None:
        """No more scheduled checks (a check under way reports, and is then ignored)."""
        self._first.stop()
        self._timer.stop()
        self._schedule = None

    def _run_scheduled(self: UpdateController) -> None:
        """One check: the index of the schedule's source, read on the check runner."""
        schedule = self._schedule
        if schedule is None:  # stopped meanwhile
            return
        if not self._timer.isActive():
            self._timer.start()  # every interval from the first check on
        if self.check_runner.busy:  # the last one is still waiting on the network
            return
        desk = self.window.desk
        self.check_runner.run(
            lambda: sync_service().check_scheduled(desk, schedule.source),
            self._scheduled.emit,
            self._check_failed,
        )

    def _check_failed(self: UpdateController, exc: BaseException) -> None:
        log_error(exc, "scheduled check")
        self._scheduled.emit(exc)

    def _on_scheduled(self: UpdateController, outcome: UpdatePlan | BaseException) -> None:
        if self._schedule is None:
            return  # stopped since the check began
        if isinstance(outcome, BaseException):
            self.last_error = plain_message(outcome)
            self.check_button.setToolTip(
                QCoreApplication.translate("UpdateController", "后台检查更新失败：")
                + self.last_error
            )
            return
        self.last_error = None
        if outcome.updates:
            self.pending = outcome
            if self._schedule.auto_apply:
                self._auto_prepare()
        self._refresh_notice()

    # -- applied by schedule -------------------------------------------------

    def _auto_prepare(self: UpdateController) -> None:
        """Download and verify in the background; applied by :meth:`_refresh_notice` when idle."""
        if self._auto_preparing or self._auto_found is not None:
            return
        self._auto_preparing = True
        desk = self.window.desk

        def done(found: FoundUpdates) -> None:
            self._auto_preparing = False
            if not shiboken6.isValid(self):
                found.discard()
                return
            if found.prepared:
                self._auto_found = found
            else:
                self.pending = None  # someone applied it meanwhile
            self._refresh_notice()

        def failed(exc: BaseException) -> None:
            log_error(exc, "scheduled update")
            self._auto_preparing = False
            if shiboken6.isValid(self):
                self._auto_failed(plain_message(exc))

        source = self._schedule.source if self._schedule is not None else None
        self.window.work_runner.run(
            lambda: sync_service().find_updates(desk, None, lambda: False, source), done, failed
        )

    def _auto_failed(self: UpdateController, reason: str) -> None:
        """A refused update is not retried by itself: the notice asks someone to look."""
        self.last_error = reason
        self._auto_found = None
        refused = QCoreApplication.translate("UpdateController", "自动更新被拒绝：")
        self.check_button.setToolTip(refused + reason)
        if self._schedule is not None:
            self._schedule = replace(self._schedule, auto_apply=False)
        self._refresh_notice()  # the notice comes back for someone to look
        self.window.statusBar().showMessage(refused + reason, 15000)

    def _busy(self: UpdateController) -> bool:
        """On a call, or the update dialog is open: nothing of ours may pop up or change."""
        return self.window.session.in_call or (
            self.dialog is not None and shiboken6.isValid(self.dialog) and self.dialog.isVisible()
        )

    def _refresh_notice(self: UpdateController) -> None:
        """Show the notice (or apply by schedule) only while idle: never during a call."""
        busy = self._busy()
        if self._auto_found is not None or self._auto_preparing:
            self._hide_notice()  # it goes in by itself
            if self._auto_found is not None and not busy:
                found, self._auto_found = self._auto_found, None
                self._apply(None, found)
            return
        if self.pending is None or busy:
            self._hide_notice()
            return
        newest = max(u.entry.sequence for u in self.pending.updates)
        self.notice.setText(
            QCoreApplication.translate("UpdateController", "有新流程包 #%1，点此查看").replace(
                "%1", str(newest)
            )
        )
        if self.notice.isHidden():
            self.notice.show()
            self.window.statusBar().showMessage(self.notice.text(), 10000)
            self.notice_changed.emit(True)

    def _hide_notice(self: UpdateController) -> None:
        if not self.notice.isHidden():
            self.notice.hide()
            self.notice_changed.emit(False)
