"""One flow run drawn as the path it took: the flow's steps, coloured by what the run did.

Done in order (green), done out of order (amber), skipped on the path (red,
bold when required), done although off the path (violet), not on the path
(grey). Built from :func:`flowdesk.reports.run_trace`. A step's text that does
not fit its box ends in "…" at the box's edge (never cut mid-character at a fixed
count), and hovering the box shows the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from flowdesk.reports.snapshot import DONE, EXTRA, OFF_PATH, OUT_OF_ORDER, SKIPPED, StepMark

COLOURS = {
    DONE: QColor("#d1e7dd"),
    OUT_OF_ORDER: QColor("#fff3cd"),
    SKIPPED: QColor("#f8d7da"),
    EXTRA: QColor("#e2d9f3"),
    OFF_PATH: QColor("#eef0f3"),
}
STATE_NAMES = {
    DONE: "已完成",
    OUT_OF_ORDER: "顺序不对",
    SKIPPED: "跳过",
    EXTRA: "路径外完成",
    OFF_PATH: "未经过",
}
ROW = 34.0


class RunPathView(QWidget):
    """A vertical chain of step boxes; path steps are joined by arrows."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.marks: list[StepMark] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_trace(self, marks: list[StepMark]) -> None:
        self.marks = list(marks)
        self.setMinimumHeight(int(ROW * max(len(self.marks), 1) + 10))
        self.update()

    def describe(self) -> list[str]:
        """The chain as text lines (accessibility, tests): ``greet 已完成 12s``."""
        lines = []
        for m in self.marks:
            took = f" {m.seconds:.0f}s" if m.seconds is not None else ""
            need = " *" if m.required else ""
            lines.append(f"{m.step_id}{need} {self.tr(STATE_NAMES[m.state])}{took}")
        return lines

    def _box(self, i: int) -> QRectF:
        return QRectF(10, 5 + i * ROW, max(self.width() - 20.0, 50.0), ROW - 8)

    def _font(self, mark: StepMark) -> QFont:
        font = QFont(self.font())
        font.setBold(mark.required and mark.state == SKIPPED)
        return font

    def labels(self) -> list[str]:
        """What each box shows: the step and its whole text, elided with "…" to the box."""
        shown = []
        for i, (m, text) in enumerate(zip(self.marks, self.describe(), strict=True)):
            room = int(self._box(i).width()) - 12
            metrics = QFontMetrics(self._font(m))
            shown.append(metrics.elidedText(f"{text}  {m.text}", Qt.TextElideMode.ElideRight, room))
        return shown

    def tip_at(self, pos: QPoint) -> str:
        """The hovered step's whole text (with its state), or "" off the boxes."""
        for i, (m, text) in enumerate(zip(self.marks, self.describe(), strict=True)):
            if self._box(i).contains(pos.toPointF()):
                return f"{text}\n{m.text}"
        return ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        previous_on_path = None
        for i, (m, label) in enumerate(zip(self.marks, self.labels(), strict=True)):
            box = self._box(i)
            painter.fillRect(box, COLOURS[m.state])
            painter.setFont(self._font(m))
            painter.setPen(QPen(QColor("#333333")))
            painter.drawText(
                box.adjusted(6, 0, -6, 0),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            if m.on_path and previous_on_path is not None:
                painter.drawLine(18, int(previous_on_path.bottom()), 18, int(box.top()))
            if m.on_path:
                previous_on_path = box
        painter.end()
