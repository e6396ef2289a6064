"""Search results as a list model, and the delegate that paints them with matches highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from flowdesk.ui.labels import class_name

if TYPE_CHECKING:  # the search package loads Whoosh: not at the window's start
    from flowdesk.search import Hit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
#: "新" / "改" while the flow changed in the last update and this desk has not opened it.
MARK_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class ResultModel(QAbstractListModel):
    """A thin adapter over the list of ``flowdesk.search.Hit`` the last search returned."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self._marks: dict[str, str] = {}

    def set_marks(self, marks: dict[str, str]) -> None:
        """Flow id -> 新/改 badges (the window keeps them; see ``flowdesk.ui.updates``)."""
        self._marks = dict(marks)
        if self._hits:
            self.dataChanged.emit(self.index(0), self.index(len(self._hits) - 1), [MARK_ROLE])

    def set_hits(self, hits: Sequence[Hit]) -> None:
        """The next keystroke's answer, told as rows changed, added or removed, not a reset:
        the list keeps its layout and repaints only the rows, once a keystroke."""
        new, old = list(hits), self._hits
        if not old or not new:
            self.beginResetModel()
            self._hits = new
            self.endResetModel()
            return
        common = min(len(old), len(new))
        if len(new) < len(old):
            self.beginRemoveRows(QModelIndex(), len(new), len(old) - 1)
            self._hits = old[: len(new)]
            self.endRemoveRows()
        self._hits[:common] = new[:common]
        self.dataChanged.emit(self.index(0), self.index(common - 1))
        if len(new) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
            self._hits = new
            self.endInsertRows()

    def hit(self, row: int) -> Hit | None:
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
            said = match_note(hit)
            return "\n".join(x for x in (hit.title, f"{hit.flow_id}  {codes}".strip(), said) if x)
        if role == HIT_ROLE:
            return hit
        if role == MARK_ROLE:
            return self._marks.get(hit.flow_id)
        return None


def match_note(hit: Hit) -> str:
    """What the second line says of how a hit matched: 丢了 ≈ 挂失, and for a partial match
    the words it lacks."""
    parts = [f"{typed} ≈ {matched}" for typed, matched in getattr(hit, "synonyms", ())]
    if getattr(hit, "partial", False):
        missing = "、".join(getattr(hit, "missing", ()))
        label = QCoreApplication.translate("ResultDelegate", "部分匹配")
        parts.insert(0, f"{label}：{missing}" if missing else label)
    return "  ".join(parts)


