"""The graph of the flow being edited: steps as boxes, ``next`` and options as arrows.

Laid out in layers from the first step (a step sits one layer below the
deepest step that leads to it along the first path found), so a decision's
options fan out side by side beneath it. Steps no path reaches are drawn in
a row of their own at the bottom with a red dashed border. Selecting a box
emits ``step_selected``; :meth:`FlowGraph.select_step` is the reverse.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

from flowdesk.model import Flow
from flowdesk.ui.flow_view import STEP_COLORS
from flowdesk.ui.labels import step_type_name

BOX_W, BOX_H, GAP_X, GAP_Y = 170.0, 54.0, 36.0, 56.0
UNREACHED_PEN = QPen(QColor("#c62828"), 2, Qt.PenStyle.DashLine)


def layers(flow: Flow) -> tuple[list[list[str]], list[str]]:
    """Step ids by layer from the first step, and the steps no path reaches."""
    if not flow.steps:
        return [], []
    ids = {s.id for s in flow.steps}
    depth: dict[str, int] = {flow.steps[0].id: 0}
    order = [flow.steps[0].id]
    for step_id in order:  # breadth first; ``order`` grows while it is walked
        for nxt in flow.successors(step_id):
            if nxt in ids and nxt not in depth:
                depth[nxt] = depth[step_id] + 1
                order.append(nxt)
    found: list[list[str]] = []
    for step_id in order:
        while len(found) <= depth[step_id]:
            found.append([])
        found[depth[step_id]].append(step_id)
    unreached = [s.id for s in flow.steps if s.id not in depth]
    return found, unreached


class StepBox(QGraphicsRectItem):
    def __init__(self, step_id: str, label: str, kind: str, reached: bool) -> None:
        super().__init__(0, 0, BOX_W, BOX_H)
        self.step_id = step_id
        color = QColor(STEP_COLORS.get(kind, "#57606a"))
        self.setBrush(QBrush(color.lighter(185)))
        self.setPen(UNREACHED_PEN if not reached else QPen(color, 1.5))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setToolTip(label)
        text = QGraphicsSimpleTextItem(_elide(f"{step_id} · {label}", 22), self)
        text.setPos(8, 8)
        name = step_type_name(kind)
        unreachable = QCoreApplication.translate("FlowGraph", "不可达")
        sub = QGraphicsSimpleTextItem(name if reached else f"{name} · {unreachable}", self)
        sub.setBrush(QBrush(QColor("#c62828") if not reached else color.darker(130)))
        sub.setPos(8, 30)


def _elide(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class FlowGraph(QGraphicsView):
    """A read-only picture of the flow; boxes are selectable."""

    step_selected = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("flowGraph")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.boxes: dict[str, StepBox] = {}
        self.unreached: list[str] = []
        self._quiet = False
        self.scene().selectionChanged.connect(self._selection_changed)

    def show_flow(self, flow: Flow | None) -> None:
        self._quiet = True
        scene = self.scene()
        scene.clear()
        self.boxes = {}
        self.unreached = []
        if flow is None:
            self._quiet = False
            return
        found, self.unreached = layers(flow)
        widest = max([len(layer) for layer in found] + [len(self.unreached), 1])
        rows = [*found, self.unreached] if self.unreached else found
        for y, layer in enumerate(rows):
            offset = (widest - len(layer)) * (BOX_W + GAP_X) / 2
            for x, step_id in enumerate(layer):
                step = flow.step(step_id)
                box = StepBox(step_id, step.text, step.type, layer is not self.unreached)
                box.setPos(offset + x * (BOX_W + GAP_X), y * (BOX_H + GAP_Y))
                scene.addItem(box)
                self.boxes[step_id] = box
        for step in flow.steps:
            labels = {o.next: o.label for o in step.options} if step.type == "decision" else {}
            for nxt in flow.successors(step.id):
                if nxt in self.boxes and step.id in self.boxes:
                    self._edge(self.boxes[step.id], self.boxes[nxt], labels.get(nxt))
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.fit_width()
        self._quiet = False

    def fit_width(self) -> None:
        """Scale so the widest layer fits (not below half size, so text stays readable)."""
        width = self.scene().sceneRect().width()
        room = max(1, self.viewport().width() - 8)
        factor = max(0.5, min(1.0, room / width)) if width else 1.0
        self.resetTransform()
        self.scale(factor, factor)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_width()

    def _edge(self, start: StepBox, end: StepBox, label: str | None) -> None:
        a = start.sceneBoundingRect()
        b = end.sceneBoundingRect()
        p1 = QPointF(a.center().x(), a.bottom())
        p2 = QPointF(b.center().x(), b.top())
        path = QPainterPath(p1)
        if p2.y() > p1.y():
            mid = (p1.y() + p2.y()) / 2
            path.cubicTo(QPointF(p1.x(), mid), QPointF(p2.x(), mid), p2)
        else:  # a loop back up: go round the right side
            right = max(a.right(), b.right()) + GAP_X / 2
            p1, p2 = QPointF(a.right(), a.center().y()), QPointF(b.right(), b.center().y())
            path = QPainterPath(p1)
            path.cubicTo(QPointF(right, p1.y()), QPointF(right, p2.y()), p2)
        item = QGraphicsPathItem(path)
        item.setPen(QPen(QColor("#6e7781"), 1.4))
        item.setZValue(-1)
        self.scene().addItem(item)
        angle = math.atan2(
            p2.y() - path.pointAtPercent(0.95).y(), p2.x() - path.pointAtPercent(0.95).x()
        )
        head = QPolygonF(
            [
                p2,
                p2 - QPointF(math.cos(angle - 0.4) * 9, math.sin(angle - 0.4) * 9),
                p2 - QPointF(math.cos(angle + 0.4) * 9, math.sin(angle + 0.4) * 9),
            ]
        )
        arrow = self.scene().addPolygon(head, QPen(QColor("#6e7781")), QBrush(QColor("#6e7781")))
        arrow.setZValue(-1)
        if label:
            text = self.scene().addSimpleText(_elide(label, 10))
            point = path.pointAtPercent(0.5)
            text.setPos(point + QPointF(4, -8))
            text.setBrush(QBrush(QColor("#bf3989")))

    def select_step(self, step_id: str | None) -> None:
        self._quiet = True
        self.scene().clearSelection()
        box = self.boxes.get(step_id or "")
        if box is not None:
            box.setSelected(True)
            self.ensureVisible(box)
        self._quiet = False

    def _selection_changed(self) -> None:
        if self._quiet:
            return
        for item in self.scene().selectedItems():
            if isinstance(item, StepBox):
                self.step_selected.emit(item.step_id)
                return

    def box_rect(self, step_id: str) -> QRectF:
        return self.boxes[step_id].sceneBoundingRect()

    def describe(self) -> dict[str, Any]:
        """What is drawn, for tests: box positions and the unreachable steps."""
        return {
            "boxes": {k: (b.pos().x(), b.pos().y()) for k, b in self.boxes.items()},
            "unreached": list(self.unreached),
        }
