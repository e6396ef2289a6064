"""One pack history: an older desk's sync-history.jsonl is merged into the store once."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

from flowdesk.desk import Desk
from flowdesk.store.migrations import SCHEMA_VERSION
from flowdesk.sync.records import SyncHistory
from tests.builders import edit_yaml


def _bump(folder: Path, sequence: int) -> Path:
    edit_yaml(folder / "pack.yaml", lambda pack: pack.update(sequence=sequence))
    return folder


def _later(at: str, ms: int) -> str:
    return (datetime.fromisoformat(at) + timedelta(milliseconds=ms)).isoformat(
        timespec="milliseconds"
    )


def _old_desk(pack_source: Path, data_dir: Path) -> tuple[list[dict], str]:
    """A schema-5 desk that synced #2, rolled back to #1 and wrote both to its own file."""
    with Desk.open(data_dir) as desk:
        desk.import_pack(pack_source)
        desk.import_pack(_bump(pack_source, 2))
        # The old file's sync line is written 3 ms after the import (below); the agent's
        # rollback comes later than that, as on a desk. On a fast machine the two store
        # entries can fall within 3 ms of each other, which put the sync after the rollback.
        time.sleep(0.02)
        desk.activate("test-hotline", 1, action="rollback")
        stored = desk.history()
    raw = sqlite3.connect(data_dir / "flowdesk.sqlite3")
    raw.execute("ALTER TABLE pack_history DROP COLUMN facts")
    raw.execute("PRAGMA user_version = 5")
    raw.commit()
    raw.close()
    imported, rolled_back = stored[1]["at"], stored[2]["at"]
    lines = [
        {
            "ts": _later(imported, 3),
            "action": "sync",
            "pack_id": "test-hotline",
            "from_sequence": 1,
            "to_sequence": 2,
            "source": "https://packs.example.cn/热线",
            "key_id": "ab12cd34ef56ab78",
            "sha256": "cd" * 32,
            "changed_flows": 2,
        },
        {
            "ts": _later(rolled_back, 4),
            "action": "rollback",
            "pack_id": "test-hotline",
            "from_sequence": 2,
            "to_sequence": 1,
            "reason": "新版话术有误 huashu",
        },
    ]
    text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in lines)
    (data_dir / "sync-history.jsonl").write_text(text + '{"ts": "2026-', encoding="utf-8")
    return lines, rolled_back


def test_the_old_file_is_merged_once_and_nothing_is_lost(pack_source, data_dir) -> None:
    lines, rolled_back = _old_desk(pack_source, data_dir)
    # the store recorded the rollback too: the one entry keeps its time, gains the reason
    expected = [lines[0], {**lines[1], "ts": rolled_back}]
    with Desk.open(data_dir) as desk:
        actions = [h["action"] for h in desk.history()]
        assert actions == ["import", "import", "sync", "rollback"]  # one rollback, not two
        rollback = desk.history()[-1]
        assert rollback["facts"] == {"reason": "新版话术有误 huashu"}
        assert SyncHistory(desk).entries() == expected
    raw = sqlite3.connect(data_dir / "flowdesk.sqlite3")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()
    assert not (data_dir / "sync-history.jsonl").exists()
    merged = data_dir / "sync-history.jsonl.merged"
    assert merged.read_text(encoding="utf-8").startswith('{"ts"')

    # A crash after the commit and before the rename leaves the old file in place:
    # the next open recognises what it merged and adds nothing twice.
    merged.rename(data_dir / "sync-history.jsonl")
    with Desk.open(data_dir) as desk:
        assert [h["action"] for h in desk.history()] == ["import", "import", "sync", "rollback"]
        assert SyncHistory(desk).entries() == expected
    assert merged.exists() and not (data_dir / "sync-history.jsonl").exists()


def test_a_desk_without_the_old_file_keeps_one_history(pack_source, data_dir) -> None:
    with Desk.open(data_dir) as desk:
        desk.import_pack(pack_source)
        desk.import_pack(_bump(pack_source, 2))
        desk.activate("test-hotline", 1, action="rollback", facts={"reason": "回退 huitui"})
        assert [h["action"] for h in desk.history()] == ["import", "import", "rollback"]
        (entry,) = SyncHistory(desk).entries()
        assert (entry["from_sequence"], entry["to_sequence"]) == (2, 1)
        assert entry["reason"] == "回退 huitui"
    assert sorted(p.name for p in data_dir.iterdir() if "history" in p.name) == []
