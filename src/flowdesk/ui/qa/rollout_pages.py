"""The QA view's rollout tabs: where every desk stands, and who confirmed the must-read changes.

Both read the site's central store when this desk names one (``flowdesk usage
central``), else this desk's own log (where QA imports the desks' logs). The
desks that are not current, and the agents who have not confirmed or ran a
changed flow first, come first and are tinted, so a team lead sees them at a
glance; the line above the table counts them per team.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flowdesk.reports.compliance import Report
from flowdesk.reports.desks import STATUS_ZH
from flowdesk.ui.errors import log_error, plain_message
from flowdesk.ui.qa.table_model import ReportModel
from flowdesk.ui.tasks import TaskRunner

#: Times shown as the desk reads them (local, to the minute); exported as recorded.
_TIMES = ("last_contact", "pending_effective", "confirmed_at")


def _short(value: object) -> object:
    """``2026-12-01T08:05:03.120+08:00`` as ``12-01 08:05`` in this desk's zone."""
    try:
        return _dt.datetime.fromisoformat(str(value)).astimezone().strftime("%m-%d %H:%M")
    except ValueError:
        return value


_ACK_ZH = {"confirmed": "已确认", "ran_first": "未确认先运行", "unconfirmed": "未确认"}


class RolloutPage(QWidget):
    """A report as a table with a team filter; rows needing attention first and tinted."""

    loaded = Signal()

    def __init__(
        self,
        load: Callable[[], Report],
        runner: TaskRunner,
        attention: Callable[[dict[str, Any]], bool],
        labels: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._load, self._runner = load, runner
        self._attention, self._labels = attention, labels
        self.report: Report | None = None
        self._shown: Report | None = None
        self.model = ReportModel()
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.team = QComboBox()
        self.team.addItem(self.tr("全部班组"), None)
        self.summary = QLabel(self.tr("尚未加载"))
        self.summary.setObjectName("rolloutSummary")
        bar = QHBoxLayout()
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.team)
        bar.addWidget(self.summary, 1)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.team.currentIndexChanged.connect(lambda _i: self._show())

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.summary.setText(self.tr("加载中…"))
        self._runner.run(self._load, self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        log_error(exc, "rollout report")
        self.summary.setText(self.tr("加载失败：{0}").format(plain_message(exc)))

    def _loaded(self, report: Report) -> None:
        self.report = report
        self.refresh_button.setEnabled(True)
        chosen = self.team.currentData()
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItem(self.tr("全部班组"), None)
        for name in sorted({str(r.get("team") or "-") for r in report.rows}):
            self.team.addItem(name, name)
        self.team.setCurrentIndex(max(self.team.findData(chosen), 0))
        self.team.blockSignals(False)
        self._show()
        self.loaded.emit()

    def _show(self) -> None:
        if self.report is None:
            return
        team = self.team.currentData()
        rows = [
            {**r, "below": self._attention(r), "status": self._labels.get(str(r["status"]))}
            for r in self.report.rows
            if team is None or str(r.get("team") or "-") == team
        ]
        rows.sort(key=lambda r: not r["below"])
        per_team: dict[str, list[int]] = {}
        for r in rows:
            counts = per_team.setdefault(str(r.get("team") or "-"), [0, 0])
            counts[0] += not r["below"]
            counts[1] += 1
        need = sum(r["below"] for r in rows)
        summary: dict[str, object] = dict(self.report.summary) if team is None else {"team": team}
        summary.update(
            attention=need, per_team={t: f"{ok}/{n}" for t, (ok, n) in sorted(per_team.items())}
        )
        self._shown = Report(self.report.name, self.report.columns, rows, summary)
        shown = [{**r, **{c: _short(r.get(c)) for c in _TIMES if r.get(c)}} for r in rows]
        self.model.set_report(Report(self.report.name, self.report.columns, shown, summary))
        parts = [f"{t} {ok}/{n}" for t, (ok, n) in sorted(per_team.items())]
        self.summary.setText(self.tr("需关注 {0} 项 · ").format(need) + "  ".join(parts))

    def shown_report(self) -> Report | None:
        """What the table shows (the chosen team, needing attention first): what 导出 writes."""
        return self._shown if self.report is not None else None


def desk_status_page(load: Callable[[], Report], runner: TaskRunner) -> RolloutPage:
    """终端状态: every desk's versions and last contact; behind, not ready, silent first."""
    return RolloutPage(load, runner, lambda r: not r["current"], STATUS_ZH)


def acknowledgement_page(load: Callable[[], Report], runner: TaskRunner) -> RolloutPage:
    """必读确认: who confirmed which must-read change; unconfirmed and ran-first first."""
    return RolloutPage(load, runner, lambda r: r["status"] != "confirmed", _ACK_ZH)
