"""Which pack versions a desk has installed, and which one of each pack is active."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from flowdesk.packs.effective import Effective, effective_instant, format_effective, parse_stored
from flowdesk.store.schema import PackRow, utcnow


@dataclass(frozen=True)
class PackInfo:
    """What the desk knows about one imported pack version, without its flows."""

    pack_id: str
    sequence: int
    title: str
    version: str | None
    publisher: str | None
    effective: Effective | None  # a date (the desk's local midnight) or an aware time
    built_at: datetime | None
    imported_at: datetime
    active: bool
    flow_count: int
    sha256: str | None
    signer: str | None = None
    row_id: int = 0
    pending: bool = False  # installed ahead of its effective time (flowdesk.store.versions)

    @property
    def state(self) -> str:
        """``active``, ``pending`` or ``previous`` (contract §5, ``pack list --json``)."""
        return "active" if self.active else "pending" if self.pending else "previous"

    @property
    def effective_at(self) -> datetime | None:
        """When this version takes (or took) effect on this desk; dates at local midnight."""
        return effective_instant(self.effective) if self.effective is not None else None

    def to_json(self) -> dict[str, Any]:
        at = self.effective_at
        return {
            "pack_id": self.pack_id,
            "sequence": self.sequence,
            "state": self.state,
            "effective": format_effective(self.effective),
            "effective_at": format_effective(at.astimezone()) if at else None,
            "title": self.title,
            "version": self.version,
            "publisher": self.publisher,
            "built_at": self.built_at.isoformat() if self.built_at else None,
            "imported_at": self.imported_at.isoformat(),
            "active": self.active,
            "flow_count": self.flow_count,
            "sha256": self.sha256,
            "signer": self.signer,
        }


#: A version's row without its manifest: the manifest lists every member's SHA-256 (about
#: 1 MB of JSON for 10,000 flows), and listing or finding versions never needs it.
INFO_COLUMNS = [c for c in PackRow.__table__.c if c.name != "manifest"]


def info_of(row: PackRow | Any) -> PackInfo:
    """A :class:`PackInfo` from a row selected with :data:`INFO_COLUMNS`."""
    return PackInfo(
        pack_id=row.pack_id,
        sequence=row.sequence,
        title=row.title,
        version=row.version,
        publisher=row.publisher,
        effective=parse_stored(row.effective),
        built_at=_parse_time(row.built_at),
        imported_at=_parse_time(row.imported_at) or utcnow(),
        active=bool(row.active),
        flow_count=row.flow_count,
        sha256=row.sha256,
        signer=row.signer,
        row_id=row.id,
        pending=bool(row.pending),
    )


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def installed_before(packs: Iterable[PackInfo], pack_id: str, sequence: int) -> int | None:
    """The newest version of ``pack_id`` installed here below ``sequence``, or None.

    What a rollback returns to, and what a version's changes are told against.
    """
    lower = [p.sequence for p in packs if p.pack_id == pack_id and p.sequence < sequence]
    return max(lower, default=None)


def list_packs(conn: Connection, *, active_only: bool = False) -> list[PackInfo]:
    """Every imported version, newest first (by pack id, then sequence descending)."""
    query = select(*INFO_COLUMNS).order_by(PackRow.pack_id, PackRow.sequence.desc())
    if active_only:
        query = query.where(PackRow.active.is_(True))
    return [info_of(row) for row in conn.execute(query)]


def find_pack(conn: Connection, pack_id: str, sequence: int | None = None) -> PackInfo | None:
    """One version of a pack: the active one when ``sequence`` is None."""
    query = select(*INFO_COLUMNS).where(PackRow.pack_id == pack_id)
    query = (
        query.where(PackRow.sequence == sequence)
        if sequence is not None
        else query.where(PackRow.active.is_(True))
    )
    row = conn.execute(query).first()
    return info_of(row) if row else None


def max_sequence(conn: Connection, pack_id: str) -> int | None:
    return conn.execute(
        select(func.max(PackRow.sequence)).where(PackRow.pack_id == pack_id)
    ).scalar()


def pack_manifest(conn: Connection, pack_id: str, sequence: int) -> dict[str, Any] | None:
    """The manifest a stored version was imported with; None for a source folder import."""
    manifest = conn.execute(
        select(PackRow.manifest).where(PackRow.pack_id == pack_id, PackRow.sequence == sequence)
    ).scalar()
    return manifest if isinstance(manifest, dict) else None


def set_active(conn: Connection, pack_id: str, sequence: int) -> None:
    """Make one version the active one of its pack id (inside the caller's transaction)."""
    conn.execute(update(PackRow).where(PackRow.pack_id == pack_id).values(active=False))
    conn.execute(
        update(PackRow)
        .where(PackRow.pack_id == pack_id, PackRow.sequence == sequence)
        .values(active=True)
    )
