"""The agent's window: composes the call bar, the side tabs (search, process map), the
open-run tabs and the flow view.

It owns no logic of its own beyond wiring: the desk answers searches and
serves flows, the :class:`flowdesk.calls.CallSession` decides what a key
means for a run and what to record, and the widgets show the result. Work
that may read the store goes to the work runner; the window holds the pack's
heads, and a flow is read alone when opened (:mod:`flowdesk.ui.flow_finder`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from flowdesk import gcpause
from flowdesk.calls import CallSession, FlowRef, FlowRun
from flowdesk.lookup import PackHeads
from flowdesk.model import Pack
from flowdesk.screenpop import pop_from_message
from flowdesk.settings import Settings
from flowdesk.ui import window_dialogs
from flowdesk.ui.actions import build_actions
from flowdesk.ui.call_bar import CallBar
from flowdesk.ui.errors import logged_message, notify
from flowdesk.ui.flow_finder import FlowFinder
from flowdesk.ui.flow_view import FlowView
from flowdesk.ui.notices import NoticeController
from flowdesk.ui.process_map import ProcessMapView
from flowdesk.ui.qa_workspace.beside import open_beside
from flowdesk.ui.run_tabs import RunTabs
from flowdesk.ui.search_panel import SearchPanel
from flowdesk.ui.side_tabs import SideTabs
from flowdesk.ui.tasks import TaskRunner
from flowdesk.ui.updates import UpdateController
from flowdesk.ui.versions import PendingVersions
from flowdesk.variables import BadValues, axis_names

if TYPE_CHECKING:  # the desk itself (tests), or the stand-in while it opens (the app)
    from flowdesk.desk import Desk
    from flowdesk.search import Hit
    from flowdesk.ui.opening import LazyDesk


class MainWindow(QMainWindow):
    """FlowDesk 流程助手."""

    #: A pack was loaded into the window (tests and the start-up timer wait for it).
    pack_loaded = Signal()

    def __init__(
        self,
        desk: Desk | LazyDesk,
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
        self.pack: PackHeads | None = None  # the shown version's heads, never its steps
        self._pending_messages: list[dict] = []
        self.finder = FlowFinder(lambda: self.desk, self.search_runner)  # not behind an import

        # looked up per search (on the search thread): the desk may still be opening
        self.search = SearchPanel.over(lambda: self.desk, self.search_runner)
        self.map = ProcessMapView()
        self.left = SideTabs()
        self.left.addTab(self.search, self.tr("搜索"))
        self.left.addTab(self.map, self.tr("流程地图"))
        self.call_bar = CallBar(session)
        self.flow = FlowView(session)
        self.runs = RunTabs(session, self.flow)
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
        self.call_bar.refresh()
        self.runs.sync()
        self.search.box.setFocus()

    # -- wiring --------------------------------------------------------------

    def _connect(self) -> None:
        a = self.actions_by_name
        a["focus_search"].triggered.connect(self.focus_search)
        a["leave_flow"].triggered.connect(self.focus_search)
        a["start_call"].triggered.connect(lambda: self.start_call())
        a["start_call_with_id"].triggered.connect(lambda: window_dialogs.ask_call_id(self))
        a["reindex"].triggered.connect(self.reindex)
        a["end_call"].triggered.connect(self.end_call)
        a["show_results"].triggered.connect(lambda: self.show_tab(0))
        a["show_map"].triggered.connect(lambda: self.show_tab(1))
        a["focus_flow"].triggered.connect(self.flow.setFocus)
        a["next_run"].triggered.connect(lambda: self.runs.cycle(1))
        a["prev_run"].triggered.connect(lambda: self.runs.cycle(-1))
        a["feedback"].triggered.connect(lambda: window_dialogs.ask_feedback(self))
        a["copy_summary"].triggered.connect(self.flow.copy_summary)
        a["settings"].triggered.connect(lambda: window_dialogs.edit_settings(self))
        a["shortcuts"].triggered.connect(lambda: window_dialogs.show_shortcuts(self))
        a["qa_workspace"].triggered.connect(lambda: open_beside(self))
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
        self.flow.feedback_button.clicked.connect(lambda: window_dialogs.ask_feedback(self))
        self.call_bar.start.clicked.connect(lambda: self.start_call())
        self.call_bar.end.clicked.connect(self.end_call)
        self.search.open_requested.connect(self.open_hit)
        self.search.searched.connect(self.session.searched)
        self.search.channel_changed.connect(self._remember_channel)
        self.map.open_requested.connect(self.open_flow_id)
        self.map.brand_changed.connect(self._remember_brand)
        self.flow.changed.connect(self._run_changed)
        self.flow.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.runs.chosen.connect(self.call_bar.refresh)
        self.left.currentChanged.connect(self._tab_changed)

    # -- packs ---------------------------------------------------------------

    def load_pack(self) -> None:
        """Read the active pack's heads in the background, then fill filters and the map."""

        def read() -> PackHeads | None:
            return self.desk.heads() if self.desk.active_packs() else None

        self.work_runner.run(read, self.set_pack, self._pack_failed)

    def set_pack(self, pack: PackHeads | Pack | None) -> None:
        gcpause.thaw()  # the pack shown so far may be garbage now (settled again below)
        if isinstance(pack, Pack):  # a whole pack is kept as its heads only
            pack = PackHeads.of(pack)
        self.pack = pack
        self.session.names = axis_names(pack) if pack is not None else {}
        self.flow.summary_template = pack.call_summary if pack is not None else None
        self.search.set_pack(pack, self.settings.usual_channel, self.settings.usual_brand)
        self.map.set_pack(pack, self.settings.usual_brand)
        self.updates.pack_changed()
        if pack is not None:
            shown = f"{pack.title} #{pack.sequence} {pack.version or ''}"
            self.statusBar().showMessage(self.tr("流程包：") + shown)
        self.pack_loaded.emit()
        if pack is not None:  # sentences need the pack's vocabulary: read it now, aside
            warm_up = partial(gcpause.settled_after, self.desk.warm_up_search)
            self.work_runner.run(warm_up, lambda _done: None, lambda _exc: None)
        pending, self._pending_messages = self._pending_messages, []
        for message in pending:
            self.handle_message(message)

    def _pack_failed(self, exc: BaseException) -> None:
        failed = self.tr("读取流程包失败：") + logged_message(exc, "read the active pack")
        notify(failed, self, self.tr("流程包"))

    # -- opening flows -------------------------------------------------------

    def open_hit(self, hit: Hit, query: str, result_count: int) -> FlowRun | None:
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
        opened: list[FlowRun] = []

        def missing() -> None:
            self.statusBar().showMessage(self.tr("没有流程认领接触点 ") + code, 8000)
            self.focus_search()

        def found(ref: FlowRef) -> None:
            opened.append(self._show(self.session.open_flow(ref), code.upper()))

        self.finder.by_touchpoint(self.pack, code, found, missing)
        return opened[0] if opened else None  # None also while the desk is still asked

    def open_recent(self, index: int) -> FlowRun | None:
        recent = list(self.session.recent)
        if not 0 <= index < len(recent):
            return None
        ref = recent[index]
        return self._open(ref.flow.id, ref.pack_id)

    def _open(
        self, flow_id: str, pack_id: str | None, *, from_search=False, touchpoint=None
    ) -> FlowRun | None:
        opened: list[FlowRun] = []

        def missing() -> None:
            self.statusBar().showMessage(self.tr("流程已不在当前流程包中：") + flow_id, 8000)

        def found(ref: FlowRef) -> None:
            run = self.session.open_flow(ref, from_search=from_search)
            opened.append(self._show(run, touchpoint))

        self.finder.by_id(self.pack, flow_id, pack_id, found, missing)
        return opened[0] if opened else None  # None also while the desk is still asked

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
            self.call_bar.start_clock()
            self._run_changed()
        return call

    def reindex(self) -> None:
        """Rebuild the active packs' search indexes from the store (``ui/reindexing.py``)."""
        from flowdesk.ui.reindexing import rebuild_indexes

        rebuild_indexes(self)

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

    # -- runs ----------------------------------------------------------------

    def refresh_runs(self) -> None:
        """Repaint the call bar and the open-run tabs from the session."""
        self.runs.sync()
        self.call_bar.refresh()
        self.call_bar.catch_up()

    def _run_changed(self) -> None:
        # a finished run stays on screen (its "completed" card) until another is chosen
        finished = self.flow.run is not None and not self.flow.run.is_open
        if not finished and self.session.current is not self.flow.run:
            self.flow.show_run(self.session.current)
        self.runs.sync()
        self.call_bar.refresh()

    # -- settings ------------------------------------------------------------

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
        return self.left.add_lazy_tab(title, build)

    def _tab_changed(self, index: int) -> None:
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
            # a plain second start (bound to a system hotkey): "search now" from any program
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
        self.call_bar.stop()
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
