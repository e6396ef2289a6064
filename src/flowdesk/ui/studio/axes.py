"""Channels, brands and businesses of pack.yaml edited as three tables.

Each table is read back whole into pack.yaml's document on every change, so
the change goes through the same undoable command and live validation as a
flow edit. Lists of codes are typed ``C1, C2``.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowdesk.workbook import cells

TABLES = (
    (
        "channels",
        QT_TRANSLATE_NOOP("AxesEditor", "渠道"),
        (
            ("code", QT_TRANSLATE_NOOP("AxesEditor", "代码")),
            ("name", QT_TRANSLATE_NOOP("AxesEditor", "名称")),
        ),
    ),
    (
        "brands",
        QT_TRANSLATE_NOOP("AxesEditor", "品牌"),
        (
            ("code", QT_TRANSLATE_NOOP("AxesEditor", "代码")),
            ("name", QT_TRANSLATE_NOOP("AxesEditor", "名称")),
        ),
    ),
    (
        "businesses",
        QT_TRANSLATE_NOOP("AxesEditor", "业务"),
        (
            ("code", QT_TRANSLATE_NOOP("AxesEditor", "代码")),
            ("name", QT_TRANSLATE_NOOP("AxesEditor", "名称")),
            ("group", QT_TRANSLATE_NOOP("AxesEditor", "分组")),
            ("channels", QT_TRANSLATE_NOOP("AxesEditor", "开放渠道")),
            ("brands", QT_TRANSLATE_NOOP("AxesEditor", "品牌（空=全部）")),
        ),
    ),
)
_LISTS = ("channels", "brands")


class AxesEditor(QWidget):
    """The three axis tables; ``edit_requested(new pack.yaml document, description)``."""

    edit_requested = Signal(dict, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.doc: dict[str, Any] = {}
        self.tables: dict[str, QTableWidget] = {}
        self._loading = False
        layout = QHBoxLayout(self)
        for key, title, columns in TABLES:
            box = QVBoxLayout()
            box.addWidget(QLabel(self.tr(title)))
            table = QTableWidget(0, len(columns))
            table.setObjectName(f"axis_{key}")
            table.setHorizontalHeaderLabels([self.tr(c[1]) for c in columns])
            table.horizontalHeader().setStretchLastSection(True)
            table.itemChanged.connect(lambda _item, k=key: self._changed(k))
            add = QPushButton(self.tr("添加一行"))
            add.clicked.connect(lambda _c=False, k=key: self._add_row(k))
            box.addWidget(table)
            box.addWidget(add)
            layout.addLayout(box, 2 if key == "businesses" else 1)
            self.tables[key] = table

    def show_document(self, doc: dict[str, Any] | None) -> None:
        self.doc = copy.deepcopy(doc or {})
        self._loading = True
        for key, _title, columns in TABLES:
            table = self.tables[key]
            entries = self.doc.get(key) or []
            table.setRowCount(len(entries))
            for row, entry in enumerate(entries):
                for col, (field, _label) in enumerate(columns):
                    value = entry.get(field)
                    text = cells.write_codes(value) if field in _LISTS else value
                    table.setItem(row, col, QTableWidgetItem("" if text is None else str(text)))
        self._loading = False

    def _add_row(self, key: str) -> None:
        doc = copy.deepcopy(self.doc)
        entries = list(doc.get(key) or [])
        number = len(entries) + 1
        entry: dict[str, Any] = {"code": f"N{number}", "name": self.tr("新项目")}
        if key == "businesses":
            entry["channels"] = []
        entries.append(entry)
        doc[key] = entries
        self.edit_requested.emit(doc, self.tr("添加一行"))

    def _changed(self, key: str) -> None:
        if self._loading:
            return
        columns = next(c for k, _t, c in TABLES if k == key)
        table = self.tables[key]
        entries = []
        for row in range(table.rowCount()):
            entry: dict[str, Any] = {}
            for col, (field, _label) in enumerate(columns):
                item = table.item(row, col)
                text = item.text().strip() if item is not None else ""
                if field in _LISTS:
                    codes = cells.codes(text)
                    if codes or field == "channels":
                        entry[field] = codes
                elif text:
                    entry[field] = text
            entries.append(entry)
        doc = copy.deepcopy(self.doc)
        doc[key] = entries
        if doc != self.doc:
            self.doc = doc
            self.edit_requested.emit(doc, self.tr("编辑坐标轴"))
