"""The period picker: a day, an ISO week, a month or custom dates, always against the one before."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QToolButton, QWidget

from flowdesk.reports.review_drill import Period

KINDS = (("day", "日"), ("week", "周"), ("month", "月"), ("custom", "自定义"))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodBar(QWidget):
    """Emits :attr:`changed` with the chosen :class:`Period`; ◀ ▶ step through periods."""

    changed = Signal(object)

    def __init__(self, period: Period, parent=None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        for code, label in KINDS:
            self.kind.addItem(self.tr(label), code)
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.back = QToolButton()
        self.back.setText("◀")
        self.back.setToolTip(self.tr("上一期"))
        self.forward = QToolButton()
        self.forward.setText("▶")
        self.forward.setToolTip(self.tr("下一期"))
        self.compared = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("周期")))
        for w in (self.kind, self.back, self.first, self.last, self.forward, self.compared):
            layout.addWidget(w)
        self.period = period
        self._set(period)
        self.kind.activated.connect(lambda _i: self._edited())
        self.first.editingFinished.connect(self._edited)
        self.last.editingFinished.connect(self._edited)
        self.back.clicked.connect(lambda: self.set_period(self.period.shifted(-1)))
        self.forward.clicked.connect(lambda: self.set_period(self.period.shifted(1)))

    def _set(self, period: Period) -> None:
        self.period = period
        self.kind.setCurrentIndex([k for k, _ in KINDS].index(period.kind))
        self.first.setDate(_qdate(period.first))
        self.last.setDate(_qdate(period.last))
        self.last.setVisible(period.kind == "custom")
        self.compared.setText(
            self.tr("本期 {0}，对比上期 {1}").format(period.label, period.previous().label)
        )

    def set_period(self, period: Period) -> None:
        """Show ``period`` and announce it."""
        self._set(period)
        self.changed.emit(period)

    def _edited(self) -> None:
        kind = self.kind.currentData()
        period = Period.around(kind, _day(self.first.date()), _day(self.last.date()))
        if period != self.period:
            self.set_period(period)
        else:
            self._set(period)
