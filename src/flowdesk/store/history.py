"""The pack history: what happened to the desk's pack versions, in order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from flowdesk.store.schema import PackHistoryRow, utcnow


def record(
    conn: Connection,
    action: str,
    pack_id: str,
    sequence: int,
    previous_sequence: int | None,
    detail: str | None = None,
) -> None:
    """Append to the pack history (import, activate, rollback)."""
    conn.execute(
        insert(PackHistoryRow).values(
            at=utcnow().isoformat(timespec="milliseconds"),
            action=action,
            pack_id=pack_id,
            sequence=sequence,
            previous_sequence=previous_sequence,
            detail=detail,
        )
    )


def history(conn: Connection, pack_id: str | None = None) -> list[dict[str, Any]]:
    query = select(PackHistoryRow.__table__).order_by(PackHistoryRow.id)
    if pack_id:
        query = query.where(PackHistoryRow.pack_id == pack_id)
    return [dict(row._mapping) for row in conn.execute(query)]
