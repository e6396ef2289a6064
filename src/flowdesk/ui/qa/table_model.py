"""A report as a Qt table model: a thin adapter over :class:`flowdesk.reports.Report`.

Rates stay fractions in the data (``Qt.UserRole`` gives the raw value, so
sorting is numeric) and are shown as percentages; rows flagged ``below`` the
benchmark (标杆值) are tinted.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from flowdesk.reports import Report
from flowdesk.reports.headings import COLUMN_HEADINGS

RAW_ROLE = Qt.ItemDataRole.UserRole
BELOW = QColor("#f8d7da")

#: Column headings in Chinese; unknown columns show their key.
HEADINGS = COLUMN_HEADINGS
#: The translation context every heading is marked under (ui/qa_workspace/words.py),
#: so the agent window's QA tab and the QA workspace head a column alike in English.
HEADINGS_CONTEXT = "RowsModel"


def heading(column: str) -> str:
    """A report column's heading in the window's language."""
    return QCoreApplication.translate(HEADINGS_CONTEXT, HEADINGS.get(column, column))


def format_value(value: Any, column: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, float) and (column.endswith("rate") or column in ("gap", "benchmark")):
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


class ReportModel(QAbstractTableModel):
    """Rows of one report; ``set_report`` swaps them all at once."""

    def __init__(self, report: Report | None = None, parent=None) -> None:
        super().__init__(parent)
        self._report = report

    @property
    def report(self) -> Report | None:
        return self._report

    def set_report(self, report: Report | None) -> None:
        self.beginResetModel()
        self._report = report
        self.endResetModel()

    def row(self, index: int) -> dict[str, object]:
        assert self._report is not None
        return self._report.rows[index]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._report is None:
            return 0
        return len(self._report.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._report is None:
            return 0
        return len(self._report.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            role != Qt.ItemDataRole.DisplayRole
            or orientation != Qt.Orientation.Horizontal
            or self._report is None
            or not 0 <= section < len(self._report.columns)
        ):
            return None
        return heading(self._report.columns[section])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or self._report is None:
            return None
        row = self._report.rows[index.row()]
        column = self._report.columns[index.column()]
        value = row.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(value, column)
        if role == RAW_ROLE:
            return value
        if role == Qt.ItemDataRole.BackgroundRole and row.get("below"):
            return QBrush(BELOW)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
