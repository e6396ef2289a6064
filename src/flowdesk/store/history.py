"""The pack history: what happened to the desk's pack versions, in order.

One history per desk, in the store: every import, sync, activation,
rollback and superseded version is one entry, written in the same
transaction as the change it records wherever the store makes the change.
An entry's ``facts`` hold what only the part that made the change knows (a
sync's source, key and file digest; a rollback's reason; the versions an
activation superseded).

Before schema 6 sync kept a second history in ``sync-history.jsonl`` beside
the store. :func:`merge_old_sync_history` folds such a file in once: its
rollbacks and activations, which the store had recorded too, add their facts
to the store's entry; its syncs become entries of their own. The file is then
renamed (``.merged``), kept for the record but never read again.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from flowdesk.paths import MERGED_SUFFIX
from flowdesk.statefiles import os_refusal
from flowdesk.store.engine import writer
from flowdesk.store.schema import PackHistoryRow, utcnow

#: How far apart the store's entry and the old file's line for one change can be.
_SAME_CHANGE = timedelta(seconds=60)
#: The old file's keys that the entry's own columns hold.
_COLUMNS_OF_OLD = {"ts", "action", "pack_id", "from_sequence", "to_sequence"}


def record(
    conn: Connection,
    action: str,
    pack_id: str,
    sequence: int,
    previous_sequence: int | None,
    detail: str | None = None,
    facts: dict[str, Any] | None = None,
) -> None:
    """Append to the pack history (inside the caller's transaction)."""
    conn.execute(
        insert(PackHistoryRow).values(
            at=_now(),
            action=action,
            pack_id=pack_id,
            sequence=sequence,
            previous_sequence=previous_sequence,
            detail=detail,
            facts=facts or None,
        )
    )


def history(conn: Connection, pack_id: str | None = None) -> list[dict[str, Any]]:
    """Every entry, oldest first (entries merged from an old file take their own time)."""
    query = select(PackHistoryRow.__table__).order_by(PackHistoryRow.at, PackHistoryRow.id)
    if pack_id:
        query = query.where(PackHistoryRow.pack_id == pack_id)
    return [dict(row._mapping) for row in conn.execute(query)]


def merge_old_sync_history(engine: Engine, path: Path) -> int:
    """Fold an older FlowDesk's ``sync-history.jsonl`` into the history; entries added.

    Nothing readable is lost: a line the old reader skipped (torn, not UTF-8,
    not JSON) is skipped here too, every other line lands in the store. Safe to
    run again after a crash between the commit and the rename: a line already
    merged is recognised and not added twice.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise os_refusal(exc, "the old sync history") from None
    entries = [e for e in (_old_entry(line) for line in raw.splitlines()) if e is not None]
    added = 0
    with writer(engine).begin() as conn:
        for entry in entries:
            added += _merge_one(conn, entry)
    os.replace(path, path.with_name(path.name + MERGED_SUFFIX))
    return added


def _old_entry(line: bytes) -> dict[str, Any] | None:
    try:
        item = json.loads(line.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(item, dict) or not isinstance(item.get("pack_id"), str):
        return None
    if not isinstance(item.get("to_sequence"), int) or _parse(item.get("ts")) is None:
        return None
    return item


def _merge_one(conn: Connection, entry: dict[str, Any]) -> int:
    at = _parse(entry["ts"])
    assert at is not None
    action = str(entry.get("action"))
    facts = {k: v for k, v in entry.items() if k not in _COLUMNS_OF_OLD} or None
    previous = entry.get("from_sequence")
    previous = previous if isinstance(previous, int) else None
    near = [
        row
        for row in conn.execute(
            select(PackHistoryRow.id, PackHistoryRow.at, PackHistoryRow.facts).where(
                PackHistoryRow.action == action,
                PackHistoryRow.pack_id == entry["pack_id"],
                PackHistoryRow.sequence == entry["to_sequence"],
                PackHistoryRow.previous_sequence.is_(None)
                if previous is None
                else PackHistoryRow.previous_sequence == previous,
            )
        )
        if (when := _parse(row.at)) is not None and abs(when - at) <= _SAME_CHANGE
    ]
    if any(row.facts == facts for row in near):
        return 0  # merged before
    if action != "sync":
        bare = [row for row in near if row.facts is None]
        if bare:  # the store recorded this change too: it gains the file's facts
            closest = min(bare, key=lambda row: abs(_parse(row.at) - at))  # type: ignore[operator]
            conn.execute(
                update(PackHistoryRow).where(PackHistoryRow.id == closest.id).values(facts=facts)
            )
            return 0
    conn.execute(
        insert(PackHistoryRow).values(
            at=at.astimezone(UTC).isoformat(timespec="milliseconds"),
            action=action,
            pack_id=entry["pack_id"],
            sequence=entry["to_sequence"],
            previous_sequence=previous,
            detail=None,
            facts=facts,
        )
    )
    return 1


def _now() -> str:
    return utcnow().isoformat(timespec="milliseconds")


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
