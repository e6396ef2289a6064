"""Chinese first, English available: every UI string has its English, and it loads."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.resources import as_file

import pytest
from PySide6.QtWidgets import QApplication

from flowdesk.paths import resource
from flowdesk.ui.i18n import install_translators

pytestmark = pytest.mark.gui


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
