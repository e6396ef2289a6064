"""kill -9 at several moments of import, sync and usage import: nothing lost, nothing left over.

Real subprocesses, killed from outside with SIGKILL (no handler runs), then the
desk is opened again by the real command line and its state checked.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import uuid
from pathlib import Path

import pytest

from benchmarks.synthetic import synthetic_pack, write_pack_source
from flowdesk.search.parallel import MIN_FLOWS
from tests.faults.fault_desk import Template, assert_ok, flowdesk, start_flowdesk

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and /proc are POSIX")


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc: no extra dependency)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def active_sequence(desk: Path) -> int:
    listing = json.loads(assert_ok(flowdesk(desk, "--json", "pack", "list")))
    rows = listing if isinstance(listing, list) else listing["packs"]
    return next(r["sequence"] for r in rows if r["active"])


def leftovers(desk: Path) -> list[str]:
    staging = [p.name for p in (desk / "index").iterdir() if p.name.startswith(".")]
    return staging + [p.name for p in (desk / "index").glob("*.next")]


@pytest.fixture(scope="module")
def big_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack large enough that the index build analyses it in worker processes."""
    folder = tmp_path_factory.mktemp("big") / "synthetic"
    write_pack_source(synthetic_pack(MIN_FLOWS + 100, seed=7), folder)
    return folder


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the analysis pool needs two cores")
def test_a_killed_import_leaves_no_worker_and_its_staging_is_swept(
    desk: Path, big_source: Path
) -> None:
    importer = start_flowdesk(desk, "pack", "import", str(big_source), "--allow-unsigned")
    assert wait_for(lambda: len(children(importer.pid)) >= 2 or importer.poll() is not None, 300)
    assert importer.poll() is None, "the import ended before its workers started"
    workers = children(importer.pid)  # analysis workers and the resource tracker
    assert wait_for(lambda: any(p.name.startswith(".tmp-") for p in (desk / "index").iterdir()), 60)
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    assert wait_for(lambda: not any(alive(pid) for pid in workers), 60), workers
    assert active_sequence(desk) == 2  # the next open sweeps what the import left
    assert leftovers(desk) == []


@pytest.mark.parametrize("after", [0.2, 0.6, 1.0, 1.6, 2.5])
def test_an_import_killed_at_any_moment_is_all_or_nothing(
    desk: Path, template: Template, after: float
) -> None:
    importer = start_flowdesk(desk, "pack", "import", str(template.source_v3), "--allow-unsigned")
    time.sleep(after)
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    sequence = active_sequence(desk)
    assert sequence in (2, 3)
    assert leftovers(desk) == []
    assert "携号转网" in assert_ok(flowdesk(desk, "search", "携号转网"))
    if sequence == 2:  # not installed: importing again works
        again = flowdesk(desk, "pack", "import", str(template.source_v3), "--allow-unsigned")
        assert_ok(again)
        assert active_sequence(desk) == 3


@pytest.mark.parametrize("after", [0.3, 0.9, 1.8])
def test_a_sync_killed_at_any_moment_is_finished_by_the_next(
    desk: Path, template: Template, tmp_path: Path, after: float
) -> None:
    signed = tmp_path / "cmcc-3.flowpack"
    build = ("pack", "build", str(template.source_v3), "-o", str(signed), "--sign")
    assert_ok(flowdesk(desk, *build, "--passphrase-env", "FD_PASS"))
    share = tmp_path / "share"
    share.mkdir()
    assert_ok(flowdesk(desk, "pack", "publish", str(signed), str(share)))
    assert_ok(flowdesk(desk, "source", "add", "分部", str(share)))
    syncing = start_flowdesk(desk, "sync", "分部")
    time.sleep(after)
    syncing.send_signal(signal.SIGKILL)
    syncing.wait()
    assert active_sequence(desk) in (2, 3)
    assert_ok(flowdesk(desk, "sync", "分部"))
    assert active_sequence(desk) == 3
    assert leftovers(desk) == []
    assert list((desk / "downloads").glob("*")) == []  # the installed download swept


def test_a_killed_usage_import_imports_all_or_nothing(desk: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as out:
        for i in range(150_000):
            event = {
                "event_id": str(uuid.uuid4()),
                "ts": f"2026-11-03T09:{i // 6000 % 60:02d}:{i // 100 % 60:02d}.{i % 100:03d}+08:00",
                "type": "search",
                "agent_id": "A2048",
                "team": "二组",
                "query": f"携号转网 xhzw {i}",
                "result_count": 1,
            }
            out.write(json.dumps(event, ensure_ascii=False) + "\n")
    before_file = tmp_path / "before.jsonl"
    assert_ok(flowdesk(desk, "usage", "export", "--format", "jsonl", "-o", str(before_file)))
    before = before_file.read_text(encoding="utf-8").count("\n")
    assert before >= 30  # the fixture's events (and the desk's own status events)
    importer = start_flowdesk(desk, "usage", "import", str(big))
    time.sleep(2.0)
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    exported = tmp_path / "out.jsonl"
    assert_ok(flowdesk(desk, "usage", "export", "--format", "jsonl", "-o", str(exported)))
    lines = exported.read_text(encoding="utf-8").count("\n")
    assert lines in (before, before + 150_000)
