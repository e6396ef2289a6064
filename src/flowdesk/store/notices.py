"""The must-read notes of each stored version (schema 3, table ``pack_notices``)."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from flowdesk.store.schema import PackNoticeRow, PackRow


def save_notes(conn: Connection, pack_pk: int, notes: tuple[tuple[str, str], ...]) -> None:
    """Store a version's notes (inside the caller's import transaction)."""
    if notes:
        conn.execute(
            insert(PackNoticeRow),
            [{"pack": pack_pk, "flow_id": flow_id, "note": note} for flow_id, note in notes],
        )


def notes(conn: Connection, pack_id: str, sequence: int) -> dict[str, str]:
    """Flow id ("" for the pack-wide note) -> note, of one stored version."""
    rows = conn.execute(
        select(PackNoticeRow.flow_id, PackNoticeRow.note)
        .join(PackRow, PackRow.id == PackNoticeRow.pack)
        .where(PackRow.pack_id == pack_id, PackRow.sequence == sequence)
    ).all()
    return dict(rows)
