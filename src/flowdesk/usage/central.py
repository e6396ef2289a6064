"""A site's central usage store (PostgreSQL) and the desk's ``usage push`` to it.

Pushing is idempotent and resumable without any coordination: the desk sends
its events in arrival order (``seq``), one batch per central transaction, with
"insert, skip what is already there" (dedup by ``event_id``), and only after
the central commit records locally how far it got. A connection lost before
the central commit loses nothing (the batch is sent again); one lost after it
duplicates nothing (the resend is skipped). A desk that was offline for a week
simply has more batches to send.

The password never appears in a URL that is stored, logged or typed: the URL
names the user and host, and the password comes from the OS keyring under
:data:`KEYRING_SERVICE`, keyed by ``user@host:port/database``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from flowdesk import secrets
from flowdesk.problems import Refused
from flowdesk.usage.central_schema import (
    CELL_TABLES,
    add_cells,
    create_schema,
    ensure_months,
    has_schema,
)
from flowdesk.usage.rows import insert_ignoring_duplicates
from flowdesk.usage.schema import EVENT_COLUMNS, POSTGRES_UPGRADES, push_ack, usage_event

KEYRING_SERVICE = secrets.CENTRAL_SERVICE
#: What a desk without a working keyring can do instead.
_KEYRING_HINT = (
    "let the central store accept this desk without a password (e.g. a client "
    "certificate), or use a desk whose keyring works"
)
PUSH_BATCH = 5_000


def central_url(text: str) -> URL:
    """Parse a central store URL, refusing one that carries a password."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise Refused(f"not a database URL: {text!r}") from None
    if url.password is not None:
        raise Refused(
            "the central store URL must not contain a password; store it in the OS keyring "
            "with `flowdesk usage password URL`"
        )
    if not url.get_backend_name().startswith("postgresql"):
        raise Refused(f"the central store must be PostgreSQL, not {url.get_backend_name()!r}")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def keyring_user(url: URL) -> str:
    """The keyring entry name of a central store: who, where, which database."""
    return f"{url.username or ''}@{url.host or ''}:{url.port or 5432}/{url.database or ''}"


def set_password(url: URL, password: str) -> None:
    secrets.set_secret(KEYRING_SERVICE, keyring_user(url), password, _KEYRING_HINT)


def central_engine(url: URL) -> Engine:
    """An engine on the central store, password from the keyring, tables created if new."""
    password = secrets.get_secret(KEYRING_SERVICE, keyring_user(url), _KEYRING_HINT)
    engine = create_engine(
        url.set(password=password) if password else url,
        pool_pre_ping=True,
        hide_parameters=True,
    )
    with engine.begin() as conn:
        if not has_schema(conn):  # a new store: its owner makes the tables on first use
            create_schema(conn)
            today = datetime.now(UTC).date()
            ensure_months(conn, today.replace(day=1) - timedelta(days=1), today)
        elif _owned_and_behind(conn):  # a store made by an earlier FlowDesk
            for statement in POSTGRES_UPGRADES:
                conn.exec_driver_sql(statement)
            if any(not _exists(conn, table) for table in CELL_TABLES):
                add_cells(conn)
    return engine


def _owned_and_behind(conn) -> bool:  # type: ignore[no-untyped-def]
    """Whether the store lacks this FlowDesk's additions and this role (its owner) may add them.

    Any role may ask; a desk's or QA's login on a store not yet upgraded reads on.
    """
    found = conn.exec_driver_sql(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE'), "
        "to_regclass('step_day') IS NULL OR to_regclass('run_day') IS NULL "
        "OR to_regclass('ix_usage_event_branch') IS NULL "
        "OR NOT EXISTS (SELECT 1 FROM "
        "information_schema.columns WHERE table_name = 'usage_event' "
        "AND column_name = 'desk_id') FROM pg_class c WHERE c.relname = 'usage_event'"
    ).first()
    return bool(found and found[0] and found[1])


def _exists(conn, table: str) -> bool:  # type: ignore[no-untyped-def]
    return bool(conn.exec_driver_sql(f"SELECT to_regclass('{table}') IS NOT NULL").scalar())


@dataclass(frozen=True)
class PushResult:
    """What one push did: events sent, new to the central store, still pending."""

    sent: int
    stored: int
    pending: int


def target_name(url: URL) -> str:
    """The desk's name for a central store, for its acknowledgement row (no password)."""
    return url.render_as_string(hide_password=True)


def pending_count(local: Engine, target: str) -> int:
    from sqlalchemy import func

    with local.connect() as conn:
        acked = _acked(conn, target)
        stmt = select(func.count()).select_from(usage_event).where(usage_event.c.seq > acked)
        return int(conn.execute(stmt).scalar_one())


def push(
    local: Engine,
    central: Engine,
    target: str,
    batch: int = PUSH_BATCH,
    after_batch: Callable[[int], None] | None = None,
) -> PushResult:
    """Send every event not yet acknowledged by ``target``; safe to interrupt and repeat.

    ``after_batch`` (tests, progress) is called with the events sent so far
    after each acknowledged batch.
    """
    sent = stored = 0
    columns = [usage_event.c.seq, *(usage_event.c[name] for name in EVENT_COLUMNS)]
    while True:
        with local.connect() as conn:
            acked = _acked(conn, target)
            stmt = (
                select(*columns)
                .where(usage_event.c.seq > acked)
                .order_by(usage_event.c.seq)
                .limit(batch)
            )
            rows = conn.execute(stmt).all()
        if not rows:
            break
        with central.begin() as remote:
            stored += insert_ignoring_duplicates(remote, [tuple(row[1:]) for row in rows])
        # Only now, with the central commit done, does the desk move its mark.
        _acknowledge(local, target, int(rows[-1][0]))
        sent += len(rows)
        if after_batch is not None:
            after_batch(sent)
    return PushResult(sent=sent, stored=stored, pending=pending_count(local, target))


def _acked(conn, target: str) -> int:  # type: ignore[no-untyped-def]
    value = conn.execute(
        select(push_ack.c.acked_seq).where(push_ack.c.target == target)
    ).scalar_one_or_none()
    return int(value or 0)


def _acknowledge(local: Engine, target: str, seq: int) -> None:
    from sqlalchemy.dialects.sqlite import insert

    stmt = insert(push_ack).values(target=target, acked_seq=seq)
    stmt = stmt.on_conflict_do_update(index_elements=["target"], set_={"acked_seq": seq})
    with local.begin() as conn:
        conn.execute(stmt)
