"""A hostile HTTP source on loopback, lying zips, racing imports, read-only and full folders."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import struct
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.faults.fault_desk import (
    Template,
    assert_ok,
    assert_refused,
    flowdesk,
    snapshot,
    start_flowdesk,
)


class Hostile(ThreadingHTTPServer):
    """Serves an index promising one pack, and then whatever ``body`` does."""

    daemon_threads = True

    def __init__(self, entry: dict, body) -> None:  # type: ignore[no-untyped-def]
        super().__init__(("127.0.0.1", 0), _Handler)
        self.entry, self.body = entry, body

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: Hostile

    def log_message(self, *_args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.endswith("index.json"):
            data = json.dumps({"format": "flowdesk-index/1", "packs": [self.server.entry]}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.server.body(self)


@pytest.fixture
def hostile() -> Iterator[list[Hostile]]:
    servers: list[Hostile] = []
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


def serve(servers: list[Hostile], entry: dict, body) -> Hostile:  # type: ignore[no-untyped-def]
    server = Hostile(entry, body)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    servers.append(server)
    return server


def entry_for(data: bytes, template: Template, sequence: int = 3) -> dict:
    key_id = json.loads(template.public_key.read_text("utf-8"))["key_id"]
    return {
        "id": "cmcc-hotline",
        "sequence": sequence,
        "file": "packs/p.flowpack",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "key_id": key_id,
    }


def test_an_endless_download_is_refused_with_its_address(
    desk: Path, template: Template, hostile: list[Hostile]
) -> None:
    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        while True:
            handler.wfile.write(b"\x00" * 65536)

    server = serve(hostile, entry_for(b"\x01" * 200_000, template), endless)
    before = snapshot(desk)
    message = assert_refused(flowdesk(desk, "sync", server.url), "packs/p.flowpack")
    assert "error: :" not in message and server.url in message
    assert "more than" in message
    assert snapshot(desk) == before  # no partial download kept


def lying_zip(members: int, size: int = 3_000_000) -> bytes:
    """A file whose end record claims ``members`` entries and a huge central directory."""
    body = os.urandom(size)
    cd_size = min(members * 46, 0xFFFFFFFE)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, members & 0xFFFF, members & 0xFFFF, cd_size, 0, 0
    )
    return body + end


@pytest.mark.parametrize("members", [60_000, 0xFFFF])
def test_a_lying_zip_is_bounded_before_the_signature_check(
    desk: Path, template: Template, hostile: list[Hostile], members: int
) -> None:
    data = lying_zip(members)

    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    server = serve(hostile, entry_for(data, template), send)
    before = snapshot(desk)
    message = assert_refused(flowdesk(desk, "sync", server.url), ".flowpack")
    assert "too many members" in message or "zip64" in message
    assert snapshot(desk) == before


def test_three_racing_imports_refuse_the_losers_naming_the_installed_sequence(
    desk: Path, template: Template, tmp_path: Path
) -> None:
    racers = [
        start_flowdesk(
            desk, "pack", "import", str(template.source_v3), "--allow-unsigned", capture=True
        )
        for _ in range(3)
    ]
    results = [(r.communicate(timeout=300)[1], r.returncode) for r in racers]
    results = [(code, stderr) for stderr, code in results]
    assert sorted(code for code, _ in results) == [0, 1, 1], results
    for code, stderr in results:
        assert "Traceback" not in stderr
        if code == 1:
            assert "sequence 3 is not newer than the installed sequence 3" in stderr, stderr


def _mount(kind: str, target: Path, options: str) -> bool:
    target.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", kind, "-o", options, kind, str(target)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 3 MB file system (tmpfs, as root), else a folder under a file-size limit."""
    mount = tmp_path / "disk"
    mounted = _mount("tmpfs", mount, "size=3m")
    yield mount
    if mounted:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_a_full_disk_is_told_and_the_desk_left_as_it_was(
    small_disk: Path, template: Template
) -> None:
    desk = small_disk / "desk"
    shutil.copytree(template.desk, desk, ignore=shutil.ignore_patterns("index"))
    (desk / "index").mkdir()
    filler = small_disk / "filler"
    with pytest.raises(OSError), filler.open("wb", buffering=0) as out:
        while True:
            out.write(b"\0" * 65536)
            out.flush()
    results = [
        flowdesk(desk, "pack", "import", str(template.source_v3), "--allow-unsigned"),
        flowdesk(desk, "usage", "import", str(template.events)),
        flowdesk(desk, "usage", "whoami", "--set-agent", "B2048"),
    ]
    for result in results:
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 1, result.stderr
        assert "full" in result.stderr or "No space" in result.stderr, result.stderr
        assert str(desk) in result.stderr, result.stderr
    filler.unlink()
    assert "cmcc-hotline" in assert_ok(flowdesk(desk, "pack", "list"))


@pytest.fixture
def read_only_desk(template: Template, tmp_path: Path) -> Iterator[Path]:
    """A desk on a read-only mount (as root), else in folders without write permission."""
    desk = tmp_path / "desk"
    shutil.copytree(template.desk, desk)
    flowdesk(desk, "pack", "list")  # settle the WAL so a read-only open finds a whole file
    view = tmp_path / "ro"
    if os.geteuid() == 0:
        view.mkdir()
        subprocess.run(["mount", "--bind", str(desk), str(view)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        yield view
        subprocess.run(["umount", "-l", str(view)], check=False)
    else:
        for folder in [desk, *[p for p in desk.rglob("*") if p.is_dir()]]:
            folder.chmod(0o555)
        yield desk
        for folder in [desk, *[p for p in desk.rglob("*") if p.is_dir()]]:
            folder.chmod(0o755)


@pytest.mark.parametrize(
    "command",
    [
        ("usage", "export", "--format", "jsonl"),
        ("usage", "import", "EVENTS"),
        ("usage", "whoami", "--set-agent", "B2048"),
        ("pack", "import", "SOURCE_V3", "--allow-unsigned"),
        ("report", "compliance"),
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_read_only_data_folder_is_told(
    read_only_desk: Path, template: Template, command: tuple[str, ...]
) -> None:
    args = [
        {"EVENTS": str(template.events), "SOURCE_V3": str(template.source_v3)}.get(a, a)
        for a in command
    ]
    result = flowdesk(read_only_desk, *args)
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 0:  # reading may work on a read-only folder; writing never
        assert command[0] in ("usage", "report") and command[1] in ("export", "compliance")
        return
    assert result.returncode == 1
    said = result.stderr.lower()
    assert "read-only" in said or "not accessible" in said, result.stderr
