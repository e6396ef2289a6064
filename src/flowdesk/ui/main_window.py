"""The agent's window: composes the search panel, process map, call bar and flow view.

It owns no logic of its own beyond wiring: the desk answers searches and
serves flows, the :class:`flowdesk.calls.CallSession` decides what a key
means for a run and what to record, and the widgets show the result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from flowdesk.calls import CallSession, FlowRef, FlowRun
from flowdesk.model import Pack
from flowdesk.screenpop import pop_from_message
from flowdesk.settings import Settings
from flowdesk.ui.actions import build_actions, shortcut_table
from flowdesk.ui.flow_view import FlowView
from flowdesk.ui.notices import NoticeController
from flowdesk.ui.process_map import ProcessMapView
from flowdesk.ui.search_panel import SearchPanel
from flowdesk.ui.tasks import TaskRunner
from flowdesk.ui.updates import UpdateController
from flowdesk.ui.versions import PendingVersions
from flowdesk.variables import BadValues, axis_names


class CallBar(QWidget):
    """The call's state, its open flows as tabs, and the recent flows one key away."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("callBar")
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


class MainWindow(QMainWindow):
    """FlowDesk 流程助手."""

    #: A pack was loaded into the window (tests and the start-up timer wait for it).
    pack_loaded = Signal()

    def __init__(
        self,
        desk: Any,
        settings: Settings,
        session: CallSession,
        *,
        settings_path: Path | None = None,
        search_runner: TaskRunner | None = None,
        work_runner: TaskRunner | None = None,
        on_language: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("FlowDesk 流程助手"))
        self.desk = desk
        self.settings = settings
        self.settings_path = settings_path
        self.session = session
        self.search_runner = search_runner or TaskRunner(1, parent=self)
        self.work_runner = work_runner or TaskRunner(1, parent=self)
        self.on_language = on_language
        self.pack: Pack | None = None
        self._pending_messages: list[dict] = []
        self._call_clock = QElapsedTimer()
        self._lazy: dict[QWidget, Callable[[], QWidget]] = {}

        # looked up per search (on the search thread): the desk may still be opening
        self.search = SearchPanel(lambda *a, **k: self.desk.search(*a, **k), self.search_runner)
        self.map = ProcessMapView()
        self.left = QTabWidget()
        self.left.setObjectName("leftTabs")
        self.left.addTab(self.search, self.tr("搜索"))
        self.left.addTab(self.map, self.tr("流程地图"))
        self.left.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.call_bar = CallBar()
        self.runs = QTabBar()
        self.runs.setObjectName("openRuns")
        self.runs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.runs.setExpanding(False)
        self.runs.setElideMode(Qt.TextElideMode.ElideRight)
        self.flow = FlowView(session)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.runs)
        right_layout.addWidget(self.flow, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.left)
        self.split.addWidget(right)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(1, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.call_bar)
        layout.addWidget(self.split, 1)
        self.setCentralWidget(central)
        self.resize(1366, 768)
        self.split.setSizes([470, 896])

        self.actions_by_name = build_actions(self, self.flow)
        self._connect()
        self.updates = UpdateController(self)  # check for updates, rollback, 新/改 marks
        self.updates.start_schedule()
        self.versions = PendingVersions(self)  # pending versions take effect between calls
        self.notices = NoticeController(self)  # must-read changes, confirmed by the agent
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._update_call_bar)
        self._clock.start()
        self._update_call_bar()
        self._sync_runs()
        self.search.box.setFocus()

    # -- wiring --------------------------------------------------------------

    def _connect(self) -> None:
        a = self.actions_by_name
        a["focus_search"].triggered.connect(self.focus_search)
        a["leave_flow"].triggered.connect(self.focus_search)
        a["start_call"].triggered.connect(lambda: self.start_call())
        a["start_call_with_id"].triggered.connect(self.ask_call_id)
        a["reindex"].triggered.connect(self.reindex)
        a["end_call"].triggered.connect(self.end_call)
        a["show_results"].triggered.connect(lambda: self.show_tab(0))
        a["show_map"].triggered.connect(lambda: self.show_tab(1))
        a["focus_flow"].triggered.connect(self.flow.setFocus)
        a["next_run"].triggered.connect(lambda: self._cycle_run(1))
        a["prev_run"].triggered.connect(lambda: self._cycle_run(-1))
        a["feedback"].triggered.connect(self.ask_feedback)
        a["copy_summary"].triggered.connect(self.flow.copy_summary)
        a["settings"].triggered.connect(self.open_settings)
        a["shortcuts"].triggered.connect(self.show_shortcuts)
        a["quit"].triggered.connect(self.close)
        a["step_done"].triggered.connect(self.flow.step_done)
        a["back"].triggered.connect(self.flow.back)
        a["restart"].triggered.connect(self.flow.restart)
        a["complete"].triggered.connect(self.flow.complete)
        a["copy_script"].triggered.connect(self.flow.copy_script)
        a["close_run"].triggered.connect(self.flow.close_run)
        for n in range(1, 10):
            a[f"option_{n}"].triggered.connect(lambda _c=False, i=n - 1: self.flow.choose(i))
            a[f"recent_{n}"].triggered.connect(lambda _c=False, i=n - 1: self.open_recent(i))
        self.flow.feedback_button.clicked.connect(self.ask_feedback)
        self.call_bar.start.clicked.connect(lambda: self.start_call())
        self.call_bar.end.clicked.connect(self.end_call)
        self.search.open_requested.connect(self.open_hit)
        self.search.searched.connect(self.session.searched)
        self.search.channel_changed.connect(self._remember_channel)
        self.map.open_requested.connect(self.open_flow_id)
        self.map.brand_changed.connect(self._remember_brand)
        self.flow.changed.connect(self._run_changed)
        self.flow.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.runs.currentChanged.connect(self._run_tab_changed)
        self.left.currentChanged.connect(self._tab_changed)

    # -- packs ---------------------------------------------------------------

    def load_pack(self) -> None:
        """Read the active pack in the background, then fill filters and the map."""

        def read() -> Pack | None:
            return self.desk.pack() if self.desk.active_packs() else None

        self.work_runner.run(read, self.set_pack, self._pack_failed)

    def set_pack(self, pack: Pack | None) -> None:
        self.pack = pack
        self.session.names = axis_names(pack) if pack is not None else {}
        self.flow.summary_template = pack.call_summary if pack is not None else None
        self.search.set_pack(pack, self.settings.usual_channel, self.settings.usual_brand)
        self.map.set_pack(pack, self.settings.usual_brand)
        self.updates.pack_changed()
        if pack is not None:
            self.statusBar().showMessage(
                self.tr("流程包：") + f"{pack.title} #{pack.sequence} {pack.version or ''}"
            )
        self.pack_loaded.emit()
        if pack is not None:  # sentences need the pack's vocabulary: read it now, aside
            self.work_runner.run(self.desk.warm_up_search, lambda _done: None, lambda _exc: None)
        pending, self._pending_messages = self._pending_messages, []
        for message in pending:
            self.handle_message(message)

    def _pack_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("流程包"), self.tr("读取流程包失败：") + str(exc))

    # -- opening flows -------------------------------------------------------

    def open_hit(self, hit: Any, query: str, result_count: int) -> FlowRun | None:
        """Open a search result; the search is recorded with the flow opened from it."""
        self.session.searched(query, result_count)
        return self._open(hit.flow_id, hit.pack_id, from_search=True)

    def open_flow_id(self, flow_id: str, touchpoint: str = "") -> FlowRun | None:
        return self._open(flow_id, None, touchpoint=touchpoint or None)

    def open_touchpoint(
        self, code: str, call_id: str | None = None, values: dict[str, str] | None = None
    ) -> FlowRun | None:
        """Screen pop: start (or continue) the call with its values, open the touch point's flow."""
        self.start_call(call_id, values, code.upper())
        try:
            flow, info = self.desk.flow_for_touchpoint(code)
        except (KeyError, ValueError):
            self.statusBar().showMessage(self.tr("没有流程认领接触点 ") + code, 8000)
            self.focus_search()
            return None
        return self._show(self.session.open_flow(self._ref(flow, info)), code.upper())

    def open_recent(self, index: int) -> FlowRun | None:
        recent = list(self.session.recent)
        if not 0 <= index < len(recent):
            return None
        ref = recent[index]
        return self._open(ref.flow.id, ref.pack_id)

    def _open(
        self, flow_id: str, pack_id: str | None, *, from_search=False, touchpoint=None
    ) -> FlowRun | None:
        try:
            flow, info = self.desk.flow(flow_id, pack_id)
        except KeyError:
            self.statusBar().showMessage(self.tr("流程已不在当前流程包中：") + flow_id, 8000)
            return None
        run = self.session.open_flow(self._ref(flow, info), from_search=from_search)
        return self._show(run, touchpoint)

    @staticmethod
    def _ref(flow, info) -> FlowRef:
        return FlowRef(flow, info.pack_id, info.sequence, info.version)

    def _show(self, run: FlowRun, touchpoint: str | None) -> FlowRun:
        self.updates.flow_opened(run.flow.id)
        self.notices.flow_opened(run.ref.pack_id, run.ref.pack_sequence, run.flow.id)
        self.flow.show_run(run, touchpoint)
        self._run_changed()
        self.flow.setFocus(Qt.FocusReason.OtherFocusReason)
        return run

    # -- calls ---------------------------------------------------------------

    def start_call(
        self, call_id: str | None = None, values: dict | None = None, touchpoint: str | None = None
    ) -> str:
        before = self.session.call_id
        call = self.session.start_call(call_id, values, touchpoint)
        if call != before:
            self.versions.call_started()
            self._call_clock.start()
            self._run_changed()
        return call

    def ask_call_id(self) -> None:
        """Start a call with the telephony system's call id, typed or pasted."""
        call_id, ok = QInputDialog.getText(
            self, self.tr("开始通话"), self.tr("呼叫编号（可留空）：")
        )
        if ok:
            self.start_call(call_id.strip() or None)
        self.focus_search()

    def reindex(self) -> None:
        """Rebuild the active packs' search indexes from the store, with progress."""
        from flowdesk.ui.progress import run_with_progress

        infos = self.desk.active_packs()
        if not infos:
            return

        def work(report, cancel) -> int:
            for info in infos:
                self.desk.reindex(info.pack_id, info.sequence, progress=report, cancel=cancel)
            return len(infos)

        run_with_progress(
            self,
            self.work_runner,
            self.tr("重建搜索索引"),
            self.tr("正在重建搜索索引，可以继续使用…"),
            work,
            lambda n: self.statusBar().showMessage(self.tr("搜索索引已重建"), 5000),
        )

    def end_call(self) -> None:
        if not self.session.in_call:
            return
        self.session.end_call()
        self.flow.show_run(self.session.current)
        self.flow.show_summary()
        self._run_changed()
        self.statusBar().showMessage(self.tr("通话已结束"), 5000)
        self.focus_search()
        self.versions.call_ended()  # what fell due during the call takes effect now

    def _update_call_bar(self) -> None:
        bar = self.call_bar
        if self.session.in_call:
            secs = self._call_clock.elapsed() // 1000 if self._call_clock.isValid() else 0
            bar.state.setText(
                self.tr("通话中 ") + f"{self.session.call_id}  {secs // 60:02d}:{secs % 60:02d}"
            )
            bar.state.setProperty("live", True)
        else:
            bar.state.setText(self.tr("未在通话中"))
            bar.state.setProperty("live", False)
        bar.state.style().unpolish(bar.state)
        bar.state.style().polish(bar.state)
        bar.start.setEnabled(not self.session.in_call)
        bar.end.setEnabled(self.session.in_call)
        recent = [f"Alt+{i} {r.flow.title}" for i, r in enumerate(self.session.recent, 1)]
        bar.recent.setText((self.tr("最近：") + "  ·  ".join(recent[:5])) if recent else "")

    # -- runs ----------------------------------------------------------------

    def refresh_runs(self) -> None:
        """Repaint the call bar and the open-run tabs from the session."""
        self._sync_runs()
        self._update_call_bar()
        if self.session.in_call and not self._call_clock.isValid():
            self._call_clock.start()

    def _run_changed(self) -> None:
        if self.flow.run is not None and not self.flow.run.is_open:
            # the run finished: keep showing it (its "completed" card) until another is chosen
            pass
        elif self.session.current is not self.flow.run:
            self.flow.show_run(self.session.current)
        self._sync_runs()
        self._update_call_bar()

    def _sync_runs(self) -> None:
        self.runs.blockSignals(True)
        while self.runs.count():
            self.runs.removeTab(0)
        open_runs = self.session.open_runs()
        for run in open_runs:
            self.runs.addTab(run.flow.title)
        if self.flow.run in open_runs:
            self.runs.setCurrentIndex(open_runs.index(self.flow.run))
        self.runs.setVisible(bool(open_runs))
        self.runs.blockSignals(False)

    def _run_tab_changed(self, index: int) -> None:
        open_runs = self.session.open_runs()
        if 0 <= index < len(open_runs):
            self.session.select(open_runs[index])
            self.flow.show_run(open_runs[index])
            self._update_call_bar()

    def _cycle_run(self, step: int) -> None:
        open_runs = self.session.open_runs()
        if not open_runs:
            return
        at = open_runs.index(self.flow.run) if self.flow.run in open_runs else -1
        run = open_runs[(at + step) % len(open_runs)]
        self.session.select(run)
        self.flow.show_run(run)
        self._sync_runs()
        self.flow.setFocus()

    # -- small dialogs -------------------------------------------------------

    def ask_feedback(self) -> None:
        from flowdesk.ui.feedback import FeedbackDialog

        run = self.flow.run if self.flow.run is not None and self.flow.run.is_open else None
        where = "—"
        if run is not None:
            where = f"{run.flow.title}（{run.flow.id}）" + (
                f" · {run.current}" if run.current else ""
            )
        dialog = FeedbackDialog(where, self)
        if dialog.exec() and dialog.feedback():
            self.session.feedback(run, dialog.feedback())
            self.statusBar().showMessage(self.tr("反馈已记录，谢谢"), 5000)
        self.flow.setFocus()

    def open_settings(self) -> None:
        from flowdesk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.pack, parent=self)
        language = self.settings.language
        if dialog.exec():
            dialog.apply()
            self.session.agent_id = self.settings.agent_id or self.session.agent_id
            self.session.team = self.settings.team or self.session.team
            self.save_settings()
            if self.settings.language != language and self.on_language is not None:
                self.on_language(self.settings.language)

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td style='padding-right:16px'><b>{k}</b></td><td>{t}</td></tr>"
            for k, t in shortcut_table()
        )
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("快捷键"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table>{rows}</table>")
        box.exec()

    def save_settings(self) -> None:
        if self.settings_path is not None:
            self.settings.save(self.settings_path)

    def _remember_channel(self, channel: str | None) -> None:
        self.settings.usual_channel = channel
        self.save_settings()

    def _remember_brand(self, brand: str | None) -> None:
        self.settings.usual_brand = brand
        self.save_settings()

    # -- focus, tabs, messages -----------------------------------------------

    def focus_search(self) -> None:
        self.show_tab(0)
        self.search.focus_search()

    def show_tab(self, index: int) -> None:
        self.left.setCurrentIndex(index)
        if index == 1:
            self.map.table.setFocus()

    def add_tab(self, widget: QWidget, title: str) -> int:
        """A place for more views beside search and the map (e.g. "质检 QA")."""
        return self.left.addTab(widget, title)

    def add_lazy_tab(self, title: str, build: Callable[[], QWidget]) -> int:
        """A tab whose widget is built the first time it is shown (keeps start-up fast)."""
        holder = QWidget()
        holder.setProperty("lazy", True)
        QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
        self._lazy[holder] = build
        return self.left.addTab(holder, title)

    def _tab_changed(self, index: int) -> None:
        holder = self.left.widget(index)
        build = self._lazy.pop(holder, None)
        if build is not None:
            try:
                widget = build()
            except Exception as exc:  # a broken extra view must not take the desk down
                from flowdesk.ui.errors import plain_message

                logging.getLogger(__name__).exception("could not open a tab")
                widget = QLabel(self.tr("无法打开：") + plain_message(exc))
                widget.setWordWrap(True)
            holder.layout().addWidget(widget)
        # the map and extra views need room for their columns; search results do not
        total = sum(self.split.sizes()) or self.width()
        share = {0: None, 1: 0.66}.get(index, 0.72)
        left = min(470, int(total * 0.36)) if share is None else int(total * share)
        self.split.setSizes([left, total - left])

    def handle_message(self, message: dict) -> None:
        """A message from a second ``flowdesk`` (screen pop or plain start): act, come forward."""
        if self.pack is None and message.get("cmd") == "open":
            self._pending_messages.append(message)
        elif message.get("cmd") == "open":
            try:  # any sender can reach the socket: check the pop again, never crash on it
                pop = pop_from_message(message)
            except BadValues as exc:
                self.statusBar().showMessage(
                    self.tr("来电弹屏数据有误，已拒绝：") + str(exc), 10000
                )
            else:
                self.open_touchpoint(pop.touchpoint, pop.call_id, pop.values)
        self.bring_forward()
        if message.get("cmd") == "focus":
            # A plain second start: bound to a system hotkey, it is the agent's global
            # "search now" key from any other program.
            self.focus_search()

    def bring_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def hand_over(self) -> None:
        """Close this window without ending the call: a new one (another language) takes over."""
        self._handed_over = True
        self._clock.stop()
        self.updates.stop()
        self.versions.stop()
        self.close()
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        if getattr(self, "_handed_over", False):
            super().closeEvent(event)
            return
        self.session.close()
        self.updates.stop()
        self.versions.stop()
        self.search_runner.wait(3000)
        self.work_runner.wait(3000)
        super().closeEvent(event)
