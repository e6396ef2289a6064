"""Pack sources over a real HTTP server on loopback, and on a folder: every bad answer
is refused with a clear message, and nothing is left behind that could be imported."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from flowdesk.problems import Cancelled, Refused
from flowdesk.sync.index import INDEX_FILE, IndexEntry, SourceIndex, parse_index, safe_relative
from flowdesk.sync.publish import publish_pack
from flowdesk.sync.sourcelist import SourceConfig, SourceList
from flowdesk.sync.sources import DownloadCancelled, FolderSource, HttpSource, Limits

FAST = Limits(timeout=0.5, deadline=5.0)


def _published(publisher, root: Path, sequence: int = 2) -> IndexEntry:
    return publish_pack(publisher.build(sequence), root)


def test_index_round_trips_and_refuses_bad_entries() -> None:
    entry = IndexEntry("test-hotline", 3, "packs/a.flowpack", 10, "a" * 64, title="测试")
    index = parse_index(SourceIndex((entry,)).to_bytes(), "index.json")
    assert index.entries == (entry,)
    bad = {
        "format": "flowdesk-index/1",
        "packs": [
            {"id": "x", "sequence": 0, "file": "../x", "size": -1, "sha256": "zz"},
            "不是对象",
        ],
    }
    with pytest.raises(Refused) as caught:
        parse_index(json.dumps(bad).encode(), "index.json")
    text = str(caught.value)
    for where in ("packs[0].sequence", "packs[0].file", "packs[0].size", "packs[0].sha256"):
        assert where in text
    assert "packs[1]: expected an object" in text
    with pytest.raises(Refused, match="format"):
        parse_index(b'{"format": "other"}', "index.json")
    with pytest.raises(Refused, match="not valid JSON"):
        parse_index(b"\xff\xfe", "index.json")


@pytest.mark.parametrize(
    "file",
    ["../etc/passwd", "/abs.flowpack", "C:/x.flowpack", "a\\b", "http://evil/x", "a//b", "./a"],
)
def test_entry_paths_outside_the_source_are_refused(file: str) -> None:
    assert safe_relative(file) is None


def test_http_download_verifies_and_lands_in_downloads(publisher, pack_server, tmp_path) -> None:
    entry = _published(publisher, pack_server.root)
    source = HttpSource(pack_server.url, limits=FAST)
    (got,) = source.read_index().entries
    assert got == entry
    seen = []
    path = source.download(got, tmp_path / "dl", progress=lambda s, d, t: seen.append((d, t)))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    assert seen[-1] == (entry.size, entry.size)
    assert [p.suffix for p in (tmp_path / "dl").iterdir()] == [".flowpack"]


def test_truncated_download_is_refused_then_resumes(publisher, pack_server, tmp_path) -> None:
    entry = _published(publisher, pack_server.root)
    pack_server.modes[entry.file] = "truncate"
    source = HttpSource(pack_server.url, limits=FAST)
    with pytest.raises(Refused, match=r"truncated at .* run sync again to resume"):
        source.download(entry, tmp_path / "dl")
    part = next((tmp_path / "dl").glob("*.part"))
    partial = part.stat().st_size
    assert 0 < partial < entry.size
    path = source.download(entry, tmp_path / "dl")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    ranges = [rng for rel, rng in pack_server.requests if rel == entry.file]
    assert ranges == [None, f"bytes={partial}-"]  # the second request resumed


def test_wrong_hash_is_refused_and_discarded(publisher, pack_server, tmp_path) -> None:
    entry = _published(publisher, pack_server.root)
    index_path = pack_server.root / INDEX_FILE
    data = json.loads(index_path.read_text(encoding="utf-8"))
    data["packs"][0]["sha256"] = "0" * 64
    index_path.write_text(json.dumps(data), encoding="utf-8")
    source = HttpSource(pack_server.url, limits=FAST)
    (bad,) = source.read_index().entries
    with pytest.raises(Refused, match="wrong SHA-256"):
        source.download(bad, tmp_path / "dl")
    assert list((tmp_path / "dl").iterdir()) == []
    assert entry.sha256 != bad.sha256


def test_hanging_server_times_out(publisher, pack_server) -> None:
    _published(publisher, pack_server.root)
    pack_server.modes[INDEX_FILE] = "hang"
    source = HttpSource(pack_server.url, limits=Limits(timeout=0.3))
    start = time.monotonic()
    with pytest.raises(Refused, match=r"no answer within 0.3 s|stopped sending"):
        source.read_index()
    assert time.monotonic() - start < 5


def test_server_stalling_mid_download_is_refused_and_resumable(
    publisher, pack_server, tmp_path
) -> None:
    entry = _published(publisher, pack_server.root)
    pack_server.modes[entry.file] = "stall"
    source = HttpSource(pack_server.url, limits=Limits(timeout=0.3))
    start = time.monotonic()
    with pytest.raises(Refused, match=r"stopped sending for 0.3 s; run sync again to resume"):
        source.download(entry, tmp_path / "dl")
    assert time.monotonic() - start < 5
    (part,) = (tmp_path / "dl").glob("*.part")
    assert part.stat().st_size == entry.size // 2
    del pack_server.modes[entry.file]
    path = source.download(entry, tmp_path / "dl")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256


def test_endless_index_is_cut_off(pack_server) -> None:
    pack_server.modes[INDEX_FILE] = "endless"
    with pytest.raises(Refused, match="larger than"):
        HttpSource(pack_server.url, limits=FAST).read_index()


def test_endless_pack_is_cut_off_at_the_declared_size(publisher, pack_server, tmp_path) -> None:
    entry = _published(publisher, pack_server.root)
    pack_server.modes[entry.file] = "endless"
    with pytest.raises(Refused, match="sends more than"):
        HttpSource(pack_server.url, limits=FAST).download(entry, tmp_path / "dl")
    assert list((tmp_path / "dl").iterdir()) == []


def test_pack_above_the_size_limit_is_not_fetched(publisher, pack_server, tmp_path) -> None:
    entry = _published(publisher, pack_server.root)
    small = Limits(timeout=0.5, max_pack_bytes=100)
    with pytest.raises(Refused, match="exceeds the limit"):
        HttpSource(pack_server.url, limits=small).download(entry, tmp_path / "dl")
    assert not any(rel == entry.file for rel, _ in pack_server.requests)


def test_cross_server_redirect_is_refused(publisher, pack_server, tmp_path) -> None:
    entry = _published(publisher, pack_server.root)
    pack_server.modes[entry.file] = "redirect"
    with pytest.raises(Refused, match="redirects to another server"):
        HttpSource(pack_server.url, limits=FAST).download(entry, tmp_path / "dl")


def test_cancel_keeps_the_partial_download(publisher, pack_server, tmp_path) -> None:
    entry = _published(publisher, pack_server.root)
    with pytest.raises(Cancelled) as caught:  # one except for download and import
        HttpSource(pack_server.url, limits=FAST).download(
            entry, tmp_path / "dl", cancel=lambda: True
        )
    assert isinstance(caught.value, DownloadCancelled)
    assert not list((tmp_path / "dl").glob("*.flowpack"))


def test_credentials_come_from_the_keyring(
    publisher, pack_server, desk_data, memory_keyring
) -> None:
    _published(publisher, pack_server.root)
    pack_server.auth = ("banzu", "班组口令pw")
    sources = SourceList(desk_data)
    with pytest.raises(Refused, match="401"):
        sources.open(pack_server.url, FAST).read_index()
    sources.add(SourceConfig("team", pack_server.url, "banzu"), "班组口令pw")
    assert "班组口令pw" not in sources.path.read_text(encoding="utf-8")
    assert len(sources.open("team", FAST).read_index().entries) == 1
    sources.remove("team")
    assert memory_keyring.secrets == {}


def test_credentials_without_a_keyring_give_a_clear_message(
    pack_server, desk_data, no_keyring
) -> None:
    with pytest.raises(Refused, match="no OS keyring is available"):
        SourceList(desk_data).add(SourceConfig("team", pack_server.url, "banzu"), "pw")
    assert SourceList(desk_data).all() == []


def test_folder_source_refuses_entries_escaping_it(publisher, tmp_path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    entry = _published(publisher, share)
    outside = tmp_path / "secret.flowpack"
    outside.write_bytes(b"x" * 10)
    (share / "packs" / "link.flowpack").symlink_to(outside)
    source = FolderSource(share, FAST)
    escaping = IndexEntry("test-hotline", 9, "packs/link.flowpack", 10, "0" * 64)
    with pytest.raises(Refused, match="points outside the source"):
        source.download(escaping, tmp_path / "dl")
    path = source.download(entry, tmp_path / "dl")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256


def test_missing_source_and_bad_url_are_refused(desk_data, tmp_path) -> None:
    with pytest.raises(Refused, match="no such source"):
        SourceList(desk_data).open(str(tmp_path / "无此目录"))
    with pytest.raises(Refused, match="cannot reach"):
        HttpSource("http://127.0.0.1:9/", limits=FAST).read_index()
    with pytest.raises(Refused, match="http:// or https://"):
        HttpSource("ftp://127.0.0.1/")
