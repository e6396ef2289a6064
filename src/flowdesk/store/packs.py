"""Saving pack versions into the store and loading them back as model objects.

Bulk rows go through SQLAlchemy Core ``insert`` with parameter lists: a
10,000-flow pack is ~250,000 rows, and the ORM unit of work would spend
most of the import building objects we never use.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from flowdesk.model import Brand, Business, Channel, Flow, Option, Pack, Step, TouchPoint
from flowdesk.store.schema import (
    BrandRow,
    BusinessRow,
    ChannelRow,
    FlowRow,
    OptionRow,
    PackFlowRow,
    PackHistoryRow,
    PackRow,
    StepRow,
    TouchPointRow,
    utcnow,
)


@dataclass(frozen=True)
class PackInfo:
    """What the desk knows about one imported pack version, without its flows."""

    pack_id: str
    sequence: int
    title: str
    version: str | None
    publisher: str | None
    effective: date | None
    built_at: datetime | None
    imported_at: datetime
    active: bool
    flow_count: int
    sha256: str | None
    signer: str | None = None
    row_id: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "pack_id": self.pack_id,
            "sequence": self.sequence,
            "title": self.title,
            "version": self.version,
            "publisher": self.publisher,
            "effective": self.effective.isoformat() if self.effective else None,
            "built_at": self.built_at.isoformat() if self.built_at else None,
            "imported_at": self.imported_at.isoformat(),
            "active": self.active,
            "flow_count": self.flow_count,
            "sha256": self.sha256,
            "signer": self.signer,
        }


def _info(row: PackRow | Any) -> PackInfo:
    return PackInfo(
        pack_id=row.pack_id,
        sequence=row.sequence,
        title=row.title,
        version=row.version,
        publisher=row.publisher,
        effective=date.fromisoformat(row.effective) if row.effective else None,
        built_at=_parse_time(row.built_at),
        imported_at=_parse_time(row.imported_at) or utcnow(),
        active=bool(row.active),
        flow_count=row.flow_count,
        sha256=row.sha256,
        signer=row.signer,
        row_id=row.id,
    )


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def list_packs(conn: Connection, *, active_only: bool = False) -> list[PackInfo]:
    """Every imported version, newest first (by pack id, then sequence descending)."""
    query = select(PackRow.__table__).order_by(PackRow.pack_id, PackRow.sequence.desc())
    if active_only:
        query = query.where(PackRow.active.is_(True))
    return [_info(row) for row in conn.execute(query)]


def find_pack(conn: Connection, pack_id: str, sequence: int | None = None) -> PackInfo | None:
    """One version of a pack: the active one when ``sequence`` is None."""
    query = select(PackRow.__table__).where(PackRow.pack_id == pack_id)
    query = (
        query.where(PackRow.sequence == sequence)
        if sequence is not None
        else query.where(PackRow.active.is_(True))
    )
    row = conn.execute(query).first()
    return _info(row) if row else None


def max_sequence(conn: Connection, pack_id: str) -> int | None:
    return conn.execute(
        select(func.max(PackRow.sequence)).where(PackRow.pack_id == pack_id)
    ).scalar()


def save_pack(
    conn: Connection,
    pack: Pack,
    *,
    manifest: dict[str, Any] | None = None,
    sha256: str | None = None,
    signer: str | None = None,
    activate: bool = True,
) -> PackInfo:
    """Insert one pack version (inside the caller's transaction) and optionally activate it."""
    now = utcnow().isoformat(timespec="milliseconds")
    built_at = (manifest or {}).get("built_at")
    pack_pk = conn.execute(
        insert(PackRow).values(
            pack_id=pack.id,
            sequence=pack.sequence,
            format=pack.format,
            title=pack.title,
            version=pack.version,
            publisher=pack.publisher,
            effective=pack.effective.isoformat() if pack.effective else None,
            built_at=built_at if isinstance(built_at, str) else None,
            imported_at=now,
            sha256=sha256,
            signer=signer,
            manifest=manifest,
            active=False,
            flow_count=len(pack.flows),
        )
    ).inserted_primary_key[0]
    _save_axes(conn, pack_pk, pack)
    _save_flows(conn, pack_pk, pack)
    previous = find_pack(conn, pack.id)
    record(conn, "import", pack.id, pack.sequence, previous.sequence if previous else None)
    if activate:
        set_active(conn, pack.id, pack.sequence)
    row = conn.execute(select(PackRow.__table__).where(PackRow.id == pack_pk)).one()
    return _info(row)


def set_active(conn: Connection, pack_id: str, sequence: int) -> None:
    """Make one version the active one of its pack id (inside the caller's transaction)."""
    conn.execute(update(PackRow).where(PackRow.pack_id == pack_id).values(active=False))
    conn.execute(
        update(PackRow)
        .where(PackRow.pack_id == pack_id, PackRow.sequence == sequence)
        .values(active=True)
    )


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


def _save_axes(conn: Connection, pack_pk: int, pack: Pack) -> None:
    if pack.channels:
        conn.execute(
            insert(ChannelRow),
            [
                {"pack": pack_pk, "position": i, "code": c.code, "name": c.name}
                for i, c in enumerate(pack.channels)
            ],
        )
    if pack.brands:
        conn.execute(
            insert(BrandRow),
            [
                {"pack": pack_pk, "position": i, "code": b.code, "name": b.name}
                for i, b in enumerate(pack.brands)
            ],
        )
    if pack.businesses:
        conn.execute(
            insert(BusinessRow),
            [
                {
                    "pack": pack_pk,
                    "position": i,
                    "code": b.code,
                    "name": b.name,
                    "group_name": b.group,
                    "channels": list(b.channels),
                    "brands": list(b.brands),
                }
                for i, b in enumerate(pack.businesses)
            ],
        )


@contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector around bulk work on a whole pack.

    A 10,000-flow pack is ~250,000 new objects, none of them cyclic garbage;
    the collector's repeated passes over them cost more than building them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def flow_digest(flow: Flow) -> str:
    """SHA-256 of a flow's canonical JSON: equal flows, equal digests, one stored row."""
    body = {
        "id": flow.id,
        "title": flow.title,
        "class": flow.flow_class,
        "business": flow.business,
        "touchpoints": [tp.code for tp in flow.touchpoints],
        "keywords": list(flow.keywords),
        "summary": flow.summary,
        "elements": dict(sorted(flow.elements.items())),
        "owner": flow.owner,
        "source": flow.source,
        "steps": [
            [
                s.id,
                s.type,
                s.text,
                s.note,
                s.required,
                s.next,
                s.target,
                [[o.label, o.next] for o in s.options],
            ]
            for s in flow.steps
        ],
    }
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def flow_digests(conn: Connection, pack_pk: int) -> dict[str, str]:
    """``{flow_id: digest}`` of one stored version: what changed, without loading flows."""
    rows = conn.execute(
        select(FlowRow.flow_id, FlowRow.digest)
        .join(PackFlowRow, PackFlowRow.flow == FlowRow.id)
        .where(PackFlowRow.pack == pack_pk)
    )
    return {flow_id: digest for flow_id, digest in rows}


def _existing_flows(conn: Connection, digests: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(digests), 500):
        chunk = digests[i : i + 500]
        rows = conn.execute(select(FlowRow.digest, FlowRow.id).where(FlowRow.digest.in_(chunk)))
        found.update((digest, pk) for digest, pk in rows)
    return found


def _save_flows(conn: Connection, pack_pk: int, pack: Pack) -> None:
    """Link the version to its flows, writing only flows no stored version has.

    Each table is one executemany. Primary keys of new rows are assigned here
    rather than read back row by row: this is the only writer inside the
    IMMEDIATE transaction.
    """
    if not pack.flows:
        return
    with without_gc():
        _save_flow_rows(conn, pack_pk, pack)


def _save_flow_rows(conn: Connection, pack_pk: int, pack: Pack) -> None:
    digests = [flow_digest(f) for f in pack.flows]
    row_ids = _existing_flows(conn, digests)
    next_flow = (conn.execute(select(func.max(FlowRow.id))).scalar() or 0) + 1
    next_step = (conn.execute(select(func.max(StepRow.id))).scalar() or 0) + 1
    flows, steps, options = [], [], []
    for flow, digest in zip(pack.flows, digests, strict=True):
        if digest in row_ids:
            continue
        flow_pk = row_ids[digest] = next_flow
        next_flow += 1
        flows.append(
            {
                "id": flow_pk,
                "digest": digest,
                "flow_id": flow.id,
                "title": flow.title,
                "flow_class": flow.flow_class,
                "business": flow.business,
                "keywords": list(flow.keywords),
                "summary": flow.summary,
                "elements": dict(flow.elements),
                "owner": flow.owner,
                "source": flow.source,
            }
        )
        for step_pos, step in enumerate(flow.steps):
            steps.append(
                {
                    "id": next_step,
                    "flow": flow_pk,
                    "position": step_pos,
                    "step_id": step.id,
                    "type": step.type,
                    "text": step.text,
                    "note": step.note,
                    "required": step.required,
                    "next": step.next,
                    "target": step.target,
                }
            )
            options.extend(
                {"step": next_step, "position": i, "label": o.label, "next": o.next}
                for i, o in enumerate(step.options)
            )
            next_step += 1
    links = [{"pack": pack_pk, "position": i, "flow": row_ids[d]} for i, d in enumerate(digests)]
    touchpoints = [
        {
            "pack": pack_pk,
            "code": tp.code,
            "channel": tp.channel,
            "brand": tp.brand,
            "business": tp.business,
            "flow": row_ids[digest],
            "position": i,
        }
        for flow, digest in zip(pack.flows, digests, strict=True)
        for i, tp in enumerate(flow.touchpoints)
    ]
    for table, rows in (
        (FlowRow, flows),
        (StepRow, steps),
        (OptionRow, options),
        (PackFlowRow, links),
        (TouchPointRow, touchpoints),
    ):
        if rows:
            conn.execute(insert(table), rows)


def load_pack(conn: Connection, pack_id: str, sequence: int) -> Pack:
    """Rebuild the model :class:`Pack` of one stored version (KeyError if absent)."""
    with without_gc():
        return _load_pack(conn, pack_id, sequence)


def _load_pack(conn: Connection, pack_id: str, sequence: int) -> Pack:
    info = find_pack(conn, pack_id, sequence)
    if info is None:
        raise KeyError(f"{pack_id}#{sequence}")
    pk = info.row_id
    head = conn.execute(select(PackRow.__table__).where(PackRow.id == pk)).one()
    channels = tuple(
        Channel(r.code, r.name)
        for r in conn.execute(
            select(ChannelRow.__table__).where(ChannelRow.pack == pk).order_by(ChannelRow.position)
        )
    )
    brands = tuple(
        Brand(r.code, r.name)
        for r in conn.execute(
            select(BrandRow.__table__).where(BrandRow.pack == pk).order_by(BrandRow.position)
        )
    )
    businesses = tuple(
        Business(r.code, r.name, r.group_name, tuple(r.channels), tuple(r.brands))
        for r in conn.execute(
            select(BusinessRow.__table__)
            .where(BusinessRow.pack == pk)
            .order_by(BusinessRow.position)
        )
    )
    # Steps and options are most of a pack (≈250,000 rows for 10,000 flows): read them
    # as plain tuples through the driver, which is several times faster than Row objects.
    in_pack = "SELECT flow FROM pack_flows WHERE pack = ?"
    options: dict[int, list[Option]] = defaultdict(list)
    for step_pk, label, nxt in _fetchall(
        conn,
        "SELECT o.step, o.label, o.next FROM options o JOIN steps s ON s.id = o.step "
        f"WHERE s.flow IN ({in_pack}) ORDER BY o.step, o.position",
        (pk,),
    ):
        options[step_pk].append(Option(label, nxt))
    steps: dict[int, list[Step]] = defaultdict(list)
    for step_pk, flow_pk, step_id, kind, text, note, required, nxt, target in _fetchall(
        conn,
        "SELECT id, flow, step_id, type, text, note, required, next, target FROM steps "
        f"WHERE flow IN ({in_pack}) ORDER BY flow, position",
        (pk,),
    ):
        steps[flow_pk].append(
            Step(
                id=step_id,
                type=kind,
                text=text,
                note=note,
                required=bool(required),
                next=nxt,
                options=tuple(options.get(step_pk, ())),
                target=target,
            )
        )
    touchpoints: dict[int, list[TouchPoint]] = defaultdict(list)
    for flow_pk, channel, brand, business in _fetchall(
        conn,
        "SELECT flow, channel, brand, business FROM touchpoints WHERE pack = ? "
        "ORDER BY flow, position",
        (pk,),
    ):
        touchpoints[flow_pk].append(TouchPoint(channel, brand, business))
    flows = []
    for (
        flow_pk,
        flow_id,
        title,
        flow_class,
        business,
        keywords,
        summary,
        elements,
        owner,
        source,
    ) in _fetchall(
        conn,
        "SELECT f.id, f.flow_id, f.title, f.flow_class, f.business, f.keywords, f.summary, "
        "f.elements, f.owner, f.source FROM pack_flows pf JOIN flows f ON f.id = pf.flow "
        "WHERE pf.pack = ? ORDER BY pf.position",
        (pk,),
    ):
        flows.append(
            Flow(
                id=flow_id,
                title=title,
                flow_class=flow_class,
                steps=tuple(steps.get(flow_pk, ())),
                business=business,
                touchpoints=tuple(touchpoints.get(flow_pk, ())),
                keywords=tuple(json.loads(keywords) if keywords else ()),
                summary=summary,
                elements=json.loads(elements) if elements else {},
                owner=owner,
                source=source,
            )
        )
    return Pack(
        id=head.pack_id,
        title=head.title,
        sequence=head.sequence,
        channels=channels,
        brands=brands,
        businesses=businesses,
        flows=tuple(flows),
        version=head.version,
        publisher=head.publisher,
        effective=info.effective,
        format=head.format,
    )


def _fetchall(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Plain tuples straight from the sqlite3 cursor (bulk reads of a whole pack).

    SQLAlchemy fetches row by row through its result machinery, which costs a
    second on 300,000 rows; the driver's ``fetchall`` costs a fraction of that.
    """
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()
