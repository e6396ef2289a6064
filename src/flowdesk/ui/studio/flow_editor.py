"""The flow editor: a form for the flow's fields, its steps as a table, its graph beside.

The editor shows one flow document and never changes it in place: each edit
is sent as ``edit_requested(new document, description, merge key)`` and comes
back through :meth:`FlowEditor.show_document` once the undo stack applied it.
List fields are typed the way the workbook writes them (one item a line).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flowdesk.model import ELEMENT_KEYS, ELEMENT_NAMES_ZH, FLOW_CLASSES, Flow
from flowdesk.problems import Problem
from flowdesk.ui.labels import class_name
from flowdesk.ui.studio.graph import FlowGraph
from flowdesk.ui.studio.step_delegates import LinesDelegate, TypeDelegate
from flowdesk.ui.studio.steps_model import KEYS, StepsModel
from flowdesk.workbook import cells
from flowdesk.workbook.cells import CellError

STEP_PATH = re.compile(r"^steps\[(\d+)\](?:\.(\w+))?")
LIST_FIELDS = ("touchpoints", "keywords", "variables")
#: the six elements' names (the core's Chinese ones, here so lupdate finds them)
ELEMENT_LABELS = {
    "input": QT_TRANSLATE_NOOP("FlowEditor", "输入资源"),
    "activities": QT_TRANSLATE_NOOP("FlowEditor", "活动"),
    "relations": QT_TRANSLATE_NOOP("FlowEditor", "活动关系"),
    "output": QT_TRANSLATE_NOOP("FlowEditor", "输出结果"),
    "customer": QT_TRANSLATE_NOOP("FlowEditor", "客户"),
    "value": QT_TRANSLATE_NOOP("FlowEditor", "价值"),
}


class FlowEditor(QWidget):
    """Form, steps and graph of one flow file."""

    edit_requested = Signal(dict, str, object)
    message = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("flowEditor")
        self.name: str | None = None
        self.doc: dict[str, Any] = {}
        self._loading = False
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # fields get the width
        self.heading = QLabel()
        self.heading.setObjectName("flowTitle")
        for key, label in (
            ("id", QT_TRANSLATE_NOOP("FlowEditor", "流程ID(&I)")),
            ("title", QT_TRANSLATE_NOOP("FlowEditor", "名称(&T)")),
        ):
            self._line(form, key, label)
        klass = QComboBox()
        for code in FLOW_CLASSES:
            klass.addItem(f"{class_name(code)} {code}", code)
        klass.currentIndexChanged.connect(lambda _i: self._field_changed("class"))
        self._add(form, "class", self.tr("类别(&C)"), klass)
        self._line(form, "business", QT_TRANSLATE_NOOP("FlowEditor", "业务(&B)"))
        self._text(
            form,
            "touchpoints",
            QT_TRANSLATE_NOOP("FlowEditor", "接触点（每行：渠道 或 渠道: 品牌, …）"),
            2,
        )
        self._text(form, "keywords", QT_TRANSLATE_NOOP("FlowEditor", "关键词（每行一个）"), 2)
        self._text(form, "summary", QT_TRANSLATE_NOOP("FlowEditor", "摘要"), 2)
        for key in ELEMENT_KEYS:
            self._line(form, f"elements.{key}", ELEMENT_LABELS.get(key, ELEMENT_NAMES_ZH[key]))
        self._line(form, "owner", QT_TRANSLATE_NOOP("FlowEditor", "责任部门(&O)"))
        self._text(
            form,
            "variables",
            QT_TRANSLATE_NOOP("FlowEditor", "变量（每行：{name: x, label: 标签}）"),
            3,
        )
        form_box = QWidget()
        form_box.setLayout(form)

        self.model = StepsModel(self)
        self.model.edit_requested.connect(self._steps_changed)
        self.model.cell_refused.connect(lambda r, k, m: self.message.emit(f"{r + 1} {k}: {m}"))
        self.table = QTableView()
        self.table.setObjectName("stepsTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(KEYS.index("type"), TypeDelegate(self.table))
        self.table.setItemDelegateForColumn(KEYS.index("options"), LinesDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setDefaultSectionSize(84)
        header.setSectionResizeMode(KEYS.index("text"), QHeaderView.ResizeMode.Stretch)
        header.resizeSection(KEYS.index("options"), 150)
        header.resizeSection(KEYS.index("required"), 64)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.selectionModel().currentChanged.connect(self._row_selected)
        self.graph = FlowGraph()
        self.graph.step_selected.connect(self.select_step)

        buttons = QHBoxLayout()
        for text, slot, keys in (
            (
                QT_TRANSLATE_NOOP("FlowEditor", "添加步骤"),
                lambda: self.add_step("script"),
                "Ctrl+Return",
            ),
            (
                QT_TRANSLATE_NOOP("FlowEditor", "添加判断"),
                lambda: self.add_step("decision"),
                "Ctrl+Shift+D",
            ),
            (QT_TRANSLATE_NOOP("FlowEditor", "删除步骤"), self.delete_step, "Ctrl+Delete"),
            (QT_TRANSLATE_NOOP("FlowEditor", "上移"), lambda: self.move_step(-1), "Alt+Up"),
            (QT_TRANSLATE_NOOP("FlowEditor", "下移"), lambda: self.move_step(1), "Alt+Down"),
        ):
            button = QPushButton(self.tr(text))
            button.setToolTip(keys)  # the shortcut; the row stays narrow beside the graph
            button.clicked.connect(slot)
            buttons.addWidget(button)
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        buttons.addStretch(1)
        steps_box = QWidget()
        steps_layout = QVBoxLayout(steps_box)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        steps_layout.addLayout(buttons)
        steps_layout.addWidget(self.table)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_box)
        scroll.setMinimumWidth(300)
        work = QSplitter(Qt.Orientation.Horizontal)
        work.addWidget(steps_box)
        work.addWidget(self.graph)
        work.setSizes([640, 380])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(scroll)
        main.addWidget(work)
        main.setSizes([400, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(main, 1)  # the heading keeps its height; the work gets the rest

    # -- building the form -------------------------------------------------

    def _add(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        widget.setObjectName(f"field_{key.replace('.', '_')}")
        caption = QLabel(label)
        caption.setBuddy(widget)
        form.addRow(caption, widget)
        self.fields[key] = widget

    def _line(self, form: QFormLayout, key: str, label: str) -> None:
        edit = QLineEdit()
        edit.textEdited.connect(lambda _t, k=key: self._field_changed(k))
        self._add(form, key, self.tr(label), edit)

    def _text(self, form: QFormLayout, key: str, label: str, rows: int) -> None:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(20 * rows + 12)
        edit.textChanged.connect(lambda k=key: self._field_changed(k))
        self._add(form, key, self.tr(label), edit)

    # -- showing -----------------------------------------------------------

    def show_document(
        self, name: str | None, doc: dict[str, Any] | None, flow: Flow | None
    ) -> None:
        """Show ``doc`` (the file ``name``); ``flow`` is how it reads, for the graph."""
        same = name == self.name
        row = self.table.currentIndex().row() if same else 0
        column = max(0, self.table.currentIndex().column()) if same else 0
        self.name, self.doc = name, copy.deepcopy(doc or {})
        self._loading = True
        self.heading.setText(f"{self.doc.get('title', '')}  ·  {name or ''}")
        for key, widget in self.fields.items():
            value = self._field_text(key)
            if isinstance(widget, QLineEdit) and widget.text() != value:
                widget.setText(value)
            elif isinstance(widget, QPlainTextEdit) and widget.toPlainText() != value:
                widget.setPlainText(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
        self.model.set_steps(self.doc.get("steps", []))
        self._loading = False
        self.graph.show_flow(flow)
        if self.model.rowCount():
            row = min(max(row, 0), self.model.rowCount() - 1)
            self.table.setCurrentIndex(self.model.index(row, column))

    def _field_text(self, key: str) -> str:
        if key.startswith("elements."):
            return self.doc.get("elements", {}).get(key.split(".", 1)[1], "")
        value = self.doc.get(key)
        if key == "touchpoints":
            return cells.write_touchpoints(value or []) or ""
        if key == "keywords":
            return cells.write_lines(value or []) or ""
        if key == "variables":
            return cells.write_mappings(value or []) or ""
        return "" if value is None else str(value)

    def set_problems(self, problems: list[Problem], unreached: set[str]) -> None:
        """Mark step rows and fields that have a problem (a tooltip says which)."""
        rows: dict[int, list[str]] = {}
        fields: dict[str, list[str]] = {}
        for p in problems:
            match = STEP_PATH.match(p.key)
            if match:
                rows.setdefault(int(match.group(1)), []).append(p.message)
            elif p.key:
                fields.setdefault(p.key.split("[")[0], []).append(p.message)
        self.model.set_marks(rows, unreached)
        for key, widget in self.fields.items():
            messages = fields.get(key, [])
            widget.setProperty("problem", bool(messages))
            widget.setToolTip("\n".join(messages))
            widget.setStyleSheet("border: 2px solid #b42318;" if messages else "")

    # -- editing -----------------------------------------------------------

    def _field_changed(self, key: str) -> None:
        if self._loading or self.name is None:
            return
        widget = self.fields[key]
        doc = copy.deepcopy(self.doc)
        try:
            self._put(doc, key, widget)
        except CellError as exc:
            self.message.emit(f"{key}: {exc}")
            return
        if doc != self.doc:
            self.doc = doc
            self.edit_requested.emit(
                doc, self.tr("编辑 %1").replace("%1", key), f"{self.name}:{key}"
            )

    @staticmethod
    def _put(doc: dict[str, Any], key: str, widget: QWidget) -> None:
        if isinstance(widget, QComboBox):
            doc[key] = widget.currentData()
            return
        text = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
        if key.startswith("elements."):
            elements = dict(doc.get("elements", {}))
            part = key.split(".", 1)[1]
            if text.strip():
                elements[part] = text
            else:
                elements.pop(part, None)
            ordered = {k: elements[k] for k in ELEMENT_KEYS if k in elements}
            _set(doc, "elements", ordered or None)
            return
        value: Any
        if key == "touchpoints":
            value = cells.touchpoints(text) or None
        elif key == "keywords":
            value = cells.lines(text) or None
        elif key == "variables":
            value = cells.mappings(text, "variable") or None
        else:
            value = text if text.strip() or key in ("id", "title") else None
        _set(doc, key, value)

    def _steps_changed(self, steps: list, text: str) -> None:
        doc = copy.deepcopy(self.doc)
        doc["steps"] = steps
        self.doc = doc
        self.edit_requested.emit(doc, text, None)

    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def add_step(self, kind: str) -> None:
        steps = copy.deepcopy(self.model.steps)
        ids = {s.get("id") for s in steps}
        number = len(steps) + 1
        while f"s{number}" in ids:
            number += 1
        step: dict[str, Any] = {"id": f"s{number}", "type": kind, "text": self.tr("新步骤")}
        if kind == "decision":
            step["text"] = self.tr("请选择：")
            others = [s.get("id") for s in steps if s.get("id")]
            step["options"] = [
                {"label": self.tr("是"), "next": others[-1] if others else step["id"]},
                {"label": self.tr("否"), "next": others[-1] if others else step["id"]},
            ]
        at = self.current_row() + 1 if self.current_row() >= 0 else len(steps)
        steps.insert(at, step)
        self._steps_changed(steps, self.tr("添加步骤"))
        self.table.setCurrentIndex(self.model.index(at, KEYS.index("text")))

    def delete_step(self) -> None:
        row = self.current_row()
        if 0 <= row < len(self.model.steps) and len(self.model.steps) > 1:
            steps = copy.deepcopy(self.model.steps)
            del steps[row]
            self._steps_changed(steps, self.tr("删除步骤"))

    def move_step(self, delta: int) -> None:
        row, column = self.current_row(), max(0, self.table.currentIndex().column())
        steps = self.model.moved(row, row + delta)
        if steps is not None:
            self._steps_changed(steps, self.tr("移动步骤"))
            self.table.setCurrentIndex(self.model.index(row + delta, column))

    # -- selection and jumping ----------------------------------------------

    def _row_selected(self, current, _previous) -> None:
        if current.isValid() and current.row() < len(self.model.steps):
            self.graph.select_step(self.model.steps[current.row()].get("id"))

    def select_step(self, step_id: str) -> None:
        for row, step in enumerate(self.model.steps):
            if step.get("id") == step_id:
                index = self.model.index(row, max(0, self.table.currentIndex().column()))
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                return

    def focus_key(self, key: str) -> None:
        """Put the cursor where a problem's key path points (a field or a step cell)."""
        match = STEP_PATH.match(key)
        if match:
            row = int(match.group(1))
            column = KEYS.index(match.group(2)) if match.group(2) in KEYS else 0
            if row < self.model.rowCount():
                self.table.setFocus()
                self.table.setCurrentIndex(self.model.index(row, column))
            return
        widget = self.fields.get(key.split("[")[0]) or self.fields.get(key)
        if widget is not None:
            widget.setFocus()


def _set(doc: dict[str, Any], key: str, value: Any) -> None:
    """Set a key keeping the contract's key order; None removes it."""
    order = (
        "id",
        "title",
        "class",
        "business",
        "touchpoints",
        "keywords",
        "summary",
        "elements",
        "owner",
        "variables",
        "steps",
    )
    if value is None:
        doc.pop(key, None)
        return
    doc[key] = value
    ordered = {k: doc[k] for k in order if k in doc}
    ordered.update({k: v for k, v in doc.items() if k not in ordered})
    doc.clear()
    doc.update(ordered)
