"""Fault injection helpers: a real desk, damaged or killed from outside, driven by the real CLI.

Every test runs ``flowdesk`` as a subprocess on a copy of one template desk
(the sample pack imported, version 2 synced from a signed folder source, a
trusted publisher key, usage events logged), does to it what a bad day does
(kill -9, a damaged file, a read-only or full folder, a hostile server), and
asserts FlowDesk's own message, exit code 1, no traceback, and the state after.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from flowdesk.usage import UsageEvent, sqlite_engine
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample-pack"
PASSPHRASE = "故障-口令-2026"
BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Template:
    """The template desk and the files made with it."""

    desk: Path
    share: Path  # a folder source holding the signed sequence 2
    public_key: Path
    signed_pack: Path
    events: Path  # a JSON Lines export of the desk's 30 events
    source_v3: Path  # the sample pack as sequence 3, a source folder


def flowdesk(
    data: Path | None, *args: str, timeout: float = 180, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the real command line on ``data``; keyring absent unless a test says otherwise."""
    full_env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "FD_PASS": PASSPHRASE,
        "PYTHONDONTWRITEBYTECODE": "1",
        **env,
    }
    command = [sys.executable, "-m", "flowdesk"]
    if data is not None:
        command += ["--data-dir", str(data)]
    return subprocess.run(
        [*command, *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
    )


def start_flowdesk(data: Path, *args: str, capture: bool = False) -> subprocess.Popen[str]:
    """Start the real command line without waiting (to kill it, or race it).

    With ``capture`` its standard error is piped: read it with ``communicate()``.
    """
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.Popen(
        [sys.executable, "-m", "flowdesk", "--data-dir", str(data), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )


def assert_refused(result: subprocess.CompletedProcess[str], *names: str) -> str:
    """Exit 1, FlowDesk's ``error:`` line naming each of ``names``, and no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "error:" in result.stderr, result.stderr
    for name in names:
        assert name in result.stderr, (name, result.stderr)
    return result.stderr


def assert_ok(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, (result.returncode, result.stderr)
    return result.stdout


def bump_sequence(source: Path, target: Path, sequence: int) -> Path:
    shutil.copytree(source, target)
    pack_yaml = target / "pack.yaml"
    text = pack_yaml.read_text(encoding="utf-8")
    pack_yaml.write_text(text.replace("sequence: 1\n", f"sequence: {sequence}\n"), "utf-8")
    return target


def _log_events(usage: Path, count: int) -> None:
    t0 = datetime(2026, 11, 2, 9, 0, tzinfo=BEIJING)
    events = [
        UsageEvent(
            str(uuid.uuid4()),
            t0 + timedelta(minutes=i),
            "search",
            "A1024",
            "一组",
            query=f"套餐 taocan {i}",
            result_count=i % 2,
        )
        for i in range(count)
    ]
    engine = sqlite_engine(usage)
    with engine.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
    engine.dispose()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    root = tmp_path_factory.mktemp("fault-template")
    desk, share = root / "desk", root / "share"
    assert_ok(flowdesk(desk, "pack", "import", str(SAMPLE)))
    v2 = bump_sequence(SAMPLE, root / "src-v2", 2)
    v3 = bump_sequence(SAMPLE, root / "src-v3", 3)
    public, signed = root / "publisher.json", root / "cmcc-2.flowpack"
    gen = ("keys", "generate", "--name", "流程管理室", "--passphrase-env", "FD_PASS")
    assert_ok(flowdesk(desk, *gen, "-o", str(public)))
    assert_ok(flowdesk(desk, "keys", "trust", str(public)))
    build = ("pack", "build", str(v2), "-o", str(signed), "--sign", "--passphrase-env", "FD_PASS")
    assert_ok(flowdesk(desk, *build))
    share.mkdir()
    assert_ok(flowdesk(desk, "pack", "publish", str(signed), str(share)))
    assert_ok(flowdesk(desk, "source", "add", "总部", str(share)))
    assert_ok(flowdesk(desk, "sync", "总部"))
    assert_ok(flowdesk(desk, "usage", "whoami", "--set-agent", "A1024", "--team", "一组"))
    _log_events(desk / "usage.sqlite3", 30)
    events = root / "events.jsonl"
    assert_ok(flowdesk(desk, "usage", "export", "--format", "jsonl", "-o", str(events)))
    return Template(desk, share, public, signed, events, v3)


@pytest.fixture
def desk(template: Template, tmp_path: Path) -> Path:
    """A fresh copy of the template desk for one test."""
    copy = tmp_path / "desk"
    shutil.copytree(template.desk, copy)
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes: "nothing was changed" made checkable."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
