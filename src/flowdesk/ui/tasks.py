"""Slow work off the UI thread: one helper for search, import and indexing.

A task is a plain function; it runs on a worker thread and its result, error
or progress comes back to the UI thread by signal, so the window never waits.
Tests pass ``synchronous=True`` and get the same signals, emitted inline, so
they drive the real code path without sleeping.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

#: ``progress(stage, done, total)``, handed to a task that wants to report progress.
Progress = Callable[[str, int, int], None]


class TaskSignals(QObject):
    """Signals of one task; lives in the UI thread, emitted from the worker."""

    done = Signal(object)
    failed = Signal(object)  # the exception
    progress = Signal(str, int, int)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: TaskSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # every failure goes back to the UI, none is lost
            exc.__flowdesk_traceback__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._signals.failed.emit(exc)
        else:
            self._signals.done.emit(result)


def _report(exc: BaseException, parent: object) -> None:
    from PySide6.QtWidgets import QWidget

    from flowdesk.ui.errors import report_error

    report_error(exc, parent if isinstance(parent, QWidget) else None)


class TaskRunner(QObject):
    """Runs functions on its own thread pool (``threads`` workers) or inline.

    Search gets a runner with one worker, so type-ahead queries never pile up
    behind an import; import and indexing get another. A task run without an
    ``on_error`` of its own fails the one way: its traceback to the log file, a
    plain message to the agent (:mod:`flowdesk.ui.errors`), never silently.
    """

    def __init__(self, threads: int = 1, synchronous: bool = False, parent=None) -> None:
        super().__init__(parent)
        #: What a task run without ``on_error`` does with its failure (tests may swap it).
        self.report_error: Callable[[BaseException], object] = lambda exc: _report(exc, parent)
        self.synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max(1, threads))
        self._live: set[TaskSignals] = set()

    def run(
        self,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[str, int, int], None] | None = None,
        *,
        with_progress: bool = False,
    ) -> TaskSignals:
        """Run ``fn()`` (``fn(progress)`` when ``with_progress``); call back on the UI thread."""
        signals = TaskSignals(self)
        if on_done is not None:
            signals.done.connect(on_done)
        # No handler of its own: the one error path (log the traceback, tell the agent).
        signals.failed.connect(on_error if on_error is not None else self.report_error)
        if on_progress is not None:
            signals.progress.connect(on_progress)
        self._live.add(signals)
        signals.done.connect(lambda _r, s=signals: self._forget(s))
        signals.failed.connect(lambda _e, s=signals: self._forget(s))

        def call() -> Any:
            return fn(signals.progress.emit) if with_progress else fn()

        runnable = _Runnable(call, signals)
        if self.synchronous:
            runnable.run()
        else:
            self._pool.start(runnable)
        return signals

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for every queued task (closing the window, tests)."""
        return self._pool.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def _forget(self, signals: TaskSignals) -> None:
        self._live.discard(signals)
        signals.deleteLater()
