"""First use: the sample pack for a new user, never for a desk rolled out for production."""

from __future__ import annotations

import json
from pathlib import Path

from flowdesk.desk import Desk
from flowdesk.firstuse import bundle_allows_sample, ensure_pack
from tests.cli.process import run


def test_a_new_users_first_command_finds_the_sample(tmp_path: Path) -> None:
    data = tmp_path / "new"
    r = run("search", "套餐", "--json", data_dir=data)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout), "the README's first search finds flows"
    assert "sample pack" in r.stderr  # said once, on stderr, so --json stays JSON
    r = run("show", "np-qualify", data_dir=data)
    assert r.returncode == 0 and "sample pack" not in r.stderr
    listed = json.loads(run("pack", "list", "--json", data_dir=data).stdout)
    assert len(listed) == 1, "installed once, not once per command"


def test_a_desk_with_a_sync_source_gets_a_hint_and_no_sample(tmp_path: Path) -> None:
    data = tmp_path / "prod"
    data.mkdir()
    share = tmp_path / "share"
    share.mkdir()
    r = run("source", "add", "总部", str(share), data_dir=data)
    assert r.returncode == 0, r.stderr
    r = run("search", "套餐", data_dir=data)
    assert r.returncode == 1
    assert "flowdesk sync 总部" in r.stderr and "Traceback" not in r.stderr
    r = run("pack", "list", "--json", data_dir=data)
    assert r.returncode == 0 and json.loads(r.stdout) == []
    assert "flowdesk sync 总部" in r.stderr


def test_the_bundle_setting_switches_the_sample_off(tmp_path: Path) -> None:
    defaults = tmp_path / "desk-defaults.json"
    defaults.write_text('{"sample_pack": false}', encoding="utf-8")
    assert bundle_allows_sample(defaults) is False
    defaults.write_text('{"sample_pack": true}', encoding="utf-8")
    assert bundle_allows_sample(defaults) is True
    defaults.write_bytes(b"\xff not json")
    assert bundle_allows_sample(defaults) is True  # a damaged preset never blocks a desk
    assert bundle_allows_sample() is True  # as shipped


def test_ensure_pack_does_nothing_once_a_pack_is_there(tmp_path: Path) -> None:
    desk = Desk.open(tmp_path / "d")
    try:
        first = ensure_pack(desk)
        assert first.imported is not None and first.hint is None
        assert ensure_pack(desk).imported is None
        assert len(desk.packs()) == 1
    finally:
        desk.close()
