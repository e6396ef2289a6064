"""Opening the SQLite store: WAL, foreign keys, real transactions.

pysqlite's own transaction handling does not wrap DDL and begins lazily, so
we turn it off and emit ``BEGIN`` ourselves: schema upgrades and pack
imports are then truly all-or-nothing. Writers use :func:`writer` (``BEGIN
IMMEDIATE``) so a second writer waits for the first instead of failing
halfway; readers begin deferred and, under WAL, never wait for a writer.
"""

from __future__ import annotations

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
