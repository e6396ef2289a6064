"""The desk and the usage log while they open on the work thread, behind a usable window.

Qt-free on purpose: these are the hand-over points between the UI thread and
the work thread at start, and they are tested without a display.
"""

from __future__ import annotations

import linecache
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowdesk.paths import DataDir

if TYPE_CHECKING:
    from collections.abc import Collection

    from flowdesk.desk import Desk
    from flowdesk.lookup import PackHeads, Version
    from flowdesk.model import Flow, Pack
    from flowdesk.search import Hit
    from flowdesk.startcache import SnapshotDesk

log = logging.getLogger(__name__)

OPEN_TIMEOUT_S = 120.0


class LazyDesk:
    """Stands in for the :class:`flowdesk.desk.Desk` while it opens on the work thread.

    Until it is open, the window's own lookups (active versions, packs, flows,
    touch points, search) are answered from the start snapshot if there is one
    (:mod:`flowdesk.startcache`), so the UI thread never waits for the store.
    Anything else waits until the desk is open; only work threads ask for it:
    the UI thread never waits (such a question is counted, logged and refused;
    tests assert none).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = DataDir(root)
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._desk: Desk | None = None
        self._early: SnapshotDesk | None = None
        self._hold = False
        self._error: BaseException | None = None
        #: how often the UI thread had to wait for the desk (should stay 0)
        self.ui_waits = 0

    # -- opening ----------------------------------------------------------------------

    def use_snapshot(self, early: SnapshotDesk) -> None:
        """Answer the window's lookups from ``early`` until the desk is open."""
        self._early = early

    @property
    def early(self) -> SnapshotDesk | None:
        return self._early

    def open(self) -> Desk:
        """Open the desk (work thread); it takes over what the snapshot opened."""
        from flowdesk.desk import Desk

        try:
            desk = Desk.open(self.root)
            early = self._early
            if early is not None:
                desk.adopt(early.indexes(), early.packs() if early.same_versions(desk) else {})
            with self._lock:
                if self._hold:
                    desk.hold_versions()
                self._desk = desk
        except BaseException as exc:
            self._error = exc
            raise
        finally:
            self._ready.set()
        return desk

    @property
    def is_open(self) -> bool:
        return self._desk is not None

    def _wait(self, name: str) -> Desk:
        """The open desk; a work thread waits for it, the UI thread never does.

        A question only the open desk can answer, asked on the UI thread before
        it is open, is a bug of the window: it is counted, logged and refused
        (the window's error path tells the agent), instead of freezing the window.
        """
        if threading.current_thread() is threading.main_thread() and not self._ready.is_set():
            self.ui_waits += 1
            log.warning("the window's UI thread asked the desk before it was open (%s)", name)
            raise RuntimeError(f"the desk on {self.root} is still opening ({name})")
        if not self._ready.wait(OPEN_TIMEOUT_S) or self._desk is None:
            raise RuntimeError(f"the desk on {self.root} did not open: {self._error}")
        return self._desk

    def _answering(self, name: str) -> Any:
        """The open desk, else the snapshot, else (a work thread) the desk once open."""
        desk, early = self._desk, self._early
        if desk is not None:
            return desk
        if early is not None:
            return early
        return self._wait(name)

    # -- what the window asks on its UI thread ----------------------------------------

    def active_packs(self) -> list[Version]:
        return self._answering("active_packs").active_packs()

    def pack(self, pack_id: str | None = None, sequence: int | None = None) -> Pack:
        return self._answering("pack").pack(pack_id, sequence)

    def heads(self, pack_id: str | None = None, sequence: int | None = None) -> PackHeads:
        return self._answering("heads").heads(pack_id, sequence)

    def stored_flows(self, pack_id: str, sequence: int, flow_ids: Collection[str]) -> list[Flow]:
        """Flows of one version: the snapshot's if it holds them, else the desk's once open."""
        found = self._answering("stored_flows").stored_flows(pack_id, sequence, flow_ids)
        if found or self._desk is not None:
            return found
        return self._wait("stored_flows").stored_flows(pack_id, sequence, flow_ids)

    def flow(self, flow_id: str, pack_id: str | None = None) -> tuple[Flow, Version]:
        return self._answering("flow").flow(flow_id, pack_id)

    def flow_for_touchpoint(self, code: str) -> tuple[Flow, Version]:
        return self._answering("flow_for_touchpoint").flow_for_touchpoint(code)

    def search(self, query: str, **filters: Any) -> list[Hit]:
        return self._answering("search").search(query, **filters)

    def answered(self, query: str, **filters: Any) -> list[Hit] | None:
        """A repeated question's answer (UI thread); None, never waiting, while opening."""
        desk = self._desk or self._early
        return desk.answered(query, **filters) if desk is not None else None

    def warm_up_search(self) -> None:
        self._answering("warm_up_search").warm_up_search()
        forget_source_lines()  # the window's start-up imports are done by now

    def hold_versions(self) -> None:
        """A call started: keep its versions (applied when the desk opens, if not yet)."""
        with self._lock:
            self._hold = True
            desk = self._desk
        if desk is not None:
            desk.hold_versions()

    def release_versions(self) -> None:
        with self._lock:
            self._hold = False
            desk = self._desk
        if desk is not None:
            desk.release_versions()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wait(name), name)

    def close(self) -> None:
        if self._desk is not None:
            self._desk.close()
        elif self._early is not None:
            for index in self._early.indexes().values():
                index.close()


class BufferedSink:
    """Hands events to the usage log; holds the few recorded before it is open."""

    def __init__(self) -> None:
        self.log: Any = None
        self._held: list[Any] = []
        self._lock = threading.Lock()

    def __call__(self, event: Any) -> None:
        with self._lock:
            if self.log is None:
                self._held.append(event)
                return
        self.log.record(event)

    def attach(self, log: Any) -> None:
        with self._lock:
            self.log, held, self._held = log, self._held, []
        for event in held:
            log.record(event)


def forget_source_lines() -> None:
    """Start-up's imports are done: let go of the source lines PySide6 read meanwhile.

    PySide6's import hook reads every module imported after it through
    ``linecache`` (to look for ``from __feature__``), and ``linecache`` keeps
    them: about 25 MB once the store, Whoosh and pypinyin are in. A traceback
    reads the lines it shows again.
    """
    linecache.clearcache()
