"""The Studio's README screenshots, made by ``scripts/screenshots.py`` after the agent's window.

A copy of the sample pack is opened in the Studio and driven as a process owner
would: the process map with its blind spot, a flow in the editor with its graph,
a validation error in the problems list, the preview with a sample value. Then
a 2,000-flow synthetic source, shown while its files' checks are still coming in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SIZE = (1366, 768)


def shoot_studio(data: Path, out: Path, settle, app) -> None:
    from PySide6.QtTest import QTest

    from flowdesk.paths import sample_pack
    from flowdesk.ui.studio.document import StudioDocument
    from flowdesk.ui.studio.window import StudioWindow
    from flowdesk.ui.tasks import TaskRunner

    source = data / "studio-pack"
    shutil.copytree(str(sample_pack()), source)
    window = StudioWindow(StudioDocument.open(source), TaskRunner(synchronous=True))
    window.resize(*SIZE)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 5000)

    def grab(widget, name: str) -> None:
        settle(app)
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    window.map.brand.setCurrentIndex(window.map.brand.findData("E"))
    model, table = window.map.model, window.map.table
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            if model.cell_kind(row, column) == "blind":
                table.setCurrentIndex(model.index(row, max(0, column - 1)))
                table.scrollTo(model.index(row, column), table.ScrollHint.PositionAtCenter)
    grab(window, "studio-map")
    window.open_flow_id("plan-change-hotline")
    editor = window.editor
    editor.table.setCurrentIndex(editor.model.index(4, 2))
    grab(window, "studio-flow")
    doc = window.document.document(window.current)
    doc["steps"][5]["next"] = "confrim"  # a typo the validator catches as it is typed
    window.push(window.current, doc, "next", None)
    window.problem_list.setCurrentIndex(window.problems.index(0))
    editor.focus_key("steps[5].next")
    grab(window, "studio-problems")
    window.undo_stack.undo()
    window.open_preview()
    preview = window.preview
    preview.resize(*SIZE)
    preview.values["customer_name"].setText("张敏")
    preview.values["plan"].setText("全球通畅享 128 元")
    grab(preview, "studio-preview")
    preview.close()
    window.document.docs.clear()
    window.document.removed.clear()
    window.close()
    english_shot(source, grab)
    checking_shot(data, grab, app)


def checking_shot(data: Path, grab, app) -> None:
    """A large source usable while its checks run: 问题（检查中 n/N）, publishing waits."""
    import sys
    import time

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks' generator
    from benchmarks.synthetic import synthetic_pack, write_pack_source
    from flowdesk.ui.studio.document import StudioDocument
    from flowdesk.ui.studio.window import StudioWindow
    from flowdesk.ui.tasks import TaskRunner

    source = data / "studio-large"
    write_pack_source(synthetic_pack(2_000, seed=3), source)
    window = StudioWindow(StudioDocument.open(source, defer_checks=True), TaskRunner(threads=1))
    window.resize(*SIZE)
    window.show()
    deadline = time.monotonic() + 120
    while window._checked[0] == 0 and window.document.stale and time.monotonic() < deadline:
        time.sleep(0.05)
        app.processEvents()
    grab(window, "studio-checking")
    window.close()


def english_shot(source: Path, grab) -> None:
    """The same flow with the window in English (the pack's content stays as written)."""
    from PySide6.QtWidgets import QApplication

    from flowdesk.ui.i18n import install_translators
    from flowdesk.ui.studio.document import StudioDocument
    from flowdesk.ui.studio.window import StudioWindow
    from flowdesk.ui.tasks import TaskRunner

    app = QApplication.instance()
    install_translators(app, "en")
    try:
        window = StudioWindow(StudioDocument.open(source), TaskRunner(synchronous=True))
        window.resize(*SIZE)
        window.show()
        window.open_flow_id("np-qualify")
        grab(window, "studio-english")
        window.close()
    finally:
        install_translators(app, "zh_CN")
