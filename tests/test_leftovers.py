"""Sweeping what crashed imports and syncs leave, without touching a running import's work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flowdesk import leftovers
from flowdesk.paths import DataDir


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_staging_of_dead_processes_and_installed_downloads_go_the_rest_stays(
    tmp_path: Path,
) -> None:
    data = DataDir(tmp_path)
    data.indexes.mkdir()
    data.downloads.mkdir()
    mine = leftovers.staging_dir(data.indexes, "热线", 3)
    dead = data.indexes / f".tmp-热线-3-p{_dead_pid()}-ab12cd34"
    old_style = data.indexes / ".tmp-热线-2-deadbeef"
    swap = data.indexes / "热线-2.next"
    index = data.indexes / "热线-2"
    for folder in (mine, dead, old_style, swap, index, Path(f"{dead}.next")):
        folder.mkdir()
    installed = data.downloads / "热线-2-0123456789abcdef.flowpack"
    older_part = data.downloads / "热线-1-0123456789abcdef.part"
    newer_part = data.downloads / "热线-3-0123456789abcdef.part"
    for file in (installed, older_part, newer_part):
        file.write_bytes(b"PK")
    removed = leftovers.sweep(data, [("热线", 1), ("热线", 2)])
    assert {p.name for p in removed} == {
        dead.name,
        f"{dead.name}.next",
        old_style.name,
        swap.name,
        installed.name,
        older_part.name,
    }
    assert mine.is_dir() and index.is_dir() and newer_part.is_file()
    assert f"-p{os.getpid()}-" in mine.name
