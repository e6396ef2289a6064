"""The Studio's Excel actions: export as pack to-xlsx does, import as one undoable edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from flowdesk.paths import sample_pack
from flowdesk.ui.studio.document import StudioDocument
from flowdesk.ui.studio.window import StudioWindow
from flowdesk.ui.tasks import TaskRunner

SHEET = "流程 Flows"


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch) -> StudioWindow:
    source = tmp_path / "pack"
    shutil.copytree(str(sample_pack()), source)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    studio = StudioWindow(StudioDocument.open(source), TaskRunner(synchronous=True))
    qtbot.addWidget(studio)
    return studio


def _edit_cell(book: Path, flow_id: str, key: str, value: str) -> str:
    """Set one flow's cell in the workbook; the cell's name (e.g. C12)."""
    workbook = openpyxl.load_workbook(book)
    sheet = workbook[SHEET]
    keys = [str(c.value or "").rsplit("\n", 1)[-1] for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[keys.index("id")].value == flow_id)
    cell = row[keys.index(key)]
    cell.value = value
    workbook.save(book)
    workbook.close()
    return cell.coordinate


def test_export_then_import_an_edited_workbook_is_one_undoable_edit(
    window: StudioWindow, tmp_path: Path
) -> None:
    book = tmp_path / "pack.xlsx"
    window.export_xlsx(book)
    assert book.is_file()
    _edit_cell(book, "report-loss", "title", "手机挂失（Excel 改）")
    name = window.document.name_of("report-loss")
    title = window.document.flow(name).title
    window.import_xlsx(book)
    assert window.document.flow(name).title == "手机挂失（Excel 改）"
    assert sorted(window.document.docs) == [name]  # only the flow the workbook changed
    window.undo_stack.undo()
    assert window.document.flow(name).title == title
    assert not window.document.errors


def test_a_malformed_workbook_changes_nothing_and_names_its_cell(
    window: StudioWindow, tmp_path: Path, monkeypatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, _t, text, *a: said.append(text))
    book = tmp_path / "pack.xlsx"
    window.export_xlsx(book)
    cell = _edit_cell(book, "report-loss", "class", "没有这个类别")
    window.import_xlsx(book)
    assert said and "未导入" in said[0]
    assert not window.document.docs and window.undo_stack.count() == 0
    shown = [str(p) for p in window.problems.problems]
    assert any(f"{SHEET}!{cell}" in text and "unknown class" in text for text in shown)
