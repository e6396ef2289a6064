"""The drill-down page: site → team → agent → flow → step → the runs that skipped it.

A breadcrumb says where QA stands and takes them back up; the table holds the
rows of the level (sortable, filtered by the search box) beside the previous
period. Enter or a double click goes one level down; at the last level the
runs that skipped the step are listed and the chosen one is drawn as the path
it took (:class:`~flowdesk.ui.qa.run_path.RunPathView`). The page asks; the
window answers off the UI thread and calls :meth:`show_level`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flowdesk.reports import Report
from flowdesk.reports.review_drill import LEVELS, Drill
from flowdesk.ui.qa.run_path import RunPathView
from flowdesk.ui.qa_workspace.rows_model import RowsFilter, RowsModel

LEVEL_NAMES = {"site": "全站", "team": "班组", "agent": "坐席", "flow": "流程", "step": "步骤"}
ROWS_OF = {
    "site": "班组",
    "team": "坐席",
    "agent": "流程",
    "flow": "步骤",
    "step": "跳过此步的运行",
}


FIT_ROWS = 200  # rows looked at when columns are sized to their content
#: Each level's rows as QA first sees them: the worst first (lowest compliance, most
#: skipped), the runs newest first (their own order).
FIRST_ORDER = {
    "site": ("compliance_rate", Qt.SortOrder.AscendingOrder),
    "team": ("compliance_rate", Qt.SortOrder.AscendingOrder),
    "agent": ("compliance_rate", Qt.SortOrder.AscendingOrder),
    "flow": ("skip_rate", Qt.SortOrder.DescendingOrder),
}
CRUMB_CHARS = 24  # a step's text in the breadcrumb, whole in its tooltip


def fit_columns(view: QTableView) -> None:
    """Columns as wide as their heading and the widest of the first rows: never cut."""
    view.resizeColumnsToContents()


def report_table(model: RowsModel, proxy: RowsFilter) -> QTableView:
    """A sortable table over ``proxy``; columns sized to their whole content, never cut."""
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    # Sized to content once per answer (fit_columns), from the first rows: sizing every
    # row on every layout costs seconds at a site's thousands of agents.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setResizeContentsPrecision(FIT_ROWS)
    header.setStretchLastSection(False)
    view.verticalHeader().setVisible(False)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the report's order until QA sorts
    return view


def sort_by(view: QTableView, columns: tuple[str, ...], name: str | None, order) -> None:  # type: ignore[no-untyped-def]
    """Sort ``view`` by the column called ``name`` (the report's order when it has none)."""
    view.sortByColumn(columns.index(name) if name in columns else -1, order)


class DrillPage(QWidget):
    """Breadcrumb, search box, the level's table and (for runs) the path of the chosen run."""

    drill_requested = Signal(object)  # a Drill to show

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.drill = Drill()
        self.names: dict[tuple[str, str], str] = {}  # ("flow" | "step", id): title or text
        self.crumbs = QHBoxLayout()
        self.crumbs.setSpacing(2)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("筛选：名称、工号、编码、拼音…"))
        self.search.setClearButtonEnabled(True)
        self.rows_label = QLabel()
        self.model = RowsModel()
        self.proxy = RowsFilter(self)
        self.table = report_table(self.model, self.proxy)
        self.path = RunPathView()
        self.path_title = QLabel()
        path_box = QWidget()
        path_layout = QVBoxLayout(path_box)
        path_layout.setContentsMargins(0, 0, 0, 0)
        path_layout.addWidget(self.path_title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.path)
        path_layout.addWidget(scroll, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.table)
        self.split.addWidget(path_box)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        path_box.setVisible(False)
        self.path_box = path_box
        top = QHBoxLayout()
        top.addLayout(self.crumbs)
        top.addStretch(1)
        top.addWidget(self.rows_label)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)
        self.search.textChanged.connect(self._filter)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_run(current)
        )
        self._crumbs(Drill())

    # -- the level shown ---------------------------------------------------------------

    def show_level(self, drill: Drill, report: Report) -> None:
        """Show ``report`` as the rows of ``drill``'s level."""
        self.drill = drill
        self.model.measured = "skip_rate" if drill.level == "flow" else "compliance_rate"
        self.model.set_report(report)
        self._learn_names(drill, report)
        column, order = FIRST_ORDER.get(drill.level, (None, Qt.SortOrder.AscendingOrder))
        sort_by(self.table, report.columns, column, order)
        self.path_box.setVisible(drill.level == "step")
        self.path.set_trace([])
        none = drill.level == "step" and not report.rows
        self.path_title.setText(self.tr("这一期没有跳过此步的运行") if none else "")
        self._crumbs(drill)
        self._filter(self.search.text())
        fit_columns(self.table)
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def _learn_names(self, drill: Drill, report: Report) -> None:
        """Flow titles and step texts met on the way down, for the breadcrumb."""
        if drill.level == "agent":
            for row in report.rows:
                if row.get("title"):
                    self.names[("flow", str(row["key"]))] = str(row["title"])
        elif drill.level == "flow" and drill.flow is not None:
            self.names[("flow", drill.flow)] = str(report.summary.get("title") or drill.flow)
            for row in report.rows:
                if row.get("step_text"):
                    self.names[("step", str(row["key"]))] = str(row["step_text"])

    def set_previous(self, before: Report) -> None:
        """Fill the shown rows' ``previous`` and ``change`` from the previous period's rows."""
        self.model.set_previous(before)

    def _crumbs(self, drill: Drill) -> None:
        while self.crumbs.count():
            item = self.crumbs.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # gone now, not at the next turn of the event loop
                item.widget().deleteLater()
        names = (None, drill.team, drill.agent, drill.flow, drill.step)
        for i, level in enumerate(LEVELS):
            if i > LEVELS.index(drill.level):
                break
            whole = self.tr(LEVEL_NAMES[level]) if i == 0 else f"{names[i]}"
            if level in ("flow", "step"):
                whole = self.names.get((level, str(names[i])), whole)
            text = whole if len(whole) <= CRUMB_CHARS else whole[: CRUMB_CHARS - 1] + "…"
            if i:
                self.crumbs.addWidget(QLabel("›"))
            button = QPushButton(text)
            button.setToolTip(f"{whole}\n{names[i]}" if i and whole != names[i] else whole)
            button.setFlat(True)
            button.setObjectName(f"crumb_{level}")
            button.clicked.connect(lambda _c=False, lv=level: self.go_up(lv))
            self.crumbs.addWidget(button)

    def go_up(self, level: str) -> None:
        """Back to ``level`` (the breadcrumb; Backspace)."""
        self.drill_requested.emit(self.drill.up_to(level))

    def go_back(self) -> None:
        level = self.drill.level
        if level != "site":
            self.go_up(LEVELS[LEVELS.index(level) - 1])

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.rows_label.setText(
            self.tr("{0}：{1} / {2}").format(
                self.tr(ROWS_OF[self.drill.level]), self.proxy.rowCount(), self.model.rowCount()
            )
        )

    # -- going down -------------------------------------------------------------------

    def row_at(self, index: QModelIndex) -> dict[str, object] | None:
        if not index.isValid():
            return None
        return self.model.row(self.proxy.mapToSource(index).row())

    def _activated(self, index: QModelIndex) -> None:
        row = self.row_at(index)
        if row is None or self.drill.level == "step" or row.get("key") is None:
            return
        self.drill_requested.emit(self.drill.into(str(row["key"])))

    def _show_run(self, index: QModelIndex) -> None:
        row = self.row_at(index)
        if self.drill.level != "step" or row is None:
            return
        self.path.set_trace(list(row.get("trace") or []))  # type: ignore[call-overload]
        self.path_title.setText(
            self.tr("运行 {0}：{1} {2}").format(row["key"], row["agent_id"], row["opened"])
        )

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Backspace and not self.search.hasFocus():
            self.go_back()
            return
        super().keyPressEvent(event)
