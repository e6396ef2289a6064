"""Search results as a list model, and the delegate that paints them with matches highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from flowdesk.ui.labels import class_name

HIT_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class ResultModel(QAbstractListModel):
    """A thin adapter over the list of ``flowdesk.search.Hit`` the last search returned."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._hits: list[Any] = []

    def set_hits(self, hits: Sequence[Any]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Any | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            codes = " ".join(hit.touchpoints[:6])
            return f"{hit.title}\n{hit.flow_id}  {codes}".strip()
        if role == HIT_ROLE:
            return hit
        return None


class ResultDelegate(QStyledItemDelegate):
    """Two lines per result: the title with matched spans marked, then codes and snippet.

    Painted by hand (no rich-text document per row) because this runs on
    every keystroke and must stay well inside a frame.
    """

    MARK = QColor("#ffe08a")
    MUTED = QColor("#5f6b7a")

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(200, fm.height() * 2 + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        hit = index.data(HIT_ROLE)
        if hit is None:
            return super().paint(painter, option, index)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        if selected:
            painter.fillRect(option.rect, palette.highlight())
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        rect = option.rect.adjusted(8, 5, -8, -5)
        title_font = QFont(option.font)
        title_font.setBold(True)
        fm = QFontMetrics(title_font)
        # class badge at the right of the first line
        badge = class_name(hit.flow_class)
        small = QFont(option.font)
        small.setPointSizeF(max(8.5, option.font.pointSizeF() * 0.9))
        sfm = QFontMetrics(small)
        badge_w = sfm.horizontalAdvance(badge) + 10
        badge_rect = QRect(rect.right() - badge_w, rect.top() + 1, badge_w, sfm.height() + 2)
        painter.setFont(small)
        painter.setPen(QColor("#ffffff") if selected else self.MUTED)
        painter.drawRoundedRect(badge_rect, 3, 3)
        painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)
        # title, matched spans on a marker background
        painter.setFont(title_font)
        x, y = rect.left(), rect.top() + fm.ascent()
        limit = badge_rect.left() - 6
        title = fm.elidedText(hit.title, Qt.TextElideMode.ElideRight, limit - x)
        for start, end, marked in _segments(title, hit.highlights):
            part = title[start:end]
            w = fm.horizontalAdvance(part)
            if marked and not selected:
                painter.fillRect(QRect(x, rect.top(), w, fm.height()), self.MARK)
            painter.setPen(text_color)
            painter.drawText(x, y, part)
            x += w
        # second line: touch point codes, then the snippet that matched
        painter.setFont(small)
        painter.setPen(text_color if selected else self.MUTED)
        codes = " ".join(hit.touchpoints[:3]) + (" …" if len(hit.touchpoints) > 3 else "")
        second = "  ·  ".join(p for p in (codes, hit.snippet or "") if p)
        line2 = QRect(rect.left(), rect.top() + fm.height() + 3, rect.width(), sfm.height())
        painter.drawText(
            line2,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            sfm.elidedText(second, Qt.TextElideMode.ElideRight, line2.width()),
        )
        painter.restore()
        return None


def _segments(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Cut ``text`` into (start, end, marked) pieces from the match spans (clipped, merged)."""
    marks = [False] * len(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(text), end)):
            marks[i] = True
    out: list[tuple[int, int, bool]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or marks[i] != marks[start]:
            out.append((start, i, marks[start]))
            start = i
    return out
