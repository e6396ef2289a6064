"""The process map (流程地图): businesses down the side, channels across, one brand at a time.

Each cell is a touch point: it shows the flow that claims it, is marked as a
blind spot (管理盲点) when the business is offered there but no flow claims
it, and is blank where the business is not offered. Businesses are grouped
under their group's row. Arrows move between cells, Enter or a double-click
opens the cell's flow. Management flows, which have no touch points, are
browsed by class beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowdesk.lookup import PackHeads
from flowdesk.model import MANAGEMENT_CLASSES, Business, TouchPoint
from flowdesk.ui.labels import class_name

FLOW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TOUCHPOINT_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_ROLE = Qt.ItemDataRole.UserRole + 3
#: "新" / "改" while the cell's flow changed in the last update and is not yet opened here.
MARK_ROLE = Qt.ItemDataRole.UserRole + 4
TITLE_ROLE = Qt.ItemDataRole.UserRole + 5

BLIND = QColor("#f8d7da")
BLIND_TEXT = QColor("#842029")
NOT_OFFERED = QColor("#eef0f3")
GROUP = QColor("#dde4ee")

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class MapRow:
    """A group heading (``business`` None) or one business."""

    group: str
    business: Business | None = None


class ProcessMapModel(QAbstractTableModel):
    """Rows: group headings and businesses; columns: channels; cells for the chosen brand."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._pack: PackHeads | None = None
        self._rows: list[MapRow] = []
        self._claims: dict[TouchPoint, str] = {}
        self._titles: dict[str, str] = {}
        self._marks: dict[str, str] = {}
        self.brand: str | None = None

    def set_marks(self, marks: dict[str, str]) -> None:
        """Flow id -> 新/改, shown before the flow's title in its cells."""
        self._marks = dict(marks)
        if self._rows and self.columnCount():
            last = self.index(len(self._rows) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def set_pack(self, pack: PackHeads | None, brand: str | None = None) -> None:
        self.beginResetModel()
        self._pack = pack
        self._rows = []
        if pack is not None:
            groups: dict[str, list[Business]] = {}
            for business in pack.businesses:
                groups.setdefault(business.group or "", []).append(business)
            for group, businesses in groups.items():
                self._rows.append(MapRow(group))
                self._rows.extend(MapRow(group, b) for b in businesses)
            self._claims = pack.touchpoint_flows()
            self._titles = {f.id: f.title for f in pack.flows}
            codes = [b.code for b in pack.brands]
            self.brand = brand if brand in codes else (codes[0] if codes else None)
        self.endResetModel()

    def set_brand(self, brand: str | None) -> None:
        self.beginResetModel()
        self.brand = brand
        self.endResetModel()

    def row_info(self, row: int) -> MapRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def is_group(self, row: int) -> bool:
        info = self.row_info(row)
        return info is not None and info.business is None

    def touchpoint(self, row: int, column: int) -> TouchPoint | None:
        info = self.row_info(row)
        if info is None or info.business is None or self._pack is None or self.brand is None:
            return None
        if not 0 <= column < len(self._pack.channels):
            return None
        return TouchPoint(self._pack.channels[column].code, self.brand, info.business.code)

    def offered(self, row: int, column: int) -> bool:
        info, tp = self.row_info(row), self.touchpoint(row, column)
        if info is None or info.business is None or tp is None or self._pack is None:
            return False
        brands = info.business.brands or tuple(b.code for b in self._pack.brands)
        return tp.channel in info.business.channels and tp.brand in brands

    def flow_id(self, row: int, column: int) -> str | None:
        tp = self.touchpoint(row, column)
        return self._claims.get(tp) if tp is not None else None

    def cell_kind(self, row: int, column: int) -> str:
        """``group``, ``flow``, ``blind`` (offered, no flow) or ``none`` (not offered)."""
        if self.is_group(row):
            return "group"
        if self.flow_id(row, column):
            return "flow"
        return "blind" if self.offered(row, column) else "none"

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._pack is None:
            return 0
        return len(self._pack.channels)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not 0 <= row < len(self._rows):
            return None
        kind = self.cell_kind(row, col)
        flow_id = self.flow_id(row, col)
        tp = self.touchpoint(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == "group":
                return self._rows[row].group if col == 0 else None
            if kind == "flow" and flow_id is not None:
                title = self._titles.get(flow_id, flow_id)
                mark = self._marks.get(flow_id)
                return f"【{mark}】{title}" if mark else title
            if kind == "blind":
                return self.tr("⚠ 盲点")
            return None
        if role == Qt.ItemDataRole.ToolTipRole and tp is not None:
            if kind == "flow" and flow_id is not None:
                return f"{tp.code}\n{self._titles.get(flow_id, flow_id)}"
            if kind == "blind":
                return f"{tp.code}\n" + self.tr("管理盲点：该接触点开放办理，但没有流程认领")
            return f"{tp.code}\n" + self.tr("该渠道不办理此业务")
        if role == Qt.ItemDataRole.BackgroundRole:
            color = {"blind": BLIND, "none": NOT_OFFERED, "group": GROUP}.get(kind)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and kind == "blind":
            return QBrush(BLIND_TEXT)
        marked = kind == "flow" and flow_id in self._marks
        if role == Qt.ItemDataRole.FontRole and (kind in ("group", "blind") or marked):
            font = QFont()
            font.setBold(True)
            return font
        if role == FLOW_ID_ROLE:
            return flow_id
        if role == MARK_ROLE:
            return self._marks.get(flow_id) if flow_id else None
        if role == TOUCHPOINT_ROLE:
            return tp.code if tp is not None else None
        if role == KIND_ROLE:
            return kind
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if self._pack is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if orientation == Qt.Orientation.Vertical:
                return self.business_tooltip(section)
            if 0 <= section < len(self._pack.channels):
                channel = self._pack.channels[section]
                return f"{channel.code} {channel.name}"
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._pack.channels):
                channel = self._pack.channels[section]
                return f"{channel.name}\n{channel.code}"
            return None
        info = self.row_info(section)
        if info is None or info.business is None:
            return "" if info is not None else None
        return info.business.name

    def business_tooltip(self, row: int) -> str | None:
        info = self.row_info(row)
        return f"{info.business.code} {info.business.name}" if info and info.business else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ProcessMapView(QWidget):
    """The brand selector, the map table and the management flows by class."""

    #: The agent opened a cell or a management flow: (flow_id, touch point code or "").
    open_requested = Signal(str, str)
    brand_changed = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model = ProcessMapModel(self)
        self.brand = QComboBox()
        self.table = QTableView()
        self.table.setObjectName("processMap")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(64)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.summary = QLabel()
        self.summary.setObjectName("mapSummary")
        self.management = QTreeWidget()
        self.management.setObjectName("managementFlows")
        self.management.setHeaderLabels([self.tr("管理流程（按类别）")])

        top = QHBoxLayout()
        label = QLabel(self.tr("品牌(&P)"))
        label.setBuddy(self.brand)
        top.addWidget(label)
        top.addWidget(self.brand)
        top.addStretch(1)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.management, 1)

        self.brand.currentIndexChanged.connect(self._brand_changed)
        self.table.activated.connect(self._activated)
        self.management.itemActivated.connect(self._management_activated)

    def set_pack(self, pack: PackHeads | None, brand: str | None = None) -> None:
        self.brand.blockSignals(True)
        self.brand.clear()
        if pack is not None:
            for b in pack.brands:
                self.brand.addItem(f"{b.name} {b.code}", b.code)
        self.model.set_pack(pack, brand)
        self.brand.setCurrentIndex(max(0, self.brand.findData(self.model.brand)))
        self.brand.blockSignals(False)
        self._refresh()
        self.management.clear()
        if pack is not None:
            for cls in MANAGEMENT_CLASSES:
                flows = [f for f in pack.flows if f.flow_class == cls]
                if not flows:
                    continue
                parent = QTreeWidgetItem([f"{class_name(cls)}（{len(flows)}）"])
                for flow in flows:
                    child = QTreeWidgetItem([flow.title])
                    child.setData(0, FLOW_ID_ROLE, flow.id)
                    child.setData(0, TITLE_ROLE, flow.title)
                    child.setToolTip(0, flow.summary or flow.id)
                    parent.addChild(child)
                self.management.addTopLevelItem(parent)
            self.management.expandAll()
        self.management.setVisible(self.management.topLevelItemCount() > 0)

    def set_marks(self, marks: dict[str, str]) -> None:
        """新/改 before changed flows, in the map's cells and the management list."""
        self.model.set_marks(marks)
        for i in range(self.management.topLevelItemCount()):
            parent = self.management.topLevelItem(i)
            for j in range(parent.childCount()):
                child = parent.child(j)
                mark = marks.get(child.data(0, FLOW_ID_ROLE))
                title = child.data(0, TITLE_ROLE)
                child.setText(0, f"【{mark}】{title}" if mark else title)

    def _refresh(self) -> None:
        self.table.clearSpans()
        columns = self.model.columnCount()
        blind = 0
        for row in range(self.model.rowCount()):
            if self.model.is_group(row):
                if columns > 1:
                    self.table.setSpan(row, 0, 1, columns)
                continue
            blind += sum(1 for c in range(columns) if self.model.cell_kind(row, c) == "blind")
        self.summary.setText(self.tr("本品牌盲点：%n 个", "", blind))

    def _brand_changed(self, _index: int) -> None:
        self.model.set_brand(self.brand.currentData())
        self._refresh()
        self.brand_changed.emit(self.brand.currentData())

    def _activated(self, index: QModelIndex) -> None:
        flow_id = index.data(FLOW_ID_ROLE)
        if flow_id:
            self.open_requested.emit(flow_id, index.data(TOUCHPOINT_ROLE) or "")

    def _management_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        flow_id = item.data(0, FLOW_ID_ROLE)
        if flow_id:
            self.open_requested.emit(flow_id, "")
