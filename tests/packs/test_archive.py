"""Built packs: round trip, and every way a .flowpack can lie is refused with its place."""

from __future__ import annotations

import hashlib
import json
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from flowdesk.packs import build_pack, load_pack, open_archive
from tests.builders import write_files
from tests.packs.pack_texts import PAY_FLOW, VALID_FILES, only

Members = dict[str, bytes]


def built(source: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out" / "热线.flowpack"
    build_pack(source, out)
    return out


def rewrite(pack: Path, edit: Callable[[Members], None], name: str = "edited.flowpack") -> Path:
    """Copy a built pack member by member, letting ``edit`` change the members first."""
    with zipfile.ZipFile(pack) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    edit(members)
    out = pack.with_name(name)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return out


def manifest_of(members: Members) -> dict:
    return json.loads(members["manifest.json"])


def relist(members: Members) -> None:
    """Make the manifest list the members as they now are (a consistent forgery)."""
    manifest = manifest_of(members)
    manifest["members"] = {
        n: hashlib.sha256(d).hexdigest() for n, d in members.items() if n != "manifest.json"
    }
    members["manifest.json"] = json.dumps(manifest).encode()


def test_build_then_load_gives_an_equal_pack(source: Path, tmp_path: Path) -> None:
    out = built(source, tmp_path)
    from_folder, from_file = load_pack(source), load_pack(out)
    assert from_file.ok, [str(p) for p in from_file.problems]
    assert from_file.pack == from_folder.pack  # sources too: relative member names
    assert from_file.manifest is not None and from_file.manifest["id"] == "hotline-zj"
    assert from_file.files["flows/pay.yaml"] == PAY_FLOW.encode()
    assert "manifest.json" in from_file.files


def test_contents_are_validated_like_a_folder_and_named_by_archive_and_member(
    tmp_path: Path,
) -> None:
    source = write_files(tmp_path / "src", VALID_FILES)
    out = built(source, tmp_path)

    def break_pay(members: Members) -> None:
        members["flows/pay.yaml"] = PAY_FLOW.replace("next: card}", "next: nowhere}").encode()
        relist(members)

    forged = rewrite(out, break_pay)
    loaded = load_pack(forged)
    assert not loaded.ok and loaded.pack is None
    problem = only(loaded.problems, f"{forged}!flows/pay.yaml", "steps[2].options[0].next")
    assert problem.message == "no step 'nowhere'"


def test_tampered_member_is_refused(source: Path, tmp_path: Path) -> None:
    def tamper(members: Members) -> None:
        members["flows/pay.yaml"] = members["flows/pay.yaml"].replace(
            "交费完成".encode(), "已退款".encode()
        )

    loaded = load_pack(rewrite(built(source, tmp_path), tamper))
    problem = only(loaded.problems, f"{tmp_path / 'out' / 'edited.flowpack'}!flows/pay.yaml", "")
    assert "SHA-256 differs" in problem.message and loaded.pack is None


def test_missing_and_extra_members_are_refused(source: Path, tmp_path: Path) -> None:
    def swap(members: Members) -> None:
        del members["flows/account/hold.yaml"]
        members["flows/extra.yaml"] = b"id: x\n"

    out = rewrite(built(source, tmp_path), swap)
    problems = load_pack(out).problems
    assert "missing" in only(problems, f"{out}!flows/account/hold.yaml", "").message
    assert "not listed in the manifest" in only(problems, f"{out}!flows/extra.yaml", "").message


@pytest.mark.parametrize(
    "evil",
    [
        "../evil.yaml",
        "flows/../../evil.yaml",
        "/etc/evil.yaml",
        "flows\\..\\evil.yaml",
        "C:/evil.yaml",
    ],
)
def test_zip_path_traversal_is_refused(source: Path, tmp_path: Path, evil: str) -> None:
    def add(members: Members) -> None:
        members[evil] = b"id: evil\n"
        relist(members)  # even listed in the manifest with the right hash

    out = rewrite(built(source, tmp_path), add)
    contents = open_archive(out)
    assert not contents.ok and contents.files == {}
    assert contents.problems[0].file == str(out)
    assert (
        "unsafe member" in contents.problems[0].message
        and repr(evil) in contents.problems[0].message
    )
    assert not (tmp_path / "evil.yaml").exists() and not load_pack(out).ok


def test_manifest_problems(source: Path, tmp_path: Path) -> None:
    out = built(source, tmp_path)
    no_manifest = rewrite(out, lambda m: m.pop("manifest.json"), "a.flowpack")
    assert "missing manifest.json" in load_pack(no_manifest).problems[0].message

    def bad_json(members: Members) -> None:
        members["manifest.json"] = b'{"format": "flowpack/1",'

    bad = rewrite(out, bad_json, "b.flowpack")
    assert "not valid JSON" in only(load_pack(bad).problems, f"{bad}!manifest.json", "").message

    def no_members(members: Members) -> None:
        manifest = manifest_of(members)
        del manifest["members"]
        members["manifest.json"] = json.dumps(manifest).encode()

    missing = rewrite(out, no_members, "c.flowpack")
    assert only(load_pack(missing).problems, f"{missing}!manifest.json", "members")

    def other_id(members: Members) -> None:
        manifest = manifest_of(members)
        manifest["sequence"] = 99
        members["manifest.json"] = json.dumps(manifest).encode()

    differs = rewrite(out, other_id, "d.flowpack")
    problem = only(load_pack(differs).problems, f"{differs}!manifest.json", "sequence")
    assert "differs from pack.yaml's 3" in problem.message


def test_not_a_zip_and_empty_file(tmp_path: Path) -> None:
    text = tmp_path / "pack.flowpack"
    text.write_text("这不是压缩包 not a zip", encoding="utf-8")
    problem = only(load_pack(text).problems, str(text), "")
    assert "not a zip file" in problem.message
    empty = tmp_path / "empty.flowpack"
    empty.write_bytes(b"")
    assert "empty file" in only(load_pack(empty).problems, str(empty), "").message
    truncated = tmp_path / "cut.flowpack"
    build_pack(write_files(tmp_path / "src", VALID_FILES), tmp_path / "whole.flowpack")
    truncated.write_bytes((tmp_path / "whole.flowpack").read_bytes()[:-30])
    assert not load_pack(truncated).ok


def test_duplicate_member_names_are_refused(source: Path, tmp_path: Path) -> None:
    out = built(source, tmp_path)
    twice = tmp_path / "twice.flowpack"
    with zipfile.ZipFile(out) as zf:
        members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(twice, "w") as zf:
        for name, data in [*members, ("flows/pay.yaml", b"id: shadow\n")]:
            zf.writestr(name, data)
    assert "appears twice" in only(load_pack(twice).problems, f"{twice}!flows/pay.yaml", "").message


def raw_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> Path:
    """Write a zip by hand: ``(name, deflated bytes, crc32, declared size)`` per member.

    zipfile cannot write a member whose headers lie about its size, or write
    a gigabyte without compressing it; this can, in milliseconds.
    """
    out = bytearray()
    central = bytearray()
    for name, deflated, crc, size in entries:
        raw = name.encode()
        offset = len(out)
        fields = (20, 0x800, 8, 0, 0x21, crc, len(deflated), size, len(raw), 0)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + raw + deflated
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset)
        central += raw
    n = len(entries)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