class ResultDelegate(QStyledItemDelegate):
    """Two lines per result: the title with matched spans marked, then codes and snippet.

    A partial match (some words of the query not in the flow) is drawn with a
    plain, grey title and an outlined 部分 badge; a synonym match says which
    word it matched by (丢了 ≈ 挂失) on the second line.

    Painted by hand (no rich-text document per row, no style-sheet item
    rendering) and with fonts, metrics and each row's elided text cached,
    because this runs on every keystroke and must stay well inside a frame.
    """

    MARK = QColor("#ffe08a")
    CHANGE_MARKS: ClassVar[dict[str, QColor]] = {"新": QColor("#2e7d32"), "改": QColor("#c05a00")}
    MUTED = QColor("#5f6b7a")
    PARTIAL = QColor("#a06000")
    RULE = QColor("#eaeef2")
    WHITE = QColor("#ffffff")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._fonts: dict[str, tuple[QFont, QFontMetrics, QFont, QFontMetrics]] = {}
        self._rows: dict[tuple, _RowLayout] = {}

    def _fonts_for(self, font: QFont) -> tuple[QFont, QFontMetrics, QFont, QFontMetrics]:
        key = font.key()
        cached = self._fonts.get(key)
        if cached is None:
            title = QFont(font)
            title.setBold(True)
            small = QFont(font)
            small.setPointSizeF(max(8.5, font.pointSizeF() * 0.9))
            cached = (title, QFontMetrics(title), small, QFontMetrics(small))
            self._fonts[key] = cached
        return cached

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        _title, fm, _small, sfm = self._fonts_for(option.font)
        return QSize(200, fm.height() + sfm.height() + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        hit = index.data(HIT_ROLE)
        if hit is None:
            return super().paint(painter, option, index)
        title_font, fm, small, sfm = self._fonts_for(option.font)
        r = option.rect
        change = index.data(MARK_ROLE) or ""
        layout = self._layout(hit, r.width(), fm, sfm, change)
        painter.save()
        selected = bool(option.state & _SELECTED)
        palette = option.palette
        if selected:
            painter.fillRect(r, palette.highlight())
            text_color = palette.highlightedText().color()
        else:
            text_color = palette.text().color()
            painter.fillRect(r.left(), r.bottom(), r.width(), 1, self.RULE)
        left, top = r.left() + 8, r.top() + 5
        # class badge at the right of the first line
        badge_rect = QRect(
            r.right() - 8 - layout.badge_w, top + 1, layout.badge_w, sfm.height() + 2
        )
        painter.setFont(small)
        painter.setPen(self.WHITE if selected else self.MUTED)
        painter.drawRoundedRect(badge_rect, 3, 3)
        painter.drawText(badge_rect, _CENTER, layout.badge)
        if layout.partial_w:  # 部分: outlined, left of the class badge
            partial_rect = badge_rect.translated(-layout.partial_w - 4, 0)
            partial_rect.setWidth(layout.partial_w)
            painter.setPen(self.WHITE if selected else self.PARTIAL)
            painter.drawRoundedRect(partial_rect, 3, 3)
            painter.drawText(partial_rect, _CENTER, layout.partial)
            badge_rect = partial_rect
        if change:  # 新/改 left of the class badge, filled so it catches the eye
            change_rect = badge_rect.translated(-layout.change_w - 4, 0)
            change_rect.setWidth(layout.change_w)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.CHANGE_MARKS.get(change, self.MUTED))
            painter.drawRoundedRect(change_rect, 3, 3)
            painter.setPen(self.WHITE)
            painter.drawText(change_rect, _CENTER, change)
        # title, matched spans on a marker background (plain and grey for a partial match)
        painter.setFont(option.font if layout.partial_w else title_font)
        painter.setPen(self.MUTED if layout.partial_w and not selected else text_color)
        baseline = top + fm.ascent()
        for x, w, part, marked in layout.segments:
            if marked and not selected:
                painter.fillRect(left + x, top, w, fm.height(), self.MARK)
            painter.drawText(left + x, baseline, part)
        # second line: touch point codes, then the snippet that matched
        if layout.second:
            painter.setFont(small)
            painter.setPen(text_color if selected else self.MUTED)
            painter.drawText(left, top + fm.height() + 3 + sfm.ascent(), layout.second)
        painter.restore()
        return None

    def _layout(
        self, hit: Hit, width: int, fm: QFontMetrics, sfm: QFontMetrics, change: str = ""
    ) -> _RowLayout:
        key = (hit.pack_id, hit.flow_id, hit.title, hit.highlights, hit.snippet, width)
        note = match_note(hit)
        key = (*key, fm.height(), change, note)
        cached = self._rows.get(key)
        if cached is not None:
            return cached
        inner = width - 16
        badge = class_name(hit.flow_class)
        badge_w = sfm.horizontalAdvance(badge) + 10
        change_w = sfm.horizontalAdvance(change) + 10 if change else 0
        partial = QCoreApplication.translate("ResultDelegate", "部分") if hit_partial(hit) else ""
        partial_w = sfm.horizontalAdvance(partial) + 10 if partial else 0
        room = inner - badge_w - 6 - (change_w + 4 if change else 0) - (partial_w + 4)
        title = fm.elidedText(hit.title, _ELIDE, max(10, room))
        segments = []
        x = 0
        for start, end, marked in _segments(title, hit.highlights):
            part = title[start:end]
            w = fm.horizontalAdvance(part)
            segments.append((x, w, part, marked))
            x += w
        codes = " ".join(hit.touchpoints[:3]) + (" …" if len(hit.touchpoints) > 3 else "")
        second = "  ·  ".join(p for p in (note, codes, hit.snippet or "") if p)
        second = sfm.elidedText(second, _ELIDE, inner)
        layout = _RowLayout(badge, badge_w, tuple(segments), second, change_w, partial, partial_w)
        if len(self._rows) > 2000:
            self._rows.clear()
        self._rows[key] = layout
        return layout


@dataclass(frozen=True)
class _RowLayout:
    badge: str
    badge_w: int
    segments: tuple[tuple[int, int, str, bool], ...]
    second: str
    change_w: int = 0
    partial: str = ""
    partial_w: int = 0


def hit_partial(hit: Hit) -> bool:
    return bool(getattr(hit, "partial", False))


_SELECTED = QStyle.StateFlag.State_Selected
_CENTER = Qt.AlignmentFlag.AlignCenter
_ELIDE = Qt.TextElideMode.ElideRight


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
