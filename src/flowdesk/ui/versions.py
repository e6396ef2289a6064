"""Pending pack versions in the window: they take effect between calls, never during one.

The rules are the store's (:mod:`flowdesk.store.versions`); this controller
only decides *when* the window lets them apply. While a call is in progress
the desk holds the versions it started with, so neither this window nor a
command run on the same desk meanwhile changes the flows under the agent. At
the call's end, and every few seconds while idle, whatever has fallen due is
activated on the work thread, the window reloads the pack and the changed
flows carry 新/改. A label in the call bar says what is pending and when it
takes effect, so a team lead walking the floor sees it at a glance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

if TYPE_CHECKING:
    from flowdesk.lookup import PackHeads
    from flowdesk.store import PackInfo
    from flowdesk.ui.main_window import MainWindow

#: What a check found: versions made active, the heads to show (if any did), what is pending.
Checked = tuple[list[str], "PackHeads | None", list["PackInfo"]]

#: How often (ms) an idle window looks whether a pending version has fallen due.
CHECK_INTERVAL_MS = 5000


class PendingVersions(QObject):
    """Activates due versions between calls and shows what is pending."""

    #: Versions became active (``"pack #seq"`` each).
    activated = Signal(list)
    #: A desk status went into the usage log (the number of events).
    status_sent = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._checking = False
        self._reload_after_call = False
        self._status_sent = False
        window.pack_loaded.connect(self.send_status)
        self.label = QLabel()
        self.label.setObjectName("pendingVersions")
        self.label.setStyleSheet("QLabel { color: #664d03; padding: 0 6px; }")
        self.label.hide()
        window.call_bar.layout().addWidget(self.label)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        if window.session.in_call:  # a window taking over a call in progress
            self.call_started()

    def send_status(self) -> None:
        """Tell the central store where this desk stands (at start, after each pack change).

        Written into the desk's usage log on the work thread, so it goes with the
        next push; after the first one, a reload that changed nothing writes nothing.
        """
        desk, first = self.window.desk, not self._status_sent

        def work() -> int:
            from flowdesk.rollout.desk_status import record_status  # the store: off the UI thread

            return record_status(desk, only_if_changed=not first)

        def done(count: int) -> None:
            self._status_sent = True
            if count:
                self.status_sent.emit(count)

        # the status goes again after the next pack change: logged, never shown to the agent
        self.window.work_runner.run(work, done, _log_status_failure)

    def call_started(self) -> None:
        """From now until the call ends the window keeps the versions it has."""
        self.window.desk.hold_versions()

    def call_ended(self) -> None:
        self.window.desk.release_versions()
        if self._reload_after_call:
            self._reload_after_call = False
            self.window.load_pack()
        self.check()

    def _held_include(self, applied: list[str]) -> bool:
        held = {f"{p.pack_id} #{p.sequence}" for p in self.window.desk.active_packs()}
        return set(applied) <= held

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> None:
        """Activate what is due, unless a call is in progress (then: at its end); show what
        is pending either way."""
        if self._checking:
            return
        self._checking = True
        desk = self.window.desk
        may_switch = not self.window.session.in_call

        def work() -> Checked:
            from flowdesk.rollout.activation import activate_due  # the store: off the start path

            done = activate_due(desk) if may_switch else []
            applied = [f"{a.pack_id} #{a.sequence}" for a in done]
            pack = desk.heads() if done and desk.active_packs() else None
            return applied, pack, [p for p in desk.packs() if p.state == "pending"]

        self.window.work_runner.run(work, self._done, self._failed)

    def _done(self, outcome: Checked) -> None:
        self._checking = False
        applied, pack, pending = outcome
        self._show_pending(pending)
        if not applied:
            return
        if self.window.session.in_call and not self._held_include(applied):
            self._reload_after_call = True  # the call started on the versions before
            return
        self.window.set_pack(pack)
        message = (
            self.tr("新版本已生效：") + "、".join(applied) + self.tr("（改动的流程标有 新/改）")
        )
        self.window.statusBar().showMessage(message, 15000)
        self.activated.emit(applied)

    def _failed(self, exc: BaseException) -> None:
        from flowdesk.ui.errors import logged_message

        self._checking = False
        failed = logged_message(exc, "activate pending versions")
        self.window.statusBar().showMessage(self.tr("启用待生效版本失败：") + failed, 15000)

    def _show_pending(self, pending: list[PackInfo]) -> None:
        if not pending:
            self.label.hide()
            return
        parts = []
        for info in sorted(pending, key=lambda p: (p.effective_at is None, p.effective_at)):
            at = info.effective_at.astimezone().strftime("%m-%d %H:%M") if info.effective_at else ""
            parts.append(f"#{info.sequence} {at}")
        self.label.setText(self.tr("待生效：") + "，".join(parts))
        self.label.setToolTip(self.tr("已下载并校验，到生效时间后在两通电话之间自动启用"))
        self.label.show()


def _log_status_failure(exc: BaseException) -> None:
    from flowdesk.ui.errors import log_error

    log_error(exc, "desk status")
