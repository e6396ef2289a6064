"""Starting the window: one instance per data folder, first-start import, the agent's name.

The window is shown before anything slow happens; the first start's sample
pack import runs on the work thread behind a progress dialog, and a message
from a screen pop that arrives before the pack is read waits for it.
"""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass
from importlib.resources import as_file
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from flowdesk.calls import CallSession
from flowdesk.paths import resource
from flowdesk.problems import Refused
from flowdesk.settings import Settings
from flowdesk.ui.i18n import install_translators, load_style
from flowdesk.ui.instance import InstanceServer, send_to_running
from flowdesk.ui.main_window import MainWindow
from flowdesk.ui.tasks import TaskRunner


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), with high-DPI rounding and the FlowDesk style."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationName("FlowDesk")
        app.setOrganizationName("FlowDesk")
        app.setStyleSheet(load_style())
        with as_file(resource("icons/flowdesk.svg")) as icon:
            if icon.is_file():
                app.setWindowIcon(QIcon(str(icon)))
    assert isinstance(app, QApplication)
    return app


@dataclass
class Desktop:
    """Everything a running window holds, so start-up, tests and screenshots share one path."""

    desk: object
    settings: Settings
    log: object | None
    session: CallSession
    window: MainWindow
    server: InstanceServer | None = None

    def close(self) -> None:
        self.window.close()
        if self.server is not None:
            self.server.close()
        if self.log is not None:
            self.log.close()  # type: ignore[attr-defined]
        self.desk.close()  # type: ignore[attr-defined]


def build_desktop(
    data_root: Path,
    *,
    synchronous: bool = False,
    listen: bool = True,
    ask_agent: bool = True,
) -> Desktop:
    """Open the desk on ``data_root`` and build the window (not shown yet)."""
    from flowdesk.desk import Desk
    from flowdesk.usage.log import UsageLog

    app = application()
    desk = Desk.open(data_root)
    try:
        settings = Settings.load(desk.data.settings)
    except Refused:
        settings = Settings()  # a broken settings file must not keep the agent out
    install_translators(app, settings.language)
    log = UsageLog.open(desk.data.usage)
    session = CallSession(settings.agent_id or getpass.getuser(), settings.team, log.record)
    window = MainWindow(
        desk,
        settings,
        session,
        settings_path=desk.data.settings,
        search_runner=TaskRunner(1, synchronous, parent=app),
        work_runner=TaskRunner(1, synchronous, parent=app),
        on_language=lambda lang: install_translators(app, lang),
    )
    desktop = Desktop(desk, settings, log, session, window)
    if listen:
        desktop.server = InstanceServer(data_root, parent=window)
        desktop.server.listen()
        desktop.server.message.connect(window.handle_message)
    window.setProperty("ask_agent", ask_agent and not settings.agent_id)
    return desktop


def start(desktop: Desktop) -> None:
    """Show the window, then read (or first import) the pack in the background."""
    window = desktop.window
    window.show()
    desk = desktop.desk
    if desk.needs_sample():  # type: ignore[attr-defined]
        first_import(desktop)
    else:
        window.load_pack()
    if window.property("ask_agent"):
        QTimer.singleShot(0, lambda: ask_agent(desktop))


def first_import(desktop: Desktop) -> None:
    """Import the bundled sample pack on the work thread, with progress; never freezes."""
    window = desktop.window
    dialog = QProgressDialog(
        QCoreApplication.translate("MainWindow", "首次启动：正在导入样例流程包…"),
        QCoreApplication.translate("MainWindow", "取消"),
        0,
        0,
        window,
    )
    dialog.setWindowTitle(QCoreApplication.translate("MainWindow", "导入流程包"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    cancelled = {"flag": False}
    dialog.canceled.connect(lambda: cancelled.__setitem__("flag", True))

    def progress(stage: str, done: int, total: int) -> None:
        dialog.setLabelText(
            QCoreApplication.translate("MainWindow", "首次启动：正在导入样例流程包…") + f"\n{stage}"
        )
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def done(_result: object) -> None:
        dialog.reset()
        window.load_pack()

    def failed(exc: BaseException) -> None:
        dialog.reset()
        if not cancelled["flag"]:
            QMessageBox.warning(
                window, QCoreApplication.translate("MainWindow", "导入流程包"), str(exc)
            )
        window.set_pack(None)

    desktop.window.work_runner.run(
        lambda report: desktop.desk.import_sample(  # type: ignore[attr-defined]
            progress=report, cancel=lambda: cancelled["flag"]
        ),
        done,
        failed,
        progress,
        with_progress=True,
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
    if send_to_running(data_root, message or {"cmd": "focus"}):
        return 0
    desktop = build_desktop(data_root)
    start(desktop)
    if message is not None:
        desktop.window.handle_message(message)
    code = app.exec()
    desktop.close()
    return code
