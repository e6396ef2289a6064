"""The QA view (质检): compliance and use of flows, from trends down to single runs.

Tabs: an overview (weekly trend, teams against the benchmark 标杆值, worst
flows and steps), flows (pick a flow → its steps and runs → one run drawn as
the path it took), the process map coloured by compliance or use, teams and
agents, and search misses. Data comes from a :class:`UsageSnapshot` loaded off
the UI thread by the shared :class:`~flowdesk.ui.tasks.TaskRunner`; every view
after that is sliced from memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from flowdesk.model import Pack
from flowdesk.reports import LoggedRun, Report, UsageSnapshot
from flowdesk.reports.tables import write_report
from flowdesk.ui.errors import log_error, plain_message, report_error
from flowdesk.ui.qa.charts import Bar, BarChart
from flowdesk.ui.qa.map_model import ComplianceMapModel
from flowdesk.ui.qa.run_path import RunPathView
from flowdesk.ui.qa.table_model import ReportModel
from flowdesk.ui.tasks import TaskRunner

PERIODS = (("week", "按周"), ("day", "按日"), ("month", "按月"))
OUTCOMES = {"completed": "完成", "abandoned": "放弃", "open": "进行中"}


def _table(model) -> QTableView:  # type: ignore[no-untyped-def]
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.verticalHeader().setVisible(False)
    return view


class QaView(QWidget):
    """The QA window's content: give it a loader, a task runner and (for the map) a pack."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(
        self,
        load: Callable[[], UsageSnapshot],
        runner: TaskRunner,
        pack: Pack | None = None,
        benchmark: float = 0.9,
        parent=None,
        load_team: Callable[[str], UsageSnapshot] | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._load_team = load_team
        self._generation = 0  # a load whose generation is not current was cancelled
        self._runner = runner
        self.snapshot: UsageSnapshot | None = None
        self._runs: list[LoggedRun] = []

        self.refresh_button = QPushButton(self.tr("刷新"))
        self.period = QComboBox()
        for code, label in PERIODS:
            self.period.addItem(self.tr(label), code)
        self.benchmark = QDoubleSpinBox()
        self.benchmark.setRange(0, 100)
        self.benchmark.setSuffix(" %")
        self.benchmark.setValue(benchmark * 100)
        self.benchmark.setPrefix(self.tr("标杆值 "))
        self.export_button = QPushButton(self.tr("导出…"))
        self.team = QComboBox()
        self.team.addItem(self.tr("全部班组"), None)
        self.team.setVisible(load_team is not None)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the database does not say how far it is: a busy bar
        self.progress.setMaximumWidth(120)
        self.progress.setVisible(False)
        self.status = QLabel(self.tr("尚未加载"))
        bar = QHBoxLayout()
        for w in (
            self.refresh_button, self.period, self.team, self.benchmark, self.export_button,
            self.progress, self.cancel_button,
        ):  # fmt: skip
            bar.addWidget(w)
        bar.addWidget(self.status, 1)

        self.trend = BarChart(self.tr("流程规范率趋势"))
        self.teams = BarChart(self.tr("班组符合度（对比标杆值）"))
        self.worst_flows = ReportModel()
        self.worst_steps = ReportModel()
        overview = QWidget()
        grid = QVBoxLayout(overview)
        charts = QHBoxLayout()
        charts.addWidget(self.trend)
        charts.addWidget(self.teams)
        grid.addLayout(charts, 1)
        tables = QHBoxLayout()
        tables.addWidget(_table(self.worst_flows))
        tables.addWidget(_table(self.worst_steps))
        grid.addLayout(tables, 1)

        self.flows = ReportModel()
        self.flow_steps = ReportModel()
        self.flow_table = _table(self.flows)
        self.run_list = QListWidget()
        self.run_path = RunPathView()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.run_path)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(_table(self.flow_steps))
        right.addWidget(self.run_list)
        right.addWidget(scroll)
        flows = QSplitter(Qt.Orientation.Horizontal)
        flows.addWidget(self.flow_table)
        flows.addWidget(right)

        self.map_model = ComplianceMapModel(pack) if pack is not None else None
        self.map_mode = QComboBox()
        self.map_mode.addItem(self.tr("按流程规范率"), "compliance")
        self.map_mode.addItem(self.tr("按使用量"), "use")
        map_page = QWidget()
        map_layout = QVBoxLayout(map_page)
        map_layout.addWidget(self.map_mode)
        if self.map_model is not None:
            map_layout.addWidget(_table(self.map_model), 1)
        else:
            map_layout.addWidget(QLabel(self.tr("没有流程包：无法显示流程地图")), 1)

        self.team_model = ReportModel()
        self.agent_model = ReportModel()
        people = QSplitter(Qt.Orientation.Horizontal)
        people.addWidget(_table(self.team_model))
        people.addWidget(_table(self.agent_model))

        self.misses = ReportModel()

        self.tabs = QTabWidget()
        self.tabs.addTab(overview, self.tr("概览"))
        self.tabs.addTab(flows, self.tr("流程"))
        self.tabs.addTab(map_page, self.tr("流程地图"))
        self.tabs.addTab(people, self.tr("班组与坐席"))
        self.tabs.addTab(_table(self.misses), self.tr("搜索未命中"))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.cancel_button.clicked.connect(self.cancel)
        self.team.activated.connect(lambda _i: self.refresh())
        self.period.currentIndexChanged.connect(lambda _i: self._show())
        self.benchmark.valueChanged.connect(lambda _v: self._show())
        self.export_button.clicked.connect(self._ask_export)
        self.flow_table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self.select_flow(current.row())
        )
        self.run_list.currentRowChanged.connect(self.select_run)
        self.map_mode.currentIndexChanged.connect(
            lambda _i: self.map_model and self.map_model.set_mode(self.map_mode.currentData())
        )

    # -- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Query the window (the chosen team's) off the UI thread; tables fill when done."""
        self._generation += 1
        generation = self._generation
        team = self.team.currentData()
        load = self._load
        if team is not None and self._load_team is not None:
            load_team = self._load_team

            def load() -> UsageSnapshot:
                return load_team(team)

        self._busy(True)
        self.status.setText(self.tr("查询中…"))
        self._runner.run(
            load,
            on_done=lambda snap: self._loaded(generation, snap),
            on_error=lambda exc: self._load_failed(generation, exc),
        )

    def cancel(self) -> None:
        """Stop waiting for the query under way: its result, when it comes, is dropped."""
        self._generation += 1
        self._busy(False)
        self.status.setText(self.tr("已取消"))

    def _busy(self, busy: bool) -> None:
        self.refresh_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)

    def _loaded(self, generation: int, snapshot: UsageSnapshot) -> None:
        if generation == self._generation:
            self.set_snapshot(snapshot)

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._busy(False)
        log_error(exc, "QA load")
        message = plain_message(exc)
        self.status.setText(self.tr("加载失败：{0}").format(message))
        self.failed.emit(message)

    def set_snapshot(self, snapshot: UsageSnapshot) -> None:
        self.snapshot = snapshot
        self._busy(False)
        if self.team.currentData() is None:  # the teams to choose from: those of the whole window
            self.team.clear()
            self.team.addItem(self.tr("全部班组"), None)
            for row in snapshot.compliance("team").rows:
                if row["key"] is not None:
                    self.team.addItem(str(row["key"]), row["key"])
        self._show()
        self.loaded.emit()

    # -- showing ---------------------------------------------------------------------

    @property
    def benchmark_value(self) -> float:
        return self.benchmark.value() / 100

    def _show(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        period = self.period.currentData()
        total = snap.compliance()
        rate = total.summary["compliance_rate"]
        shown = "—" if rate is None else f"{float(rate) * 100:.1f}%"  # type: ignore[arg-type]
        self.status.setText(
            self.tr("运行 {0}，流程规范率 {1}").format(total.summary["runs"], shown)
        )
        trend = self._trend(snap, period)
        self.trend.set_data(trend, self.benchmark_value)
        teams = snap.conformance("team", self.benchmark_value)
        self.team_model.set_report(teams)
        self.teams.set_data(
            [Bar(str(r["key"]), r["compliance_rate"]) for r in teams.rows],  # type: ignore[arg-type]
            self.benchmark_value,
        )
        self.agent_model.set_report(snap.conformance("agent", self.benchmark_value))
        by_flow = total
        worst = sorted(
            by_flow.rows, key=lambda r: (r["compliance_rate"] is None, r["compliance_rate"] or 0.0)
        )
        self.worst_flows.set_report(Report("flows", by_flow.columns, worst[:10], {}))
        steps = snap.steps()
        worst_steps = sorted(steps.rows, key=lambda r: -(r["skip_rate"] or 0.0))  # type: ignore[operator]
        self.worst_steps.set_report(Report("steps", steps.columns, worst_steps[:10], {}))
        self.flows.set_report(Report("compliance", by_flow.columns, worst, by_flow.summary))
        if self.map_model is not None:
            self.map_model.set_reports(snap.compliance("touchpoint"))
        self.misses.set_report(snap.search_misses())

    def _trend(self, snap: UsageSnapshot, period: str) -> list[Bar]:
        """Compliance rate of the last twelve periods (all runs of each period together)."""
        return [Bar(label, value) for label, value in snap.trend(period)]

    def select_flow(self, row: int) -> None:
        """Show one flow's steps and runs (newest first)."""
        snap = self.snapshot
        self.run_list.clear()
        self.run_path.set_trace([])
        if snap is None or self.flows.report is None or not 0 <= row < len(self.flows.report.rows):
            self.flow_steps.set_report(None)
            return
        flow_id = str(self.flows.row(row)["key"])
        self.flow_steps.set_report(snap.steps(flow_id))
        self._runs = snap.runs_of(flow_id)
        for run in self._runs:
            verdict = snap.compliant(run)
            mark = {True: "✓", False: "✗", None: "·"}[verdict]
            label = f"{mark} {run.agent_id} {run.team or ''} {OUTCOMES.get(run.outcome, '')} "
            item = QListWidgetItem(label + run.run_id[:8])
            self.run_list.addItem(item)

    def select_run(self, row: int) -> None:
        """Draw one run as the path it took."""
        if self.snapshot is None or not 0 <= row < len(self._runs):
            self.run_path.set_trace([])
            return
        self.run_path.set_trace(self.snapshot.trace(self._runs[row]))

    # -- export ----------------------------------------------------------------------

    def current_report(self) -> Report | None:
        """The report behind the visible tab (what 导出 writes)."""
        shown = getattr(self.tabs.currentWidget(), "shown_report", None)
        if callable(shown):  # a tab added to the view (the rollout tabs) gives its own
            return shown()
        index = self.tabs.currentIndex()
        snap = self.snapshot
        if snap is None:
            return None
        if index == 0:
            return snap.compliance("flow", self.period.currentData())
        if index == 1:
            return self.flow_steps.report or self.flows.report
        if index == 2:
            return snap.coverage()
        if index == 3:
            return self.team_model.report
        return self.misses.report

    def export_current(self, path: Path) -> bool:
        """Write the visible report to ``path``; a failure is told, never raised (a slot).

        A folder not writable, a full disk or a file open in Excel must not end
        in a traceback: the QA lead reads a plain sentence and may choose again.
        """
        report = self.current_report()
        if report is None:
            return False
        try:
            write_report(report, path)
        except Exception as exc:  # every failure goes the one error path
            self.status.setText(self.tr("导出失败：{0}").format(plain_message(exc)))
            report_error(exc, self)
            return False
        return True

    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出报表"), "report.xlsx", self.tr("Excel (*.xlsx);;CSV (*.csv)")
        )
        if name:
            self.export_current(Path(name))
