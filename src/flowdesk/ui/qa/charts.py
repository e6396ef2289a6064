"""Small painted charts for the QA view (PySide6-Essentials has no QtCharts).

A :class:`BarChart` draws labelled bars of fractions (0–100 %), with an
optional benchmark line (标杆值); bars below the benchmark are red. It paints
from plain data set on it, so tests check the data and the paint runs offscreen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GOOD = QColor("#3b7dd8")
BAD = QColor("#d9534f")
LINE = QColor("#f0a202")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # a fraction; None where there is nothing to measure


class BarChart(QWidget):
    """Vertical bars of fractions with their labels, a title and a benchmark line."""

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[Bar] = []
        self.benchmark: float | None = None
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, bars: list[Bar], benchmark: float | None = None) -> None:
        self.bars = list(bars)
        self.benchmark = benchmark
        self.update()

    def below(self) -> list[str]:
        """Labels of the bars under the benchmark (what the chart paints red)."""
        if self.benchmark is None:
            return []
        return [b.label for b in self.bars if b.value is not None and b.value < self.benchmark]

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        top, bottom, left, right = 24.0, 34.0, 40.0, 10.0
        painter.drawText(QRectF(0, 0, w, top), Qt.AlignmentFlag.AlignCenter, self.title)
        plot = QRectF(left, top, max(w - left - right, 1.0), max(h - top - bottom, 1.0))
        painter.setPen(QPen(QColor("#999999")))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        for frac in (0.0, 0.5, 1.0):
            y = plot.bottom() - frac * plot.height()
            painter.drawText(
                QRectF(0, y - 8, left - 4, 16),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"{frac:.0%}",
            )
        if self.bars:
            slot = plot.width() / len(self.bars)
            metrics = painter.fontMetrics()
            widest = max(metrics.horizontalAdvance(b.label) for b in self.bars) + 6
            # Too many bars for every label: label every n-th, each with n slots of room,
            # elided on the left so the distinguishing end stays ("…W45", "…A0117").
            every = max(1, math.ceil(widest / slot))
            for i, bar in enumerate(self.bars):
                x = plot.left() + i * slot
                if bar.value is not None:
                    height = max(0.0, min(bar.value, 1.0)) * plot.height()
                    low = self.benchmark is not None and bar.value < self.benchmark
                    painter.fillRect(
                        QRectF(x + slot * 0.15, plot.bottom() - height, slot * 0.7, height),
                        BAD if low else GOOD,
                    )
                if i % every:
                    continue
                room = slot * every
                painter.setPen(QPen(QColor("#333333")))
                painter.drawText(
                    QRectF(x + slot / 2 - room / 2, plot.bottom() + 2, room, bottom - 4),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    metrics.elidedText(bar.label, Qt.TextElideMode.ElideLeft, int(room) - 2),
                )
        if self.benchmark is not None:
            y = plot.bottom() - self.benchmark * plot.height()
            painter.setPen(QPen(LINE, 2, Qt.PenStyle.DashLine))
            painter.drawLine(plot.left(), y, plot.right(), y)
        painter.end()
