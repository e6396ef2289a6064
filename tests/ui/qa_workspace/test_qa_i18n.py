"""The QA workspace in English: every string it shows has its English, and it loads."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.resources import as_file

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from flowdesk.paths import resource
from flowdesk.reports import Report
from flowdesk.reports.headings import COLUMN_HEADINGS
from flowdesk.ui.i18n import install_translators


def test_every_string_and_every_heading_is_translated() -> None:
    with as_file(resource("i18n/qa_workspace_en.ts")) as path:
        tree = ET.parse(path)
    messages = {
        (context.findtext("name"), m.findtext("source")): m.find("translation")
        for context in tree.iter("context")
        for m in context.iter("message")
    }
    unfinished = [k for k, t in messages.items() if t.get("type") or not (t.text or "").strip()]
    assert unfinished == []
    shown = {("RowsModel", zh) for zh in COLUMN_HEADINGS.values()}
    assert shown - set(messages) == set()


def test_the_workspace_speaks_english_and_chinese_again(qtbot) -> None:
    from flowdesk.ui.qa_workspace.drill_page import DrillPage
    from flowdesk.ui.qa_workspace.rows_model import RowsModel

    app = QApplication.instance()
    try:
        install_translators(app, "en")
        page = DrillPage()
        qtbot.addWidget(page)
        assert page.search.placeholderText().startswith("Filter")
        model = RowsModel(Report("r", ("key", "skip_rate", "change"), [{"key": "greet"}], {}))
        headings = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(3)]
        assert headings == ["Item", "Skip rate", "Change"]
        steps = RowsModel(Report("r", ("key", "required"), [{"key": "a", "required": True}], {}))
        assert steps.index(0, 1).data() == "Yes"  # not 是 in the English window
    finally:
        install_translators(app, "zh_CN")
    assert DrillPage().search.placeholderText().startswith("筛选")
