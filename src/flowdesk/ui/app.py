"""Starting the window: one instance per data folder, first-start import, the agent's name.

The window is on screen and taking keys before anything slow happens: the
desk (store, search engine, pinyin tables) and the usage log open on the work
thread, searches typed meanwhile wait on the search thread, and events
recorded meanwhile are held until the log is open. The first start's sample
import runs on the work thread behind a progress dialog, and a screen pop
that arrives before the pack is read waits for it.
"""

from __future__ import annotations

import getpass
import importlib
import importlib.util
import logging
import signal
import sys
import threading
from importlib.resources import as_file
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from flowdesk import clock, startcache
from flowdesk.calls import CallSession
from flowdesk.paths import DataDir, resource
from flowdesk.problems import Refused
from flowdesk.settings import Settings
from flowdesk.ui.i18n import install_translators, load_style
from flowdesk.ui.instance import InstanceServer, send_to_running
from flowdesk.ui.main_window import MainWindow
from flowdesk.ui.opening import BufferedSink, LazyDesk
from flowdesk.ui.progress import run_with_progress
from flowdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowdesk.usage.log import UsageLog

#: The longest the desk waits behind a snapshot start for the window's first paint.
OPEN_BEHIND_AFTER_S = 2.0


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), with high-DPI rounding and the FlowDesk style."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        # The search thread shares the GIL with the UI; a short switch interval
        # lets the UI thread paint promptly while a search runs (default 5 ms).
        sys.setswitchinterval(0.001)
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationName("FlowDesk")
        app.setOrganizationName("FlowDesk")
        app.setStyleSheet(load_style())
        with as_file(resource("icons/flowdesk.svg")) as icon:
            if icon.is_file():
                app.setWindowIcon(QIcon(str(icon)))
    assert isinstance(app, QApplication)
    return app


class Desktop:
    """Everything a running window holds, so start-up, tests and screenshots share one path."""

    def __init__(
        self,
        desk: LazyDesk,
        settings: Settings,
        sink: BufferedSink,
        session: CallSession,
        window: MainWindow,
        server: InstanceServer | None = None,
    ) -> None:
        self.desk = desk
        self.settings = settings
        self.sink = sink
        self.session = session
        self.window = window
        self.server = server

    @property
    def log(self) -> UsageLog | None:
        return self.sink.log

    def switch_language(self, language: str) -> None:
        """Show the window in another language, keeping the call, its runs and the agent's place.

        Qt only re-reads translations for text set after the switch, so the
        window is rebuilt around the same session, desk and pack.
        """
        install_translators(application(), language)
        old = self.window
        new = MainWindow(
            self.desk,
            self.settings,
            self.session,
            settings_path=old.settings_path,
            search_runner=old.search_runner,
            work_runner=old.work_runner,
            on_language=self.switch_language,
        )
        new.setGeometry(old.geometry())
        if self.server is not None:
            self.server.message.disconnect(old.handle_message)
            self.server.message.connect(new.handle_message)
            self.server.setParent(new)
        new.setProperty("ask_agent", False)
        self.window = new
        if old.pack is not None:
            new.set_pack(old.pack)
            add_qa_tab(self)
        new.flow.show_run(self.session.current or old.flow.run, old.flow.touchpoint)
        new.refresh_runs()
        new.search.box.setText(old.search.box.text())
        old.hand_over()
        new.show()
        new.flow.setFocus()

    def close(self) -> None:
        self.window.close()  # ends the call, abandons open runs: recorded before the log closes
        self.window.work_runner.wait(10_000)
        if self.server is not None:
            self.server.close()
        if self.sink.log is not None:
            self.sink.log.close()
        snapshot = self._snapshot_to_keep()
        self.desk.close()
        if snapshot is not None:  # after closing: the store's files as the next start finds them
            startcache.write(self.desk.data, *snapshot)

    def _snapshot_to_keep(self) -> tuple | None:
        """What the next start shows at once: the versions active now (None: no snapshot)."""
        if not self.desk.is_open:
            return None
        try:
            return startcache.capture(self.desk)  # type: ignore[arg-type]
        except Exception:  # a cache: a failure here costs the next start its head start
            logging.getLogger(__name__).exception("start snapshot not captured")
            return None


