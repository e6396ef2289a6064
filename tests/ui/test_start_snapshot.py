"""A window started on a desk it has seen before is usable from its start snapshot at once.

The desk opens behind it; what the store says wins, and the UI thread never
waits for the store meanwhile.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from flowdesk import clock, startcache
from flowdesk.desk import Desk
from flowdesk.paths import DataDir
from tests.builders import FLOWS, PACK, write_pack

pytestmark = pytest.mark.gui


def version(root: Path, sequence: int) -> Path:
    pack = copy.deepcopy(PACK)
    pack["sequence"] = sequence
    pack.pop("effective", None)
    return write_pack(root / f"v{sequence}", pack, copy.deepcopy(FLOWS))


def start_window(qtbot, root: Path):
    from flowdesk.ui.app import build_desktop, start

    desktop = build_desktop(root, listen=False, ask_agent=False)
    qtbot.addWidget(desktop.window)
    loaded: list[int] = []
    desktop.window.pack_loaded.connect(
        lambda: loaded.append(desktop.window.pack.sequence if desktop.window.pack else 0)
    )
    start(desktop)
    return desktop, loaded


def test_a_second_start_shows_the_snapshot_and_the_ui_thread_never_waits(
    qtbot, tmp_path: Path
) -> None:
    root = tmp_path / "data"
    with Desk.open(root) as desk:
        desk.import_pack(version(tmp_path, 1))
    first, _ = start_window(qtbot, root)
    qtbot.waitUntil(lambda: first.window.pack is not None and first.desk.is_open, timeout=60_000)
    first.close()
    assert startcache.path(DataDir(root)).is_file()  # written at close, for the next start

    desktop, loaded = start_window(qtbot, root)
    try:
        qtbot.waitUntil(lambda: bool(loaded), timeout=60_000)
        window = desktop.window
        assert desktop.desk.early is not None  # shown from the snapshot
        for ch in "携号转网":  # typed through the input method, as a Chinese agent types
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(window.search.box, event)
        qtbot.waitUntil(lambda: window.search.model.rowCount() > 0, timeout=30_000)
        assert window.search.model.hit(0).flow_id == "np-out"
        qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.flow.run is not None, timeout=30_000)
        assert window.flow.run.flow.id == "np-out" and window.flow.run.ref.pack_sequence == 1
        qtbot.waitUntil(lambda: desktop.desk.is_open, timeout=60_000)
        assert loaded == [1]  # the store agreed: the pack was not shown twice
        assert desktop.desk.ui_waits == 0
    finally:
        desktop.close()


def test_the_store_wins_over_a_snapshot_that_is_behind(qtbot, tmp_path: Path) -> None:
    root = tmp_path / "data"
    with Desk.open(root) as desk:
        desk.import_pack(version(tmp_path, 1))
        v1 = startcache.capture(desk)
        desk.import_pack(version(tmp_path, 2))
    # a snapshot that looks current but names the version before (say, a store copied back)
    startcache.write(DataDir(root), *v1)
    desktop, loaded = start_window(qtbot, root)
    try:
        qtbot.waitUntil(lambda: loaded[-1:] == [2], timeout=60_000)
        assert loaded == [1, 2]
        assert desktop.window.pack.sequence == 2
        assert desktop.desk.ui_waits == 0
        snapshot = startcache.read(DataDir(root), clock.now)
        assert snapshot is not None and [v.sequence for v in snapshot.versions] == [2]
    finally:
        desktop.close()


def test_a_damaged_store_behind_a_snapshot_is_named_and_nothing_is_shown(
    qtbot, tmp_path: Path
) -> None:
    root = tmp_path / "data"
    with Desk.open(root) as desk:
        desk.import_pack(version(tmp_path, 1))
        kept = startcache.capture(desk)
    data = DataDir(root)
    startcache.write(data, *kept)  # as the window does at close: after the store is closed
    snapshot = startcache.read(data, clock.now)
    assert snapshot is not None
    # damage the store in place, keeping its size and time: the snapshot still looks current
    stat = data.store.stat()
    with data.store.open("r+b") as fh:
        fh.write(b"\x00" * 100)
    os.utime(data.store, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    desktop, loaded = start_window(qtbot, root)
    try:
        qtbot.waitUntil(lambda: loaded[-1:] == [0], timeout=60_000)
        assert loaded == [1, 0]  # the snapshot first, then nothing once the store refused
        assert desktop.window.pack is None  # not the snapshot's pack over a store that refuses
        boxes = [w for w in desktop.window.findChildren(QMessageBox) if w.isVisible()]
        assert any(str(data.store.name) in box.text() for box in boxes), [b.text() for b in boxes]
    finally:
        desktop.close()
