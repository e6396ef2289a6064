"""The desk's usage log: ``record()`` never blocks; a writer thread commits in batches.

The window calls :meth:`UsageLog.record` on the UI thread mid-call, so it must
cost no more than putting an object on a queue. One writer thread owns the
SQLite connection: it takes whatever has queued up, writes it as one
transaction and commits at once (no deliberate delay), so under load batches
grow and the fsync cost per event shrinks, and when idle each event is on disk
a few milliseconds after it happened.

Durability: WAL journal with ``synchronous=FULL``. A committed batch has been
fsynced, so a kill -9 or a power loss loses at most what was still queued or
being written (normally the one event being written), and SQLite's WAL never
leaves a half-written transaction visible, so the log is never corrupt.
"""

from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path

from sqlalchemy import Engine

from flowdesk.problems import Refused
from flowdesk.statefiles import set_aside
from flowdesk.usage.events import UsageEvent
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates
from flowdesk.usage.schema import sqlite_engine

log = logging.getLogger(__name__)

#: Upper bound of one transaction, so a backlog never makes one huge commit.
MAX_BATCH = 5_000

_STOP = object()


class UsageLog:
    """The durable, non-blocking usage log of one desk (``usage.sqlite3``)."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        self.path = path
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._lock = threading.Condition()
        self._recorded = 0  # events handed to record(), guarded by _lock
        self._committed = 0  # events the writer has committed (or given up on)
        self._failures = 0
        self._closed = False
        self._writer = threading.Thread(target=self._write_loop, name="usage-writer", daemon=True)
        self._writer.start()

    @classmethod
    def open(cls, path: Path) -> UsageLog:
        """Open (create or upgrade in place) the log file and start its writer."""
        return cls(sqlite_engine(path, synchronous="FULL"), path)

    @classmethod
    def open_setting_aside(cls, path: Path) -> tuple[UsageLog, Path | None]:
        """Open the window's log; a damaged file is renamed aside (kept) and a new one begun.

        The window must keep logging mid-shift, and the damaged file may hold events
        not yet pushed, so it is never deleted: returns where it went (None: intact).
        """
        try:
            return cls.open(path), None
        except Refused:
            kept = set_aside(path)
            log.warning("usage log %s is damaged; kept as %s, a new log begun", path, kept)
            return cls.open(path), kept

    @property
    def failures(self) -> int:
        """Events the writer could not store (disk full, file removed…); logged, never raised."""
        return self._failures

    def record(self, event: UsageEvent) -> None:
        """Hand one event to the writer; returns at once (safe on the UI thread)."""
        if self._closed:
            raise RuntimeError("usage log is closed")
        with self._lock:
            self._recorded += 1
        self._queue.put(event)

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until everything recorded so far is committed; ``TimeoutError`` if it is not."""
        with self._lock:
            target = self._recorded
            if not self._lock.wait_for(lambda: self._committed >= target, timeout):
                raise TimeoutError(f"usage log: {target - self._committed} events not yet written")

    def close(self) -> None:
        """Write what is queued, stop the writer and release the file."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._writer.join()
        self.engine.dispose()

    def __enter__(self) -> UsageLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write_loop(self) -> None:
        stop = False
        while not stop:
            batch: list[UsageEvent] = []
            item = self._queue.get()
            while True:
                if item is _STOP:
                    stop = True
                elif isinstance(item, UsageEvent):
                    batch.append(item)
                if stop or len(batch) >= MAX_BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._write(batch)

    def _write(self, batch: list[UsageEvent]) -> None:
        try:
            with self.engine.begin() as conn:
                insert_ignoring_duplicates(conn, [event_to_row(ev) for ev in batch])
        except Exception:  # the writer must survive: the desk keeps working without its log
            self._failures += len(batch)
            log.exception("usage log: could not write %d events to %s", len(batch), self.path)
        with self._lock:
            self._committed += len(batch)
            self._lock.notify_all()
