"""The ``flow_lookup`` and offered touch points of a desk, for reports.

Reports never read the process-map store themselves (data flows one way); the
CLI and the window hand them this adapter over their :class:`flowdesk.desk.Desk`.
It is duck-typed (``desk.pack(pack_id, sequence)``, ``desk.active_packs()``), so
the core keeps no import of the desk layer. Every imported pack version is
kept on the desk, so a run recorded against an older sequence is judged by
the flow as it was then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowdesk.model import Flow, Pack, TouchPoint

if TYPE_CHECKING:
    from flowdesk.desk_protocol import DeskProtocol


class DeskFlows:
    """Callable as ``flow_lookup(pack_id, sequence, flow_id)``; pack versions are cached."""

    def __init__(self, desk: DeskProtocol) -> None:
        self._desk = desk
        self._packs: dict[tuple[str, int], Pack | None] = {}

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
