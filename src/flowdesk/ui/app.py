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
import signal
import sys
import threading
from importlib.resources import as_file
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from flowdesk.calls import CallSession
from flowdesk.paths import DataDir, resource
from flowdesk.problems import Refused
from flowdesk.settings import Settings
from flowdesk.ui.i18n import install_translators, load_style
from flowdesk.ui.instance import InstanceServer, send_to_running
from flowdesk.ui.main_window import MainWindow
from flowdesk.ui.progress import run_with_progress
from flowdesk.ui.tasks import TaskRunner

OPEN_TIMEOUT_S = 120.0


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


class LazyDesk:
    """Stands in for the :class:`flowdesk.desk.Desk` while it opens on the work thread.

    Attribute access waits until the desk is open, so a search submitted
    during start-up simply runs once it can; the UI thread only touches the
    desk after the pack is loaded.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ready = threading.Event()
        self._desk: Any = None
        self._error: BaseException | None = None

    def open(self) -> Any:
        from flowdesk.desk import Desk

        try:
            self._desk = Desk.open(self.root)
        except BaseException as exc:
            self._error = exc
            raise
        finally:
            self._ready.set()
        return self._desk

    @property
    def is_open(self) -> bool:
        return self._desk is not None

    def __getattr__(self, name: str) -> Any:
        if not self._ready.wait(OPEN_TIMEOUT_S) or self._desk is None:
            raise RuntimeError(f"the desk on {self.root} did not open: {self._error}")
        return getattr(self._desk, name)

    def close(self) -> None:
        if self._desk is not None:
            self._desk.close()


class BufferedSink:
    """Hands events to the usage log; holds the few recorded before it is open."""

    def __init__(self) -> None:
        self.log: Any = None
        self._held: list[Any] = []
        self._lock = threading.Lock()

    def __call__(self, event: Any) -> None:
        with self._lock:
            if self.log is None:
                self._held.append(event)
                return
        self.log.record(event)

    def attach(self, log: Any) -> None:
        with self._lock:
            self.log, held, self._held = log, self._held, []
        for event in held:
            log.record(event)


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
    def log(self) -> Any:
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
        self.desk.close()


def build_desktop(
    data_root: Path,
    *,
    synchronous: bool = False,
    listen: bool = True,
    ask_agent: bool = True,
) -> Desktop:
    """Build the window for ``data_root`` (not shown, nothing slow opened yet)."""
    if not synchronous:
        _warm_up()
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


def _warm_up() -> None:
    """Import the desk's modules (store, search engine, pinyin tables) on a side thread.

    They take about half a second to import; doing it while the window is
    built and first painted makes the desk usable that much sooner. The
    work thread's own import then finds them loaded.
    """

    def load() -> None:
        for name in ("flowdesk.desk", "flowdesk.usage.log"):
            importlib.import_module(name)

    threading.Thread(target=load, name="flowdesk-warm-up", daemon=True).start()


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
        return False, desk.pack() if desk.active_packs() else None

    def opened(result: tuple[bool, object]) -> None:
        needs_sample, pack = result
        if usage_set_aside:
            from flowdesk.ui.errors import notify

            notify(
                QCoreApplication.translate(
                    "MainWindow", "使用记录文件已损坏，已原样保留为 {0}，并开始新的记录。"
                ).format(usage_set_aside[0].name),
                window,
            )
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
        add_qa_tab(desktop)

    def failed(exc: BaseException) -> None:
        from flowdesk.ui.errors import report_error

        report_error(exc, window)

    window.work_runner.run(open_services, opened, failed)
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
    from flowdesk.logfile import install
    from flowdesk.paths import DataDir
    from flowdesk.ui.errors import route_qt_messages

    install(DataDir(data_root))  # the window's errors and Qt's warnings go to flowdesk.log
    route_qt_messages()
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
