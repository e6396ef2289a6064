"""A report's rows for the workspace's tables: the change shown as ↑↓, sorted by value.

:class:`RowsModel` is the QA view's :class:`~flowdesk.ui.qa.table_model.ReportModel`
with the comparison columns drawn for people (``↑ 2.1%``, green when better)
and every cell's full text as its tooltip. :class:`RowsFilter` sorts by the
raw value (numbers as numbers, empty cells last) and keeps the rows whose any
cell holds the search text, Chinese, pinyin or code alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from flowdesk.reports import Report
from flowdesk.reports.review import rate_change
from flowdesk.ui.qa.table_model import RAW_ROLE, ReportModel, format_value

BETTER = QColor("#1e7b34")
WORSE = QColor("#b02a37")
#: Columns where a rise is bad news (a skip or abandon rate going up).
RISING_IS_WORSE = ("skip_rate", "abandon_rate", "miss_rate")
OUTCOMES = {"completed": "完成", "abandoned": "放弃", "open": "进行中"}
_Index = QModelIndex | QPersistentModelIndex


def change_text(value: object, percent: bool = True) -> str:
    """``↑ 2.1%`` / ``↓ 0.4%`` / ``= 0.0%``; ``—`` where there was nothing to compare."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    arrow = "↑" if value > 0 else "↓" if value < 0 else "="
    if not percent:
        return f"{arrow} {abs(value):g}"
    # A change too small for one decimal is shown with two, never as "↓ 0.0%".
    digits = 1 if round(abs(value) * 100, 1) or not value else 2
    shown = f"{abs(value) * 100:.{digits}f}%"
    return "= 0.0%" if shown.strip("0.%") == "" else f"{arrow} {shown}"


class RowsModel(ReportModel):
    """A report with ``previous`` and ``change`` columns; ``measured`` names what they compare."""

    measured = "compliance_rate"
    #: How the key column is shown (a flow class's name for its code), when not as is.
    key_label: Callable[[str], str] | None = None

    def data(self, index: _Index, role: int = 0) -> Any:
        report = self.report
        if not index.isValid() or report is None:
            return None
        column = report.columns[index.column()]
        value = report.rows[index.row()].get(column)
        percent = self.measured.endswith("rate")
        if role == Qt.ItemDataRole.DisplayRole and column == "change":
            return change_text(value, percent)
        if role == Qt.ItemDataRole.DisplayRole and column == "key" and self.key_label:
            return self.key_label(str(value))
        if role == Qt.ItemDataRole.DisplayRole and column == "outcome":
            return self.tr(OUTCOMES.get(str(value), str(value)))
        if role == Qt.ItemDataRole.DisplayRole and column == "compliant":
            return {True: "✓", False: "✗"}.get(value, "—")  # type: ignore[call-overload]
        if role == Qt.ItemDataRole.DisplayRole and isinstance(value, bool):  # required, below
            return self.tr("是") if value else ""
        if role == Qt.ItemDataRole.DisplayRole and column == "previous":
            return format_value(value, self.measured)
        if role == Qt.ItemDataRole.ForegroundRole and column == "change":
            if isinstance(value, float) and value:
                good = (value < 0) if self.measured in RISING_IS_WORSE else (value > 0)
                return QBrush(BETTER if good else WORSE)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return super().data(index, role)

    def set_previous(self, before: Report) -> None:
        """Fill ``previous`` and ``change`` in place (no reset: selection and scroll stay)."""
        report = self.report
        if report is None or "change" not in report.columns:
            return
        earlier = {row["key"]: row.get(self.measured) for row in before.rows}
        for row in report.rows:
            row["previous"] = earlier.get(row["key"])
            row["change"] = rate_change(row.get(self.measured), row["previous"])
        first = report.columns.index("previous")
        if report.rows:
            last = self.index(len(report.rows) - 1, report.columns.index("change"))
            self.dataChanged.emit(self.index(0, first), last)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        report = self.report
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and report is not None
            and 0 <= section < len(report.columns)
            and report.columns[section] in ("previous", "change")
        ):
            return self.tr("上期") if report.columns[section] == "previous" else self.tr("变化")
        return super().headerData(section, orientation, role)


class RowsFilter(QSortFilterProxyModel):
    """Sorts by raw values (None last) and filters on every column's text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(RAW_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a, b = left.data(RAW_ROLE), right.data(RAW_ROLE)
        if a is None and b is None:
            return False
        if a is None or b is None:
            # Empty cells sort after every value whichever way the column is sorted.
            empty_last = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return (b is None and a is not None) == empty_last
        if isinstance(a, int | float) and isinstance(b, int | float):
            return a < b
        return str(a) < str(b)

    def source_row(self, row: int) -> int:
        """The source model's row of the visible row ``row``."""
        return self.mapToSource(self.index(row, 0)).row()
