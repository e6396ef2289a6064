"""``pack list --json`` states and effective times through real processes, with a pinned clock."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.builders import PACK, write_pack
from tests.cli.process import run as flowdesk


def run(
    *args: str, data_dir: Path, now: str | None = None, tz: str = "UTC"
) -> subprocess.CompletedProcess:
    """The command line in zone ``tz``, its clock pinned at ``now`` when given."""
    env = {"TZ": tz} | ({"FLOWDESK_CLOCK": now} if now is not None else {})
    return flowdesk(*args, data_dir=data_dir, env=env)


def source(root: Path, sequence: int, effective_line: str | None) -> Path:
    """A pack.yaml written by hand, as a process owner would (unquoted YAML values)."""
    folder = write_pack(root / f"v{sequence}", {**PACK, "sequence": sequence})
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("effective:")]
    if effective_line is not None:
        lines.insert(5, f"effective: {effective_line}")
    (folder / "pack.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def listed(data: Path, now: str, tz: str = "UTC") -> list[dict]:
    r = run("pack", "list", "--json", data_dir=data, now=now, tz=tz)
    assert r.returncode == 0, r.stderr
    return [
        {k: p[k] for k in ("pack_id", "sequence", "state", "effective")}
        for p in json.loads(r.stdout)
    ]


def test_pending_then_active_as_the_clock_passes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    now = "2026-11-30T12:00:00+08:00"
    assert (
        run("pack", "import", str(source(tmp_path, 1, None)), data_dir=data, now=now).returncode
        == 0
    )
    r = run(
        "pack",
        "import",
        str(source(tmp_path, 2, "2026-12-01T00:00:00+08:00")),
        data_dir=data,
        now=now,
    )
    assert r.returncode == 0 and "pending" in r.stdout, r.stderr
    r = run("pack", "import", str(source(tmp_path, 3, "2027-01-01")), data_dir=data, now=now)
    assert r.returncode == 0, r.stderr
    assert listed(data, now) == [
        {"pack_id": "test-hotline", "sequence": 3, "state": "pending", "effective": "2027-01-01"},
        {
            "pack_id": "test-hotline",
            "sequence": 2,
            "state": "pending",
            "effective": "2026-12-01T00:00:00+08:00",
        },
        {"pack_id": "test-hotline", "sequence": 1, "state": "active", "effective": None},
    ]
    r = run("search", "xhzw", "--json", data_dir=data, now=now)
    assert json.loads(r.stdout)[0]["flow_id"] == "np-out"
    r = run("show", "np-out", "--json", data_dir=data, now=now)
    assert json.loads(r.stdout)["pack_sequence"] == 1  # the active one, not a pending one
    # one second past midnight in Beijing: any command activates #2
    r = run("show", "np-out", "--json", data_dir=data, now="2026-11-30T16:00:01Z")
    assert json.loads(r.stdout)["pack_sequence"] == 2
    states = [(p["sequence"], p["state"]) for p in listed(data, "2026-11-30T16:00:01Z")]
    assert states == [(3, "pending"), (2, "active"), (1, "previous")]
    # 2027-01-01 is local midnight: in Shanghai that is 16:00 UTC the day before
    assert listed(data, "2026-12-31T15:59:59Z", tz="Asia/Shanghai")[0]["state"] == "pending"
    states = [
        (p["sequence"], p["state"])
        for p in listed(data, "2026-12-31T16:00:00Z", tz="Asia/Shanghai")
    ]
    assert states == [(3, "active"), (2, "previous"), (1, "previous")]
    r = run("sync", "--history", data_dir=data, now="2026-12-31T16:00:00Z")
    assert "activate  test-hotline #2 → #3  (effective 2027-01-01)" in r.stdout, r.stdout


def test_effective_time_without_offset_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("pack", "import", str(source(tmp_path, 1, None)), data_dir=data).returncode == 0
    r = run("pack", "import", str(source(tmp_path, 2, "2026-12-01T08:00:00")), data_dir=data)
    assert r.returncode == 1 and "pack.yaml" in r.stderr and "effective" in r.stderr
    assert "Traceback" not in r.stderr
    assert [p["sequence"] for p in listed(data, "2026-12-02T00:00:00Z")] == [1]


def test_text_list_shows_when_pending_versions_take_effect(tmp_path: Path) -> None:
    data = tmp_path / "data"
    now = "2026-11-30T12:00:00Z"
    run("pack", "import", str(source(tmp_path, 1, None)), data_dir=data, now=now)
    run(
        "pack",
        "import",
        str(source(tmp_path, 2, "2026-12-01T00:00:00+08:00")),
        data_dir=data,
        now=now,
    )
    r = run("pack", "list", data_dir=data, now=now, tz="Asia/Shanghai")
    line = next(x for x in r.stdout.splitlines() if "#2" in x)
    assert line.startswith("+") and "2026-12-01 00:00 +0800" in line and "pending" in line


def test_malformed_effective_times_are_refused_with_file_key_and_line(
    tmp_path: Path, capsys
) -> None:
    """Each as a process owner might mistype it: exit 1, pack.yaml, effective and its line
    named, no traceback, and the installed versions exactly as before."""
    from flowdesk.cli import main

    data = tmp_path / "data"
    assert main(["pack", "import", str(source(tmp_path, 1, None)), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    mistyped = ["2026-13-01", "tomorrow", "2026-12-01T00:00:00+0800", "20261201", "'2026-12-1'",
                "2026-12-01T25:00:00+08:00", "[2026-12-01]", "true", "''"]  # fmt: skip
    for n, written in enumerate(mistyped, start=2):
        folder = source(tmp_path, n, written)
        code = main(["pack", "import", str(folder), "--data-dir", str(data)])
        err = capsys.readouterr().err
        assert code == 1, written
        assert "pack.yaml: effective:" in err and "(line 6)" in err, (written, err)
        assert "Traceback" not in err
        assert main(["pack", "list", "--json", "--data-dir", str(data)]) == 0
        assert [p["sequence"] for p in json.loads(capsys.readouterr().out)] == [1]
