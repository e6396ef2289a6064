"""The agent's window as a benchmark child process starts it: agent set, pack shown.

The typing and the screen-pop benchmarks measure a window that is up and shows
its pack, started the way ``flowdesk`` starts it (the desk opens on the work
thread); both start it here, so they measure the same window.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from flowdesk.ui.app import Desktop


def window_showing_pack(
    data: str, *, listen: bool, timeout_s: float
) -> tuple[QApplication, Desktop]:
    """The application and the desktop on ``data``, once the window shows its pack
    (or ``timeout_s`` has passed); ``listen``: take screen pops on the local socket."""
    from PySide6.QtCore import QEventLoop

    from flowdesk.paths import DataDir
    from flowdesk.settings import Settings
    from flowdesk.ui.app import application, build_desktop, start

    app = application()
    Settings(agent_id="BENCH", team="bench").save(DataDir(Path(data)).settings)
    desktop = build_desktop(Path(data), listen=listen, ask_agent=False)
    start(desktop)
    deadline = time.perf_counter() + timeout_s
    while desktop.window.pack is None and time.perf_counter() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    return app, desktop
