"""Which flow to open, found without reading the store on the UI thread.

The window holds the pack it shows (the one :meth:`MainWindow.set_pack` was
given: the desk's first active pack), so a flow opened from a search hit, the
process map, a recent-flow key or a screen pop is nearly always found there, in
memory. Only a flow the window's pack lacks (one of another active pack, on a
desk with several, or of a version activated since the window last loaded) is
asked of the desk, on the work thread, where reading a whole pack from the
store cannot freeze the window. Either way the answer comes back on the UI
thread, to ``found`` or ``missing``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowdesk.model import Flow, Pack, TouchPoint
from flowdesk.runs import FlowRef
from flowdesk.ui.tasks import TaskRunner

Found = Callable[[FlowRef], object]
Missing = Callable[[], object]


def _ref(flow: Flow, pack_id: str, sequence: int, version: str | None) -> FlowRef:
    return FlowRef(flow, pack_id, sequence, version)


class FlowFinder:
    """Finds flows by id or touch point code: in the shown pack, else on the work thread."""

    def __init__(self, desk: Callable[[], Any], runner: TaskRunner) -> None:
        self._desk = desk  # looked up when needed: the desk may still be opening
        self._runner = runner

    def by_id(
        self, shown: Pack | None, flow_id: str, pack_id: str | None, found: Found, missing: Missing
    ) -> None:
        """The flow ``flow_id`` of the active version of ``pack_id`` (None: any active pack)."""
        if shown is not None and pack_id in (None, shown.id):
            try:
                flow = shown.flow(flow_id)
            except KeyError:
                pass
            else:
                found(_ref(flow, shown.id, shown.sequence, shown.version))
                return

        def work() -> FlowRef | None:
            try:
                flow, info = self._desk().flow(flow_id, pack_id)
            except KeyError:
                return None
            return _ref(flow, info.pack_id, info.sequence, info.version)

        self._answer(work, found, missing)

    def by_touchpoint(self, shown: Pack | None, code: str, found: Found, missing: Missing) -> None:
        """The flow that claims a touch point code (a screen pop); ``missing`` for a bad code."""
        try:
            wanted = TouchPoint.parse(code.upper())
        except ValueError:
            missing()
            return
        flow_id = shown.touchpoint_flows().get(wanted) if shown is not None else None
        if shown is not None and flow_id is not None:
            found(_ref(shown.flow(flow_id), shown.id, shown.sequence, shown.version))
            return

        def work() -> FlowRef | None:
            try:
                flow, info = self._desk().flow_for_touchpoint(code)
            except (KeyError, ValueError):
                return None
            return _ref(flow, info.pack_id, info.sequence, info.version)

        self._answer(work, found, missing)

    def _answer(self, work: Callable[[], FlowRef | None], found: Found, missing: Missing) -> None:
        def done(ref: FlowRef | None) -> None:
            if ref is None:
                missing()
            else:
                found(ref)

        self._runner.run(work, done)  # a store that fails: the runner's one error path
