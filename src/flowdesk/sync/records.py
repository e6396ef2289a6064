"""What a desk remembers about updates: the 新/改 marks and the sync history.

Marks tell agents which flows are new or changed since they last opened them;
they live in the data folder (``DataDir.marks``). Every sync, rollback and
activation is an entry of the desk's one pack history, in the store
(:mod:`flowdesk.store.history`), so a team lead (or QA) can tell which pack
version a desk was on, and when; :class:`SyncHistory` is the view of it that
``flowdesk sync --history`` shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flowdesk.files import atomic_write
from flowdesk.paths import DataDir

if TYPE_CHECKING:
    from flowdesk.desk_protocol import DeskProtocol

#: The history entries a sync view shows: what changed the active version, and syncs.
SYNC_ACTIONS = frozenset({"sync", "rollback", "activate"})
#: What the window shows beside a flow an agent has not opened since it changed.
MARK_LABELS = {"new": "新", "changed": "改"}


class ChangeMarks:
    """Flows marked new / changed per pack, until an agent opens them."""

    def __init__(self, data: DataDir) -> None:
        self.path = data.marks

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # marks are a convenience: a lost file only loses the badges
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def record(
        self, pack_id: str, sequence: int, marks: dict[str, str], flow_ids: Iterable[str]
    ) -> None:
        """Set the marks of a newly active version, keeping unopened older marks.

        A flow still unopened from an earlier update keeps its mark (a flow new
        in the last update and changed in this one is still 新 to the agent);
        flows no longer in the pack lose theirs.
        """
        data = self._load()
        present = set(flow_ids)
        before = data.get(pack_id, {}).get("marks", {})
        merged = {f: m for f, m in before.items() if f in present}
        for flow_id, mark in marks.items():
            if merged.get(flow_id) != "new":
                merged[flow_id] = mark
        data[pack_id] = {"sequence": sequence, "marks": merged}
        self._save(data)

    def seen(self, flow_id: str, pack_id: str | None = None) -> bool:
        """An agent opened the flow: drop its mark. True when there was one."""
        data = self._load()
        dropped = False
        for pid, entry in data.items():
            if (pack_id is None or pid == pack_id) and flow_id in entry.get("marks", {}):
                del entry["marks"][flow_id]
                dropped = True
        if dropped:
            self._save(data)
        return dropped

    def unseen(self, pack_id: str | None = None) -> dict[str, str]:
        """Flow id -> ``"new"`` / ``"changed"`` for flows not opened since they changed."""
        found: dict[str, str] = {}
        for pid, entry in self._load().items():
            if pack_id is None or pid == pack_id:
                found.update(entry.get("marks", {}))
        return found

    def clear(self, pack_id: str) -> None:
        data = self._load()
        if data.pop(pack_id, None) is not None:
            self._save(data)


class SyncHistory:
    """The sync view of a desk's pack history: syncs, rollbacks and activations.

    Each entry reads as ``{"ts", "action", "pack_id", "from_sequence",
    "to_sequence", …facts}``, the shape ``sync --history --json`` has always printed.
    """

    def __init__(self, desk: DeskProtocol) -> None:
        self.desk = desk

    def record(
        self,
        action: str,
        *,
        pack_id: str,
        from_sequence: int | None,
        to_sequence: int,
        **facts: Any,
    ) -> None:
        """Add an entry for a change the store did not record itself (a sync's origin)."""
        self.desk.record_history(action, pack_id, to_sequence, from_sequence, facts)

    def entries(self) -> list[dict[str, Any]]:
        """Every sync, rollback and activation on this desk, oldest first."""
        return [
            {
                "ts": entry["at"],
                "action": entry["action"],
                "pack_id": entry["pack_id"],
                "from_sequence": entry["previous_sequence"],
                "to_sequence": entry["sequence"],
                **(entry.get("facts") or {}),
            }
            for entry in self.desk.history()
            if entry["action"] in SYNC_ACTIONS
        ]


# The window's 新/改 marks, here beside what keeps them: the window reads them at
# start, and sync.updates would load the pack reader (YAML) with it.
def changed_flows_unseen(desk: DeskProtocol, pack_id: str | None = None) -> dict[str, str]:
    """Flow id -> 新 / 改 for the flows agents have not opened since they changed."""
    return {f: MARK_LABELS[m] for f, m in ChangeMarks(desk.data).unseen(pack_id).items()}


def mark_flow_seen(desk: DeskProtocol, flow_id: str) -> bool:
    """Call when an agent opens a flow: its 新/改 mark goes away."""
    return ChangeMarks(desk.data).seen(flow_id)
