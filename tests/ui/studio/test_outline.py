"""A large source opens outlined: the outline reads what the whole read reads, and the checks
that follow put right a file that only looked plain, drop what an edit made stale, and stop
when pack.yaml changes what they were checking against."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowdesk.packs import load_pack
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.packs.source import parse_pack, read_flow_file, read_folder
from flowdesk.paths import sample_pack
from flowdesk.ui.studio import document as document_module
from flowdesk.ui.studio import reading
from flowdesk.ui.studio.document import StudioDocument
from flowdesk.ui.studio.outline import outline_read
from flowdesk.ui.studio.reading import summarize

NAME = "flows/portability/np-qualify.yaml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(reading, "MIN_FILES", 1)  # outline and check as for a large source
    folder = tmp_path / "pack"
    shutil.copytree(str(sample_pack()), folder)
    return folder


def test_the_outline_of_every_sample_flow_is_what_the_whole_read_gives(folder: Path) -> None:
    document = StudioDocument.open(folder)
    files, _problems = read_folder(folder)
    for name in document.flow_names():
        outline = outline_read(files[name], name, document.head)
        whole = read_flow_file(files[name], name, document.head, name)[0]
        assert outline is not None and whole is not None, name
        assert summarize(outline)[:-1] == summarize(whole)[:-1], name  # lines too
        assert outline.flow.steps == ()


@pytest.mark.parametrize(
    "text",
    [
        "{id: a, title: 甲, class: query, steps: [{id: s, type: end, text: 再见}]}\n",
        '"id": a\ntitle: 甲\nclass: query\n',
        "base: &b {class: query}\n<<: *b\nid: a\ntitle: 甲\n",
        "%YAML 1.1\n---\nid: a\ntitle: 甲\nclass: query\n",
        "id: [a\ntitle: 甲\n",
    ],
    ids=["flow style", "quoted key", "merge key", "directive", "broken"],
)
def test_a_file_not_plainly_laid_out_gets_no_outline(text: str) -> None:
    assert outline_read(text.encode(), "flows/a.yaml", None) is None


def test_a_file_that_only_looks_plain_is_put_right_by_its_checks(folder: Path) -> None:
    path = folder / NAME
    path.write_text(path.read_text("utf-8") + "---\nowner: 另一个文档\n", "utf-8")
    document = StudioDocument.open(folder, defer_checks=True)
    assert document.stale == set(document.flow_names())
    assert "np-qualify" in {f.id for f in document.pack.flows}  # the outline stands in
    assert not document.errors
    document.check_now()
    assert "np-qualify" not in {f.id for f in document.pack.flows}
    errors = sorted(str(p) for p in load_pack(folder).problems if p.severity == "error")
    assert sorted(map(str, document.errors)) == errors
    assert any("more than one YAML document" in e for e in errors)
    assert any("blind spot" in p.message for p in document.problems)  # its claims are free


def test_a_flow_edited_while_checks_run_keeps_its_edit(folder: Path) -> None:
    document = StudioDocument.open(folder, defer_checks=True)
    job = document.check_job()
    doc = document.document(NAME)  # opening it reads it whole: its problems are known now
    assert NAME not in document.stale
    doc["steps"][0]["next"] = "没有这一步"
    document.set_document(NAME, doc)
    job(lambda _d, _n: None)
    assert document.take_checked() and not document.stale
    mine = [p for p in document.errors if p.file == NAME]
    assert [p.key for p in mine] == ["steps[0].next"]  # the edit's problem, not the disk's


def test_pack_yaml_edited_while_checks_run_stops_them_only_when_it_matters(
    folder: Path, monkeypatch
) -> None:
    monkeypatch.setattr(document_module, "SYNC_REREAD", 0)  # many flows: read by a job
    document = StudioDocument.open(folder, defer_checks=True)
    job = document.check_job()
    head = document.document(PACK_FILE)
    head["title"] += "（修订）"
    document.set_document(PACK_FILE, head)  # no flow is checked against the title
    assert not document.needs_check_job
    head["brands"] = [b for b in head["brands"] if b["code"] != "E"]
    document.set_document(PACK_FILE, head)  # every flow may read differently now
    assert document.needs_check_job
    with pytest.raises(reading.Cancelled):
        job(lambda _d, _n: None)
    assert not document.take_checked()  # nothing of the stopped job is taken
    document.check_now()
    _pack, whole = parse_pack(document.files)
    errors = sorted(str(p) for p in whole if p.severity == "error")
    assert errors and sorted(map(str, document.errors)) == errors