def build_desktop(
    data_root: Path,
    *,
    synchronous: bool = False,
    listen: bool = True,
    ask_agent: bool = True,
) -> Desktop:
    """Build the window for ``data_root`` (not shown, nothing slow opened yet)."""
    app = application()
    data = DataDir(Path(data_root)).ensure()
    try:
        settings = Settings.load(data.settings)
    except Refused:
        settings = Settings()  # a broken settings file must not keep the agent out
    install_translators(app, settings.language)
    desk = LazyDesk(data.root)
    sink = BufferedSink()
    session = CallSession(settings.agent_id or getpass.getuser(), settings.team, sink)
    window = MainWindow(
        desk,
        settings,
        session,
        settings_path=data.settings,
        search_runner=TaskRunner(1, synchronous, parent=app),
        work_runner=TaskRunner(1, synchronous, parent=app),
    )
    desktop = Desktop(desk, settings, sink, session, window)
    window.on_language = desktop.switch_language
    if listen:
        desktop.server = InstanceServer(data.root, parent=window)
        desktop.server.listen()
        desktop.server.message.connect(window.handle_message)
    window.setProperty("ask_agent", ask_agent and not settings.agent_id)
    return desktop


def start(desktop: Desktop) -> None:
    """Show the window, then open the desk and log and read (or first import) the pack."""
    window = desktop.window
    screen = window.screen().availableGeometry()
    if screen.width() <= 1440 or screen.height() <= 800:
        window.showMaximized()  # the common 1366×768 call-centre screen: use all of it
    else:
        window.show()
    window.search.focus_search()

    usage_set_aside: list[Path] = []  # a damaged usage log renamed aside (kept) on open
    data = desktop.desk.data

    def quick_start() -> tuple[bool, object] | None:
        # the snapshot's pack and indexes: usable before the store (SQLAlchemy) is open
        snapshot = startcache.read(data, clock.now)
        early = startcache.SnapshotDesk.open(data, snapshot) if snapshot else None
        if early is None:
            return None
        desktop.desk.use_snapshot(early)
        return False, early.heads()

    def open_services() -> tuple[bool, object]:
        # one trip to the work thread: open, and read the pack unless it must be imported
        from flowdesk.firstuse import production_hint
        from flowdesk.usage.log import UsageLog

        desk = desktop.desk.open()
        usage_log, kept = UsageLog.open_setting_aside(desk.data.usage)
        desktop.sink.attach(usage_log)
        if kept is not None:
            usage_set_aside.append(kept)
        if desk.needs_sample():
            return True, production_hint(desk)  # None: the sample may be installed
        return False, desk.heads() if desk.active_packs() else None

    shown = threading.Event()  # the snapshot's pack is painted: the desk may take the CPU

    def open_behind() -> tuple[bool, object] | None:
        # the desk behind a snapshot start: None if it has what the window shows
        shown.wait(OPEN_BEHIND_AFTER_S)
        early = desktop.desk.early
        result = open_services()
        if early is not None and early.same_versions(desktop.desk):  # type: ignore[arg-type]
            return None
        startcache.save(desktop.desk)  # type: ignore[arg-type]  (the store's versions, now)
        return result

    def opened(result: tuple[bool, object] | None, *, behind: bool = False) -> None:
        if usage_set_aside:
            from flowdesk.ui.errors import notify

            notify(
                QCoreApplication.translate(
                    "MainWindow", "使用记录文件已损坏，已原样保留为 {0}，并开始新的记录。"
                ).format(usage_set_aside.pop().name),
                window,
            )
        if behind:
            add_qa_tab(desktop)
        if result is None:  # the snapshot was right
            return
        needs_sample, pack = result
        if needs_sample and pack is None:
            first_import(desktop)
        elif needs_sample:  # a production desk: never the sample; say how to get the pack
            window.set_pack(None)
            window.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "尚未安装流程包：") + str(pack)
            )
        else:
            window.set_pack(pack)  # type: ignore[arg-type]
            # open the search index now, not on the agent's first keystroke
            window.search_runner.run(lambda: desktop.desk.search("流程", limit=1))
        if not behind:
            add_qa_tab(desktop)

    def open_and_keep() -> tuple[bool, object]:
        result = open_services()
        if not result[0] and result[1] is not None:  # the next start shows this pack at once
            startcache.save(desktop.desk)  # type: ignore[arg-type]
        return result

    def quick_done(result: tuple[bool, object] | None) -> None:
        if result is None:
            window.work_runner.run(open_and_keep, opened, failed)
            return
        if window.work_runner.synchronous:  # tests: inline, the desk open before the pack shows
            shown.set()
            outcome: list = []
            window.work_runner.run(open_behind, outcome.append, failed_behind)
            if outcome:
                window.set_pack(result[1])  # type: ignore[arg-type]
                opened(outcome[0], behind=True)
            return
        # queued first (what the pack's arrival queues needs the desk), started once painted
        window.work_runner.run(open_behind, lambda r: opened(r, behind=True), failed_behind)
        window.set_pack(result[1])  # type: ignore[arg-type]
        QTimer.singleShot(0, shown.set)

    def failed(exc: BaseException) -> None:
        from flowdesk.ui.errors import report_error

        report_error(exc, window)

    def failed_behind(exc: BaseException) -> None:
        window.set_pack(None)  # the store refused: show what it says, not the snapshot
        failed(exc)

    window.work_runner.run(quick_start, quick_done, lambda _exc: quick_done(None))
    if window.property("ask_agent"):
        QTimer.singleShot(0, lambda: ask_agent(desktop))


