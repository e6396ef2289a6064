"""The problems list: the validator's errors and warnings as a list model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from flowdesk.problems import Problem

PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR = QColor("#b42318")
WARNING = QColor("#9a6700")
_Index = QModelIndex | QPersistentModelIndex


class ProblemsModel(QAbstractListModel):
    """One row per problem, errors first; ``PROBLEM_ROLE`` gives the :class:`Problem`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] = []

    def set_problems(self, problems: list[Problem]) -> None:
        if problems == self.problems:
            return
        self.beginResetModel()
        self.problems = list(problems)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.problems)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.problems):
            return None
        problem = self.problems[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "✖" if problem.severity == "error" else "⚠"
            return f"{mark} {problem}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(ERROR if problem.severity == "error" else WARNING)
        if role == PROBLEM_ROLE:
            return problem
        return None

    def counts(self) -> tuple[int, int]:
        errors = sum(1 for p in self.problems if p.severity == "error")
        return errors, len(self.problems) - errors
