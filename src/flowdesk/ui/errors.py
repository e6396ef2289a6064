"""The window's one error path: the traceback to the log file, plain words to the agent.

An agent mid-call cannot act on ``KeyError: 'np-qualify'``; a team lead
reading ``flowdesk.log`` can. :func:`plain_message` turns any failure into a
sentence in the agent's language (a refusal keeps FlowDesk's own words, which
name the file and what to do); :func:`report_error` logs the traceback a
background task kept and shows that sentence without blocking the window;
:func:`route_qt_messages` sends Qt's own warnings to the same log.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from flowdesk.problems import Refused

if TYPE_CHECKING:
    from flowdesk.paths import DataDir

log = logging.getLogger("flowdesk.ui")
_shown: set[QMessageBox] = set()

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def plain_message(exc: BaseException) -> str:
    """What went wrong, for the agent: never an exception class name."""
    if isinstance(exc, Refused):
        return "\n".join(str(p) for p in exc.problems) or QCoreApplication.translate(
            "Errors", "操作被拒绝。"
        )
    if isinstance(exc, PermissionError):
        return QCoreApplication.translate(
            "Errors", "无法写入数据文件夹（只读或没有权限），请联系组长或IT。"
        )
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:
        return QCoreApplication.translate("Errors", "磁盘已满，请释放空间后重试。")
    if isinstance(exc, OSError):
        return QCoreApplication.translate(
            "Errors", "无法读取或写入文件，请稍后重试；若仍失败请联系组长或IT。"
        )
    return QCoreApplication.translate(
        "Errors", "出现了意外错误，操作未完成。详情已记入日志文件 flowdesk.log，请告知组长或IT。"
    )


def log_error(exc: BaseException, what: str = "task") -> None:
    """Write ``exc`` with its traceback (the one a background task kept) to the log.

    For failures the agent is told of in place (the update dialog, the status
    bar) or need not be told of at all (the 新/改 marks are a hint).
    """
    trace = getattr(exc, "__flowdesk_traceback__", None)
    if isinstance(exc, Refused):  # FlowDesk's own refusal: its words are the whole story
        log.warning("%s refused: %s", what, exc)
    elif trace:
        log.error("%s failed in the background: %s\n%s", what, exc, trace.rstrip())
    else:
        log.error("%s failed: %s", what, exc, exc_info=exc)


def logged_message(exc: BaseException, what: str) -> str:
    """Log ``exc`` (:func:`log_error`) and return the plain sentence the agent reads instead.

    For a failure told in place, after words saying what failed (a status bar,
    a dialog's own text).
    """
    log_error(exc, what)
    return plain_message(exc)


def report_error(exc: BaseException, parent: QWidget | None = None) -> QMessageBox:
    """Log ``exc`` with its traceback and show the agent a plain, non-blocking warning."""
    log_error(exc)
    return notify(plain_message(exc), parent, QCoreApplication.translate("Errors", "操作未完成"))


def notify(text: str, parent: QWidget | None = None, title: str = "") -> QMessageBox:
    """A warning the agent reads when they look up: window-modal, never blocking the call."""
    parent = parent or QApplication.activeWindow()
    box = QMessageBox(QMessageBox.Icon.Warning, title or "FlowDesk", text, parent=parent)
    _shown.add(box)  # a box without a parent lives as long as a reference to it
    box.finished.connect(lambda _result, b=box: _forget(b))
    box.open()  # window-modal, returns at once: the call goes on
    return box


def _forget(box: QMessageBox) -> None:
    _shown.discard(box)
    box.deleteLater()


def _qt_message(kind: QtMsgType, context, message: str) -> None:  # type: ignore[no-untyped-def]
    where = f" ({context.file}:{context.line})" if getattr(context, "file", None) else ""
    logging.getLogger("flowdesk.qt").log(_QT_LEVELS.get(kind, logging.WARNING), message + where)


def log_to_data_folder(data: DataDir) -> None:
    """Every window's start: errors, uncaught exceptions and Qt's warnings to ``flowdesk.log``.

    The agent's window, the Studio and the QA workspace alike: the plain
    message an agent reads says the details are in that file.
    """
    from flowdesk.logfile import install

    install(data)
    route_qt_messages()


def route_qt_messages():  # type: ignore[no-untyped-def]
    """Qt's warnings (a bad style sheet, a font not found) into FlowDesk's log.

    Returns the handler it replaced (tests put it back).
    """
    return qInstallMessageHandler(_qt_message)
