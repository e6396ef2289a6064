"""Finding a flow or searching across the active pack versions, whoever holds them.

The desk answers from its store; at start the window answers from its start
snapshot (:mod:`flowdesk.startcache`) until the desk is open. Both need the
same rules (which version serves a flow id or a touch point, how hits of
several packs merge), so they share them here and differ only in where the
versions, flow heads, flows and indexes come from.

A flow is found by its head (:class:`PackHeads`) and read whole only then: a
10,000-flow pack is a quarter million steps, and nobody reads them all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from flowdesk.model import Brand, Business, Channel, Flow, FlowHead, Pack, TouchPoint, claims_of

if TYPE_CHECKING:
    from flowdesk.search import FlowIndex, Hit


@dataclass(frozen=True)
class PackHeads:
    """A pack version as the agent's window holds it: header and axes, flows as heads.

    What the map, the filters and the result list show; a flow's steps are read
    from the store when it is opened (as a table model holds ids and fetches
    rows), so a window on a 10,000-flow pack holds a few MB of heads, not the
    quarter million steps of the whole :class:`Pack`.
    """

    header: Pack  # the version's header and axes; its ``flows`` are left empty
    flows: tuple[FlowHead, ...]

    @classmethod
    def of(cls, pack: Pack) -> PackHeads:
        return cls(replace(pack, flows=()), tuple(FlowHead.of(f) for f in pack.flows))

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def sequence(self) -> int:
        return self.header.sequence

    @property
    def version(self) -> str | None:
        return self.header.version

    @property
    def title(self) -> str:
        return self.header.title

    @property
    def effective(self) -> date | None:
        return self.header.effective

    @property
    def channels(self) -> tuple[Channel, ...]:
        return self.header.channels

    @property
    def brands(self) -> tuple[Brand, ...]:
        return self.header.brands

    @property
    def businesses(self) -> tuple[Business, ...]:
        return self.header.businesses

    @property
    def call_summary(self) -> str | None:
        return self.header.call_summary

    def head(self, flow_id: str) -> FlowHead:
        """The head of the flow with this id (KeyError if the version has none)."""
        return self._by_id[flow_id]

    def __contains__(self, flow_id: object) -> bool:
        return flow_id in self._by_id

    def touchpoint_flows(self) -> Mapping[TouchPoint, str]:
        """Which flow claims each touch point, as :meth:`Pack.touchpoint_flows`."""
        return MappingProxyType(self._claims)

    @cached_property
    def _by_id(self) -> dict[str, FlowHead]:
        index: dict[str, FlowHead] = {}
        for head in self.flows:
            index.setdefault(head.id, head)
        return index

    @cached_property
    def _claims(self) -> dict[TouchPoint, str]:
        return claims_of(self.flows)


class Version(Protocol):
    """What a lookup needs of an active pack version (a ``PackInfo`` or a snapshot's)."""

    pack_id: str
    sequence: int
    version: str | None


class ActiveLookup:
    """Flow, touch point and search lookups; the holder says where versions come from.

    A holder provides :meth:`active_packs`, :meth:`heads`, :meth:`stored_flows`
    and :meth:`_index`.
    """

    def active_packs(self) -> list:
        raise NotImplementedError

    def heads(self, pack_id: str | None = None, sequence: int | None = None) -> PackHeads:
        raise NotImplementedError

    def stored_flows(self, pack_id: str, sequence: int, flow_ids: Collection[str]) -> list[Flow]:
        raise NotImplementedError

    def current_packs(self) -> list | None:
        """:meth:`active_packs` if known without reading the store, else None."""
        return self.active_packs()

    def _index(self, pack_id: str, sequence: int) -> FlowIndex:
        raise NotImplementedError

    def _index_if_open(self, pack_id: str, sequence: int) -> FlowIndex | None:
        return self._index(pack_id, sequence)

    def flow(self, flow_id: str, pack_id: str | None = None) -> tuple[Flow, Version]:
        """A flow of an active pack, with the pack version it comes from (only it is read)."""
        for info in self.active_packs():
            if pack_id is not None and info.pack_id != pack_id:
                continue
            if flow_id in self.heads(info.pack_id, info.sequence):
                found = self.stored_flows(info.pack_id, info.sequence, (flow_id,))
                if found:
                    return found[0], info
        raise KeyError(flow_id)

    def flow_for_touchpoint(self, code: str) -> tuple[Flow, Version]:
        """The flow that serves a touch point code (screen pop from telephony)."""
        wanted = TouchPoint.parse(code.upper())
        for info in self.active_packs():
            flow_id = self.heads(info.pack_id, info.sequence).touchpoint_flows().get(wanted)
            if flow_id is not None:
                found = self.stored_flows(info.pack_id, info.sequence, (flow_id,))
                if found:
                    return found[0], info
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
        return _best(hits, len(active), limit)

    def answered(
        self,
        query: str,
        *,
        channel: str | None = None,
        brand: str | None = None,
        flow_class: str | None = None,
        limit: int = 20,
        typeahead_only: bool = False,
    ) -> list[Hit] | None:
        """What :meth:`search` answered to the same question before, else None.

        Cheap and never waiting (no search, no index opened, no store read when
        the store changed), so the UI thread may ask it before it hands a
        keystroke to the search thread: a query typed again is shown at once.
        """
        if not query.strip():
            return []
        active = self.current_packs()
        if active is None:
            return None
        hits: list[Hit] = []
        key = (query, channel, brand, flow_class, limit, typeahead_only)
        for info in active:
            index = self._index_if_open(info.pack_id, info.sequence)
            kept = index.answered(key) if index is not None else None
            if kept is None:
                return None
            hits.extend(kept)
        return _best(hits, len(active), limit)

    def warm_up_search(self) -> None:
        """Read each active index's vocabulary now (a work thread), not on the first sentence."""
        for info in self.active_packs():
            self._index(info.pack_id, info.sequence).warm_up()


def _best(hits: list[Hit], packs: int, limit: int) -> list[Hit]:
    """Hits gathered from each active pack's index, best first across them."""
    if packs > 1:
        hits.sort(key=lambda h: -h.score)
    return hits[:limit]
