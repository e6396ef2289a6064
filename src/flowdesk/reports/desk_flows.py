"""The ``flow_lookup`` and offered touch points of a desk, for reports.

Reports never read the process-map store themselves (data flows one way); the
CLI and the window hand them this adapter over their :class:`flowdesk.desk.Desk`.
It is duck-typed (``desk.pack(pack_id, sequence)``, ``desk.active_packs()``), so
the core keeps no import of the desk layer. Every imported pack version is
kept on the desk, so a run recorded against an older sequence is judged by
the flow as it was then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from flowdesk.model import Flow, FlowHead, Pack, TouchPoint

if TYPE_CHECKING:
    from flowdesk.desk_protocol import DeskProtocol

    class OpenedDesk(DeskProtocol, Protocol):
        """A desk this module opened itself, and so closes."""

        def close(self) -> None: ...


class DeskFlows:
    """Callable as ``flow_lookup(pack_id, sequence, flow_id)``; pack versions are cached.

    Made :meth:`on_demand`, it opens its desk the first time a flow is asked for:
    a report whose summaries are current (``report compliance --by team``) never
    opens the process-map store at all, which is most of a short command's time.
    """

    def __init__(self, desk: DeskProtocol) -> None:
        self._given: DeskProtocol | None = desk
        self._open: Callable[[], OpenedDesk] | None = None
        self._packs: dict[tuple[str, int], Pack | None] = {}
        self._heads: dict[tuple[str, int], dict[str, FlowHead]] = {}

    @classmethod
    def on_demand(cls, open_desk: Callable[[], OpenedDesk]) -> DeskFlows:
        """Flows of the desk ``open_desk()`` opens when first needed; :meth:`close` closes it."""
        flows = cls.__new__(cls)
        flows._given, flows._open, flows._packs, flows._heads = None, open_desk, {}, {}
        return flows

    @property
    def _desk(self) -> DeskProtocol:
        if self._given is None:
            assert self._open is not None
            self._given = self._open()
        return self._given

    def close(self) -> None:
        """Close the desk this opened on demand (a desk handed in is its owner's to close)."""
        if self._open is not None and self._given is not None:
            opened: OpenedDesk = self._given  # type: ignore[assignment]
            opened.close()
            self._given = None

    def __call__(self, pack_id: str, sequence: int, flow_id: str) -> Flow | None:
        key = (pack_id, sequence)
        if key not in self._packs:
            try:
                self._packs[key] = self._desk.pack(pack_id, sequence)
            except KeyError:  # a version this desk never imported
                self._packs[key] = None
        pack = self._packs[key]
        if pack is None:
            return None
        try:
            return pack.flow(flow_id)
        except KeyError:
            return None

    def head(self, pack_id: str, sequence: int, flow_id: str) -> Flow | FlowHead | None:
        """A flow's title and touch points, all a report's rows name: read as heads, so a
        report by flow or touch point on a 10,000-flow pack never builds its steps."""
        key = (pack_id, sequence)
        if self._packs.get(key) is not None:  # already whole (summarising needed it)
            return self(pack_id, sequence, flow_id)
        heads = self._heads.get(key)
        if heads is None:
            try:
                found = self._desk.flow_heads(pack_id, sequence)
            except KeyError:
                found = []
            heads = self._heads[key] = {h.id: h for h in found}
        return heads.get(flow_id)

    def offered(self) -> list[TouchPoint]:
        """Offered touch points of the active version of every pack on the desk (from the
        packs' headers and axes where the desk reads those alone)."""
        out: list[TouchPoint] = []
        heads = getattr(self._desk, "heads", None)
        for info in self._desk.active_packs():
            pack = (heads(info.pack_id, info.sequence).header if heads is not None
                    else self._desk.pack(info.pack_id, info.sequence))  # fmt: skip
            out.extend(pack.offered_touchpoints())
        return out
