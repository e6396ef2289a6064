"""The window's side of checks still to come: they run while the author works.

A large source opens with its flows only outlined (the map, the flow list,
the checks across flows); every file's own checks follow in worker processes
(:mod:`flowdesk.ui.studio.pending`), and so do the flows an edit of pack.yaml
must read again. Meanwhile the problems list fills as batches arrive, its
title says 检查中 n/N, and exporting and publishing wait: a pack is published
only when every problem is known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from flowdesk.problems import Cancelled

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QTabWidget

    from flowdesk.ui.process_map import ProcessMapView
    from flowdesk.ui.studio.document import StudioDocument
    from flowdesk.ui.tasks import TaskRunner

_WAITING = ("export", "publish")
"""Actions that need every problem known."""


class BackgroundChecks:
    """Mixed into :class:`~flowdesk.ui.studio.window.StudioWindow`."""

    document: StudioDocument
    runner: TaskRunner
    actions: dict[str, QAction]
    problems_dock: QDockWidget
    tabs: QTabWidget
    map: ProcessMapView
    _map_stale: bool
    _checked: tuple[int, int]  # files checked, of how many, by the running job

    def _start_checks(self) -> None:
        """Check the stale files off the UI thread (a newer job stops an older one)."""
        if not self.document.needs_check_job:
            return
        job = self.document.check_job()
        self._checked = (0, len(self.document.stale))
        self._show_checking()
        self.runner.run(
            lambda report: job(lambda done, total: report("", done, total)),
            on_done=lambda _generation: self._take_checked(),
            on_error=self._checks_failed,
            on_progress=lambda _stage, done, total: self._checks_progress(done, total),
            with_progress=True,
        )

    def _checks_progress(self, done: int, total: int) -> None:
        self._checked = (done, total)
        self._take_checked()

    def _take_checked(self) -> None:
        """Apply the batches checked so far: problems list, map, title."""
        pack = self.document.pack
        if self.document.take_checked() and self.document.pack is not pack:
            self._map_stale = True
            if self.tabs.currentWidget() is self.map:
                self._refresh_map()
        self.refresh_problems()  # the counts, and the title of the list

    def _checks_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):  # cancelled: a newer job or closing stopped it
            self.runner.report_error(exc)

    def checking_note(self) -> str:
        """（检查中 n/N） while some files' problems are not known yet, else nothing."""
        if not self.document.stale:
            return ""
        done, total = self._checked
        return (
            QCoreApplication.translate("StudioWindow", "（检查中 %1/%2）")
            .replace("%1", f"{done:,}")
            .replace("%2", f"{total:,}")
        )

    def _show_checking(self) -> None:
        """The problems list's title says how far the checks are; export and publish wait."""
        self.problems_dock.setWindowTitle(
            QCoreApplication.translate("StudioWindow", "问题") + self.checking_note()
        )
        for name in _WAITING:
            if name in self.actions:
                self.actions[name].setEnabled(not self.document.stale)

    def _still_checking(self) -> bool:
        """True (and the author told so) while some problems are not known yet."""
        if self.document.stale:
            self._refuse(
                QCoreApplication.translate(
                    "StudioWindow", "仍在检查流程（%1 个未完成），检查完成前不能导出或发布。"
                ).replace("%1", f"{len(self.document.stale):,}")
            )
        return bool(self.document.stale)

    # provided by StudioWindow
    def _refresh_map(self) -> None:
        raise NotImplementedError

    def refresh_problems(self) -> None:
        raise NotImplementedError

    def _refuse(self, text: str) -> None:
        raise NotImplementedError
