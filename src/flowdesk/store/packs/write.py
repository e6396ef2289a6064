"""Saving pack versions into the store.

Bulk rows go through SQLAlchemy Core ``insert`` with parameter lists: a
10,000-flow pack is ~250,000 rows, and the ORM unit of work would spend
most of the import building objects we never use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, select

from flowdesk.gcpause import gc_paused
from flowdesk.model import Flow, FlowHead, Pack, Revision
from flowdesk.packs.effective import format_effective
from flowdesk.store.history import record
from flowdesk.store.packs.catalogue import (
    INFO_COLUMNS,
    PackInfo,
    find_pack,
    info_of,
    set_active,
)
from flowdesk.store.packs.columns import flow_digest, flow_row
from flowdesk.store.schema import (
    BrandRow,
    BusinessRow,
    ChannelRow,
    FlowRow,
    OptionRow,
    PackFlowRow,
    PackRow,
    StepRow,
    TouchPointRow,
    utcnow,
)
from flowdesk.store.variables import when_json


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
    row = conn.execute(select(*INFO_COLUMNS).where(PackRow.id == pack_pk)).one()
    return info_of(row)


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
        flows.append({"id": flow_pk, "digest": digest, **flow_row(flow)})
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
