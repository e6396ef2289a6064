"""The data folder's own files when they are damaged: refused with a message, never a traceback.

A desk's files can be truncated by a full disk, overwritten by a sync tool,
restored from the wrong backup or edited by hand. Whatever happened, FlowDesk
names the file, says what is wrong and what to do, and changes nothing: the
SQLite files (process-map store and usage log) are checked cheaply when
opened (header and size) and every SQLite error on them afterwards is turned
into such a message; a text file with bytes that are not UTF-8 is refused like
one that is not valid JSON. Which file is refused and which is set aside and
started clean is listed in ``docs/data-folder.md``.
"""

from __future__ import annotations

import errno
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flowdesk.paths import INDEX_TABLE, DataDir
from flowdesk.problems import Refused

if TYPE_CHECKING:  # SQLAlchemy is imported where an engine exists, not by the settings
    from sqlalchemy import Engine


_MAGIC = b"SQLite format 3\x00"
_HEADER = 100


def sqlite_damage(path: Path) -> str | None:
    """What is wrong with the SQLite file at ``path`` at first sight, or None.

    Reads the 100-byte header only: the magic string, a valid page size, and a
    file no shorter than the page count the header records (a truncated copy).
    A missing or 0-byte file is not damage here: SQLite creates it.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(_HEADER)
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        return "it is a folder, not a database file"
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if not header:
        return None
    if len(header) < _HEADER or not header.startswith(_MAGIC):
        return "it is not an SQLite database (damaged or overwritten)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "its header is damaged (no valid page size)"
    pages = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    changes = int.from_bytes(header[24:28], "big")
    if pages and valid_for == changes and size < pages * page_size and not _wal_beside(path):
        return f"it is truncated ({size} of {pages * page_size} bytes)"
    return None


def _wal_beside(path: Path) -> bool:
    """Whether a write-ahead log with frames lies beside ``path``.

    A process killed in the middle of a checkpoint leaves the file shorter than
    its header says while the WAL still holds every page: SQLite recovers that
    on open, so it is not a truncated copy (and real damage is still named by
    the engine's guard when a page is read).
    """
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def check_sqlite(path: Path, what: str, advice: str) -> None:
    """Refuse a damaged SQLite file before anything opens it."""
    damage = sqlite_damage(path)
    if damage is not None:
        raise Refused(f"{what} is damaged: {damage}; {advice}", file=str(path))


def guard_sqlite(engine: Engine, path: Path, what: str, advice: str) -> None:
    """Turn every SQLite error on ``engine`` into a refusal naming ``path``.

    A malformed page found mid-query, a read-only folder, a full disk: each is
    a plain message with the file and what to do, never ``sqlite3.DatabaseError``.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "handle_error")
    def _refuse(context) -> None:  # type: ignore[no-untyped-def]
        raise sqlite_refusal(context.original_exception, path, what, advice) from None


def sqlite_refusal(exc: BaseException, path: Path, what: str, advice: str) -> Refused:
    """The refusal for one SQLite error on ``path`` (``exc`` from sqlite3 or SQLAlchemy)."""
    text = str(getattr(exc, "orig", None) or exc)
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        message = (
            f"{what} cannot be written: the data folder {path.parent} is read-only or not "
            "accessible; give this user write access to it (or choose another with --data-dir)"
        )
    elif "full" in lowered:
        message = f"{what} cannot be written: the disk is full; free some space and try again"
    elif "locked" in lowered or "busy" in lowered:
        message = f"{what} is busy in another FlowDesk process; try again in a moment"
    else:
        message = f"{what} is damaged ({text}); {advice}"
    return Refused(message, file=str(path))


def os_refusal(exc: OSError, what: str) -> Refused:
    """A plain message for a data-folder file that cannot be read or written."""
    where = exc.filename or what
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = "the data folder is read-only or not accessible; give this user write access"
    elif exc.errno == errno.ENOSPC:
        reason = "the disk is full; free some space and try again"
    else:
        reason = exc.strerror or str(exc)
    return Refused(f"{what}: {reason}; nothing was changed", file=str(where))


def read_state_text(path: Path, what: str) -> str | None:
    """A data-folder text file as UTF-8 text; None when it does not exist.

    Bytes that are not UTF-8, a folder in its place or an unreadable file are
    refused with the file's name, like invalid JSON.
    """
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise Refused(
            f"{what} is damaged: bytes that are not UTF-8 at offset {exc.start}; "
            "fix or remove the file",
            file=str(path),
        ) from None
    except IsADirectoryError:
        raise Refused(f"{what} is a folder, not a file; remove it", file=str(path)) from None
    except OSError as exc:
        raise os_refusal(exc, what) from None


def set_aside(path: Path) -> Path:
    """Rename a damaged file to ``<name>.damaged-<UTC time>`` beside it; returns the new path.

    The file is kept, never deleted: someone may still rescue what it holds.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):  # an SQLite file's companions go with it
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return target


def refuse_lost_store(data: DataDir) -> None:
    """Refuse a store that is missing or empty while indexes of its packs are still here.

    Those indexes mean packs were installed: the store was lost or truncated
    (a full disk, a bad restore), and treating the folder as a new desk would
    silently forget the packs, their history and the active versions.
    """
    store, wal = data.store, data.store.with_name(data.store.name + "-wal")
    if _size(store) or _size(wal):
        return
    try:
        indexes = [d.name for d in data.indexes.iterdir() if (d / INDEX_TABLE).is_file()]
    except OSError:
        return
    if not indexes:
        return
    state = "empty (0 bytes)" if store.exists() else "missing"
    raise Refused(
        f"the process-map store is {state}, but the data folder holds search indexes of "
        f"{len(indexes)} pack version(s) ({', '.join(sorted(indexes)[:3])}): the store was "
        "lost or truncated, so this is not a new desk. Restore the store from a backup; or, "
        f"to start this desk anew, move {data.indexes} aside and import its packs again",
        file=str(store),
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
