"""The window's one error path: traceback to flowdesk.log, a plain sentence to the agent."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import qInstallMessageHandler, qWarning
from PySide6.QtWidgets import QMessageBox, QWidget

from flowdesk import logfile
from flowdesk.paths import DataDir
from flowdesk.problems import Refused
from flowdesk.ui.errors import plain_message, route_qt_messages
from flowdesk.ui.tasks import TaskRunner


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = (sys.excepthook, threading.excepthook)
    path = logfile.install(DataDir(tmp_path))
    assert path == tmp_path / "flowdesk.log"
    yield path
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


def _boxes(parent: QWidget) -> list[QMessageBox]:
    return parent.findChildren(QMessageBox)


def test_a_task_without_on_error_logs_its_traceback_and_tells_the_agent_plainly(
    qtbot, log_file: Path
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    runner = TaskRunner(synchronous=True, parent=window)

    def broken() -> None:
        {"携号转网": 1}["np-qualify"]

    runner.run(broken)
    boxes = [b for b in _boxes(window) if b.isVisible()]
    assert len(boxes) == 1
    text = boxes[0].text()
    assert "KeyError" not in text and "np-qualify" not in text
    assert "flowdesk.log" in text
    boxes[0].accept()
    logged = log_file.read_text("utf-8")
    assert "Traceback" in logged and "KeyError" in logged and "in broken" in logged


def test_a_task_with_its_own_on_error_is_left_to_it(qtbot, log_file: Path) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    runner = TaskRunner(synchronous=True, parent=window)
    seen: list[BaseException] = []
    runner.run(lambda: 1 / 0, on_error=seen.append)
    assert isinstance(seen[0], ZeroDivisionError)
    assert not _boxes(window)


def test_plain_messages_never_name_an_exception_class() -> None:
    refused = Refused("pack 'cmcc-hotline' sequence 3 is not newer", file="pack.yaml")
    assert plain_message(refused) == "pack.yaml: pack 'cmcc-hotline' sequence 3 is not newer"
    for exc in (PermissionError(13, "denied"), OSError(28, "full"), ValueError("x"), KeyError("k")):
        message = plain_message(exc)
        assert type(exc).__name__ not in message and message


def test_uncaught_exceptions_and_qt_warnings_go_to_the_log(qtbot, log_file: Path) -> None:
    previous = route_qt_messages()
    try:
        qWarning("样式表无法解析 stylesheet")
    finally:
        qInstallMessageHandler(previous)
    try:
        raise RuntimeError("意外 unexpected")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    logged = log_file.read_text("utf-8")
    assert "样式表无法解析 stylesheet" in logged
    assert "uncaught exception" in logged and "意外 unexpected" in logged


def test_the_plain_message_is_in_the_agents_language(qtbot) -> None:
    """Chinese by default; English through the Qt translation when the agent chose it."""
    from PySide6.QtWidgets import QApplication

    from flowdesk.ui.i18n import install_translators

    failure = KeyError("np-qualify")
    assert "flowdesk.log" in plain_message(failure) and "意外错误" in plain_message(failure)
    app = QApplication.instance()
    try:
        assert install_translators(app, "en")
        english = plain_message(failure)
        full = plain_message(OSError(28, "No space left on device"))
    finally:
        install_translators(app, "zh_CN")
    assert "unexpected" in english and "flowdesk.log" in english and "KeyError" not in english
    assert "disk is full" in full
    assert "意外错误" in plain_message(failure)


def test_a_failure_told_in_place_is_logged_and_shown_in_plain_words(qtbot, log_file: Path) -> None:
    from flowdesk.ui.search_panel import SearchPanel

    def broken_search(*_args: object, **_filters: object) -> list:
        {"携号转网": 1}["np-qualify"]
        return []

    panel = SearchPanel(broken_search, TaskRunner(synchronous=True))
    qtbot.addWidget(panel)
    panel.box.setText("携转")
    panel.controller.search_now()
    qtbot.waitUntil(lambda: "搜索出错" in panel.status.text(), timeout=5000)
    shown = panel.status.text()
    assert "KeyError" not in shown and "np-qualify" not in shown and "flowdesk.log" in shown
    logged = log_file.read_text("utf-8")
    assert "Traceback" in logged and "KeyError" in logged and "in broken_search" in logged
