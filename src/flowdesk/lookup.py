"""Finding a flow or searching across the active pack versions, whoever holds them.

The desk answers from its store; at start the window answers from its start
snapshot (:mod:`flowdesk.startcache`) until the desk is open. Both need the
same rules (which version serves a flow id or a touch point, how hits of
several packs merge), so they share them here and differ only in where the
versions, packs and indexes come from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from flowdesk.model import Flow, Pack, TouchPoint

if TYPE_CHECKING:
    from flowdesk.search import FlowIndex, Hit


class Version(Protocol):
    """What a lookup needs of an active pack version (a ``PackInfo`` or a snapshot's)."""

    pack_id: str
    sequence: int
    version: str | None


class ActiveLookup:
    """Flow, touch point and search lookups; the holder says where versions come from.

    A holder provides :meth:`active_packs`, :meth:`pack` and :meth:`_index`.
    """

    def active_packs(self) -> list:
        raise NotImplementedError

    def pack(self, pack_id: str | None = None, sequence: int | None = None) -> Pack:
        raise NotImplementedError

    def _index(self, pack_id: str, sequence: int) -> FlowIndex:
        raise NotImplementedError

    def flow(self, flow_id: str, pack_id: str | None = None) -> tuple[Flow, Version]:
        """A flow of an active pack, with the pack version it comes from."""
        for info in self.active_packs():
            if pack_id is not None and info.pack_id != pack_id:
                continue
            pack = self.pack(info.pack_id, info.sequence)
            try:
                return pack.flow(flow_id), info
            except KeyError:
                continue
        raise KeyError(flow_id)

    def flow_for_touchpoint(self, code: str) -> tuple[Flow, Version]:
        """The flow that serves a touch point code (screen pop from telephony)."""
        wanted = TouchPoint.parse(code.upper())
        for info in self.active_packs():
            pack = self.pack(info.pack_id, info.sequence)
            flow_id = pack.touchpoint_flows().get(wanted)
            if flow_id is not None:
                return pack.flow(flow_id), info
        raise KeyError(code)

    def search(
        self,
        query: str,
        *,
        channel: str | None = None,
        brand: str | None = None,
        flow_class: str | None = None,
        limit: int = 20,
        typeahead_only: bool = False,
    ) -> list[Hit]:
        """Flows matching ``query`` across every active pack, best first."""
        if not query.strip():
            return []
        hits: list[Hit] = []
        active = self.active_packs()
        for info in active:
            index = self._index(info.pack_id, info.sequence)
            hits.extend(
                index.search(
                    query,
                    channel=channel,
                    brand=brand,
                    flow_class=flow_class,
                    limit=limit,
                    typeahead_only=typeahead_only,
                )
            )
        if len(active) > 1:
            hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def warm_up_search(self) -> None:
        """Read each active index's vocabulary now (a work thread), not on the first sentence."""
        for info in self.active_packs():
            self._index(info.pack_id, info.sequence).warm_up()
