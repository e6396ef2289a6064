"""Wiring the QA view to a desk: its usage log, its flow versions, its process map.

The window calls :func:`qa_view_for_desk`; the view itself only knows a loader
function, so tests give it snapshots built from packs made in Python.
"""

from __future__ import annotations

from flowdesk.model import Flow, Pack, TouchPoint
from flowdesk.reports import UsageSnapshot
from flowdesk.ui.qa.view import QaView
from flowdesk.ui.tasks import TaskRunner
from flowdesk.usage.rows import ALL_EVENTS, EventFilter
from flowdesk.usage.schema import sqlite_engine


class DeskFlows:
    """``flow_lookup`` over a desk: every imported pack version resolves (cached)."""

    def __init__(self, desk) -> None:  # type: ignore[no-untyped-def]
        self._desk = desk
        self._packs: dict[tuple[str, int], Pack | None] = {}

    def __call__(self, pack_id: str, sequence: int, flow_id: str) -> Flow | None:
        key = (pack_id, sequence)
        if key not in self._packs:
            try:
                self._packs[key] = self._desk.pack(pack_id, sequence)
            except KeyError:
                self._packs[key] = None
        pack = self._packs[key]
        if pack is None:
            return None
        try:
            return pack.flow(flow_id)
        except KeyError:
            return None

    def offered(self) -> list[TouchPoint]:
        out: list[TouchPoint] = []
        for info in self._desk.active_packs():
            out.extend(self._desk.pack(info.pack_id, info.sequence).offered_touchpoints())
        return out


def qa_view_for_desk(
    desk,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    where: EventFilter = ALL_EVENTS,
    benchmark: float = 0.9,
    parent=None,
) -> QaView:
    """A QA view over this desk's usage log (or the logs QA imported into it)."""
    flows = DeskFlows(desk)

    def load() -> UsageSnapshot:
        engine = sqlite_engine(desk.data.usage)
        try:
            return UsageSnapshot.load(engine, flows, flows.offered(), where)
        finally:
            engine.dispose()

    try:
        pack = desk.pack()
    except KeyError:
        pack = None
    return QaView(load, runner, pack=pack, benchmark=benchmark, parent=parent)
