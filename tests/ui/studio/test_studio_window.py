"""The Studio driven by the keyboard, offscreen, on a copy of the sample pack."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from flowdesk.packs import load_pack
from flowdesk.paths import sample_pack
from flowdesk.ui.process_map import KIND_ROLE, TOUCHPOINT_ROLE
from flowdesk.ui.studio.document import StudioDocument
from flowdesk.ui.studio.steps_model import KEYS
from flowdesk.ui.studio.window import StudioWindow
from flowdesk.ui.tasks import TaskRunner

BLIND = "C3-E-B0501"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(str(sample_pack()), folder)
    return folder


@pytest.fixture
def window(qtbot, source: Path, tmp_path: Path, monkeypatch) -> StudioWindow:
    monkeypatch.setenv("FLOWDESK_DATA_DIR", str(tmp_path / "data"))
    # closing with unsaved edits asks; a test's teardown answers "discard"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    studio = StudioWindow(StudioDocument.open(source), TaskRunner(synchronous=True))
    qtbot.addWidget(studio)
    studio.show()
    qtbot.waitExposed(studio)
    studio.activateWindow()
    qtbot.waitActive(studio)  # shortcuts reach an active window only
    return studio


def _cell(window: StudioWindow, kind: str, code: str | None = None):
    model = window.map.model
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if index.data(KIND_ROLE) == kind and code in (None, index.data(TOUCHPOINT_ROLE)):
                return index
    raise AssertionError(f"no {kind} cell {code}")


def type_text(widget, text: str) -> None:
    """Type ``text`` key by key; QTest's keyClicks takes ASCII only, agents type Chinese."""
    for char in text:
        if char == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _edit_cell(qtbot, window: StudioWindow, row: int, key: str, text: str) -> None:
    table = window.editor.table
    table.setFocus()
    table.setCurrentIndex(window.editor.model.index(row, KEYS.index(key)))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.focusWidget()
    editor.selectAll()
    type_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def test_blind_spot_to_saved_flow_by_keyboard(qtbot, window: StudioWindow, source: Path) -> None:
    before = {p: p.read_bytes() for p in source.rglob("*.yaml")}
    document = window.document
    assert [p.message for p in document.problems if "blind spot" in p.message] == [
        f"blind spot {BLIND} (no flow claims it)"
    ]
    # the map is the way in: brand 神州行, the red cell, Enter
    combo = window.map.brand
    combo.setFocus()
    combo.setCurrentIndex(combo.findData("E"))
    table = window.map.table
    table.setFocus()
    table.setCurrentIndex(_cell(window, "blind", BLIND))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    name = window.current
    assert name is not None and name.startswith("flows/")
    assert window.tabs.currentWidget() is window.editor
    assert not any("blind spot" in p.message for p in document.problems)
    flow = document.flow(name)
    assert flow is not None and [tp.code for tp in flow.touchpoints] == [BLIND]

    # the title, typed: one undoable edit however many keys
    title = window.editor.fields["title"]
    title.setFocus()
    title.selectAll()
    type_text(title, "神州行短信开通漫游 sms")
    assert document.flow(name).title == "神州行短信开通漫游 sms"

    # add a decision after the first step, then take it back
    window.editor.table.setFocus()
    window.editor.table.setCurrentIndex(window.editor.model.index(0, 0))
    qtbot.keyClick(
        window.editor.table,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [s.type for s in document.flow(name).steps] == ["script", "decision", "end"]
    assert len(window.editor.graph.boxes) == 3
    qtbot.keyClick(window.editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.type for s in document.flow(name).steps] == ["script", "end"]
    qtbot.keyClick(window.editor.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert [s.type for s in document.flow(name).steps] == ["script", "decision", "end"]

    # a validation error as the author types: an option to no step
    _edit_cell(qtbot, window, 1, "options", "确认开通 → open\n暂不开通 → end")
    errors = [str(p) for p in document.errors]
    assert errors and "no step 'open'" in errors[0] and errors[0].startswith(name)
    assert window.problems.rowCount() >= 1
    assert window.editor.model.problems  # the row is marked
    # the problem jumps to its cell; the author fixes it there
    window.problem_list.setFocus()
    window.problem_list.setCurrentIndex(window.problems.index(0))
    qtbot.keyClick(window.problem_list, Qt.Key.Key_Return)
    current = window.editor.table.currentIndex()
    assert (current.row(), KEYS[current.column()]) == (1, "options")
    _edit_cell(qtbot, window, 1, "options", "确认开通 → end\n暂不开通 → end")
    assert document.errors == []

    # preview in the agent's flow view: it runs, and nothing is recorded
    qtbot.keyClick(window, Qt.Key.Key_F5)
    preview = window.preview
    assert preview is not None and preview.view.run is not None
    assert preview.view.run.flow.title == "神州行短信开通漫游 sms"
    preview.view.step_done()
    assert preview.view.run.current == document.flow(name).steps[1].id
    assert preview.dropped > 0  # a desk would have recorded these; the preview stores none
    preview.close()
    assert not (source.parent / "data").exists()

    # save: the new file, nothing else touched
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    written = (source / name).read_text(encoding="utf-8")
    assert "title: 神州行短信开通漫游 sms" in written
    assert "  - {label: 确认开通, next: end}" in written
    after = {p: p.read_bytes() for p in source.rglob("*.yaml")}
    assert {p for p in after if before.get(p) != after[p]} == {source / name}
    loaded = load_pack(source)
    assert loaded.pack is not None and not loaded.pack.blind_spots()
    assert window.windowTitle().startswith("10086")
    assert " *" not in window.windowTitle()


def test_a_file_changed_on_disk_is_not_overwritten(
    qtbot, window: StudioWindow, source: Path, monkeypatch
) -> None:
    window.open_flow_id("data-pack-hotline")
    name = window.current
    keywords = window.editor.fields["keywords"]
    keywords.setFocus()
    keywords.moveCursor(keywords.textCursor().MoveOperation.End)
    type_text(keywords, "\n加流量包")
    path = source / name
    theirs = path.read_text(encoding="utf-8") + "# 同事刚加的注释\n"
    path.write_text(theirs, encoding="utf-8")
    window.check_disk()
    assert name in window.statusBar().currentMessage()
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.No)
    assert window.save() is False
    assert path.read_text(encoding="utf-8") == theirs
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.save() is True
    assert "加流量包" in path.read_text(encoding="utf-8")


def test_graph_marks_unreachable_steps_and_follows_selection(qtbot, window: StudioWindow) -> None:
    window.open_flow_id("data-pack-hotline")
    editor = window.editor
    steps = editor.model.steps
    last = len(steps) - 1
    _edit_cell(qtbot, window, 0, "next", steps[last]["id"])  # jump past everything
    drawn = editor.graph.describe()
    assert drawn["unreached"] and steps[1]["id"] in drawn["unreached"]
    assert editor.model.unreached
    # decisions fan out: the options of 'need' sit side by side one layer down
    editor.graph.select_step(steps[last]["id"])
    editor.graph.scene().clearSelection()
    editor.graph.boxes[steps[2]["id"]].setSelected(True)
    assert editor.table.currentIndex().row() == 2
    editor.table.setCurrentIndex(editor.model.index(last, 0))
    assert editor.graph.boxes[steps[last]["id"]].isSelected()


def test_reorder_by_keyboard_is_undoable(qtbot, window: StudioWindow) -> None:
    window.open_flow_id("data-pack-hotline")
    editor = window.editor
    ids = [s["id"] for s in editor.model.steps]
    editor.table.setFocus()
    editor.table.setCurrentIndex(editor.model.index(1, 0))
    qtbot.keyClick(editor.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [s["id"] for s in editor.model.steps][:3] == [ids[0], ids[2], ids[1]]
    assert editor.table.currentIndex().row() == 2
    window.undo_stack.undo()
    assert [s["id"] for s in editor.model.steps] == ids


def _shown(rich: str) -> str:
    return re.sub(r"<[^>]+>", "", rich).replace("&nbsp;", "")


def test_preview_fills_sample_values_and_placeholders_are_checked(
    qtbot, window: StudioWindow
) -> None:
    window.open_flow_id("plan-change-hotline")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    preview = window.preview
    assert "【客户姓名】您好" in _shown(preview.view.text.text())
    name = preview.values["customer_name"]
    name.setFocus()
    type_text(name, "张敏")
    assert "张敏您好" in _shown(preview.view.text.text())
    preview.close()
    # a placeholder with no such variable is an error as soon as it is typed
    _edit_cell(qtbot, window, 0, "text", "{{customer}}您好")
    errors = [p for p in window.document.errors if p.file == window.current]
    assert errors and errors[0].key == "steps[0].text" and "customer" in errors[0].message
    assert 0 in window.editor.model.problems


def test_dragging_a_step_row_moves_it_as_one_undoable_edit(qtbot, window: StudioWindow) -> None:
    window.open_flow_id("data-pack-hotline")
    model = window.editor.model
    ids = [s["id"] for s in model.steps]
    data = model.mimeData([model.index(0, 0)])
    accepted = model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, model.index(-1, -1))
    assert accepted is False  # the command moves the row; Qt must not remove it as well
    assert [s["id"] for s in model.steps] == [ids[1], ids[2], ids[0], *ids[3:]]
    assert window.document.flow(window.current).steps[2].id == ids[0]
    window.undo_stack.undo()
    assert [s["id"] for s in model.steps] == ids


def test_axes_are_edited_as_tables_and_saved_keeping_comments(
    qtbot, window: StudioWindow, source: Path
) -> None:
    table = window.axes.tables["channels"]
    window.tabs.setCurrentWidget(window.axes)
    table.item(0, 1).setText("热线语音 10086")
    assert window.document.pack.channels[0].name == "热线语音 10086"
    window.undo_stack.undo()
    assert window.document.pack.channels[0].name == "热线语音"
    window.undo_stack.redo()
    assert window.save() is True
    text = (source / "pack.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 10086 热线服务流程包（样例）\n")
    assert "  - {code: C1, name: 热线语音 10086}\n" in text


def test_a_new_source_is_created_and_saved(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "新流程包"
    document = StudioDocument.create(folder)
    studio = StudioWindow(document, TaskRunner(synchronous=True))
    qtbot.addWidget(studio)
    blind = document.pack.blind_spots()
    assert [tp.code for tp in blind] == ["C1-G-B01"]
    studio.new_flow_for(blind[0])
    assert studio.save() is True
    loaded = load_pack(folder)
    assert loaded.pack is not None and not loaded.pack.blind_spots()
    assert [f.title for f in loaded.pack.flows] == ["交费（热线语音）"]
