"""The overview page: the period's headline figures against the previous period, the trend,
and every team and flow ranked (worst or best N, or all of them scrolling)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from flowdesk.reports import Report
from flowdesk.reports.review_drill import with_previous
from flowdesk.ui.qa.charts import Bar, BarChart
from flowdesk.ui.qa_workspace.ranked_bars import RankedBar, RankedBars
from flowdesk.ui.qa_workspace.rows_model import BETTER, WORSE, change_text

#: (measure, title, a rate, which way is better: +1 up, −1 down, 0 neither)
FIGURES = (
    ("runs", "运行数", False, 0),
    ("completed_runs", "完成", False, 0),
    ("compliance_rate", "流程规范率", True, 1),
    ("abandoned_runs", "放弃", False, -1),
    ("abandon_rate", "放弃率", True, -1),
)


def ranked(report: Report, label: str = "key") -> list[RankedBar]:
    """One bar per row of a report with ``previous`` beside ``compliance_rate``."""
    return [
        RankedBar(
            str(row.get(label) or row.get("key") or "—"),
            row.get("compliance_rate"),  # type: ignore[arg-type]
            row.get("previous"),  # type: ignore[arg-type]
            row.get("runs"),  # type: ignore[arg-type]
        )
        for row in report.rows
    ]


class FigureCard(QFrame):
    """One headline figure, its value, and the change from the previous period."""

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.change = QLabel("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.change)

    def set_figure(
        self, value: object, previous: object, change: object, rate: bool, better: int = 0
    ) -> None:
        def shown(v: object) -> str:
            if not isinstance(v, int | float):
                return "—"
            return f"{v * 100:.1f}%" if rate else f"{v:,}"

        self.value.setText(shown(value))
        before = self.tr("上期 {0}").format(shown(previous))
        moved = change_text(change, rate)
        self.change.setText(f"{moved}   {before}")
        colour = "#555555"
        if better and isinstance(change, int | float) and not moved.startswith("="):
            colour = BETTER.name() if (change > 0) == (better > 0) else WORSE.name()
        self.change.setStyleSheet(f"color: {colour};")


class OverviewPage(QWidget):
    """Figures on top; the trend and the teams; the flows ranked at the bottom."""

    team_clicked = Signal(str)
    flow_clicked = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.cards: dict[str, FigureCard] = {}
        cards = QHBoxLayout()
        for key, title, _rate, _better in FIGURES:
            card = self.cards[key] = FigureCard(self.tr(title))
            cards.addWidget(card)
        self.trend = BarChart(self.tr("流程规范率趋势（按日）"))
        self.teams = RankedBars(self.tr("班组流程规范率（对比标杆值）"))
        self.flows = RankedBars(self.tr("流程的流程规范率"))
        grid = QGridLayout()
        grid.addWidget(self.trend, 0, 0)
        grid.addWidget(self.teams, 0, 1, 2, 1)
        grid.addWidget(self.flows, 1, 0)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(0, 2)
        grid.setRowStretch(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(cards)
        layout.addLayout(grid, 1)
        self._flow_ids: dict[str, str] = {}
        self.summary: dict[str, Report] | None = None  # the last shown
        self.flow_rates: Report | None = None  # the flows last shown
        self.teams.clicked.connect(self.team_clicked)
        self.flows.clicked.connect(
            lambda title: self.flow_clicked.emit(self._flow_ids.get(title, title))
        )

    def set_summary(self, summary: dict[str, Report], benchmark: float) -> None:
        """The figures and the teams (the first answer; again with the previous period)."""
        self.summary = summary
        figures = {row["key"]: row for row in summary["figures"].rows}
        for key, _title, rate, better in FIGURES:
            row = figures[key]
            self.cards[key].set_figure(row["value"], row["previous"], row["change"], rate, better)
        self.teams.set_data(ranked(summary["teams"]), benchmark)

    def set_details(self, details: dict[str, Report], benchmark: float) -> None:
        """The trend and the flows ranked (the second answer)."""
        self._set_trend(details["trend"], benchmark)
        flows = self.flow_rates = details["flows"]
        self._flow_ids = {str(r.get("title") or r["key"]): str(r["key"]) for r in flows.rows}
        self.flows.set_data(ranked(flows, "title"), benchmark)

    def set_flows_before(self, before: Report, benchmark: float) -> None:
        """The previous period beside the flows shown (the third answer)."""
        if self.flow_rates is not None:
            self.flows.set_data(ranked(with_previous(self.flow_rates, before), "title"), benchmark)

    def _set_trend(self, trend: Report, benchmark: float) -> None:
        self.trend.set_data(
            [Bar(str(r["period"])[5:], r["compliance_rate"]) for r in trend.rows],  # type: ignore[arg-type]
            benchmark,
        )
        self.trend.setToolTip(
            "\n".join(
                f"{r['period']}  {r['compliance_rate'] * 100:.1f}%  ({r['runs']})"  # type: ignore[operator]
                for r in trend.rows
                if r["compliance_rate"] is not None
            )
        )