def add_qa_tab(desktop: Desktop) -> None:
    """The QA view (质检) as a tab, imported and built when first opened; absent if missing."""
    if importlib.util.find_spec("flowdesk.ui.qa") is None:
        return
    window = desktop.window

    def build() -> QWidget:
        from flowdesk.ui.qa import qa_view_for_desk

        view = qa_view_for_desk(desktop.desk, window.work_runner)
        view.refresh()  # opening the tab asks for the numbers: load them, off the UI thread
        return view

    window.add_lazy_tab(QCoreApplication.translate("MainWindow", "质检 QA"), build)


def first_import(desktop: Desktop) -> None:
    """Import the bundled sample pack on the work thread, with progress; never freezes."""
    from flowdesk.firstuse import ensure_pack

    window = desktop.window
    run_with_progress(
        window,
        window.work_runner,
        QCoreApplication.translate("MainWindow", "导入流程包"),
        QCoreApplication.translate("MainWindow", "首次启动：正在导入样例流程包…"),
        # ensure_pack, not import_sample: a command run meanwhile may have installed it
        lambda report, cancel: ensure_pack(desktop.desk, progress=report, cancel=cancel),
        lambda _result: window.load_pack(),
        lambda _exc: window.set_pack(None),
    )


def ask_agent(desktop: Desktop) -> None:
    from flowdesk.ui.settings_dialog import SettingsDialog

    window = desktop.window
    dialog = SettingsDialog(desktop.settings, window.pack, first_start=True, parent=window)
    if dialog.exec():
        dialog.apply()
        window.save_settings()
        desktop.session.agent_id = desktop.settings.agent_id or desktop.session.agent_id
        desktop.session.team = desktop.settings.team or desktop.session.team
    window.search.focus_search()


def run_app(data_root: Path, message: dict | None = None) -> int:
    """``flowdesk`` and ``flowdesk open``: reach a running window, or start one."""
    app = application()
    from flowdesk.paths import DataDir
    from flowdesk.ui.errors import log_to_data_folder

    log_to_data_folder(DataDir(data_root))  # the window's errors and Qt's warnings
    if send_to_running(data_root, message or {"cmd": "focus"}):
        return 0
    desktop = build_desktop(data_root)
    start(desktop)
    if message is not None:
        desktop.window.handle_message(message)
    _quit_on_signals(app)
    code = app.exec()
    desktop.close()  # ends the call and abandons open runs before the log closes
    return code


def _quit_on_signals(app: QApplication) -> QTimer:
    """Ctrl+C or a session's SIGTERM closes the window properly, so nothing is lost.

    Python only runs signal handlers between bytecodes, so a light timer gives
    it the chance while Qt's loop waits.
    """
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(500)
    return tick
