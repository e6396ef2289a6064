"""Every data-folder file damaged in the ways a bad day damages it: a message, never a traceback.

Each case damages one file of a real desk, runs the real command line, and
asserts exit 1, FlowDesk's message naming the file, and that the damaged file
(and the store) are exactly as they were: nothing is replaced behind the
agent's back.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.faults.fault_desk import Template, assert_ok, assert_refused, flowdesk, snapshot


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def zeroed_pages(path: Path) -> None:
    """Every page after the first overwritten: the header is fine, the data is not."""
    data = bytearray(path.read_bytes())
    data[4096:] = b"\x5a" * (len(data) - 4096)
    path.write_bytes(bytes(data))


def folder_instead(path: Path) -> None:
    path.unlink()
    path.mkdir()


STORE_COMMANDS = [("pack", "list"), ("search", "套餐"), ("pack", "rollback")]


@pytest.mark.parametrize("damage", [garbage, truncated, zeroed_pages, folder_instead])
@pytest.mark.parametrize("command", STORE_COMMANDS, ids=" ".join)
def test_a_damaged_store_is_refused_and_kept(desk: Path, damage, command) -> None:
    store = desk / "flowdesk.sqlite3"
    damage(store)
    before = snapshot(desk)
    message = assert_refused(flowdesk(desk, *command), "flowdesk.sqlite3")
    assert "store" in message
    assert snapshot(desk) == before


@pytest.mark.parametrize("state", ["empty", "missing"])
def test_a_lost_store_beside_its_indexes_is_not_taken_for_a_new_desk(desk: Path, state) -> None:
    store = desk / "flowdesk.sqlite3"
    if state == "empty":
        store.write_bytes(b"")
    else:
        store.unlink()
    for command in (("search", "套餐"), ("pack", "list"), ("pack", "import", str(desk))):
        message = assert_refused(flowdesk(desk, *command), "flowdesk.sqlite3")
        assert "not a new desk" in message
    assert not store.exists() or store.stat().st_size == 0  # no sample imported in its place


USAGE_COMMANDS = [
    ("usage", "export", "--format", "jsonl"),
    ("report", "compliance"),
    ("report", "search-misses"),
]


@pytest.mark.parametrize("damage", [garbage, truncated, zeroed_pages, folder_instead])
@pytest.mark.parametrize("command", USAGE_COMMANDS, ids=" ".join)
def test_a_damaged_usage_log_is_refused_and_kept(desk: Path, damage, command) -> None:
    usage = desk / "usage.sqlite3"
    damage(usage)
    before = snapshot(desk)
    message = assert_refused(flowdesk(desk, *command), "usage.sqlite3")
    assert "usage log" in message and "not yet pushed" in message
    assert snapshot(desk) == before


@pytest.mark.parametrize("damage", [garbage, truncated])
def test_usage_import_into_a_damaged_log_imports_nothing(
    desk: Path, template: Template, damage
) -> None:
    usage = desk / "usage.sqlite3"
    damage(usage)
    before = usage.read_bytes()
    assert_refused(flowdesk(desk, "usage", "import", str(template.events)), "usage.sqlite3")
    assert usage.read_bytes() == before


NOT_UTF8 = b'{"agent_id": "A1024", "team": "\xd2\xbb\xd7\xe9"}'  # GBK bytes


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (NOT_UTF8, "not UTF-8"),
        (b'{"agent_id": ', "not valid JSON"),
        (b'["A1024"]', "JSON object"),
        (b'{"agent_id": 1024}', "agent_id"),
    ],
    ids=["gbk", "torn", "list", "number"],
)
@pytest.mark.parametrize(
    "command",
    [("usage", "whoami"), ("usage", "whoami", "--set-agent", "B2048"), ("source", "schedule")],
    ids=" ".join,
)
def test_damaged_settings_are_refused_naming_the_file(desk: Path, content, said, command) -> None:
    settings = desk / "settings.json"
    settings.write_bytes(content)
    message = assert_refused(flowdesk(desk, *command), "settings.json")
    assert said in message
    assert settings.read_bytes() == content


@pytest.mark.parametrize("content", [b"\xff\xfe not a list \x80", b"[{", b'[{"name": 3}]'])
@pytest.mark.parametrize("command", [("source", "list"), ("sync", "总部")], ids=" ".join)
def test_a_damaged_source_list_is_refused_naming_it(desk: Path, content, command) -> None:
    (desk / "sources.json").write_bytes(content)
    assert_refused(flowdesk(desk, *command), "sources.json")
    assert (desk / "sources.json").read_bytes() == content


def test_a_history_line_of_bad_bytes_is_skipped_and_the_rest_shown(desk: Path) -> None:
    # the history an older FlowDesk kept beside the store, damaged: merged on the next open
    before = json.loads(assert_ok(flowdesk(desk, "--json", "sync", "--history")))
    good = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in before).encode()
    history = desk / "sync-history.jsonl"
    history.write_bytes(good + b'{"action": "\xc1\xfa"}\n' + b"\x00\x9f torn")
    out = assert_ok(flowdesk(desk, "--json", "sync", "--history"))
    entries = json.loads(out)
    assert len(entries) == len(good.splitlines()) >= 1
    assert entries[-1]["pack_id"] == "cmcc-hotline"


@pytest.mark.parametrize(
    "content", [b"\xff\xd8\xff\xe0 jpeg", b"", b'{"format": "flowdesk-key/1"}', b"[1]"]
)
def test_a_damaged_trusted_key_names_itself_and_blocks_nothing(
    desk: Path, template: Template, content: bytes
) -> None:
    bad = desk / "keys" / "trusted" / "坏钥匙.json"
    bad.write_bytes(content)
    listing = flowdesk(desk, "keys", "list")
    assert_ok(listing)
    assert "坏钥匙.json" in listing.stderr and "damaged" in listing.stderr
    assert "流程管理室" in listing.stdout  # the good key still listed and trusted
    # ... and still used: a pack it signed imports.
    signed = desk.parent / "cmcc-3.flowpack"
    build = ("pack", "build", str(template.source_v3), "-o", str(signed), "--sign")
    assert_ok(flowdesk(desk, *build, "--passphrase-env", "FD_PASS"))
    assert_ok(flowdesk(desk, "pack", "import", str(signed)))
    assert "* cmcc-hotline #3" in flowdesk(desk, "pack", "list").stdout
    assert bad.read_bytes() == content


def test_an_index_of_another_version_is_rebuilt_from_the_store(desk: Path) -> None:
    index = desk / "index"
    shutil.rmtree(index / "cmcc-hotline-2")
    shutil.copytree(index / "cmcc-hotline-1", index / "cmcc-hotline-2")
    out = assert_ok(flowdesk(desk, "--json", "search", "携号转网"))
    assert json.loads(out)
    table = json.loads((index / "cmcc-hotline-2" / "flowdesk-index.json").read_text("utf-8"))
    assert (table["pack_id"], table["pack_sequence"]) == ("cmcc-hotline", 2)


@pytest.mark.parametrize("content", [b"\xff" * 64, b"", b'{"format": 99}'])
def test_a_damaged_index_is_rebuilt_from_the_store(desk: Path, content: bytes) -> None:
    table = desk / "index" / "cmcc-hotline-2" / "flowdesk-index.json"
    table.write_bytes(content)
    assert "携号转网" in assert_ok(flowdesk(desk, "search", "携号转网"))
    assert json.loads(table.read_text("utf-8"))["pack_sequence"] == 2


def test_a_desk_without_a_keyring_is_told_so_by_usage_password_and_push(desk: Path) -> None:
    url = "postgresql://qa@127.0.0.1:1/flowdesk"
    result = flowdesk(desk, "usage", "password", url, "--stdin", stdin="口令-secret\n")
    assert "no OS keyring" in assert_refused(result, "keyring")
    assert_ok(flowdesk(desk, "usage", "central", url))
    message = assert_refused(flowdesk(desk, "usage", "push"), "keyring")
    assert "no OS keyring" in message
