"""The QA workspace (质检工作台): a full-size window for the monthly review.

It composes the period picker and the pages: the overview (figures against the
previous period, the trend, teams and flows ranked), the drill-down from the
site to one run's path, tables by team, agent, flow, class or touch point, the
process map coloured by compliance or use (a click drills into the cell's
flow), and search misses with the keywords they suggest. Every question goes
off the UI thread through :class:`~flowdesk.ui.qa_workspace.asking.Asker`.
The layout (size, splitters, page, period kind, grouping) is remembered in
the data folder's ``qa-workspace.ini``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from flowdesk.model import Pack
from flowdesk.reports import Report
from flowdesk.reports.review_drill import Drill, Period, QaQueries, summary_of
from flowdesk.ui.qa.map_model import ComplianceMapModel
from flowdesk.ui.qa_workspace.asking import Asker
from flowdesk.ui.qa_workspace.drill_page import DrillPage
from flowdesk.ui.qa_workspace.overview import OverviewPage
from flowdesk.ui.qa_workspace.period_bar import PeriodBar
from flowdesk.ui.qa_workspace.table_page import TablePage
from flowdesk.ui.tasks import TaskRunner


class QaWorkspace(QMainWindow):
    """The workspace over one usage store; ``open_queries`` runs on the worker first."""

    ready = Signal()  # the store is open and the summary (figures, teams) is shown
    shown = Signal(str)  # a page's answer is on screen: "overview", "level", "table", "misses"

    def __init__(
        self,
        open_queries: Callable[[], QaQueries],
        runner: TaskRunner,
        *,
        period: Period | None = None,
        benchmark: float = 0.9,
        store_name: str = "",
        layout_file: Path | None = None,
        export_review: Callable[[QaWorkspace], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("qaWorkspace")
        title = self.tr("FlowDesk 质检工作台")  # and the usage store it reads, when named
        self.setWindowTitle(title + (f" — {store_name}" if store_name else ""))
        self.runner = runner
        self.queries: QaQueries | None = None
        self.pack: Pack | None = None
        self.layout_file = layout_file
        self.period_bar = PeriodBar(period or Period.around("month", date.today()))
        self.benchmark = QDoubleSpinBox()
        self.benchmark.setRange(0, 100)
        self.benchmark.setSuffix(" %")
        self.benchmark.setPrefix(self.tr("标杆值 "))
        self.benchmark.setValue(benchmark * 100)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.export_button = QPushButton(self.tr("导出月度回顾…"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the database does not say how far it is
        self.progress.setMaximumWidth(140)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.status = QLabel(self.tr("正在打开…"))
        bar = QHBoxLayout()
        bar.addWidget(self.period_bar)
        for w in (self.benchmark, self.refresh_button, self.export_button, self.progress):
            bar.addWidget(w)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.status, 1)
        self.asker = Asker(runner, self.progress, self.cancel_button, self.status, self)

        self.overview = OverviewPage()
        self.drill = DrillPage()
        self.tables = TablePage()
        self.map_mode = QComboBox()
        self.map_mode.addItem(self.tr("按流程规范率"), "compliance")
        self.map_mode.addItem(self.tr("按使用量"), "use")
        self.map_page = QWidget()
        self.map_layout = QVBoxLayout(self.map_page)
        self.map_layout.addWidget(self.map_mode)
        self.map_mode.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.map_model: ComplianceMapModel | None = None
        self.misses = TablePage()
        self.misses.grouping.setVisible(False)
        self.proposals = TablePage()
        self.proposals.grouping.setVisible(False)
        misses = QWidget()
        misses_layout = QHBoxLayout(misses)
        misses_layout.addWidget(self.misses, 3)
        misses_layout.addWidget(self.proposals, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, self.tr("概览"))
        self.tabs.addTab(self.drill, self.tr("逐级钻取"))
        self.tabs.addTab(self.tables, self.tr("报表"))
        self.tabs.addTab(self.map_page, self.tr("流程地图"))
        self.tabs.addTab(misses, self.tr("搜索未命中"))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.resize(1600, 900)
        self._restore_layout()

        self.period_bar.changed.connect(lambda _p: self.refresh())
        self.benchmark.valueChanged.connect(lambda _v: self._ask_overview())
        self.refresh_button.clicked.connect(self.ask_again)
        self.drill.drill_requested.connect(self.show_drill)
        self._stale: set[int] = set()  # pages whose answer is of another period
        self.tabs.currentChanged.connect(self._page_shown)
        self.tables.grouping.currentIndexChanged.connect(lambda _i: self._ask_table())
        self.tables.team.activated.connect(lambda _i: self._ask_table())
        self.overview.team_clicked.connect(lambda team: self.show_drill(Drill(team=team), True))
        self.overview.flow_clicked.connect(lambda flow: self.show_drill(Drill(flow=flow), True))
        if export_review is not None:
            self.export_button.clicked.connect(lambda: export_review(self))
        else:
            self.export_button.setVisible(False)
        for n in range(5):
            QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self, lambda i=n: self.tabs.setCurrentIndex(i))
        QShortcut(QKeySequence("F5"), self, self.ask_again)
        QShortcut(QKeySequence("Ctrl+F"), self, self._focus_search)

        self.asker.ask("open", open_queries, self._opened)

    # -- answers --------------------------------------------------------------------

    @property
    def period(self) -> Period:
        return self.period_bar.period

    @property
    def benchmark_value(self) -> float:
        return self.benchmark.value() / 100

    def _opened(self, queries: QaQueries) -> None:
        self.queries, self.pack = queries, queries.pack
        if self.pack is not None:
            self.map_model = ComplianceMapModel(self.pack, self)
            self.map_view = QTableView()
            self.map_view.setModel(self.map_model)
            self.map_view.clicked.connect(self._map_clicked)
            self.map_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            self.map_layout.addWidget(self.map_view, 1)
            self.map_mode.currentIndexChanged.connect(
                lambda _i: self.map_model and self.map_model.set_mode(self.map_mode.currentData())
            )
        self.refresh()

    def refresh(self) -> None:
        """Ask the visible page's question again for the chosen period; the others when shown.

        One worker answers in turn, so a page nobody looks at must not hold up
        the one QA is looking at (search misses read every search of the month).
        """
        if self.queries is None:
            return
        self._stale = {0, 1, 2, 3, 4}
        self._ask_overview()
        self._stale.discard(0)
        self._page_shown(self.tabs.currentIndex())

    def ask_again(self) -> None:
        """F5, 刷新: count everything afresh (the store may have grown since)."""
        if self.queries is not None:
            queries = self.queries
            self.asker.ask("forget", queries.forget, lambda _none: None)  # on the worker, in turn
        self.refresh()

    def _page_shown(self, index: int) -> None:
        if self.queries is None or index not in self._stale:
            return
        self._stale.discard(index)
        if index == 1:
            self.show_drill(self.drill.drill)
        elif index in (2, 3):
            self._stale -= {2, 3}
            self._ask_table()
        elif index == 4:
            self._ask_misses()

    def _ask_overview(self) -> None:  # the figures on top of every page
        queries, period = self.queries, self.period
        if queries is None:
            return
        trend_by = "week" if (period.last - period.first).days > 62 else "day"

        def details(overview: dict[str, Report]) -> None:
            self.overview.set_details(overview, self.benchmark_value)
            self.shown.emit("overview")

        def flows_compared(before: Report) -> None:
            if period == self.period:
                self.overview.set_flows_before(before, self.benchmark_value)
                self.shown.emit("flows compared")

        def shown(summary: dict[str, Report]) -> None:
            self.overview.set_summary(summary, self.benchmark_value)
            self.tables.set_teams([str(r["key"]) for r in summary["teams"].rows if r["key"]])
            figures = {r["key"]: r for r in summary["figures"].rows}
            rate = figures["compliance_rate"]["value"]
            text = "—" if rate is None else f"{float(rate) * 100:.1f}%"  # type: ignore[arg-type]
            self.asker.idle_text = self.tr("{0}：运行 {1}，流程规范率 {2}").format(
                period.label, figures["runs"]["value"], text
            )
            self.status.setText(self.asker.idle_text)
            self.ready.emit()

        def compared(before: Report) -> None:
            if self.overview.summary is not None and period == self.period:
                summary = summary_of(self.overview.summary["this"], before)
                self.overview.set_summary(summary, self.benchmark_value)
                self.shown.emit("summary compared")

        # This period's figures first, the previous period's beside them when in.
        self.asker.ask("summary", lambda: queries.summary(period, compare=False), shown)
        self.asker.ask("summary_before", lambda: queries.teams_before(period), compared)
        self.asker.ask("details", lambda: queries.details(period, trend_by, False), details)
        self.asker.ask("flows_before", lambda: queries.flows_before(period), flows_compared)

    def show_drill(self, drill: Drill, switch: bool = False) -> None:
        """Ask for the rows of ``drill``'s level; ``switch``: bring the drill page forward."""
        queries, period = self.queries, self.period
        if queries is None:
            return
        self._stale.discard(1)
        if switch:
            self.tabs.setCurrentWidget(self.drill)

        def shown(report: Report) -> None:
            self.drill.show_level(drill, report)
            self.drill.table.setFocus()
            self.shown.emit("level")

        def compared(before: Report | None) -> None:
            if before is not None and self.drill.drill == drill:
                self.drill.set_previous(before)
                self.shown.emit("compared")

        # The rows first, the previous period's beside them as soon as it is in.
        self.asker.ask("level", lambda: queries.level(drill, period, compare=False), shown)
        if drill.level != "step":  # the runs of a step have nothing to compare
            self.asker.ask("compared", lambda: queries.level_before(drill, period), compared)

    def _ask_table(self) -> None:
        queries, period = self.queries, self.period
        if queries is None:
            return
        by = self.tables.grouping.currentData()
        where = self.tables.where()

        def shown(report: Report) -> None:
            self.tables.set_report(report)
            if by == "touchpoint" and self.map_model is not None:
                self.map_model.set_reports(report)
            self.shown.emit("table")

        self.asker.ask("table", lambda: queries.grouped(by, period, where), shown)
        if by != "touchpoint" and self.map_model is not None:
            self.asker.ask(
                "map",
                lambda: queries.grouped("touchpoint", period, where, compare=False),
                self.map_model.set_reports,
            )

    def _ask_misses(self) -> None:
        queries, period = self.queries, self.period
        if queries is None:
            return

        def shown(found: tuple[Report, Report]) -> None:
            self.misses.set_report(found[0])
            self.proposals.set_report(found[1])
            self.shown.emit("misses")

        self.asker.ask("misses", lambda: queries.misses(period), shown)

    def _map_clicked(self, index: QModelIndex) -> None:
        """A cell of the map: the flow serving it, drilled into (all teams)."""
        if self.pack is None or not index.isValid():
            return
        business = self.pack.businesses[index.row()].code
        channel = self.pack.channels[index.column()].code
        for flow in self.pack.flows:
            if any(tp.business == business and tp.channel == channel for tp in flow.touchpoints):
                self.show_drill(Drill(flow=flow.id), switch=True)
                return
        self.status.setText(self.tr("此格没有流程"))

    def _focus_search(self) -> None:
        page = self.tabs.currentWidget()
        box = getattr(page, "search", None)
        if isinstance(box, QLineEdit):
            box.setFocus()
            box.selectAll()

    # -- layout ---------------------------------------------------------------------

    def _settings(self) -> QSettings | None:
        if self.layout_file is None:
            return None
        return QSettings(str(self.layout_file), QSettings.Format.IniFormat)

    def _restore_layout(self) -> None:
        settings = self._settings()
        if settings is None:
            return
        for key, restore in (
            ("geometry", self.restoreGeometry),
            ("state", self.restoreState),
            ("drill_split", self.drill.split.restoreState),
        ):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        self.tabs.setCurrentIndex(int(settings.value("tab", 0)))  # type: ignore[call-overload]
        grouping = self.tables.grouping.findData(settings.value("grouping", "team"))
        self.tables.grouping.setCurrentIndex(max(grouping, 0))
        kind = settings.value("period_kind")
        if isinstance(kind, str) and kind in ("day", "week", "month"):
            self.period_bar.set_period(Period.around(kind, self.period.first))

    def save_layout(self) -> None:
        settings = self._settings()
        if settings is None:
            return
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("state", self.saveState())
        settings.setValue("drill_split", self.drill.split.saveState())
        settings.setValue("tab", self.tabs.currentIndex())
        settings.setValue("grouping", self.tables.grouping.currentData())
        settings.setValue("period_kind", self.period.kind)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.asker.cancel()
        super().closeEvent(event)
