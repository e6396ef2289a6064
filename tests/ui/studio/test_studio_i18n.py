"""The Studio is Chinese first with English: every string it shows goes through the translator."""

from __future__ import annotations

import io
import re
import tokenize
import xml.etree.ElementTree as ET
from importlib.resources import as_file
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QGraphicsSimpleTextItem,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTableView,
    QTableWidget,
    QTabWidget,
    QWidget,
)

import flowdesk.ui.studio as studio_package
from flowdesk.paths import resource
from flowdesk.ui.i18n import install_translators
from flowdesk.ui.studio.document import StudioDocument
from flowdesk.ui.studio.window import StudioWindow
from flowdesk.ui.tasks import TaskRunner

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
STUDIO = Path(studio_package.__file__).parent
#: modules whose Chinese literals are pack content (a new pack's and a new flow's samples)
CONTENT = {"document.py"}
MARKS = ("tr", "translate", "QT_TRANSLATE_NOOP")


def _catalog() -> list[ET.Element]:
    with as_file(resource("i18n/studio_en.ts")) as path:
        return list(ET.parse(path).iter("message"))


def test_every_studio_string_has_its_english() -> None:
    messages = _catalog()
    assert len(messages) > 100
    unfinished = [
        m.findtext("source")
        for m in messages
        if m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")
        or not (m.findtext("translation") or "").strip()
    ]
    assert unfinished == []
    assert all(not CJK.search(m.findtext("translation")) for m in messages)


def _untranslated_literals(path: Path) -> list[str]:
    """Chinese string literals that are not the text of a tr/translate/QT_TRANSLATE_NOOP call."""
    found = []
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text("utf-8")).readline))
    for i, token in enumerate(tokens):
        if token.type != tokenize.STRING or not CJK.search(token.string):
            continue
        if token.string.startswith(('"""', "'''")):
            continue  # a docstring
        before = [t.string for t in tokens[max(0, i - 6) : i] if t.type != tokenize.NL]
        call = before[-2:] in (["tr", "("],) or (
            len(before) >= 4 and before[-4] in MARKS and before[-3] == "(" and before[-1] == ","
        )
        if not call:
            found.append(f"{path.name}:{token.start[0]} {token.string}")
    return found


def test_no_chinese_string_is_shown_without_the_translator() -> None:
    bare = []
    for path in sorted(STUDIO.glob("*.py")):
        if path.name not in CONTENT:
            bare += _untranslated_literals(path)
    assert bare == []


def _source(tmp_path: Path) -> Path:
    """A pack written in English, so any Chinese on screen is the window's own."""
    folder = tmp_path / "en-pack"
    (folder / "flows").mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        "format: flowpack/1\nid: hotline\ntitle: Hotline\nsequence: 1\n"
        "channels: [{code: C1, name: Voice}, {code: C2, name: Web}]\n"
        "brands: [{code: G, name: GoTone}]\n"
        "businesses: [{code: B1, name: Payment, group: Billing, channels: [C1, C2]}]\n",
        encoding="utf-8",
    )
    (folder / "flows" / "pay.yaml").write_text(
        "id: pay\ntitle: Pay by voice\nclass: handling\nbusiness: B1\n"
        "touchpoints: [{channel: C1}]\nvariables: [{name: phone, label: Phone}]\n"
        "steps:\n"
        "  - {id: hello, type: script, text: 'Hello {{phone}}'}\n"
        "  - {id: ask, type: decision, text: Card?, options: [{label: Yes, next: end},"
        " {label: No, next: end}]}\n"
        "  - {id: lost, type: script, text: Never reached}\n"
        "  - {id: end, type: end, text: Bye}\n",
        encoding="utf-8",
    )
    return folder


def _shown_texts(window: StudioWindow) -> list[str]:
    """Every text the window shows now: widgets, tabs, menus, headers, the graph, the title."""
    texts = [window.windowTitle(), window.statusBar().currentMessage()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QDockWidget):
            texts.append(widget.windowTitle())
        if isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTableView | QTableWidget):
            model = widget.model()
            horizontal = Qt.Orientation.Horizontal
            texts += [str(model.headerData(c, horizontal)) for c in range(model.columnCount())]
    for menu in window.menuBar().findChildren(QMenu):
        texts.append(menu.title())
        texts += [action.text() for action in menu.actions()]
    scene = window.editor.graph.scene()
    texts += [item.text() for item in scene.items() if isinstance(item, QGraphicsSimpleTextItem)]
    return [t for t in texts if t]


@pytest.fixture
def studio(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    source = _source(tmp_path)

    def make() -> StudioWindow:
        window = StudioWindow(StudioDocument.open(source), TaskRunner(synchronous=True))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def _every_tab(window: StudioWindow) -> list[str]:
    window.open_file("flows/pay.yaml")
    texts = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        texts += _shown_texts(window)
    return texts


def test_switching_to_english_and_back(studio) -> None:
    app = QApplication.instance()
    try:
        assert install_translators(app, "en")
        english = studio()
        texts = _every_tab(english)
        chinese = [t for t in texts if CJK.search(t)]
        assert chinese == []
        assert english.tabs.tabText(0) == "Process map"
        assert english.windowTitle().endswith("FlowDesk Studio")
        assert {"Step ID", "Options (label → next)", "Add decision", "Decision"} <= set(texts)
        assert "&Save" in texts and "Problems" in texts
        assert any("unreachable" in t for t in texts)  # the graph marks the step no path reaches
        assert re.fullmatch(r"\d+ errors, \d+ warnings", english.statusBar().currentMessage())
    finally:
        install_translators(app, "zh_CN")
    chinese = studio()
    texts = _every_tab(chinese)
    assert chinese.tabs.tabText(0) == "流程地图"
    assert {"步骤ID", "添加判断", "判断", "保存(&S)", "问题"} <= set(texts)
    assert "Process map" not in texts
