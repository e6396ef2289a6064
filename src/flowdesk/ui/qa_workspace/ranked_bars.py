"""A ranked bar chart readable at a site's size: the worst or best N, or all of them scrolling.

Hundreds of teams do not fit as vertical bars with labels under them. Here each
item is one row: its whole name on the left (never elided: the label column is
as wide as the widest name), its bar, and its value printed at the bar's end;
hovering a bar shows the name, the value, the previous period's and the runs.
The chart sits in a scroll area: "all" makes it as tall as it needs and the
scroll bar takes the rest. Bars under the benchmark (标杆值) are red.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from flowdesk.ui.qa_workspace.rows_model import change_text

GOOD = QColor("#3b7dd8")
BAD = QColor("#d9534f")
LINE = QColor("#f0a202")
ROW = 24
TOP = 6


@dataclass(frozen=True)
class RankedBar:
    label: str
    value: float | None  # a fraction
    previous: float | None = None
    runs: int | None = None


class BarRows(QWidget):
    """The painted rows; its height follows the number of bars shown."""

    clicked = Signal(str)  # the label of a bar clicked

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.bars: list[RankedBar] = []
        self.benchmark: float | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[RankedBar], benchmark: float | None) -> None:
        self.bars = bars
        self.benchmark = benchmark
        self.setFixedHeight(TOP * 2 + ROW * max(len(bars), 1))
        self.updateGeometry()
        self.update()

    def label_width(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(b.label) for b in self.bars), default=40) + 12

    def sizeHint(self) -> QSize:
        return QSize(self.label_width() + 300, TOP * 2 + ROW * max(len(self.bars), 1))

    def _plot(self) -> tuple[float, float]:
        left = float(self.label_width())
        return left, max(self.width() - left - 70.0, 40.0)

    def bar_at(self, point: QPoint) -> RankedBar | None:
        i = (point.y() - TOP) // ROW
        return self.bars[i] if 0 <= i < len(self.bars) else None

    def tooltip_of(self, bar: RankedBar) -> str:
        value = "—" if bar.value is None else f"{bar.value * 100:.1f}%"
        parts = [bar.label, self.tr("流程规范率 {0}").format(value)]
        if bar.previous is not None:
            parts.append(self.tr("上期 {0}").format(f"{bar.previous * 100:.1f}%"))
            if bar.value is not None:
                parts.append(change_text(bar.value - bar.previous))
        if bar.runs is not None:
            parts.append(self.tr("运行 {0}").format(bar.runs))
        return "\n".join(parts)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(event.position().toPoint())
        if bar is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), self.tooltip_of(bar), self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(event.position().toPoint())
        if bar is not None:
            self.clicked.emit(bar.label)

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, width = self._plot()
        text = QColor("#222222")
        for i, bar in enumerate(self.bars):
            y = TOP + i * ROW
            painter.setPen(QPen(text))
            painter.drawText(
                QRectF(0, y, left - 8, ROW),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                bar.label,
            )
            if bar.value is None:
                continue
            length = max(0.0, min(bar.value, 1.0)) * width
            low = self.benchmark is not None and bar.value < self.benchmark
            painter.fillRect(QRectF(left, y + 4, length, ROW - 8), BAD if low else GOOD)
            painter.drawText(
                QRectF(left + length + 4, y, 66, ROW),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                f"{bar.value * 100:.1f}%",
            )
        if self.benchmark is not None and self.bars:
            x = left + self.benchmark * width
            painter.setPen(QPen(LINE, 2, Qt.PenStyle.DashLine))
            painter.drawLine(int(x), TOP, int(x), self.height() - TOP)
        painter.end()


class RankedBars(QWidget):
    """A titled ranked chart with a "worst N / best N / all" choice over a scrolling body."""

    clicked = Signal(str)

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(f"<b>{title}</b>")
        self.show_which = QComboBox()
        self.show_which.addItem(self.tr("最差"), "worst")
        self.show_which.addItem(self.tr("最好"), "best")
        self.show_which.addItem(self.tr("全部"), "all")
        self.count = QSpinBox()
        self.count.setRange(1, 500)
        self.count.setValue(15)
        self.shown_of = QLabel()
        head = QHBoxLayout()
        for w in (self.title, self.show_which, self.count):
            head.addWidget(w)
        head.addStretch(1)
        head.addWidget(self.shown_of)
        self.rows = BarRows()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.rows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.scroll, 1)
        self._all: list[RankedBar] = []
        self._benchmark: float | None = None
        self.show_which.currentIndexChanged.connect(lambda _i: self._show())
        self.count.valueChanged.connect(lambda _v: self._show())
        self.rows.clicked.connect(self.clicked)

    def set_data(self, bars: list[RankedBar], benchmark: float | None = None) -> None:
        """All the bars, in any order: the chart ranks them (nothing to measure: last)."""
        self._all = sorted(bars, key=lambda b: (b.value is None, b.value or 0.0, b.label))
        self._benchmark = benchmark
        self._show()

    def shown(self) -> list[RankedBar]:
        which, n = self.show_which.currentData(), self.count.value()
        if which == "all":
            return list(self._all)
        measured = [b for b in self._all if b.value is not None]
        return measured[:n] if which == "worst" else list(reversed(measured[-n:]))

    def _show(self) -> None:
        bars = self.shown()
        self.count.setEnabled(self.show_which.currentData() != "all")
        self.rows.set_bars(bars, self._benchmark)
        self.shown_of.setText(self.tr("显示 {0} / {1}").format(len(bars), len(self._all)))
