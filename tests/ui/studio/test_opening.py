"""Opening a source in the window off the UI thread; its checks, and pack.yaml edits, by a job."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from flowdesk.packs import load_pack
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.packs.source import parse_pack
from flowdesk.paths import sample_pack
from flowdesk.ui.studio import document as document_module
from flowdesk.ui.studio import reading
from flowdesk.ui.studio.document import StudioDocument
from flowdesk.ui.studio.opening import open_in_window
from flowdesk.ui.studio.readcache import ReadCache
from flowdesk.ui.studio.window import StudioWindow
from flowdesk.ui.tasks import TaskRunner


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(str(sample_pack()), folder)
    return folder


def test_the_window_shows_with_the_map_and_checks_every_file_while_in_use(
    qtbot, tmp_path: Path, monkeypatch
):
    monkeypatch.setattr(reading, "MIN_FILES", 1)  # outlined, then worker processes: a large source
    folder = _copy(tmp_path)
    name = "flows/portability/np-qualify.yaml"
    text = (folder / name).read_text(encoding="utf-8")
    (folder / name).write_text(text.replace("next: ", "next: 没有", 1), encoding="utf-8")
    cache = ReadCache(tmp_path / "data" / "studio", folder)
    opening = open_in_window(folder, cache)
    qtbot.waitUntil(lambda: opening.window is not None, timeout=60_000)
    window = opening.window
    qtbot.addWidget(window)
    document = window.document
    assert window.isVisible() and not opening.dialog.isVisible()
    assert window.map.model.rowCount() > 0
    # the checks have not come back yet (only the UI thread takes them): the author is told,
    # and nothing can be exported or published before every problem is known
    assert document.stale == set(document.flow_names())
    assert "检查中 0/" in window.problems_dock.windowTitle()
    assert not window.actions["publish"].isEnabled() and not window.actions["export"].isEnabled()
    assert not any(p.file == name for p in document.problems)
    qtbot.waitUntil(lambda: not document.stale and not window.runner.busy, timeout=60_000)
    errors = sorted(str(p) for p in load_pack(folder).problems if p.severity == "error")
    assert sorted(map(str, document.errors)) == errors
    assert any(p.file == name for p in document.errors)
    assert window.problems.rowCount() == len(document.problems)
    assert window.problems_dock.windowTitle() == "问题"
    assert window.actions["publish"].isEnabled() and window.actions["export"].isEnabled()
    assert cache.path.is_file()  # the next opening reads only changed files
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.close()
    window.runner.wait()


def test_an_axes_edit_touching_every_flow_is_checked_off_the_ui_thread(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(document_module, "SYNC_REREAD", 0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    refused: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: refused.append(text))
    window = StudioWindow(StudioDocument.open(_copy(tmp_path)), TaskRunner())
    qtbot.addWidget(window)
    head = window.document.document(PACK_FILE)
    head["brands"] = [b for b in head["brands"] if b["code"] != "E"]
    window.push(PACK_FILE, head, "brands", None)
    assert window.document.stale  # the job runs; the window is not blocked meanwhile
    window.open_publish()  # refused while checking
    assert refused and "检查完成前不能导出或发布" in refused[0]
    qtbot.waitUntil(lambda: not window.document.stale, timeout=30_000)
    _pack, whole = parse_pack(window.document.files)
    errors = sorted(str(p) for p in whole if p.severity == "error")
    assert errors and sorted(str(p) for p in window.document.errors) == errors
    assert window.problems.problems == window.document.problems
    window.undo_stack.undo()
    document = window.document
    qtbot.waitUntil(lambda: not document.stale and not document.errors, timeout=30_000)
    window.close()
    window.runner.wait()


def test_closing_the_window_while_its_checks_run_stops_them(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(reading, "MIN_FILES", 1)
    document = StudioDocument.open(_copy(tmp_path), defer_checks=True)
    window = StudioWindow(document, TaskRunner())
    qtbot.addWidget(window)
    assert window.runner.busy and document.stale
    window.close()  # stops the workers rather than waiting for every file
    assert window.runner.wait(30_000)
    assert document.stale  # what was not checked stays unchecked: nothing half-applied
