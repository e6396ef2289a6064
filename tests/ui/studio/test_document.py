"""The Studio's document without a window: incremental validation is pack validate's."""

from __future__ import annotations

import shutil
from pathlib import Path

from flowdesk.packs import load_pack
from flowdesk.packs.source import parse_pack
from flowdesk.paths import sample_pack
from flowdesk.ui.studio.document import StudioDocument


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(str(sample_pack()), folder)
    return folder


def test_open_gives_the_problems_pack_validate_gives(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    document = StudioDocument.open(folder)
    assert sorted(map(str, document.problems)) == sorted(map(str, load_pack(folder).problems))
    assert document.pack is not None and len(document.pack.flows) > 50


def test_an_edit_is_validated_like_the_whole_pack(tmp_path: Path) -> None:
    document = StudioDocument.open(_copy(tmp_path))
    name = document.name_of("np-qualify")
    doc = document.document(name)
    doc["steps"][1]["next"] = "不存在的步骤"
    doc["steps"][0]["text"] = "{{没有的变量}}您好"
    incremental = document.set_document(name, doc)
    _pack, whole = parse_pack(document.files)
    errors = sorted(map(_unplaced, (p for p in whole if p.severity == "error")))
    assert sorted(map(_unplaced, (p for p in incremental if p.severity == "error"))) == errors
    # pack validate stops before the map's blind spots when there are errors; the Studio
    # keeps showing them, so the author sees the whole picture while fixing
    assert set(map(_unplaced, whole)) <= set(map(_unplaced, incremental))
    keys = {p.key for p in document.errors}
    assert {"steps[1].next", "steps[0].text"} <= keys
    # the lines of an edited file are its draft's, not the author's file's: none are shown
    assert all(p.line is None for p in document.problems if p.file == name)


def _unplaced(problem) -> tuple:
    return problem.severity, problem.file, problem.key, problem.message


def test_undoing_to_the_original_writes_nothing(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    document = StudioDocument.open(folder)
    before = {p: p.read_bytes() for p in folder.rglob("*.yaml")}
    name = document.name_of("report-loss")
    original = document.document(name)
    edited = document.document(name)
    edited["keywords"].append("手机被偷了")
    document.set_document(name, edited)
    document.restore(name, original)
    other = document.name_of("np-qualify")
    doc = document.document(other)
    doc["title"] = "携号转网资格查询（新）"
    document.set_document(other, doc)
    report = document.save()
    assert report.written == [other] and not report.conflicts
    after = {p: p.read_bytes() for p in folder.rglob("*.yaml")}
    assert [p for p in after if after[p] != before[p]] == [folder / other]
    text = (folder / other).read_text(encoding="utf-8")
    assert text.startswith(before[folder / other].decode("utf-8").splitlines()[0])  # comment kept
    assert "title: 携号转网资格查询（新）\n" in text


def test_a_title_edit_keeps_the_checks_across_flows(tmp_path: Path) -> None:
    document = StudioDocument.open(_copy(tmp_path))
    name = document.name_of("report-loss")
    doc = document.document(name)
    doc["title"] = "手机挂失（丢失/被盗）shouji guashi"
    problems = document.set_document(name, doc)
    _pack, whole = parse_pack(document.files)
    assert sorted(map(str, problems)) == sorted(map(str, whole))
    assert document.pack is not None
    assert document.pack.flow("report-loss").title == "手机挂失（丢失/被盗）shouji guashi"
    assert [f.id for f in document.pack.flows] == [f.id for f in _pack.flows]
    # claiming a touch point another flow claims goes through the checks across flows
    doc["touchpoints"] = [{"channel": "C1"}, {"channel": "C3", "brands": ["E"]}]
    problems = document.set_document(name, doc)
    _full, whole = parse_pack(document.files)
    errors = sorted(str(p) for p in whole if p.severity == "error")
    assert sorted(str(p) for p in problems if p.severity == "error") == errors
    assert set(map(str, whole)) <= set(map(str, problems))
    claims = [tp.code for tp in document.pack.flow("report-loss").touchpoints]
    assert any(code.startswith("C3-E-") for code in claims)
