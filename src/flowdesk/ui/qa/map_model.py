"""The process map (业务 × 渠道) coloured by compliance or by use, for QA.

One cell is a business in a channel, all brands together (the agent's
screen shows one brand at a time; QA looks at the whole business). A cell
holds the runs of the touch points it covers and their compliance; grey where
the business is not offered in that channel, pale red where it is offered and
never used (a coverage gap).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from flowdesk.model import Pack
from flowdesk.reports import Report

NOT_OFFERED = QColor("#eef0f3")
NEVER_USED = QColor("#f8d7da")
RAW_ROLE = Qt.ItemDataRole.UserRole

_Index = QModelIndex | QPersistentModelIndex


def _shade(fraction: float) -> QColor:
    """Red (0 %) through amber to green (100 %)."""
    f = max(0.0, min(fraction, 1.0))
    if f < 0.5:
        return QColor(235, int(120 + 200 * f), 110)
    return QColor(int(235 - 250 * (f - 0.5)), 215, 120)


class ComplianceMapModel(QAbstractTableModel):
    """Businesses down the side, channels across; ``mode`` is ``compliance`` or ``use``."""

    def __init__(self, pack: Pack, parent=None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.mode = "compliance"
        self._offered: set[tuple[str, str]] = {
            (tp.business, tp.channel) for tp in pack.offered_touchpoints()
        }
        self._cells: dict[tuple[str, str], dict[str, float]] = {}
        self._most_runs = 1.0

    def set_reports(self, by_touchpoint: Report) -> None:
        """Fill the cells from a compliance report keyed by touch point code."""
        cells: dict[tuple[str, str], dict[str, float]] = defaultdict(
            lambda: {"runs": 0.0, "completed": 0.0, "compliant": 0.0}
        )
        for row in by_touchpoint.rows:
            code = row.get("key")
            if not isinstance(code, str) or code.count("-") != 2:
                continue
            channel, _brand, business = code.split("-")
            cell = cells[(business, channel)]
            cell["runs"] += float(row["runs"])  # type: ignore[arg-type]
            cell["completed"] += float(row["completed_runs"])  # type: ignore[arg-type]
            cell["compliant"] += float(row["compliant_runs"])  # type: ignore[arg-type]
        self.beginResetModel()
        self._cells = dict(cells)
        self._most_runs = max((c["runs"] for c in self._cells.values()), default=1.0) or 1.0
        self.endResetModel()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        if self.rowCount() and self.columnCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.pack.businesses)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.pack.channels)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.pack.channels):
            return self.pack.channels[section].name
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.pack.businesses):
            return self.pack.businesses[section].name
        return None

    def cell(self, row: int, column: int) -> dict[str, float] | None:
        """Runs and compliance of a cell; None where the business is not offered there."""
        key = (self.pack.businesses[row].code, self.pack.channels[column].code)
        if key not in self._offered:
            return None
        return self._cells.get(key, {"runs": 0.0, "completed": 0.0, "compliant": 0.0})

    def data(self, index: _Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        cell = self.cell(index.row(), index.column())
        rate = None
        if cell is not None and cell["completed"]:
            rate = cell["compliant"] / cell["completed"]
        if role == RAW_ROLE:
            return None if cell is None else (rate if self.mode == "compliance" else cell["runs"])
        if role == Qt.ItemDataRole.DisplayRole:
            if cell is None:
                return ""
            if self.mode == "use":
                return f"{int(cell['runs'])}"
            return "—" if rate is None else f"{rate * 100:.0f}%"
        if role == Qt.ItemDataRole.BackgroundRole:
            if cell is None:
                return QBrush(NOT_OFFERED)
            if not cell["runs"]:
                return QBrush(NEVER_USED)
            if self.mode == "use":
                return QBrush(_shade(cell["runs"] / self._most_runs))
            return QBrush(_shade(rate)) if rate is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and cell is not None:
            return self.tr("运行 {0}，完成 {1}，规范 {2}").format(
                int(cell["runs"]), int(cell["completed"]), int(cell["compliant"])
            )
        return None
