"""重建搜索索引 from the agent's window: the active packs' indexes rebuilt from the store.

A rebuild takes seconds on a large pack, so it runs on the work runner behind a
progress dialog that is not modal: the index in place answers every search until
the new one is swapped in, and the agent goes on working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from flowdesk.ui.progress import run_with_progress

if TYPE_CHECKING:
    from collections.abc import Callable

    from flowdesk.ui.main_window import MainWindow


def rebuild_indexes(window: MainWindow) -> None:
    """Rebuild the active packs' search indexes from the store, with progress."""
    if window.pack is None:  # nothing installed: nothing to rebuild
        return
    desk = window.desk

    def work(report: Callable[[str, int, int], None], cancel: Callable[[], bool]) -> int:
        infos = desk.active_packs()  # read on the work thread, like the rebuild itself
        for info in infos:
            desk.reindex(info.pack_id, info.sequence, progress=report, cancel=cancel)
        return len(infos)

    done = QCoreApplication.translate("MainWindow", "搜索索引已重建")
    run_with_progress(
        window,
        window.work_runner,
        QCoreApplication.translate("MainWindow", "重建搜索索引"),
        QCoreApplication.translate("MainWindow", "正在重建搜索索引，可以继续使用…"),
        work,
        lambda _n: window.statusBar().showMessage(done, 5000),
        modal=False,  # the index in place answers until the new one is swapped in
    )
