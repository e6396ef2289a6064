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

from flowdesk.model import Flow, Pack, TouchPoint

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

    @classmethod
    def on_demand(cls, open_desk: Callable[[], OpenedDesk]) -> DeskFlows:
        """Flows of the desk ``open_desk()`` opens when first needed; :meth:`close` closes it."""
        flows = cls.__new__(cls)
        flows._given, flows._open, flows._packs = None, open_desk, {}
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

    def offered(self) -> list[TouchPoint]:
        """Offered touch points of the active version of every pack on the desk."""
        out: list[TouchPoint] = []
        for info in self._desk.active_packs():
            out.extend(self._desk.pack(info.pack_id, info.sequence).offered_touchpoints())
        return out
