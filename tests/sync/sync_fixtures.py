"""Helpers and fixtures for the sync tests: publisher keys, signed packs built from real
source folders, and a real HTTP server on loopback (registered for every test folder by
``tests/conftest.py``)."""

from __future__ import annotations

import base64
import copy
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from flowdesk.packs import build_pack
from flowdesk.paths import DataDir
from flowdesk.sync.keys import PublicKey, PublisherKeys
from flowdesk.sync.signature import sign_pack
from flowdesk.sync.trust import TrustStore
from tests.builders import write_pack

PASSPHRASE = "流程口令-secret-2026"


class Publisher:
    """A process owner: one key pair, and a helper to build and sign pack versions."""

    def __init__(self, root: Path, base: tuple[dict, dict], name: str = "流程管理室") -> None:
        self.root = root
        self.base = base
        self.keys = PublisherKeys(root / "publisher-keys")
        self.info, self.public = self.keys.generate(name, "file", PASSPHRASE)
        self.private = self.keys.load(self.info, PASSPHRASE)

    def build(
        self,
        sequence: int,
        change: Callable[[dict, dict], None] | None = None,
        sign: bool = True,
        name: str | None = None,
    ) -> Path:
        pack, flows = copy.deepcopy(self.base)
        pack["sequence"] = sequence
        if change is not None:
            change(pack, flows)
        src = write_pack(self.root / f"src-{sequence}-{id(change)}", pack, flows)
        out = self.root / "built" / (name or f"test-hotline-{sequence}.flowpack")
        build_pack(src, out)
        if sign:
            sign_pack(out, self.private, signer=self.info.name)
        return out


@pytest.fixture
def publisher(tmp_path: Path, pack_data: tuple[dict, dict]) -> Publisher:
    return Publisher(tmp_path / "publisher", pack_data)


@pytest.fixture
def desk_data(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "desk").ensure()


@pytest.fixture
def trust(desk_data: DataDir, publisher: Publisher) -> TrustStore:
    """The desk's trust store, trusting the publisher (and no shipped defaults)."""
    store = TrustStore(desk_data.keys, defaults=[])
    store.trust(PublicKey(publisher.public.key_id, publisher.public.name, publisher.public.key))
    return store


def change_step_text(pack: dict, flows: dict) -> None:
    """A new publication: one step reworded, one flow added (Chinese text)."""
    flows["flows/query/bill.yaml"]["steps"][0]["text"] = "请稍等，正在为您查询本月话费及套餐余量。"
    flows["flows/query/balance.yaml"] = {
        "id": "balance-query",
        "title": "余额查询（新）",
        "class": "query",
        "business": "B0201",
        "touchpoints": [{"channel": "C2"}],
        "steps": [
            {"id": "s1", "type": "action", "text": "查询账户余额", "required": True},
            {"id": "s2", "type": "end", "text": "再见"},
        ],
    }


# -- a real HTTP server on loopback ------------------------------------------------------


class PackServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.modes: dict[str, str] = {}  # path -> hang | stall | endless | truncate | redirect
        self.auth: tuple[str, str] | None = None
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: PackServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        srv = self.server
        rel = urllib.parse.unquote(self.path.lstrip("/"))
        srv.requests.append((rel, self.headers.get("Range")))
        if srv.auth is not None:
            token = base64.b64encode(f"{srv.auth[0]}:{srv.auth[1]}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {token}":
                self._empty(401)
                return
        mode = srv.modes.get(rel)
        if mode == "hang":
            srv.release.wait(10)
            return
        if mode == "endless":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(20_000):  # ~1.3 GB at most; the client stops far earlier
                    self.wfile.write(b"\x00" * 65536)
            except OSError:
                pass
            return
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "http://example.invalid/elsewhere.flowpack")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path = srv.root / rel
        if not path.is_file():
            self._empty(404)
            return
        data = path.read_bytes()
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= len(data):
                self._empty(416)
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        if mode == "stall":  # half the body, then silence until the test ends
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            srv.release.wait(10)
            return
        if mode == "truncate":
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            srv.modes.pop(rel)  # the next request gets the rest
            self.close_connection = True
            return
        self.end_headers()
        self.wfile.write(body)

    def _empty(self, code: int) -> None:
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def pack_server(tmp_path: Path) -> Iterator[PackServer]:
    root = tmp_path / "served"
    root.mkdir()
    server = PackServer(root)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)
