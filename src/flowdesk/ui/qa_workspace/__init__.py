"""The QA workspace (质检工作台): the monthly review in its own full-size window.

``flowdesk qa`` opens it on a data folder (the desk's log, or the central store
of ``--db``); the agent's window opens it on its own desk (Ctrl+Shift+Q).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from flowdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the reports bring SQLAlchemy: not on the agent window's first paint
    from PySide6.QtWidgets import QWidget

    from flowdesk.desk import Desk
    from flowdesk.reports.review_drill import Period, QaQueries
    from flowdesk.ui.opening import LazyDesk
    from flowdesk.ui.qa_workspace.window import QaWorkspace


def workspace_for_desk(
    desk: Desk | LazyDesk,
    db: str | None = None,
    *,
    runner: TaskRunner | None = None,
    period: Period | None = None,
    layout_file: Path | None = None,
    parent: QWidget | None = None,
    first: Callable[[], object] | None = None,
) -> QaWorkspace:
    """A workspace over ``desk``'s log (or the store ``db``); it opens on the runner.

    ``first`` runs on the runner before the queries open (``flowdesk qa`` opens
    its desk there, so the window is up before the store is touched).
    """
    from flowdesk.services.qa import open_queries
    from flowdesk.ui.qa_workspace.export import ask_and_export
    from flowdesk.ui.qa_workspace.window import QaWorkspace

    def opening() -> QaQueries:
        if first is not None:
            first()
        return open_queries(desk, db)

    window = QaWorkspace(
        opening,
        runner or TaskRunner(1),
        period=period,
        store_name=db or str(desk.data.usage),
        layout_file=layout_file if layout_file is not None else desk.data.qa_layout,
        export_review=lambda w: ask_and_export(w, desk, db),
    )
    if parent is not None:
        window.setParent(parent, window.windowFlags())
    window.runner.setParent(window)
    return window


def open_workspace(
    data_dir: Path, db: str | None, month: str | None
) -> tuple[QaWorkspace, LazyDesk]:
    """``flowdesk qa``'s window, shown at once; the desk and the store open on its runner.

    Opening the desk migrates and sweeps its store, which on a large folder is
    not instant: the UI thread only builds and shows the window. The caller
    closes the desk once the runner is done.
    """
    from flowdesk.reports.review_drill import Period
    from flowdesk.settings import Settings
    from flowdesk.ui.app import application
    from flowdesk.ui.i18n import install_translators
    from flowdesk.ui.opening import LazyDesk

    app = application()
    desk = LazyDesk(data_dir)
    install_translators(app, Settings.load(desk.data.settings).language or "zh_CN")
    first = date.fromisoformat(f"{month}-01") if month else date.today()
    window = workspace_for_desk(desk, db, period=Period.around("month", first), first=desk.open)
    window.show()
    return window, desk


def run_workspace(data_dir: Path, db: str | None, month: str | None) -> int:
    """``flowdesk qa``: the workspace on the data folder until it is closed; the exit code."""
    from flowdesk.paths import DataDir
    from flowdesk.ui.app import application
    from flowdesk.ui.errors import log_to_data_folder

    log_to_data_folder(DataDir(data_dir))  # the workspace's errors and Qt's warnings
    window, desk = open_workspace(data_dir, db, month)
    try:
        return application().exec()
    finally:
        window.runner.wait()
        if window.queries is not None:
            window.queries.engine.dispose()
        desk.close()
