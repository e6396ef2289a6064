"""Round-trip editing keeps an author's pack files: comments, order, layout, bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flowdesk.files import atomic_write
from flowdesk.packs import load_pack
from flowdesk.packs.roundtrip import (
    ChangedOnDisk,
    RoundTripError,
    apply_value,
    edit_source_file,
    load_source_file,
    new_source_file,
    save_source_file,
)
from flowdesk.paths import sample_pack
from tests.builders import write_files
from tests.packs.pack_texts import PACK_YAML, PAY_FLOW, VALID_FILES

LONG = "这一句故意写得很长" * 12
COMMENTED_FLOW = f"""\
# 话费交费流程（热线）  维护人：张敏
id: pay
title: "话费交费（缴费）"   # 标题与知识库一致
class: handling
business: B0101
touchpoints:
- channel: C1
- {{channel: C2, brands: [G, M]}}
keywords: [交话费, 充值, jiaofei]
steps:
    # 开场白按 2026 版规范
    - id: greet
      type: script
      text: 您好，请问要交多少话费？{LONG}
    - id: done
      type: end
      text: 'done: 感谢来电'
"""


def _sample_files() -> list[Path]:
    return sorted(Path(str(sample_pack())).rglob("*.yaml"))


def test_every_sample_file_dumps_to_its_own_bytes() -> None:
    files = _sample_files()
    assert len(files) > 10
    for path in files:
        source = load_source_file(path)
        assert source.dumps() == path.read_bytes(), path
        assert not source.modified


def test_saving_without_edits_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "pay.yaml"
    path.write_bytes(COMMENTED_FLOW.encode())
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    source = load_source_file(path)
    assert save_source_file(source) is False
    assert path.read_bytes() == COMMENTED_FLOW.encode()
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_an_edit_changes_only_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pay.yaml"
    path.write_bytes(COMMENTED_FLOW.encode())
    with edit_source_file(path) as doc:
        doc["keywords"].append("缴费")
    before = COMMENTED_FLOW.splitlines()
    after = path.read_text(encoding="utf-8").splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("keywords: [交话费, 充值, jiaofei]", "keywords: [交话费, 充值, jiaofei, 缴费]")
    ]


def test_apply_value_keeps_comments_and_quotes_of_untouched_keys(tmp_path: Path) -> None:
    path = tmp_path / "pay.yaml"
    path.write_bytes(COMMENTED_FLOW.encode())
    source = load_source_file(path)
    plain = {
        "id": "pay",
        "title": "话费交费（缴费）",
        "class": "handling",
        "business": "B0101",
        "touchpoints": [{"channel": "C1"}, {"channel": "C2", "brands": ["G", "M"]}],
        "keywords": ["交话费", "充值", "jiaofei"],
        "steps": [
            {"id": "greet", "type": "script", "text": "您好，请问要交多少话费？" + LONG},
            {"id": "verify", "type": "check", "text": "核实机主 kehu", "required": True},
            {"id": "done", "type": "end", "text": "done: 感谢来电"},
        ],
    }
    source.data = apply_value(source.data, plain)
    assert save_source_file(source) is True
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 话费交费流程（热线）  维护人：张敏\n")
    assert 'title: "话费交费（缴费）"   # 标题与知识库一致\n' in text
    assert "    # 开场白按 2026 版规范\n" in text
    assert "- {channel: C2, brands: [G, M]}\n" in text
    assert "      text: 'done: 感谢来电'\n" in text
    assert "    - id: verify\n      type: check\n      text: 核实机主 kehu\n" in text
    reread = load_source_file(path)
    assert reread.data["steps"][0]["text"] == "您好，请问要交多少话费？" + LONG
    assert [s["id"] for s in reread.data["steps"]] == ["greet", "verify", "done"]


def test_a_file_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "pay.yaml"
    path.write_bytes(COMMENTED_FLOW.encode())
    source = load_source_file(path)
    source.data["title"] = "改过的标题"
    path.write_text(COMMENTED_FLOW + "owner: 别人改的\n", encoding="utf-8")
    with pytest.raises(ChangedOnDisk) as caught:
        save_source_file(source)
    assert str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8").endswith("owner: 别人改的\n")
    assert save_source_file(source, force=True) is True
    assert "改过的标题" in path.read_text(encoding="utf-8")


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "pay.yaml"
    raw = ("\ufeff" + COMMENTED_FLOW).replace("\n", "\r\n").encode()
    path.write_bytes(raw)
    source = load_source_file(path)
    assert source.dumps() == raw
    source.data["owner"] = "客服部"
    save_source_file(source)
    written = path.read_bytes()
    assert written.startswith("\ufeff".encode())
    assert b"owner: \xe5\xae\xa2\xe6\x9c\x8d\xe9\x83\xa8\r\n" in written
    assert b"\n" not in written.replace(b"\r\n", b"")


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nsteps:\n  - id: a\n   type: [script\n", encoding="utf-8")
    with pytest.raises(RoundTripError) as caught:
        load_source_file(path)
    assert caught.value.file == str(path)
    assert caught.value.line is not None and caught.value.line >= 3
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text("id: x\nid: y\n", encoding="utf-8")
    with pytest.raises(RoundTripError):
        load_source_file(duplicate)


def test_new_file_is_written_atomically_and_reads_as_a_flow(tmp_path: Path) -> None:
    folder = write_files(tmp_path / "src", VALID_FILES)
    target = folder / "flows" / "new" / "stop.yaml"
    data = {
        "id": "stop-m",
        "title": "停机保号（动感地带）",
        "class": "handling",
        "business": "B0102",
        "touchpoints": [{"channel": "C1", "brands": ["M"]}],
        "steps": [{"id": "s1", "type": "script", "text": "您好 nin hao"}],
    }
    source = new_source_file(target, data)
    assert source.modified
    assert save_source_file(source) is True
    assert not source.modified
    assert target.read_text(encoding="utf-8").startswith("id: stop-m\n")
    assert "steps:\n  - id: s1\n" in target.read_text(encoding="utf-8")
    assert [p.name for p in target.parent.iterdir()] == ["stop.yaml"]
    # the new flow now claims C1-M-B0102, which another flow of the valid pack claims
    loaded_problems = load_pack(folder).problems
    assert any("C1-M-B0102" in p.message for p in loaded_problems)


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path: Path) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(PACK_YAML, encoding="utf-8")
    with pytest.raises(TypeError):
        atomic_write(path, "不是 bytes")  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == PACK_YAML
    assert [p.name for p in tmp_path.iterdir()] == ["pack.yaml"]
    atomic_write(path, PAY_FLOW.encode())
    assert path.read_text(encoding="utf-8") == PAY_FLOW
    assert [p.name for p in tmp_path.iterdir()] == ["pack.yaml"]
