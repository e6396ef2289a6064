"""The window's left side: search, the process map and extra views (e.g. 质检 QA) as tabs.

Extra views may be heavy to build (the QA view reads the usage database), so
they are added as lazy tabs: a holder now, the view the first time the agent
opens the tab. A view that fails to build shows a plain sentence in its place
and never takes the desk down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


class SideTabs(QTabWidget):
    """Tabs on the left; keys, not the mouse, move between them (the bar takes no focus)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leftTabs")
        self.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._lazy: dict[QWidget, Callable[[], QWidget]] = {}
        # connected first, so a lazy view exists before anyone else hears of the change
        self.currentChanged.connect(self._build_lazy)

    def add_lazy_tab(self, title: str, build: Callable[[], QWidget]) -> int:
        """A tab whose widget is built the first time it is shown (keeps start-up fast)."""
        holder = QWidget()
        holder.setProperty("lazy", True)
        QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
        self._lazy[holder] = build
        return self.addTab(holder, title)

    def _build_lazy(self, index: int) -> None:
        holder = self.widget(index)
        build = self._lazy.pop(holder, None)
        if build is None:
            return
        try:
            widget = build()
        except Exception as exc:  # a broken extra view must not take the desk down
            from flowdesk.ui.errors import plain_message

            log.exception("could not open a tab")
            widget = QLabel(self.tr("无法打开：") + plain_message(exc))
            widget.setWordWrap(True)
        holder.layout().addWidget(widget)
