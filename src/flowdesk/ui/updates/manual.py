"""The agent's (or team lead's) own update: 检查更新 Ctrl+U, the change list, 回退 Ctrl+Shift+U.

A part of :class:`flowdesk.ui.updates.UpdateController`; the work itself is
:mod:`flowdesk.services.updates`, run on the window's work thread. Nothing
here is modal but the rollback question the agent asked for: the update
dialog stays beside the flow, so a call goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox

from flowdesk.ui.errors import log_error, logged_message, plain_message
from flowdesk.ui.tasks import Progress
from flowdesk.ui.updates.dialog import UpdateDialog, change_text

if TYPE_CHECKING:
    from types import ModuleType

    from flowdesk.lookup import PackHeads
    from flowdesk.services.updates import FoundUpdates, RollbackChoice
    from flowdesk.sync.updates import Rollback
    from flowdesk.ui.updates import UpdateController

ROLLBACK_REASON = "rolled back from the window 窗口回退"


def sync_service() -> ModuleType:
    """The sync service, imported on first use: sources, keys and signatures (keyring,
    cryptography, Whoosh) are not needed to start the window."""
    from flowdesk.services import updates

    return updates


class ManualUpdate:
    """Check, preview and apply from the dialog; roll back; the apply step the schedule shares.

    Its words are translated in the context of the controller it is part of
    (``UpdateController``), as they were written there.
    """

    dialog: UpdateDialog | None
    # asks yes/no before a rollback; tests replace it
    confirm: Callable[[str, str], bool]

    def check_for_updates(self: UpdateController) -> UpdateDialog:
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
            log_error(exc, "check for updates")
            if shiboken6.isValid(dialog) and not dialog.cancelled.is_set():
                dialog.show_refused(plain_message(exc))

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
            lambda report: sync_service().find_updates(desk, report, dialog.cancelled.is_set),
            done,
            failed,
            progress,
            with_progress=True,
        )
        return dialog

    def _show_found(self: UpdateController, dialog: UpdateDialog, found: FoundUpdates) -> None:
        if found.sources == 0:
            dialog.show_changes(
                QCoreApplication.translate(
                    "UpdateController", "本机还没有配置更新来源。请由组长添加，例如："
                )
                + "\nflowdesk source add 总部 \\\\server\\packs"
                + "\nflowdesk source add 总部 https://packs.example.cn/ --user 用户名",
                "",
                False,
            )
            return
        if not found.prepared:
            text = "\n".join(found.notes)
            dialog.show_changes(
                QCoreApplication.translate("UpdateController", "已是最新版本，无需更新。"),
                text,
                False,
            )
            return
        summary = self._found_summary(len(found.prepared))
        if self.window.session.in_call:
            summary += "\n" + QCoreApplication.translate(
                "UpdateController", "通话中：当前打开的流程不受影响，之后打开的流程使用新版本。"
            )
        dialog.show_changes(summary, change_text(found), True)

    def _apply(self: UpdateController, dialog: UpdateDialog | None, found: FoundUpdates) -> None:
        """Import verified updates on the work thread; ``dialog`` None: applied by schedule."""
        desk = self.window.desk
        cancelled = dialog.cancelled.is_set if dialog is not None else (lambda: False)

        def work(report: Progress) -> tuple[list[str], PackHeads]:
            results = sync_service().apply_found(desk, found, report, cancelled)
            return [f"{r.info.pack_id} #{r.info.sequence}" for r in results], desk.heads()

        def done(outcome: tuple[list[str], PackHeads]) -> None:
            applied, pack = outcome
            self.window.set_pack(pack)
            if not applied:
                if dialog is not None and shiboken6.isValid(dialog):
                    dialog.accept()
                return
            if dialog is None:
                self.pending = None
                message = QCoreApplication.translate(
                    "UpdateController", "已自动更新流程包："
                ) + "、".join(applied)
                message += QCoreApplication.translate(
                    "UpdateController", "（改动的流程标有 新/改）"
                )
            else:
                message = QCoreApplication.translate(
                    "UpdateController", "已更新流程包："
                ) + "、".join(applied)
            self.window.statusBar().showMessage(message, 15000)
            self.applied.emit(applied)
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.accept()

        def failed(exc: BaseException) -> None:
            log_error(exc, "apply update")
            found.discard()
            self.window.load_pack()  # an earlier pack of several may have gone in
            reason = plain_message(exc)
            if dialog is None:
                self._auto_failed(reason)
            elif shiboken6.isValid(dialog) and dialog.isVisible():
                dialog.show_refused(reason)

        def progress(stage: str, done_: int, total: int) -> None:
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.show_progress(stage, done_, total)

        self.window.work_runner.run(work, done, failed, progress, with_progress=True)

    # -- rollback ------------------------------------------------------------

    def rollback_pack(self: UpdateController) -> bool | None:
        """Ask, then make the previous version of the shown pack active again (recorded).

        Which version that is comes from the store, read on the work thread; the
        question follows on the UI thread. False: nothing to roll back, or the
        agent declined; True: the rollback is under way; None: still reading.
        """
        desk, window = self.window.desk, self.window
        shown = window.pack.id if window.pack is not None else None
        outcome: list[bool] = []

        def chosen(choice: RollbackChoice | None) -> None:
            outcome.append(self._confirm_rollback(choice))

        def failed(exc: BaseException) -> None:
            self._rollback_failed(exc)
            outcome.append(False)

        window.work_runner.run(lambda: sync_service().rollback_choice(desk, shown), chosen, failed)
        return outcome[0] if outcome else None

    def _confirm_rollback(self: UpdateController, choice: RollbackChoice | None) -> bool:
        """Say why there is nothing to roll back, or ask the agent and start the rollback."""
        desk, window = self.window.desk, self.window
        if choice is None:
            window.statusBar().showMessage(
                QCoreApplication.translate("UpdateController", "没有可回退的流程包"), 8000
            )
            return False
        if choice.to_sequence is None:
            window.statusBar().showMessage(
                QCoreApplication.translate("UpdateController", "已是本机最早的版本，无法回退：")
                + f"{choice.pack_id} #{choice.from_sequence}",
                8000,
            )
            return False
        question = (
            QCoreApplication.translate("UpdateController", "将流程包回退到上一版本？")
            + f"\n\n{choice.pack_id}  #{choice.from_sequence} → #{choice.to_sequence}\n\n"
            + QCoreApplication.translate(
                "UpdateController", "回退会记录在同步历史中；之后可以再次检查更新。"
            )
        )
        if not self.confirm(QCoreApplication.translate("UpdateController", "回退流程包"), question):
            return False
        to_sequence = choice.to_sequence

        def work() -> tuple[Rollback, PackHeads]:
            from flowdesk.sync import rollback

            done = rollback(desk, choice.pack_id, to_sequence, ROLLBACK_REASON)
            return done, desk.heads()

        def done(outcome: tuple[Rollback, PackHeads]) -> None:
            result, pack = outcome
            window.set_pack(pack)
            window.statusBar().showMessage(
                QCoreApplication.translate("UpdateController", "已回退流程包：")
                + f"{result.pack_id} #{result.from_sequence} → #{result.to_sequence}",
                10000,
            )

        window.work_runner.run(work, done, self._rollback_failed)
        return True

    def _rollback_failed(self: UpdateController, exc: BaseException) -> None:
        failed = logged_message(exc, "rollback")
        self.window.statusBar().showMessage(
            QCoreApplication.translate("UpdateController", "回退失败：") + failed, 10000
        )

    def _ask(self: UpdateController, title: str, question: str) -> bool:
        answer = QMessageBox.question(self.window, title, question)
        return answer == QMessageBox.StandardButton.Yes
