"""The command line of the sync part, end to end in-process: a process owner publishes,
a desk trusts the key and syncs, sees the diff, and rolls back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowdesk.cli import main
from tests.builders import write_pack
from tests.sync.sync_fixtures import PASSPHRASE, change_step_text


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def owner(tmp_path, monkeypatch, capsys, pack_data) -> dict:
    """A process owner's data folder with a key, and a helper that builds signed packs."""
    monkeypatch.setenv("FLOWDESK_KEY_PASSPHRASE", PASSPHRASE)
    data = tmp_path / "owner"
    code, out, err = run(
        capsys, "keys", "generate", "--name", "流程管理室", "-o", tmp_path / "pub.json",
        "--data-dir", data, "--json",
    )  # fmt: skip
    assert code == 0, err
    key_id = json.loads(out)["key_id"]

    def build(sequence: int, change=None, sign: bool = True) -> Path:
        pack, flows = json.loads(json.dumps(pack_data))
        pack["sequence"] = sequence
        if change:
            change(pack, flows)
        src = write_pack(tmp_path / f"src{sequence}", pack, flows)
        out_file = tmp_path / f"p{sequence}.flowpack"
        assert run(capsys, "pack", "build", src, "-o", out_file)[0] == 0
        if sign:
            assert run(capsys, "pack", "sign", out_file, "--data-dir", data)[0] == 0
        return out_file

    return {"data": data, "key_id": key_id, "build": build, "pub": tmp_path / "pub.json"}


def test_publish_trust_sync_diff_rollback(capsys, tmp_path, owner) -> None:
    share = tmp_path / "share"
    share.mkdir()
    desk = tmp_path / "desk"
    p1 = owner["build"](1)
    code, out, _ = run(capsys, "pack", "verify", p1, "--data-dir", owner["data"], "--json")
    assert code == 0 and json.loads(out)["key_id"] == owner["key_id"]
    assert run(capsys, "pack", "publish", p1, share)[0] == 0

    code, _, err = run(capsys, "sync", share, "--data-dir", desk)
    assert code == 1 and "does not trust" in err and "Traceback" not in err
    assert run(capsys, "keys", "trust", owner["pub"], "--data-dir", desk)[0] == 0
    code, out, err = run(capsys, "sync", share, "--data-dir", desk, "--json")
    assert code == 0, err
    (report,) = json.loads(out)
    assert report["applied"][0]["imported"]["sequence"] == 1

    p2 = owner["build"](2, change_step_text)
    assert run(capsys, "pack", "publish", p2, share)[0] == 0
    code, out, _ = run(capsys, "sync", share, "--check", "--data-dir", desk, "--json")
    assert json.loads(out)[0]["plan"]["updates"][0]["sequence"] == 2
    assert json.loads(out)[0]["applied"] == []
    code, out, err = run(capsys, "sync", share, "--preview", "--data-dir", desk, "--json")
    assert code == 0, err
    (preview,) = json.loads(out)[0]["applied"]
    assert [f["flow_id"] for f in preview["diff"]["flows_added"]] == ["balance-query"]
    assert "imported" not in preview
    assert list((desk / "downloads").glob("*.flowpack*")) == []  # nothing left to sweep
    code, out, _ = run(capsys, "pack", "list", "--data-dir", desk, "--json")
    assert [(p["sequence"], p["state"]) for p in json.loads(out)] == [(1, "active")]
    code, out, err = run(capsys, "sync", share, "--data-dir", desk)
    assert code == 0, err
    assert "+ balance-query  余额查询（新）" in out and "~ bill-query  话费查询" in out

    code, out, _ = run(
        capsys, "pack", "diff", "test-hotline#1", "test-hotline#2", "--data-dir", desk, "--json"
    )
    assert code == 0
    assert [f["flow_id"] for f in json.loads(out)["flows_added"]] == ["balance-query"]
    code, out, _ = run(capsys, "pack", "diff", p1, p2)
    assert code == 0 and "step s1 text" in out

    code, out, _ = run(capsys, "pack", "rollback", "--reason", "话术有误", "--data-dir", desk)
    assert code == 0 and "#2 → #1 active" in out
    code, out, _ = run(capsys, "sync", "--history", "--data-dir", desk, "--json")
    assert [e["action"] for e in json.loads(out)] == ["sync", "sync", "rollback"]
    code, out, _ = run(capsys, "sync", share, "--data-dir", desk, "--json")
    assert json.loads(out)[0]["plan"]["held_back"] == ["test-hotline"]


def test_unsigned_pack_cannot_be_published_or_verified(capsys, tmp_path, owner) -> None:
    unsigned = owner["build"](1, sign=False)
    (tmp_path / "share").mkdir()
    code, _, err = run(capsys, "pack", "publish", unsigned, tmp_path / "share")
    assert code == 1 and "sign the pack first" in err
    code, _, err = run(capsys, "pack", "verify", unsigned, "--data-dir", owner["data"])
    assert code == 1 and "not signed" in err


