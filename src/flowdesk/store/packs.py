"""Saving pack versions into the store and loading them back as model objects.

Bulk rows go through SQLAlchemy Core ``insert`` with parameter lists: a
10,000-flow pack is ~250,000 rows, and the ORM unit of work would spend
most of the import building objects we never use.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from flowdesk.gcpause import gc_paused
from flowdesk.model import (
    Brand,
    Business,
    Channel,
    Flow,
    FlowHead,
    Option,
    Pack,
    Revision,
    Step,
    TouchPoint,
)
from flowdesk.packs.effective import (
    Effective,
    effective_instant,
    format_effective,
    parse_stored,
)
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
from flowdesk.store.variables import (
    digest_extras,
    variables_from,
    variables_json,
    when_from,
    when_json,
)


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
_INFO_COLUMNS = [c for c in PackRow.__table__.c if c.name != "manifest"]


def _info(row: PackRow | Any) -> PackInfo:
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


def list_packs(conn: Connection, *, active_only: bool = False) -> list[PackInfo]:
    """Every imported version, newest first (by pack id, then sequence descending)."""
    query = select(*_INFO_COLUMNS).order_by(PackRow.pack_id, PackRow.sequence.desc())
    if active_only:
        query = query.where(PackRow.active.is_(True))
    return [_info(row) for row in conn.execute(query)]


def find_pack(conn: Connection, pack_id: str, sequence: int | None = None) -> PackInfo | None:
    """One version of a pack: the active one when ``sequence`` is None."""
    query = select(*_INFO_COLUMNS).where(PackRow.pack_id == pack_id)
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
    return _save_version(conn, pack, pack.flows, {}, manifest, sha256, signer, activate)


def save_revision(
    conn: Connection,
    revision: Revision,
    *,
    manifest: dict[str, Any] | None = None,
    sha256: str | None = None,
    signer: str | None = None,
    activate: bool = True,
) -> PackInfo:
    """Insert a version told as its change to a stored one: kept flows link to their rows.

    Writes what :func:`save_pack` of the whole version would write, reading
    nothing of the kept flows but their row ids.
    """
    base = find_pack(conn, revision.base.id, revision.base.sequence)
    if base is None:
        raise KeyError(f"{revision.base.id}#{revision.base.sequence}")
    kept_rows = dict(
        conn.execute(
            select(FlowRow.flow_id, FlowRow.id)
            .join(PackFlowRow, PackFlowRow.flow == FlowRow.id)
            .where(PackFlowRow.pack == base.row_id)
        ).all()
    )
    return _save_version(
        conn, revision.pack, revision.flows, kept_rows, manifest, sha256, signer, activate
    )


def _save_version(
    conn: Connection,
    pack: Pack,
    flows: Sequence[Flow | FlowHead],
    kept_rows: Mapping[str, int],
    manifest: dict[str, Any] | None,
    sha256: str | None,
    signer: str | None,
    activate: bool,
) -> PackInfo:
    """One version: ``pack``'s header and axes, and ``flows`` (heads: rows in ``kept_rows``)."""
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
            effective=format_effective(pack.effective),
            built_at=built_at if isinstance(built_at, str) else None,
            imported_at=now,
            sha256=sha256,
            signer=signer,
            manifest=manifest,
            active=False,
            flow_count=len(flows),
            call_summary=pack.call_summary,
            synonyms=[list(group) for group in pack.synonyms] or None,
        )
    ).inserted_primary_key[0]
    _save_axes(conn, pack_pk, pack)
    _save_flows(conn, pack_pk, flows, kept_rows)
    previous = find_pack(conn, pack.id)
    record(conn, "import", pack.id, pack.sequence, previous.sequence if previous else None)
    if activate:
        set_active(conn, pack.id, pack.sequence)
    row = conn.execute(select(*_INFO_COLUMNS).where(PackRow.id == pack_pk)).one()
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
        **digest_extras(flow),
    }
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _existing_flows(conn: Connection, digests: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(digests), 500):
        chunk = digests[i : i + 500]
        rows = conn.execute(select(FlowRow.digest, FlowRow.id).where(FlowRow.digest.in_(chunk)))
        found.update((digest, pk) for digest, pk in rows)
    return found


