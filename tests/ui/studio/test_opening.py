"""Opening a source in the window off the UI thread, and pack.yaml edits read again by a job."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

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


def test_the_window_shows_when_the_source_has_been_read(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(reading, "MIN_FILES", 1)  # worker processes, as for a large source
    folder = _copy(tmp_path)
    cache = ReadCache(tmp_path / "data" / "studio", folder)
    opening = open_in_window(folder, cache)
    qtbot.waitUntil(lambda: opening.window is not None, timeout=60_000)
    window = opening.window
    qtbot.addWidget(window)
    assert window.isVisible() and not opening.dialog.isVisible()
    assert window.problems.rowCount() == len(window.document.problems) > 0
    assert window.map.model.rowCount() > 0
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
    assert refused and "pack.yaml" in refused[0]
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
