"""Editors of the steps table's cells: the step type as a combo box, options as lines."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QStyledItemDelegate

from flowdesk.model import STEP_TYPES
from flowdesk.ui.labels import step_type_name


class TypeDelegate(QStyledItemDelegate):
    """The step type column edited with a combo box (code and Chinese name)."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        for kind in STEP_TYPES:
            combo.addItem(f"{step_type_name(kind)} {kind}", kind)
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class LinesDelegate(QStyledItemDelegate):
    """Options edited in a box of several lines: Enter starts a new option, Tab commits."""

    def createEditor(self, parent, option, index):
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        return editor

    def setEditorData(self, editor, index):
        editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index):
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index):
        rect = option.rect
        rect.setHeight(max(rect.height(), 96))
        editor.setGeometry(rect)
