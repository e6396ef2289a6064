"""Typed settings: declared once, old files load, upgrades run once, unknown keys kept."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from flowdesk import settings as settings_mod
from flowdesk.problems import Refused
from flowdesk.settings import OPTIONS, SETTINGS_VERSION, Settings


def test_every_declared_option_is_one_typed_attribute() -> None:
    declared = [f.metadata["option"].name for f in fields(Settings) if "option" in f.metadata]
    assert declared == [o.name for o in OPTIONS]
    assert [f.name for f in fields(Settings) if "option" in f.metadata] == declared


def test_a_file_from_before_versions_loads_typed_and_keeps_what_it_does_not_know(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.json"
    old = {
        "agent_id": "A1024",
        "team": "二组 er zu",
        "language": None,
        "usage_central_url": "postgresql://qa@db.site/usage",
        "compliance_benchmarks": ["0.9", "携号转网=0.95"],
        "a_newer_flowdesk_key": {"留着": True},
    }
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    loaded = Settings.load(path)
    assert (loaded.agent_id, loaded.team, loaded.language) == ("A1024", "二组 er zu", "zh_CN")
    assert loaded.usage_central_url == "postgresql://qa@db.site/usage"
    assert loaded.compliance_benchmarks == ["0.9", "携号转网=0.95"]
    assert loaded.extra == {"a_newer_flowdesk_key": {"留着": True}}
    loaded.save(path)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["version"] == SETTINGS_VERSION
    assert written["a_newer_flowdesk_key"] == {"留着": True}
    assert Settings.load(path) == loaded


def test_a_text_setting_of_another_type_is_refused_a_lenient_one_falls_back(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "team": ["一组"]}), encoding="utf-8")
    with pytest.raises(Refused, match="team: expected text"):
        Settings.load(path)
    path.write_text(
        json.dumps({"sync_interval_minutes": "三十", "compliance_benchmarks": "0.9"}),
        encoding="utf-8",
    )
    loaded = Settings.load(path)
    assert (loaded.sync_interval_minutes, loaded.compliance_benchmarks) == (0, [])
    assert loaded.sync_schedule() is None


def test_an_upgrade_step_runs_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict] = []

    def rename_group(data: dict) -> dict:  # a later layout renamed "group" to "team"
        calls.append(dict(data))
        if "group" in data:
            data["team"] = data.pop("group")
        return data

    monkeypatch.setattr(settings_mod, "UPGRADES", [*settings_mod.UPGRADES, rename_group])
    monkeypatch.setattr(settings_mod, "SETTINGS_VERSION", SETTINGS_VERSION + 1)
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": SETTINGS_VERSION, "group": "质检组"}), "utf-8")
    loaded = Settings.load(path)
    assert loaded.team == "质检组" and "group" not in loaded.extra
    loaded.save(path)
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == SETTINGS_VERSION + 1
    assert Settings.load(path).team == "质检组"
    assert len(calls) == 1


def test_a_file_from_a_newer_flowdesk_keeps_its_version(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 99, "agent_id": "B7", "新选项": 1}), "utf-8")
    loaded = Settings.load(path)
    loaded.team = "三组"
    loaded.save(path)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert (written["version"], written["新选项"], written["team"]) == (99, 1, "三组")
