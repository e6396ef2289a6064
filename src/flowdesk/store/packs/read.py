"""Loading stored pack versions back as model objects.

Steps and options are most of a pack (≈250,000 rows for 10,000 flows), so the
bulk reads go through the driver as plain tuples, several times faster than
SQLAlchemy's Row objects.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, select

from flowdesk.gcpause import gc_paused
from flowdesk.model import Brand, Business, Channel, Flow, FlowHead, Option, Pack, Step, TouchPoint
from flowdesk.store.notices import notes as stored_notes
from flowdesk.store.packs.catalogue import INFO_COLUMNS, find_pack
from flowdesk.store.packs.columns import flow_fields, select_list
from flowdesk.store.schema import BrandRow, BusinessRow, ChannelRow, PackRow
from flowdesk.store.variables import when_from


def load_pack(conn: Connection, pack_id: str, sequence: int) -> Pack:
    """Rebuild the model :class:`Pack` of one stored version (KeyError if absent)."""
    head, pk = _pack_head(conn, pack_id, sequence)
    with gc_paused():
        return replace(head, flows=tuple(_read_flows(conn, pk, None)))


def load_pack_head(conn: Connection, pack_id: str, sequence: int) -> Pack:
    """One stored version's header and axes, without flows (KeyError if absent)."""
    return _pack_head(conn, pack_id, sequence)[0]


def load_flows(
    conn: Connection, pack_id: str, sequence: int, flow_ids: Collection[str]
) -> list[Flow]:
    """Just these flows of one stored version, in the version's order (unknown ids skipped)."""
    info = find_pack(conn, pack_id, sequence)
    if info is None:
        raise KeyError(f"{pack_id}#{sequence}")
    return _read_flows(conn, info.row_id, flow_ids)


def flow_heads(conn: Connection, pack_id: str, sequence: int) -> list[FlowHead]:
    """Every flow of one stored version as a head (no steps), in order.

    What an incremental sync needs of the flows it keeps and what the agent's
    window shows of a pack: tens of milliseconds for 10,000 flows, where
    :func:`load_pack` builds a quarter million steps.
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
        FlowHead(flow_id, title, source, tuple(touchpoints.get(pk_, ())), kind, business, summary)
        for pk_, flow_id, title, source, kind, business, summary in _fetchall(
            conn,
            "SELECT f.id, f.flow_id, f.title, f.source, f.flow_class, f.business, f.summary "
            "FROM pack_flows pf JOIN flows f ON f.id = pf.flow WHERE pf.pack = ? "
            "ORDER BY pf.position",
            (pk,),
        )
    ]


def _pack_head(conn: Connection, pack_id: str, sequence: int) -> tuple[Pack, int]:
    info = find_pack(conn, pack_id, sequence)
    if info is None:
        raise KeyError(f"{pack_id}#{sequence}")
    pk = info.row_id
    head = conn.execute(select(*INFO_COLUMNS).where(PackRow.id == pk)).one()
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
        must_read=tuple(sorted(stored_notes(conn, head.pack_id, head.sequence).items())),
    )
    return pack, pk


def _read_flows(conn: Connection, pk: int, flow_ids: Collection[str] | None) -> list[Flow]:
    """Flows of the stored version ``pk`` (all, or those of ``flow_ids``), in its order."""
    in_pack = "SELECT flow FROM pack_flows WHERE pack = ?"
    params: tuple[Any, ...] = (pk,)
    plus = ""  # for a few flows, "+pack" keeps SQLite on the flow indexes, off the pack's
    if flow_ids is not None:
        # The rows first, through the flow id index (a window opens one flow at a time:
        # well under a millisecond, where a walk over the version's 10,000 rows in
        # each of the reads below cost tens of milliseconds).
        rows = [
            row
            for (row,) in _fetchall(
                conn,
                "SELECT pf.flow FROM flows f CROSS JOIN pack_flows pf "
                "ON pf.flow = f.id AND pf.pack = ? "
                "WHERE f.flow_id IN (SELECT value FROM json_each(?))",
                (pk, json.dumps(list(flow_ids))),
            )
        ]
        in_pack = "SELECT value FROM json_each(?)"
        params = (json.dumps(rows),)
        plus = "+"
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
        f"SELECT flow, channel, brand, business FROM touchpoints WHERE {plus}pack = ? "
        f"AND flow IN ({in_pack}) ORDER BY flow, position",
        (pk, *params),
    ):
        touchpoints[flow_pk].append(TouchPoint(channel, brand, business))
    return [
        Flow(
            **flow_fields(values),
            steps=tuple(steps.get(flow_pk, ())),
            touchpoints=tuple(touchpoints.get(flow_pk, ())),
        )
        for flow_pk, *values in _fetchall(
            conn,
            f"SELECT f.id, {select_list('f')} FROM pack_flows pf JOIN flows f "
            "ON f.id = pf.flow "
            f"WHERE {plus}pf.pack = ? AND pf.flow IN ({in_pack}) ORDER BY pf.position",
            (pk, *params),
        )
    ]


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
