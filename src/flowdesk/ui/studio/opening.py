"""Opening a pack source in the Studio: read off the UI thread, with progress and cancel.

Reading is a job of the task runner behind a progress dialog; the window is
built from the document when the job is done. A large source is only
outlined by then (what the map, the flow list and the checks across flows
need: :mod:`flowdesk.ui.studio.outline`), and the window checks every file
while the author works (:mod:`flowdesk.ui.studio.checking`). Cancel stops
the reading and quits without a window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QProgressDialog

from flowdesk.problems import Cancelled
from flowdesk.ui.progress import run_with_progress
from flowdesk.ui.studio.document import StudioDocument
from flowdesk.ui.studio.readcache import ReadCache
from flowdesk.ui.studio.window import StudioWindow
from flowdesk.ui.tasks import TaskRunner


class Opening:
    """One source being opened: the dialog while reading, then the window (or an exit code)."""

    def __init__(
        self,
        folder: Path,
        cache: ReadCache | None,
        runner: TaskRunner,
        data_root: Path | None = None,
    ) -> None:
        self.folder, self.cache, self.runner, self.data_root = folder, cache, runner, data_root
        self.window: StudioWindow | None = None
        self.code = 0
        self.dialog: QProgressDialog | None = None

    def start(self) -> None:
        stage = QCoreApplication.translate("StudioOpening", "读取并检查流程文件")

        def work(report, cancelled) -> StudioDocument:
            return StudioDocument.open(
                self.folder,
                lambda done, total: report(stage, done, total),
                cancelled,
                self.cache,
                defer_checks=True,
            )

        self.dialog = run_with_progress(
            None,  # type: ignore[arg-type]  # no window yet: the dialog stands alone
            self.runner,
            QCoreApplication.translate("StudioOpening", "FlowDesk Studio 流程设计器"),
            QCoreApplication.translate("StudioOpening", "正在打开 %1").replace(
                "%1", str(self.folder)
            ),
            work,
            self._opened,
            self._failed,
        )

        self.dialog.setMinimumWidth(480)  # the folder's path and the window title show whole

    def _opened(self, document: StudioDocument) -> None:
        self.window = StudioWindow(document, self.runner, self.data_root)
        self.window.show()

    def _failed(self, exc: BaseException) -> None:
        self.code = 0 if isinstance(exc, Cancelled) else 1
        QApplication.quit()


def open_in_window(
    folder: Path, cache: ReadCache | None = None, data_root: Path | None = None
) -> Opening:
    """Start opening ``folder``; the window shows when it has been read."""
    opening = Opening(folder, cache, TaskRunner(threads=1), data_root)
    opening.start()
    return opening
