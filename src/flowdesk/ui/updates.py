"""Pack sync in the window: check for updates, the change list, apply, roll back, 新/改 marks.

The Qt-free steps live in :mod:`flowdesk.sync`; this module only runs them on
the window's work thread and shows what they report. Nothing here is modal
unless the agent asked for it (the rollback confirmation): the update dialog
stays out of the way so an agent mid-call can keep following a flow. A
scheduled check (``flowdesk source schedule``) either lights a button in the
call bar ("ask"), or downloads and verifies the update in the background and
applies it between calls ("auto"), after which the changed flows carry their
新/改 marks; neither ever happens during a call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QToolButton

from flowdesk.settings import SyncSchedule
from flowdesk.sync import (
    PeriodicCheck,
    UpdatePlan,
    apply_update,
    changed_flows_unseen,
    check_for_updates,
    mark_flow_seen,
    rollback,
)
from flowdesk.sync.sourcelist import SourceList
from flowdesk.ui.update_dialog import FoundUpdates, UpdateDialog, find_updates

# How long after the window opens the first scheduled check runs (start-up stays fast).
FIRST_SCHEDULED_CHECK_S = 60.0
ROLLBACK_REASON = "rolled back from the window 窗口回退"


class UpdateController(QObject):
    """Wires pack sync into a :class:`flowdesk.ui.main_window.MainWindow`.

    Holds the 新/改 marks (``marks``: flow id -> mark) the search results and
    the process map show, and the optional background check.
    """

    # A scheduled check's outcome (an ``UpdatePlan`` or the exception), from its thread.
    _scheduled = Signal(object)
    # The notice in the call bar appeared or went (tests wait for it).
    notice_changed = Signal(bool)
    # Updates went in ("pack #seq" each), from the dialog or by schedule.
    applied = Signal(list)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.marks: dict[str, str] = {}
        self.dialog: UpdateDialog | None = None
        self.pending: UpdatePlan | None = None
        self.last_error: str | None = None
        self._periodic: PeriodicCheck | None = None
        # the running schedule; auto_apply turns off for the session after a refusal
        self._schedule: SyncSchedule | None = None
        # auto-apply: True while downloading and verifying, then the verified updates
        self._auto_preparing = False
        self._auto_found: FoundUpdates | None = None
        # asks yes/no before a rollback; tests replace it
        self.confirm: Callable[[str, str], bool] = self._ask

        self.check_button = QToolButton()
        self.check_button.setObjectName("checkUpdates")
        self.check_button.setText(self.tr("检查更新"))
        self.check_button.setToolTip(self.tr("检查更新 Ctrl+U · 回退流程包 Ctrl+Shift+U"))
        self.notice = QToolButton()
        self.notice.setObjectName("updateNotice")
        self.notice.setStyleSheet("QToolButton { background: #fff3cd; color: #664d03; }")
        self.notice.hide()
        for b in (self.check_button, self.notice):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            window.call_bar.layout().addWidget(b)
        self.check_button.clicked.connect(self.check_for_updates)
        self.notice.clicked.connect(self._notice_clicked)
        window.actions_by_name["check_updates"].triggered.connect(self.check_for_updates)
        window.actions_by_name["rollback_pack"].triggered.connect(self.rollback_pack)
        self._scheduled.connect(self._on_scheduled)
        self._idle = QTimer(self)
        self._idle.setInterval(1000)
        self._idle.timeout.connect(self._refresh_notice)
        self._idle.start()

    # -- 新/改 marks ---------------------------------------------------------

    def pack_changed(self) -> None:
        """The window shows another pack: re-apply known marks, then reload them off-thread."""
        self._push_marks()
        desk = self.window.desk
        self.window.work_runner.run(lambda: changed_flows_unseen(desk), self.set_marks, _ignore)

    def set_marks(self, marks: dict[str, str]) -> None:
        self.marks = dict(marks)
        self._push_marks()

    def flow_opened(self, flow_id: str) -> None:
        """The agent opened a flow: its mark goes, here and (on the work thread) on disk."""
        if self.marks.pop(flow_id, None) is None:
            return
        self._push_marks()
        desk = self.window.desk
        self.window.work_runner.run(lambda: mark_flow_seen(desk, flow_id), None, _ignore)

    def _push_marks(self) -> None:
        self.window.search.model.set_marks(self.marks)
        self.window.map.set_marks(self.marks)

    # -- check, preview, apply -----------------------------------------------

    def check_for_updates(self) -> UpdateDialog:
        """Open (or bring forward) the update dialog and start checking every source."""
        self._hide_notice()
        self.pending = None
        self._auto_found = None  # the dialog finds (and reuses) the same verified download
        if self.dialog is not None and shiboken6.isValid(self.dialog) and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = self.dialog = UpdateDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        found: list[FoundUpdates] = []
        desk = self.window.desk

        def done(result: FoundUpdates) -> None:
            if not shiboken6.isValid(dialog) or dialog.cancelled.is_set():
                result.discard()
                return
            found.append(result)
            self._show_found(dialog, result)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(dialog) and not dialog.cancelled.is_set():
                dialog.show_refused(str(exc) or type(exc).__name__)

        def progress(stage: str, done_: int, total: int) -> None:
            if shiboken6.isValid(dialog):
                dialog.show_progress(stage, done_, total)

        def apply() -> None:
            if found:
                self._apply(dialog, found[0])

        def closed() -> None:
            if found and shiboken6.isValid(dialog) and dialog.apply_button.isEnabled():
                found[0].discard()  # cancelled at the change list: drop the downloads

        dialog.apply_requested.connect(apply)
        dialog.rejected.connect(closed)
        dialog.show()
        self.window.work_runner.run(
            lambda report: find_updates(desk, report, dialog.cancelled.is_set),
            done,
            failed,
            progress,
            with_progress=True,
        )
        return dialog

    def _show_found(self, dialog: UpdateDialog, found: FoundUpdates) -> None:
        if found.sources == 0:
            dialog.show_changes(
                self.tr("本机还没有配置更新来源。请由组长添加，例如：")
                + "\nflowdesk source add 总部 \\\\server\\packs"
                + "\nflowdesk source add 总部 https://packs.example.cn/ --user 用户名",
                "",
                False,
            )
            return
        if not found.prepared:
            text = "\n".join(found.notes)
            dialog.show_changes(self.tr("已是最新版本，无需更新。"), text, False)
            return
        n = len(found.prepared)
        summary = self.tr("有 %n 个流程包更新，已下载并校验签名。请查看改动后应用：", "", n)
        if self.window.session.in_call:
            summary += "\n" + self.tr("通话中：当前打开的流程不受影响，之后打开的流程使用新版本。")
        dialog.show_changes(summary, found.change_text(), True)

    def _apply(self, dialog: UpdateDialog | None, found: FoundUpdates) -> None:
        """Import verified updates on the work thread; ``dialog`` None: applied by schedule."""
        desk = self.window.desk
        cancelled = dialog.cancelled.is_set if dialog is not None else (lambda: False)

        def work(report) -> tuple[list[str], Any]:
            applied = []
            for location, prepared in list(found.prepared):
                found.prepared.remove((location, prepared))
                if _already_imported(desk, prepared):  # by the other path meanwhile
                    continue
                result = apply_update(desk, prepared, report, cancelled, source=location)
                applied.append(f"{result.info.pack_id} #{result.info.sequence}")
            return applied, desk.pack()

        def done(outcome: tuple[list[str], Any]) -> None:
            applied, pack = outcome
            self.window.set_pack(pack)
            if not applied:
                if dialog is not None and shiboken6.isValid(dialog):
                    dialog.accept()
                return
            if dialog is None:
                self.pending = None
                message = self.tr("已自动更新流程包：") + "、".join(applied)
                message += self.tr("（改动的流程标有 新/改）")
            else:
                message = self.tr("已更新流程包：") + "、".join(applied)
            self.window.statusBar().showMessage(message, 15000)
            self.applied.emit(applied)
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.accept()

        def failed(exc: BaseException) -> None:
            found.discard()
            self.window.load_pack()  # an earlier pack of several may have gone in
            reason = str(exc) or type(exc).__name__
            if dialog is None:
                self._auto_failed(reason)
            elif shiboken6.isValid(dialog) and dialog.isVisible():
                dialog.show_refused(reason)

        def progress(stage: str, done_: int, total: int) -> None:
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.show_progress(stage, done_, total)

        self.window.work_runner.run(work, done, failed, progress, with_progress=True)

    # -- rollback ------------------------------------------------------------

    def rollback_pack(self) -> bool:
        """Ask, then make the previous version of the shown pack active again (recorded)."""
        desk, window = self.window.desk, self.window
        active = desk.active_packs()
        shown = window.pack.id if window.pack is not None else None
        current = next((p for p in active if p.pack_id == shown), active[0] if active else None)
        if current is None:
            window.statusBar().showMessage(self.tr("没有可回退的流程包"), 8000)
            return False
        older = sorted(
            p.sequence
            for p in desk.packs()
            if p.pack_id == current.pack_id and p.sequence < current.sequence
        )
        if not older:
            window.statusBar().showMessage(
                self.tr("已是本机最早的版本，无法回退：")
                + f"{current.pack_id} #{current.sequence}",
                8000,
            )
            return False
        target = older[-1]
        question = (
            self.tr("将流程包回退到上一版本？")
            + f"\n\n{current.pack_id}  #{current.sequence} → #{target}\n\n"
            + self.tr("回退会记录在同步历史中；之后可以再次检查更新。")
        )
        if not self.confirm(self.tr("回退流程包"), question):
            return False

        def work() -> tuple[Any, Any]:
            done = rollback(desk, current.pack_id, target, ROLLBACK_REASON)
            return done, desk.pack()

        def done(outcome: tuple[Any, Any]) -> None:
            result, pack = outcome
            window.set_pack(pack)
            window.statusBar().showMessage(
                self.tr("已回退流程包：")
                + f"{result.pack_id} #{result.from_sequence} → #{result.to_sequence}",
                10000,
            )

        def failed(exc: BaseException) -> None:
            window.statusBar().showMessage(self.tr("回退失败：") + str(exc), 10000)

        window.work_runner.run(work, done, failed)
        return True

    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self.window, title, question)
        return answer == QMessageBox.StandardButton.Yes

    # -- background check ----------------------------------------------------

    def start_schedule(
        self, interval_s: float | None = None, first_delay_s: float = FIRST_SCHEDULED_CHECK_S
    ) -> bool:
        """Check the settings' schedule's source in the background (``source schedule``)."""
        schedule = self.window.settings.sync_schedule()
        if schedule is None:
            return False
        interval = interval_s if interval_s is not None else schedule.every_minutes * 60
        self.stop()
        self._schedule = schedule
        desk = self.window.desk
        name = schedule.source

        def job() -> UpdatePlan:
            installed = bool(desk.packs())
            return check_for_updates(
                desk, SourceList(desk.data).open(name), only_installed=installed
            )

        self._periodic = PeriodicCheck(interval, job, self._emit_scheduled, first_delay_s).start()
        return True

    def stop(self) -> None:
        if self._periodic is not None:
            self._periodic.stop(timeout=1.0)
            self._periodic = None

    def _emit_scheduled(self, outcome: Any) -> None:
        """On the check's thread: hand over to the UI thread (if the window still exists)."""
        if shiboken6.isValid(self):
            self._scheduled.emit(outcome)

    def _on_scheduled(self, outcome: Any) -> None:
        if isinstance(outcome, BaseException):
            self.last_error = str(outcome) or type(outcome).__name__
            self.check_button.setToolTip(self.tr("后台检查更新失败：") + self.last_error)
            return
        self.last_error = None
        if outcome.updates:
            self.pending = outcome
            if self._schedule is not None and self._schedule.auto_apply:
                self._auto_prepare()
        self._refresh_notice()

    # -- applied by schedule -------------------------------------------------

    def _auto_prepare(self) -> None:
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
            self._auto_preparing = False
            if shiboken6.isValid(self):
                self._auto_failed(str(exc) or type(exc).__name__)

        source = self._schedule.source if self._schedule is not None else None
        self.window.work_runner.run(
            lambda: find_updates(desk, None, lambda: False, source), done, failed
        )

    def _auto_failed(self, reason: str) -> None:
        """A refused update is not retried by itself: the notice asks someone to look."""
        self.last_error = reason
        self._auto_found = None
        self.check_button.setToolTip(self.tr("自动更新被拒绝：") + reason)
        if self._schedule is not None:
            self._schedule = replace(self._schedule, auto_apply=False)
        self._refresh_notice()  # the notice comes back for someone to look
        self.window.statusBar().showMessage(self.tr("自动更新被拒绝：") + reason, 15000)

    def _busy(self) -> bool:
        """On a call, or the update dialog is open: nothing of ours may pop up or change."""
        return self.window.session.in_call or (
            self.dialog is not None and shiboken6.isValid(self.dialog) and self.dialog.isVisible()
        )

    def _refresh_notice(self) -> None:
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
        self.notice.setText(self.tr("有新流程包 #%1，点此查看").replace("%1", str(newest)))
        if self.notice.isHidden():
            self.notice.show()
            self.window.statusBar().showMessage(self.notice.text(), 10000)
            self.notice_changed.emit(True)

    def _hide_notice(self) -> None:
        if not self.notice.isHidden():
            self.notice.hide()
            self.notice_changed.emit(False)

    def _notice_clicked(self) -> None:
        self.check_for_updates()


def _already_imported(desk: Any, prepared: Any) -> bool:
    """True when this publication (or a newer one) went in since it was verified."""
    entry = prepared.update.entry
    return any(p.pack_id == entry.pack_id and p.sequence >= entry.sequence for p in desk.packs())


def _ignore(_exc: BaseException) -> None:
    """Marks are a hint: failing to read or write them must never disturb the agent."""
