"""Opening the SQLite store: WAL, foreign keys, real transactions.

pysqlite's own transaction handling does not wrap DDL and begins lazily, so
we turn it off and emit ``BEGIN`` ourselves: schema upgrades and pack
imports are then truly all-or-nothing. Writers use :func:`writer` (``BEGIN
IMMEDIATE``) so a second writer waits for the first instead of failing
halfway; readers begin deferred and, under WAL, never wait for a writer.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from flowdesk.statefiles import check_sqlite, guard_sqlite
from flowdesk.store.migrations import upgrade

STORE = "the process-map store"
#: What to do with a damaged store: the packs can always be imported again.
STORE_ADVICE = (
    "restore it from a backup, or move it aside and import the desk's packs again "
    "(`flowdesk pack import FILE` or `flowdesk sync SOURCE`)"
)


def create_store_engine(path: Path, *, upgrade_schema: bool = True) -> Engine:
    """An engine on the SQLite file at ``path``, upgraded to the current schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    check_sqlite(path, STORE, STORE_ADVICE)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})
    guard_sqlite(engine, path, STORE, STORE_ADVICE)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get("flowdesk_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    if upgrade_schema:
        with writer(engine).connect() as conn:
            upgrade(conn)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take the write lock at BEGIN."""
    return engine.execution_options(flowdesk_immediate=True)


class ChangeWatch:
    """Tells, in microseconds, whether anyone committed to the store since the last look.

    A long-lived desk (the window) asks on every keystroke which versions are active.
    Re-reading them through SQLAlchemy costs a statement compile and a pooled
    connection, 20 ms on a cold desk CPU; SQLite's ``PRAGMA data_version`` on a
    connection of our own changes exactly when another connection (another process,
    or this desk's own writes through the engine's pool) has committed.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._conn: sqlite3.Connection | None = None
        self._seen: int | None = None
        self._lock = threading.Lock()

    def changed(self) -> bool:
        """True the first time, and whenever a commit happened since the previous call."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = sqlite3.connect(
                        f"file:{self._path}?mode=rw", uri=True, check_same_thread=False
                    )
                version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                self._drop()
                return True  # the caller re-reads through the engine, which names any damage
            changed, self._seen = version != self._seen, version
            return changed

    def unchanged(self) -> bool:
        """True when nobody committed since the last :meth:`changed` (which it leaves as is)."""
        with self._lock:
            if self._conn is None or self._seen is None:
                return False
            try:
                return self._conn.execute("PRAGMA data_version").fetchone()[0] == self._seen
            except sqlite3.Error:
                return False

    def forget(self) -> None:
        """The next :meth:`changed` says True (this desk just wrote, and reads it back)."""
        with self._lock:
            self._seen = None

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn, self._seen = None, None
