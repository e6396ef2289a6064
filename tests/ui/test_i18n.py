"""Chinese first, English available: every UI string has its English, and it loads."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.resources import as_file

import pytest
from PySide6.QtWidgets import QApplication

from flowdesk.paths import resource
from flowdesk.ui.i18n import install_translators


def test_every_string_is_translated() -> None:
    with as_file(resource("i18n/flowdesk_en.ts")) as path:
        tree = ET.parse(path)
    messages = list(tree.iter("message"))
    assert len(messages) > 80
    unfinished = [
        m.findtext("source")
        for m in messages
        if m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")
    ]
    assert unfinished == []


def test_english_is_loaded_and_chinese_restored(qtbot, session_factory) -> None:
    from flowdesk.ui.flow_view import FlowView

    app = QApplication.instance()
    try:
        assert install_translators(app, "en")
        english = FlowView(session_factory())
        qtbot.addWidget(english)
        assert english.title.text() == "No flow open yet"
        assert "Ctrl+K" in english.meta.text()
    finally:
        install_translators(app, "zh_CN")
    chinese = FlowView(session_factory())
    qtbot.addWidget(chinese)
    assert chinese.title.text() == "还没有打开流程"


@pytest.fixture
def session_factory():
    from flowdesk.calls import CallSession

    return lambda: CallSession("A1001", "话务一组", lambda _e: None)


def activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def test_switching_language_keeps_the_call_and_the_place(qtbot, desk, events) -> None:
    from PySide6.QtCore import Qt

    from flowdesk.ui.app import build_desktop, start

    root = desk.data.root
    desk.close()
    desktop = build_desktop(root, synchronous=True, listen=False, ask_agent=False)
    try:
        start(desktop)
        old = desktop.window
        activate(qtbot, old)
        old.start_call("CALL-EN")
        old.open_flow_id("np-out")
        qtbot.keyClick(old.flow, Qt.Key.Key_Space)
        desktop.switch_language("en")
        new = desktop.window
        activate(qtbot, new)
        assert new is not old
        assert new.windowTitle() == "FlowDesk Flow Assistant"
        assert new.left.tabText(0) == "Search"
        assert new.flow.run is not None and new.flow.run.current == "verify"
        assert new.flow.step_type.text() == "Check"
        assert desktop.session.call_id == "CALL-EN"  # the call did not end
        qtbot.keyClick(new.flow, Qt.Key.Key_Space)
        assert new.flow.run.current == "query"
    finally:
        install_translators(QApplication.instance(), "zh_CN")
        desktop.close()
