"""``pack build``: refuses bad sources, writes a deterministic zip atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from flowdesk.packs import build_pack
from flowdesk.problems import Problem, Refused
from tests.builders import write_files
from tests.packs.pack_texts import PAY_FLOW, VALID_FILES

WHEN = dt.datetime(2026, 11, 25, 17, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_manifest_and_member_order(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "热线.flowpack"
    manifest = build_pack(source, out, built_at=WHEN)
    assert manifest["built_at"] == "2026-11-25T09:30:05Z"  # RFC 3339, UTC
    assert {k: manifest[k] for k in ("format", "id", "sequence", "version", "title")} == {
        "format": "flowpack/1",
        "id": "hotline-zj",
        "sequence": 3,
        "version": "2026.11 第3版",
        "title": "热线服务流程包",
    }
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert json.loads(zf.read("manifest.json")) == manifest
        for name, digest in manifest["members"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
    assert names == [
        "manifest.json",
        "pack.yaml",
        "flows/account/hold.yaml",
        "flows/mgmt/qa/sample.yaml",
        "flows/pay.yaml",
    ]
    assert manifest["members"]["flows/pay.yaml"] == hashlib.sha256(PAY_FLOW.encode()).hexdigest()


def test_same_source_and_time_build_identical_bytes(source: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.flowpack", tmp_path / "b.flowpack"
    build_pack(source, first, built_at=WHEN)
    build_pack(source / "pack.yaml", second, built_at=WHEN)
    assert first.read_bytes() == second.read_bytes()


def test_bad_source_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    files = {**VALID_FILES, "flows/pay.yaml": PAY_FLOW.replace("class: handling", "class: 交费")}
    source = write_files(tmp_path / "src", files)
    out = tmp_path / "out" / "p.flowpack"
    with pytest.raises(Refused) as refused:
        build_pack(source, out)
    assert any(p.file == "flows/pay.yaml" and p.key == "class" for p in refused.value.problems)
    assert "flows/pay.yaml: class: unknown class '交费'" in str(refused.value)
    assert not out.exists() and not (out.parent.exists() and any(out.parent.iterdir()))


def test_existing_file_is_replaced_whole_and_no_temp_file_is_left(
    source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "p.flowpack"
    out.write_bytes(b"old pack")
    build_pack(source, out)
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.flowpack", "src"]


def test_warnings_are_handed_back(tmp_path: Path) -> None:
    files = {**VALID_FILES, "flows/pay.yaml": PAY_FLOW.replace("  - channel: C2\n", "")}
    found: list[Problem] = []
    build_pack(write_files(tmp_path / "src", files), tmp_path / "p.flowpack", problems=found)
    assert [p.message for p in found] == [
        f"blind spot C2-{b}-B0101 (no flow claims it)" for b in ("G", "M", "E")
    ]


def test_refuses_a_built_pack_a_flow_file_or_a_folder_as_output(
    source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "p.flowpack"
    build_pack(source, out)
    with pytest.raises(Refused, match="source folder"):
        build_pack(out, tmp_path / "again.flowpack")
    with pytest.raises(Refused, match="source folder"):
        build_pack(source / "flows" / "pay.yaml", tmp_path / "again.flowpack")
    with pytest.raises(Refused, match="is a folder"):
        build_pack(source, tmp_path)
