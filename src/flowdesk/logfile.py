"""FlowDesk's log file: where every error the agent cannot read a traceback of ends up.

The window has no console (the windowed bundle has no standard streams at
all), so uncaught exceptions, failed background tasks and Qt's own warnings
go to a rotating ``flowdesk.log`` in the data folder (``DataDir.log``), where
a team lead or IT can read them; the agent sees a plain sentence instead.
A log that cannot be opened (a read-only folder) falls back to standard error:
logging must never stop the desk from working.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from types import TracebackType

from flowdesk.paths import DataDir

#: Four files of at most 1 MB: weeks of a desk's warnings, never a full disk.
MAX_BYTES = 1024 * 1024
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger("flowdesk")


def install(data: DataDir, level: int = logging.INFO) -> Path | None:
    """Log to ``data.log`` (rotating) and route uncaught exceptions there; returns the file.

    Idempotent. None when the file cannot be opened; then standard error is used.
    """
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "flowdesk_log", None) == data.log:
            return data.log
    handler: logging.Handler
    try:
        data.root.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            data.log, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        handler.flowdesk_log = data.log  # type: ignore[attr-defined]
        path: Path | None = data.log
    except OSError:
        handler, path = logging.StreamHandler(), None
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_uncaught
    return path


def _log_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log.critical("uncaught exception", exc_info=(kind, exc, tb))


def _log_thread_uncaught(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    log.critical(
        "uncaught exception in thread %s",
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
    )


class LogStream:
    """A text stream that writes whole lines to the log (the windowed bundle's stderr)."""

    def __init__(self, logger: logging.Logger, level: int = logging.WARNING) -> None:
        self._logger, self._level, self._pending = logger, level, ""

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            if line.strip():
                self._logger.log(self._level, line)
        return len(text)

    def flush(self) -> None:
        if self._pending.strip():
            self._logger.log(self._level, self._pending)
        self._pending = ""

    def isatty(self) -> bool:
        return False
