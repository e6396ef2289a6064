"""One way to replace a file (old or new, never half, no temporary left) and one file digest."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest

from flowdesk.files import atomic_write, replacing, sha256_file
from flowdesk.settings import Settings


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "坐席设置.json"
    atomic_write(path, "旧内容 old".encode())
    with pytest.raises(RuntimeError), replacing(path) as tmp:
        tmp.write_text("新内容，写到一半", encoding="utf-8")
        raise RuntimeError("磁盘已满")
    assert path.read_text(encoding="utf-8") == "旧内容 old"
    assert _beside(path) == ["坐席设置.json"]


def test_the_new_file_replaces_the_old_and_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "flows" / "携号转网.yaml"
    atomic_write(path, b"title: old\n")
    if sys.platform != "win32":
        os.chmod(path, 0o640)
    atomic_write(path, "title: 携号转网 xie hao\n".encode())
    assert path.read_text(encoding="utf-8") == "title: 携号转网 xie hao\n"
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        atomic_write(path, b"x", mode=0o644)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert _beside(path) == ["携号转网.yaml"]


def test_settings_that_fail_to_save_leave_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    Settings(agent_id="A001", team="客服一组").save(path)

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        Settings(agent_id="B002", team="二组 er zu").save(path)
    monkeypatch.undo()
    assert Settings.load(path).agent_id == "A001"
    assert _beside(path) == ["settings.json"]


def test_sha256_file_is_the_digest_of_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "热线.flowpack"
    data = "话费查询 huafei ".encode() * 200_000  # several read chunks
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()
