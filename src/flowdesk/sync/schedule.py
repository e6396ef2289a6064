"""Checking for updates in the background, on a schedule, while the window is open.

Qt-free: a daemon thread that runs a job every ``interval`` seconds and hands
each outcome (the job's result or the exception it raised) to a callback.
The window passes a job such as ``lambda: check_for_updates(desk, source)``
and a callback that emits a Qt signal, so the UI thread never waits on the
network; tests use a short interval and a plain list as the callback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class PeriodicCheck:
    """Runs ``job`` now and then every ``interval`` seconds until :meth:`stop`."""

    def __init__(
        self,
        interval: float,
        job: Callable[[], Any],
        on_outcome: Callable[[Any], None],
        first_delay: float = 0.0,
    ) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        self.interval = interval
        self._job = job
        self._on_outcome = on_outcome
        self._first_delay = first_delay
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="flowdesk-sync", daemon=True)

    def start(self) -> PeriodicCheck:
        self._thread.start()
        return self

    def check_now(self) -> None:
        """Run the job at once (the window's 'check for updates' button)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the current run; waits up to ``timeout`` seconds for it."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        delay = self._first_delay
        while not self._stop.is_set():
            self._wake.wait(delay)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                outcome = self._job()
            except Exception as exc:  # handed to the callback: the thread must live on
                outcome = exc
            self._on_outcome(outcome)
            delay = self.interval
