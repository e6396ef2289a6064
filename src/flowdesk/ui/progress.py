"""Slow work with a progress dialog: first-start import, re-indexing.

The work runs on the work thread (``TaskRunner``); the dialog only shows
what it reports, so the window keeps painting and taking keys meanwhile.
Cancel sets a flag the work checks (the desk's ``cancel`` callback).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from flowdesk.ui.errors import logged_message, notify
from flowdesk.ui.tasks import Progress, TaskRunner

Work = Callable[[Progress, Callable[[], bool]], Any]


def run_with_progress(
    parent: QWidget,
    runner: TaskRunner,
    title: str,
    label: str,
    work: Work,
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None] | None = None,
    *,
    modal: bool = True,
) -> QProgressDialog:
    """Run ``work(progress, cancelled)`` on ``runner`` behind a progress dialog.

    ``modal`` keeps the agent out of the window while the work runs (the first-start
    import: there is nothing to search yet). Work that leaves the window usable, such as
    a rebuild that swaps the index only when done, passes ``modal=False`` so the agent
    keeps typing into the search box while the dialog reports progress.
    """
    cancel = QCoreApplication.translate("MainWindow", "取消")
    dialog = QProgressDialog(label, cancel, 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal if modal else Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(300)
    cancelled = threading.Event()
    dialog.canceled.connect(cancelled.set)

    def progress(stage: str, done: int, total: int) -> None:
        if not shiboken6.isValid(dialog):  # the window closed meanwhile
            return
        dialog.setLabelText(f"{label}\n{stage}")
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def done(result: Any) -> None:
        if shiboken6.isValid(dialog):
            dialog.reset()
            on_done(result)

    def failed(exc: BaseException) -> None:
        if not shiboken6.isValid(dialog):
            return
        dialog.reset()
        if not cancelled.is_set():  # the one error path: logged, told in plain words
            notify(logged_message(exc, title), parent, title)
        if on_failed is not None:
            on_failed(exc)

    runner.run(
        lambda report: work(report, cancelled.is_set),
        done,
        failed,
        progress,
        with_progress=True,
    )
    return dialog
