"""The steps of the flow being edited as a table model (a thin adapter over step dicts).

The model never changes the document itself: an edit, a move or a drop
becomes ``edit_requested`` with the new step list, which the editor turns into
an undoable command. So every change, whatever widget made it, is undoable.
Cells are written the way the workbook writes them (options ``label → next``
a line), through :mod:`flowdesk.workbook.cells`.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from flowdesk.ui.labels import step_type_name
from flowdesk.workbook import cells
from flowdesk.workbook.cells import CellError

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = (
    ("id", QT_TRANSLATE_NOOP("StepsModel", "步骤ID")),
    ("type", QT_TRANSLATE_NOOP("StepsModel", "类型")),
    ("text", QT_TRANSLATE_NOOP("StepsModel", "内容")),
    ("note", QT_TRANSLATE_NOOP("StepsModel", "提示")),
    ("required", QT_TRANSLATE_NOOP("StepsModel", "必做")),
    ("next", QT_TRANSLATE_NOOP("StepsModel", "下一步")),
    ("options", QT_TRANSLATE_NOOP("StepsModel", "选项（标签 → 下一步）")),
    ("target", QT_TRANSLATE_NOOP("StepsModel", "转至")),
    ("variable", QT_TRANSLATE_NOOP("StepsModel", "录入变量")),
)
KEYS = [key for key, _title in COLUMNS]
MIME = "application/x-flowdesk-step-row"
PROBLEM = QColor("#f8d7da")
UNREACHED = QColor("#fff3cd")


class StepsModel(QAbstractTableModel):
    """Rows: steps; columns: the step keys."""

    #: (new steps, description) — the editor pushes it as one undoable command.
    edit_requested = Signal(list, str)
    #: a cell could not be read: (row, key, message)
    cell_refused = Signal(int, str, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.steps: list[dict[str, Any]] = []
        self.problems: dict[int, list[str]] = {}
        self.unreached: set[str] = set()

    def set_steps(self, steps: list[dict[str, Any]]) -> None:
        """Show ``steps``; as many rows as before only changes cells, because a cell edit
        arrives here from inside its editor's commit, and a reset would delete that editor."""
        if len(steps) == len(self.steps):
            self.steps = copy.deepcopy(steps)
            self.set_marks(self.problems, self.unreached)  # every cell changed
            return
        self.beginResetModel()
        self.steps = copy.deepcopy(steps)
        self.endResetModel()

    def set_marks(self, problems: dict[int, list[str]], unreached: set[str]) -> None:
        self.problems, self.unreached = problems, unreached
        if self.steps:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.steps) - 1, len(KEYS) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.steps)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.tr(COLUMNS[section][1])
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        step, key = self.steps[index.row()], KEYS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key == "required":
                return None
            if key == "type" and role == Qt.ItemDataRole.DisplayRole:
                return step_type_name(str(step.get("type", "")))  # 判断, not decision
            return self.cell_text(step, key)
        if role == Qt.ItemDataRole.CheckStateRole and key == "required":
            return Qt.CheckState.Checked if step.get("required") else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            if index.row() in self.problems:
                return QBrush(PROBLEM)
            if step.get("id") in self.unreached:
                return QBrush(UNREACHED)
        if role == Qt.ItemDataRole.ToolTipRole:  # the problems, else the whole of a long cell
            if index.row() in self.problems:
                return "\n".join(self.problems[index.row()])
            return self.cell_text(step, key) if key != "required" else None
        return None

    @staticmethod
    def cell_text(step: dict[str, Any], key: str) -> str:
        if key == "options":
            return cells.write_options(step.get("options", [])) or ""
        value = step.get(key)
        return "" if value is None else str(value)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        base |= Qt.ItemFlag.ItemIsDragEnabled
        if KEYS[index.column()] == "required":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row, key = index.row(), KEYS[index.column()]
        steps = copy.deepcopy(self.steps)
        step = steps[row]
        if key == "required" and role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            if checked:
                step["required"] = True
            else:
                step.pop("required", None)
        elif role == Qt.ItemDataRole.EditRole:
            try:
                self._put(step, key, value)
            except CellError as exc:
                self.cell_refused.emit(row, key, str(exc))
                return False
        else:
            return False
        if steps == self.steps:
            return False
        self.edit_requested.emit(
            steps,
            self.tr("编辑步骤 %1 的 %2").replace("%1", str(step.get("id"))).replace("%2", key),
        )
        return True

    @staticmethod
    def _put(step: dict[str, Any], key: str, value: Any) -> None:
        text = "" if value is None else str(value)
        if key == "options":
            options = cells.options(text)
            if options:
                step["options"] = options
            else:
                step.pop("options", None)
            return
        if text.strip() or key in ("id", "type", "text"):
            step[key] = text.strip() if key not in ("text", "note") else text
        else:
            step.pop(key, None)
        keys = ("id", "type", "text", "note", "required", "variable", "next", "options", "target")
        ordered = {k: step[k] for k in keys if k in step}
        step.clear()
        step.update(ordered)

    # -- moving ------------------------------------------------------------

    def moved(self, row: int, to: int) -> list[dict[str, Any]] | None:
        """The steps with ``row`` moved to position ``to`` (None when nothing moves)."""
        if not (0 <= row < len(self.steps)) or not (0 <= to < len(self.steps)) or row == to:
            return None
        steps = copy.deepcopy(self.steps)
        steps.insert(to, steps.pop(row))
        return steps

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes})
        data.setData(MIME, QByteArray(str(rows[0] if rows else -1).encode()))
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        if not data.hasFormat(MIME):
            return False
        source = int(bytes(data.data(MIME).data()).decode() or -1)
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self.steps))
        if target > source:
            target -= 1
        steps = self.moved(source, min(target, len(self.steps) - 1))
        if steps is not None:
            self.edit_requested.emit(steps, self.tr("移动步骤"))
        return False  # the command resets the model; Qt must not remove the dragged row
