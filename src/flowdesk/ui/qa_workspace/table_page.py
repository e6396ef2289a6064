"""The tables page: compliance by team, agent, flow, class or touch point, of one team or all.

Each row stands beside the previous period; the search box narrows the rows as
QA types (names, agent ids, codes, pinyin), any column sorts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from flowdesk.reports import Report
from flowdesk.ui.labels import class_name
from flowdesk.ui.qa_workspace.drill_page import fit_columns, report_table, sort_by
from flowdesk.ui.qa_workspace.rows_model import RowsFilter, RowsModel
from flowdesk.usage.rows import ALL_EVENTS, EventFilter

GROUPINGS = (
    ("team", "按班组"),
    ("agent", "按坐席"),
    ("flow", "按流程"),
    ("class", "按流程类别"),
    ("touchpoint", "按接触点"),
)


class TablePage(QWidget):
    """A grouping, a team (or all), a search box and one sortable table."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.grouping = QComboBox()
        for code, label in GROUPINGS:
            self.grouping.addItem(self.tr(label), code)
        self.team = QComboBox()
        self.team.addItem(self.tr("全部班组"), None)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("筛选…"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.model = RowsModel()
        self.proxy = RowsFilter(self)
        self.table = report_table(self.model, self.proxy)
        top = QHBoxLayout()
        top.addWidget(self.grouping)
        top.addWidget(self.team)
        top.addWidget(self.count)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(self._filter)

    def set_report(self, report: Report | None) -> None:
        """Show ``report``, sorted as QA last sorted (by the column's name: another grouping
        has other columns), at first the worst first."""
        header, before = self.table.horizontalHeader(), self.model.report
        section, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if before is None:
            name, order = "compliance_rate", Qt.SortOrder.AscendingOrder
        else:
            name = before.columns[section] if 0 <= section < len(before.columns) else None
        self.model.key_label = class_name if self.grouping.currentData() == "class" else None
        self.model.set_report(report)
        sort_by(self.table, report.columns if report is not None else (), name, order)
        self._filter(self.search.text())
        fit_columns(self.table)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.count.setText(f"{self.proxy.rowCount()} / {self.model.rowCount()}")

    def set_teams(self, teams: list[str]) -> None:
        """The teams to choose from (those of the period), keeping the one chosen."""
        chosen = self.team.currentData()
        self.team.clear()
        self.team.addItem(self.tr("全部班组"), None)
        for name in sorted(teams):
            self.team.addItem(name, name)
        self.team.setCurrentIndex(max(self.team.findData(chosen), 0))

    def where(self) -> EventFilter:
        team = self.team.currentData()
        return EventFilter(teams=(team,)) if team else ALL_EVENTS