def test_keys_list_and_untrust(capsys, tmp_path, owner) -> None:
    code, out, _ = run(capsys, "keys", "list", "--data-dir", owner["data"], "--json")
    assert code == 0
    listing = json.loads(out)
    assert [k["key_id"] for k in listing["own"]] == [owner["key_id"]]
    assert owner["key_id"] in [k["key_id"] for k in listing["trusted"]]
    assert run(capsys, "keys", "untrust", owner["key_id"], "--data-dir", owner["data"])[0] == 0
    _, out, _ = run(capsys, "keys", "list", "--data-dir", owner["data"])
    assert owner["key_id"] not in out.split("own key")[0]


def test_keyring_storage_without_backend_is_a_clear_error(capsys, tmp_path, no_keyring) -> None:
    code, _, err = run(
        capsys, "keys", "generate", "--name", "x", "--storage", "keyring", "--data-dir", tmp_path
    )
    assert code == 1
    assert "no OS keyring is available" in err and "Traceback" not in err


def test_wrong_passphrase_is_refused(capsys, tmp_path, owner, monkeypatch) -> None:
    p1 = owner["build"](1, sign=False)
    monkeypatch.setenv("FLOWDESK_KEY_PASSPHRASE", "错误的口令-wrong")
    code, _, err = run(capsys, "pack", "sign", p1, "--data-dir", owner["data"])
    assert code == 1 and "wrong passphrase" in err


def test_sources_add_list_remove(capsys, tmp_path, memory_keyring, monkeypatch) -> None:
    monkeypatch.setenv("FLOWDESK_SOURCE_PASSWORD", "班组pw")
    data = tmp_path / "desk"
    url = "https://packs.example.invalid/team7/"
    assert run(capsys, "source", "add", "team7", url, "--user", "lead7", "--data-dir", data)[0] == 0
    code, out, _ = run(capsys, "source", "list", "--data-dir", data, "--json")
    assert json.loads(out) == [{"name": "team7", "location": url, "user": "lead7"}]
    assert "班组pw" in memory_keyring.secrets.values()
    assert run(capsys, "source", "remove", "team7", "--data-dir", data)[0] == 0
    assert memory_keyring.secrets == {}
    code, _, err = run(capsys, "sync", "--data-dir", data)
    assert code == 1 and "no source given or configured" in err


def test_source_schedule_sets_the_windows_background_sync(capsys, tmp_path) -> None:
    from flowdesk.settings import Settings

    data = tmp_path / "desk"
    settings_file = data / "settings.json"
    code, out, _ = run(capsys, "source", "schedule", "--data-dir", data, "--json")
    assert (code, json.loads(out)) == (0, None)

    code, _, err = run(capsys, "source", "schedule", "总部", "--every", "30", "--data-dir", data)
    assert code == 1 and "no source named '总部'" in err and not settings_file.exists()
    (tmp_path / "共享盘").mkdir()
    assert run(capsys, "source", "add", "总部", tmp_path / "共享盘", "--data-dir", data)[0] == 0
    for bad in ("0", "10081"):
        code, _, err = run(capsys, "source", "schedule", "总部", "--every", bad, "--data-dir", data)
        assert code == 1 and "--every MINUTES" in err and not settings_file.exists()

    code, out, _ = run(capsys, "source", "schedule", "总部", "--every", "30", "--data-dir", data)
    assert code == 0 and "总部" in out and "between calls" in out
    schedule = Settings.load(settings_file).sync_schedule()
    assert (schedule.source, schedule.every_minutes, schedule.auto_apply) == ("总部", 30, True)

    run(capsys, "source", "schedule", "总部", "--every", "15", "--ask", "--data-dir", data)
    code, out, _ = run(capsys, "source", "schedule", "--data-dir", data, "--json")
    assert json.loads(out) == {"source": "总部", "every_minutes": 15, "apply": "ask"}

    settings = Settings.load(settings_file)
    settings.agent_id = "A1024"  # the rest of the settings file is left as it was
    settings.save(settings_file)
    assert run(capsys, "source", "schedule", "--off", "--data-dir", data)[0] == 0
    after = Settings.load(settings_file)
    assert after.sync_schedule() is None and after.agent_id == "A1024"

    settings_file.write_text("{broken", encoding="utf-8")
    code, _, err = run(capsys, "source", "schedule", "总部", "--every", "5", "--data-dir", data)
    assert code == 1 and "settings.json" in err and "not valid JSON" in err
    assert settings_file.read_text(encoding="utf-8") == "{broken"  # left as it was


def test_hand_edited_nonsense_schedule_is_off() -> None:
    from flowdesk.settings import Settings

    for source, minutes in (("hq", "30"), ("hq", True), ("hq", -5), (None, 30), ("", 30)):
        assert Settings(sync_source=source, sync_interval_minutes=minutes).sync_schedule() is None