def _save_flows(
    conn: Connection, pack_pk: int, flows: Sequence[Flow | FlowHead], kept_rows: Mapping[str, int]
) -> None:
    """Link the version to its flows, writing only flows no stored version has.

    Each table is one executemany. Primary keys of new rows are assigned here
    rather than read back row by row: this is the only writer inside the
    IMMEDIATE transaction.
    """
    if not flows:
        return
    with gc_paused():
        _save_flow_rows(conn, pack_pk, flows, kept_rows)


def _save_flow_rows(
    conn: Connection, pack_pk: int, members: Sequence[Flow | FlowHead], kept_rows: Mapping[str, int]
) -> None:
    read = [f for f in members if isinstance(f, Flow)]
    digests = {id(f): flow_digest(f) for f in read}
    row_ids = _existing_flows(conn, list(digests.values()))
    next_flow = (conn.execute(select(func.max(FlowRow.id))).scalar() or 0) + 1
    next_step = (conn.execute(select(func.max(StepRow.id))).scalar() or 0) + 1
    flows, steps, options = [], [], []
    for flow in read:
        digest = digests[id(flow)]
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
                "variables": variables_json(flow),
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
                    "variable": step.variable,
                }
            )
            options.extend(
                {
                    "step": next_step,
                    "position": i,
                    "label": o.label,
                    "next": o.next,
                    "conditions": when_json(o.when),
                }
                for i, o in enumerate(step.options)
            )
            next_step += 1
    member_rows = [
        kept_rows[f.id] if isinstance(f, FlowHead) else row_ids[digests[id(f)]] for f in members
    ]
    links = [{"pack": pack_pk, "position": i, "flow": row} for i, row in enumerate(member_rows)]
    touchpoints = [
        {
            "pack": pack_pk,
            "code": tp.code,
            "channel": tp.channel,
            "brand": tp.brand,
            "business": tp.business,
            "flow": row,
            "position": i,
        }
        for flow, row in zip(members, member_rows, strict=True)
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
    head, pk = _pack_head(conn, pack_id, sequence)
    with gc_paused():
        return replace(head, flows=tuple(_read_flows(conn, pk, None)))


def pack_manifest(conn: Connection, pack_id: str, sequence: int) -> dict[str, Any] | None:
    """The manifest a stored version was imported with; None for a source folder import."""
    manifest = conn.execute(
        select(PackRow.manifest).where(PackRow.pack_id == pack_id, PackRow.sequence == sequence)
    ).scalar()
    return manifest if isinstance(manifest, dict) else None


def load_pack_head(conn: Connection, pack_id: str, sequence: int) -> Pack:
    """One stored version's header and axes, without flows (KeyError if absent)."""
    return _pack_head(conn, pack_id, sequence)[0]


def load_flows(
    conn: Connection, pack_id: str, sequence: int, flow_ids: Collection[str]
) -> list[Flow]:
    """Just these flows of one stored version, in the version's order (unknown ids skipped)."""
    _head, pk = _pack_head(conn, pack_id, sequence)
    return _read_flows(conn, pk, flow_ids)


def flow_heads(conn: Connection, pack_id: str, sequence: int) -> list[FlowHead]:
    """Every flow of one stored version as a head (id, title, file, touch points), in order.

    What an incremental sync needs of the flows it keeps: a few milliseconds for
    10,000 flows, where :func:`load_pack` builds a quarter million steps.
    """
    _head, pk = _pack_head(conn, pack_id, sequence)
    touchpoints: dict[int, list[TouchPoint]] = defaultdict(list)
    for flow_pk, channel, brand, business in _fetchall(
        conn,
        "SELECT flow, channel, brand, business FROM touchpoints WHERE pack = ? "
        "ORDER BY flow, position",
        (pk,),
    ):
        touchpoints[flow_pk].append(TouchPoint(channel, brand, business))
    return [
        FlowHead(flow_id, title, source, tuple(touchpoints.get(flow_pk, ())))
        for flow_pk, flow_id, title, source in _fetchall(
            conn,
            "SELECT f.id, f.flow_id, f.title, f.source FROM pack_flows pf "
            "JOIN flows f ON f.id = pf.flow WHERE pf.pack = ? ORDER BY pf.position",
            (pk,),
        )
    ]


def _pack_head(conn: Connection, pack_id: str, sequence: int) -> tuple[Pack, int]:
    info = find_pack(conn, pack_id, sequence)
    if info is None:
        raise KeyError(f"{pack_id}#{sequence}")
    pk = info.row_id
    head = conn.execute(select(*_INFO_COLUMNS).where(PackRow.id == pk)).one()
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
    pack = Pack(
        id=head.pack_id,
        title=head.title,
        sequence=head.sequence,
        channels=channels,
        brands=brands,
        businesses=businesses,
        flows=(),
        version=head.version,
        publisher=head.publisher,
        effective=info.effective,
        format=head.format,
        call_summary=head.call_summary,
        synonyms=tuple(tuple(group) for group in head.synonyms or ()),
    )
    return pack, pk


def _read_flows(conn: Connection, pk: int, flow_ids: Collection[str] | None) -> list[Flow]:
    """Flows of the stored version ``pk`` (all, or those of ``flow_ids``), in its order."""
    # Steps and options are most of a pack (≈250,000 rows for 10,000 flows): read them
    # as plain tuples through the driver, which is several times faster than Row objects.
    in_pack = "SELECT flow FROM pack_flows WHERE pack = ?"
    params: tuple[Any, ...] = (pk,)
    if flow_ids is not None:
        in_pack = (
            "SELECT pf.flow FROM pack_flows pf JOIN flows f ON f.id = pf.flow "
            "WHERE pf.pack = ? AND f.flow_id IN (SELECT value FROM json_each(?))"
        )
        params = (pk, json.dumps(list(flow_ids)))
    options: dict[int, list[Option]] = defaultdict(list)
    for step_pk, label, nxt, conditions in _fetchall(
        conn,
        "SELECT o.step, o.label, o.next, o.conditions FROM options o JOIN steps s "
        f"ON s.id = o.step WHERE s.flow IN ({in_pack}) ORDER BY o.step, o.position",
        params,
    ):
        options[step_pk].append(Option(label, nxt, when_from(conditions)))
    steps: dict[int, list[Step]] = defaultdict(list)
    for step_pk, flow_pk, step_id, kind, text, note, required, nxt, target, var in _fetchall(
        conn,
        "SELECT id, flow, step_id, type, text, note, required, next, target, variable FROM steps "
        f"WHERE flow IN ({in_pack}) ORDER BY flow, position",
        params,
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
                variable=var,
            )
        )
    touchpoints: dict[int, list[TouchPoint]] = defaultdict(list)
    for flow_pk, channel, brand, business in _fetchall(
        conn,
        "SELECT flow, channel, brand, business FROM touchpoints WHERE pack = ? "
        f"AND flow IN ({in_pack}) ORDER BY flow, position",
        (pk, *params),
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
        variables,
    ) in _fetchall(
        conn,
        "SELECT f.id, f.flow_id, f.title, f.flow_class, f.business, f.keywords, f.summary, "
        "f.elements, f.owner, f.source, f.variables FROM pack_flows pf JOIN flows f "
        "ON f.id = pf.flow "
        f"WHERE pf.pack = ? AND pf.flow IN ({in_pack}) ORDER BY pf.position",
        (pk, *params),
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
                variables=variables_from(variables),
            )
        )
    return flows


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