@pytest.fixture(scope="module")
def gigabyte_of_zeros() -> tuple[bytes, int, int]:
    """1 GiB of zeros deflated (about 1 MB): one flushed 1 MiB block repeated, then the end."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    return block * 1024 + packer.flush(), crc, 1024 * len(chunk)


def bomb(path: Path, zeros: tuple[bytes, int, int], declared: int) -> Path:
    manifest = {"format": "flowpack/1", "id": "bomb", "sequence": 1, "version": None}
    manifest |= {"title": "炸弹", "built_at": "2026-11-25T00:00:00Z"}
    manifest["members"] = {"pack.yaml": "0" * 64, "flows/bomb.yaml": "0" * 64}
    data, crc, _size = zeros
    return raw_zip(
        path,
        [
            ("manifest.json", *deflated(json.dumps(manifest).encode())),
            ("pack.yaml", *deflated(b"format: flowpack/1\n")),
            ("flows/bomb.yaml", data, crc, declared),
        ],
    )


def _bounded_load(path: Path) -> tuple[list[str], float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        loaded = load_pack(path)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not loaded.ok
    return [str(p) for p in loaded.problems], elapsed, peak


def test_zip_bomb_is_refused_quickly_in_bounded_memory(
    gigabyte_of_zeros: tuple[bytes, int, int], tmp_path: Path
) -> None:
    path = bomb(tmp_path / "bomb.flowpack", gigabyte_of_zeros, gigabyte_of_zeros[2])
    with zipfile.ZipFile(path) as zf:  # a well-formed zip: zipfile itself would inflate it
        assert zf.getinfo("flows/bomb.yaml").file_size == 1 << 30
    problems, elapsed, peak = _bounded_load(path)
    assert problems == [
        f"{path}!flows/bomb.yaml: member too large (1,073,741,824 bytes, limit 2,097,152)"
    ]
    assert elapsed < 5 and peak < 50 * 1024 * 1024


@pytest.mark.parametrize("declared", [1000, 2 * 1024 * 1024])
def test_zip_bomb_with_lying_sizes_is_refused_in_bounded_memory(
    gigabyte_of_zeros: tuple[bytes, int, int], tmp_path: Path, declared: int
) -> None:
    """Headers claiming a small size for 1 GiB: reading stops at the claim or the bound."""
    path = bomb(tmp_path / "lying.flowpack", gigabyte_of_zeros, declared)
    problems, elapsed, peak = _bounded_load(path)
    assert len(problems) == 1 and problems[0].startswith(str(path)), problems
    assert "not a readable flow pack" in problems[0]
    assert elapsed < 5 and peak < 50 * 1024 * 1024


def test_many_members_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    out = tmp_path / "wide.flowpack"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i in range(20_100):
            zf.writestr(f"flows/{i}.yaml", b"")
    problems, elapsed, _peak = _bounded_load(out)
    assert "too many members" in problems[0] and elapsed < 5


def test_extra_members_allowed_by_name_and_unknown_listed_members_warned(
    source: Path, tmp_path: Path
) -> None:
    def add(members: Members) -> None:
        members["README.txt"] = "说明".encode()
        relist(members)
        members["signature.json"] = b"{}"  # added after building, so not listed

    out = rewrite(built(source, tmp_path), add)
    assert not load_pack(out).ok
    loaded = load_pack(out, extra_members=["signature.json"])
    assert loaded.ok and loaded.files["signature.json"] == b"{}"
    warning = only(loaded.problems, f"{out}!README.txt", "", "warning")
    assert "not a pack file" in warning.message
