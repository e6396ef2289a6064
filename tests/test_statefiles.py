"""The cheap first look at a desk's SQLite files, and setting a damaged file aside."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flowdesk.problems import Refused
from flowdesk.statefiles import check_sqlite, read_state_text, set_aside, sqlite_damage


def _database(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE 事件 (x TEXT)")
        conn.executemany("INSERT INTO 事件 VALUES (?)", [("携号转网" * 50,)] * 200)
    return path


def test_a_whole_database_and_a_new_file_pass(tmp_path: Path) -> None:
    assert sqlite_damage(_database(tmp_path / "ok.sqlite3")) is None
    assert sqlite_damage(tmp_path / "absent.sqlite3") is None
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert sqlite_damage(tmp_path / "empty.sqlite3") is None


def test_garbage_truncation_and_a_folder_are_named(tmp_path: Path) -> None:
    db = _database(tmp_path / "usage.sqlite3")
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    assert "truncated" in (sqlite_damage(db) or "")
    db.write_bytes(b"\x00" * 4096)
    assert "not an SQLite database" in (sqlite_damage(db) or "")
    (tmp_path / "dir.sqlite3").mkdir()
    assert "folder" in (sqlite_damage(tmp_path / "dir.sqlite3") or "")
    with pytest.raises(Refused, match=r"usage\.sqlite3: the usage log is damaged"):
        check_sqlite(db, "the usage log", "keep it")


def test_a_short_file_beside_its_wal_is_left_to_sqlites_recovery(tmp_path: Path) -> None:
    db = _database(tmp_path / "usage.sqlite3")
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])  # as a kill -9 mid-checkpoint leaves it
    wal = tmp_path / "usage.sqlite3-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 28)  # a WAL header: frames follow
    assert sqlite_damage(db) is None
    wal.write_bytes(b"")  # an empty WAL holds nothing: the short file is a truncated copy
    assert "truncated" in (sqlite_damage(db) or "")


def test_text_state_that_is_not_utf8_is_refused_with_its_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes('{"team": "一组"}'.encode("gbk"))
    with pytest.raises(Refused, match=r"settings\.json: .*not UTF-8"):
        read_state_text(path, "the settings file")
    assert read_state_text(tmp_path / "none.json", "x") is None


def test_a_file_set_aside_is_kept_with_its_companions(tmp_path: Path) -> None:
    db = _database(tmp_path / "usage.sqlite3")
    (tmp_path / "usage.sqlite3-wal").write_bytes(b"wal")
    kept = set_aside(db)
    assert not db.exists() and kept.name.startswith("usage.sqlite3.damaged-")
    assert (tmp_path / f"{kept.name}-wal").read_bytes() == b"wal"
