"""A running FlowDesk desktop on a real data folder, and a second ``flowdesk`` that reaches it.

The screen-pop tests start the whole application (desk, window, single-instance
listener) as a real start does, then run the command line in a child process
while the window answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def running_desktop(qtbot, root: Path) -> Iterator[Any]:
    """The application started on ``root``, listening for a second start; closed after."""
    from flowdesk.ui.app import build_desktop, start

    desktop = build_desktop(root, synchronous=True, listen=True, ask_agent=False)
    qtbot.addWidget(desktop.window)
    start(desktop)
    qtbot.waitUntil(lambda: desktop.window.pack is not None)
    try:
        yield desktop
    finally:
        desktop.close()


def flowdesk(data: Path, *args: str) -> subprocess.Popen:
    """A second ``flowdesk`` on ``data``, started without waiting for it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "flowdesk", *args, "--data-dir", str(data)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(qtbot, proc: subprocess.Popen) -> tuple[int, str]:
    """Let the window answer while the second process runs; its exit code and stderr."""
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    _out, err = proc.communicate()
    return proc.returncode, err.decode("utf-8", "replace")
