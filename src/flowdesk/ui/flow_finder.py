"""Which flow to open, read from the store on demand, never on the UI thread.

The window holds the heads of the pack it shows (:class:`flowdesk.lookup.PackHeads`:
the map, the filters and the lists need nothing more), not its flows: a
10,000-flow pack is a quarter million steps. A flow opened from a search hit,
the process map, a recent-flow key or a screen pop is found by its head in the
shown version and read, alone, by primary key on a worker thread (about a
millisecond), so the agent sees the version the window shows. A flow the shown
version lacks (one of another active pack, on a desk with several, or of a
version activated since the window last loaded) is asked of the active versions.
Either way the answer comes back on the UI thread, to ``found`` or ``missing``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flowdesk.lookup import PackHeads
from flowdesk.model import Flow, TouchPoint
from flowdesk.runs import FlowRef
from flowdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowdesk.desk import Desk
    from flowdesk.ui.opening import LazyDesk

Found = Callable[[FlowRef], object]
Missing = Callable[[], object]


def _ref(flow: Flow, pack_id: str, sequence: int, version: str | None) -> FlowRef:
    return FlowRef(flow, pack_id, sequence, version)


class FlowFinder:
    """Finds flows by id or touch point code and reads them off the UI thread."""

    def __init__(self, desk: Callable[[], Desk | LazyDesk], runner: TaskRunner) -> None:
        self._desk = desk  # looked up when needed: the desk may still be opening
        self._runner = runner

    def by_id(
        self,
        shown: PackHeads | None,
        flow_id: str,
        pack_id: str | None,
        found: Found,
        missing: Missing,
    ) -> None:
        """The flow ``flow_id`` of the shown version, else of the active version of
        ``pack_id`` (None: any active pack)."""
        in_shown = shown is not None and pack_id in (None, shown.id) and flow_id in shown

        def work() -> FlowRef | None:
            if in_shown and shown is not None:
                ref = self._read(shown, flow_id)
                if ref is not None:
                    return ref
            try:
                flow, info = self._desk().flow(flow_id, pack_id)
            except KeyError:
                return None
            return _ref(flow, info.pack_id, info.sequence, info.version)

        self._answer(work, found, missing)

    def by_touchpoint(
        self, shown: PackHeads | None, code: str, found: Found, missing: Missing
    ) -> None:
        """The flow that claims a touch point code (a screen pop); ``missing`` for a bad code."""
        try:
            wanted = TouchPoint.parse(code.upper())
        except ValueError:
            missing()
            return
        flow_id = shown.touchpoint_flows().get(wanted) if shown is not None else None

        def work() -> FlowRef | None:
            if flow_id is not None and shown is not None:
                ref = self._read(shown, flow_id)
                if ref is not None:
                    return ref
            try:
                flow, info = self._desk().flow_for_touchpoint(code)
            except (KeyError, ValueError):
                return None
            return _ref(flow, info.pack_id, info.sequence, info.version)

        self._answer(work, found, missing)

    def _read(self, shown: PackHeads, flow_id: str) -> FlowRef | None:
        """The flow as the shown version holds it (None if the store no longer has it)."""
        try:
            flows = self._desk().stored_flows(shown.id, shown.sequence, (flow_id,))
        except KeyError:  # the version is gone (removed by another process)
            return None
        return _ref(flows[0], shown.id, shown.sequence, shown.version) if flows else None

    def _answer(self, work: Callable[[], FlowRef | None], found: Found, missing: Missing) -> None:
        def done(ref: FlowRef | None) -> None:
            if ref is None:
                missing()
            else:
                found(ref)

        self._runner.run(work, done)  # a store that fails: the runner's one error path
