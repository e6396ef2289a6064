"""What a desk remembers about updates: the 新/改 marks and the sync history.

Marks tell agents which flows are new or changed since they last opened them;
they live in ``changes.json`` of the data folder. Every sync, rollback and
re-activation is appended to ``sync-history.jsonl`` so a team lead (or QA)
can tell which pack version a desk was on, and when.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flowdesk.files import atomic_write
from flowdesk.paths import DataDir
from flowdesk.statefiles import os_refusal

MARKS_FILE = "changes.json"
HISTORY_FILE = "sync-history.jsonl"
#: What the window shows beside a flow an agent has not opened since it changed.
MARK_LABELS = {"new": "新", "changed": "改"}


class ChangeMarks:
    """Flows marked new / changed per pack, until an agent opens them."""

    def __init__(self, data: DataDir) -> None:
        self.path = data.root / MARKS_FILE

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
    """An append-only log of pack version changes on this desk."""

    def __init__(self, data: DataDir) -> None:
        self.path = data.root / HISTORY_FILE

    def record(self, action: str, **fields: Any) -> dict[str, Any]:
        entry = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "action": action}
        entry.update(fields)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        return entry

    def entries(self) -> list[dict[str, Any]]:
        """Every recorded entry, oldest first; a torn or damaged line is skipped."""
        found = []
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise os_refusal(exc, "the sync history") from None
        for line in lines:
            try:  # a damaged line (torn, not UTF-8, not JSON) is skipped, the rest kept
                item = json.loads(line.decode("utf-8"))
            except ValueError:
                continue
            if isinstance(item, dict):
                found.append(item)
        return found


def history_path(data: DataDir) -> Path:
    return data.root / HISTORY_FILE
