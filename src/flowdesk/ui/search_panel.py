"""The search box, its filters and the result list: type, arrows, Enter.

Typing never waits on a search: each keystroke bumps a generation counter and
asks the search worker for a quick type-ahead answer, then (after a short
pause) the full one. While the worker is busy only the newest request is
kept, and an answer for an older generation is dropped, so results always
match what is in the box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from flowdesk.lookup import PackHeads
from flowdesk.model import FLOW_CLASSES
from flowdesk.ui.errors import logged_message
from flowdesk.ui.labels import class_name
from flowdesk.ui.results import HIT_ROLE, ResultDelegate, ResultModel
from flowdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the search package loads Whoosh: not at the window's start
    from flowdesk.lookup import ActiveLookup
    from flowdesk.search import Hit
    from flowdesk.ui.opening import LazyDesk

SearchFn = Callable[..., list["Hit"]]
#: The answer the desk gave to the same question before, else None (never searches).
AnsweredFn = Callable[..., list["Hit"] | None]
FULL_SEARCH_DELAY_MS = 120


@dataclass(frozen=True)
class SearchRequest:
    generation: int
    query: str
    channel: str | None
    brand: str | None
    flow_class: str | None
    typeahead: bool


class SearchController(QObject):
    """Runs searches on the worker, newest first, and publishes the answer for the box's text."""

    #: (query, hits, typeahead) for the current generation only.
    results = Signal(str, list, bool)
    failed = Signal(str)

    def __init__(
        self,
        search: SearchFn,
        runner: TaskRunner,
        limit: int = 20,
        parent=None,
        answered: AnsweredFn | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._answered = answered
        self._runner = runner
        self._limit = limit
        self.generation = 0
        self._busy = False
        self._pending: SearchRequest | None = None
        self._full_shown = -1
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FULL_SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search_full)
        self._last: SearchRequest | None = None

    def query_changed(self, query: str, channel=None, brand=None, flow_class=None) -> None:
        """A keystroke or a filter change: type-ahead now, the full search after a pause."""
        self.generation += 1
        query = query.strip()
        if not query:
            self._pending = None
            self._timer.stop()
            self.results.emit("", [], False)
            return
        request = SearchRequest(self.generation, query, channel, brand, flow_class, True)
        self._last = request
        self._submit(request)
        self._timer.start()

    def search_now(self) -> None:
        """Skip the pause (Enter pressed, filter changed)."""
        if self._timer.isActive():
            self._timer.stop()
            self._search_full()

    def _search_full(self) -> None:
        last = self._last
        if last is not None and last.generation == self.generation:
            self._submit(
                SearchRequest(
                    last.generation, last.query, last.channel, last.brand, last.flow_class, False
                )
            )

    def _submit(self, request: SearchRequest) -> None:
        kept = self._kept_answer(request)
        if kept is not None:  # asked before: shown now, no round trip to the search thread
            self._deliver(request, kept)
            return
        if self._busy:
            # Latest wins; but a pending full search is not displaced by its own type-ahead.
            pending = self._pending
            if not (
                pending
                and pending.generation == request.generation
                and not pending.typeahead
                and request.typeahead
            ):
                self._pending = request
            return
        self._busy = True

        def work() -> tuple[SearchRequest, list[Hit]]:
            return request, list(self._ask(self._search, request))

        self._runner.run(work, self._finished, self._failed)

    def _kept_answer(self, request: SearchRequest) -> list[Hit] | None:
        return None if self._answered is None else self._ask(self._answered, request)

    def _ask(self, fn: Callable[..., Any], request: SearchRequest) -> Any:
        """``fn`` (the search, or the answers kept) asked the request's question."""
        return fn(
            request.query,
            channel=request.channel,
            brand=request.brand,
            flow_class=request.flow_class,
            limit=self._limit,
            typeahead_only=request.typeahead,
        )

    def _finished(self, answer: tuple[SearchRequest, list[Hit]]) -> None:
        request, hits = answer
        self._busy = False
        self._deliver(request, hits)
        self._next()

    def _deliver(self, request: SearchRequest, hits: list[Hit]) -> None:
        if request.generation == self.generation and not (
            request.typeahead and self._full_shown == request.generation
        ):
            if not request.typeahead:
                self._full_shown = request.generation
            self.results.emit(request.query, hits, request.typeahead)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.failed.emit(logged_message(exc, "search"))
        self._next()

    def _next(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending.generation == self.generation:
            self._submit(pending)


class SearchPanel(QWidget):
    """Search box with channel/brand/class filters over the result list."""

    #: The agent chose a result (Enter or double-click): (hit, query, result_count).
    open_requested = Signal(object, str, int)
    #: Results for the settled (full) query: (query, result_count).
    searched = Signal(str, int)
    #: The channel filter changed (remembered as the agent's usual channel).
    channel_changed = Signal(object)

    def __init__(
        self,
        search: SearchFn,
        runner: TaskRunner,
        parent=None,
        answered: AnsweredFn | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = SearchController(search, runner, parent=self, answered=answered)
        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setClearButtonEnabled(True)
        self.box.setPlaceholderText(self.tr("搜索流程：中文、拼音、首字母或接触点编码（Ctrl+K）"))
        self.channel = QComboBox()
        self.brand = QComboBox()
        self.flow_class = QComboBox()
        for combo in (self.channel, self.brand, self.flow_class):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model = ResultModel(self)
        self.list = QListView()
        self.list.setObjectName("results")
        self.list.setModel(self.model)
        self.list.setItemDelegate(ResultDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.status = QLabel()
        self.status.setObjectName("searchStatus")
        self._query_shown = ""

        filters = QHBoxLayout()
        filters.setSpacing(6)
        for label, combo in (
            (self.tr("渠道(&C)"), self.channel),
            (self.tr("品牌(&B)"), self.brand),
            (self.tr("类别(&L)"), self.flow_class),
        ):
            lab = QLabel(label)
            lab.setBuddy(combo)
            filters.addWidget(lab)
            filters.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.box)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)

        self.box.textChanged.connect(self._changed)
        for combo in (self.channel, self.brand, self.flow_class):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.channel.currentIndexChanged.connect(
            lambda _i: self.channel_changed.emit(self.channel.currentData())
        )
        self.controller.results.connect(self._show)
        self.controller.failed.connect(lambda msg: self.status.setText(self.tr("搜索出错：") + msg))
        self.list.activated.connect(lambda index: self._open_row(index.row()))
        self.box.installEventFilter(self)
        self.box.returnPressed.connect(self._enter)

    @classmethod
    def over(cls, desk: Callable[[], ActiveLookup | LazyDesk], runner: TaskRunner) -> SearchPanel:
        """A panel over whatever ``desk()`` is when asked (the window's may still be opening):
        searches on the search thread, a question asked before answered on this one."""
        return cls(
            lambda *a, **k: desk().search(*a, **k),
            runner,
            answered=lambda *a, **k: desk().answered(*a, **k),
        )

    def set_pack(self, pack: PackHeads | None, channel: str | None = None, brand=None) -> None:
        """Fill the filters from the active pack; select the agent's usual channel and brand."""
        blockers = [c.blockSignals(True) for c in (self.channel, self.brand, self.flow_class)]
        for combo, items in (
            (self.channel, [(c.code, c.name) for c in pack.channels] if pack else []),
            (self.brand, [(b.code, b.name) for b in pack.brands] if pack else []),
            (self.flow_class, [(c, class_name(c)) for c in FLOW_CLASSES]),
        ):
            combo.clear()
            combo.addItem(self.tr("全部"), None)
            for code, name in items:
                combo.addItem(f"{name}", code)
        for combo, code in ((self.channel, channel), (self.brand, brand)):
            at = combo.findData(code) if code else 0
            combo.setCurrentIndex(max(0, at))
        for combo, was in zip((self.channel, self.brand, self.flow_class), blockers, strict=True):
            combo.blockSignals(was)

    def focus_search(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def _changed(self, text: str) -> None:
        self.controller.query_changed(
            text,
            self.channel.currentData(),
            self.brand.currentData(),
            self.flow_class.currentData(),
        )

    def _filter_changed(self, _index: int) -> None:
        self._changed(self.box.text())
        self.controller.search_now()

    def _show(self, query: str, hits: list, typeahead: bool) -> None:
        self.model.set_hits(hits)
        self._query_shown = query
        if hits:
            self.list.setCurrentIndex(self.model.index(0))
        if not query:
            self.status.setText("")
        elif hits and all(getattr(h, "partial", False) for h in hits):
            self.status.setText(self.tr("没有完全匹配的流程，以下是部分匹配"))
        elif hits:
            self.status.setText(self.tr("%n 个结果", "", len(hits)))
        else:
            self.status.setText(self.tr("没有找到流程：试试拼音首字母、同义词或接触点编码"))
        if not typeahead:
            self.searched.emit(query, len(hits))

    def _enter(self) -> None:
        self.controller.search_now()
        row = self.list.currentIndex().row() if self.list.currentIndex().isValid() else 0
        self._open_row(row)

    def _open_row(self, row: int) -> None:
        hit = self.model.hit(row)
        if hit is not None:
            self.open_requested.emit(hit, self._query_shown, self.model.rowCount())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrows and page keys in the box move through the results; typing stays in the box."""
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            key = QKeyEvent(event).key() if not isinstance(event, QKeyEvent) else event.key()
            moves = {
                Qt.Key.Key_Down: 1,
                Qt.Key.Key_Up: -1,
                Qt.Key.Key_PageDown: 5,
                Qt.Key.Key_PageUp: -5,
            }
            if key in moves and self.model.rowCount():
                row = self.list.currentIndex().row() + moves[key]
                row = min(max(row, 0), self.model.rowCount() - 1)
                self.list.setCurrentIndex(self.model.index(row))
                return True
            if key == Qt.Key.Key_Escape and self.box.text():
                self.box.clear()
                return True
        return super().eventFilter(watched, event)

    def current_hit(self) -> Hit | None:
        index = self.list.currentIndex()
        return index.data(HIT_ROLE) if index.isValid() else None
