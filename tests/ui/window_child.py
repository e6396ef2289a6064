"""A real window in a child process, for what is process-wide (modules loaded, the
collector's state): the child starts the window on a data folder, waits for its pack,
runs a script's body and prints one JSON line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from flowdesk.desk import Desk
from flowdesk.settings import Settings
from tests.builders import write_pack

#: The child's start: ``app``, ``desktop``, ``window`` shown with its pack, and
#: ``run(seconds, until)`` turning the event loop until ``until()`` or the time is up.
PREAMBLE = r"""
import gc, json, sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from flowdesk.ui.app import application, build_desktop, start

app = application()
desktop = build_desktop(Path(sys.argv[1]), listen=False, ask_agent=False)
window = desktop.window
start(desktop)

def run(seconds, until=lambda: False):
    deadline = time.perf_counter() + seconds
    while not until() and time.perf_counter() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

run(60, lambda: window.pack is not None)
"""


def window_child(tmp_path: Path, body: str) -> dict:
    """Run ``body`` after :data:`PREAMBLE` on a desk holding the test pack; its last
    printed line, read as JSON."""
    data = tmp_path / "data"
    with Desk.open(data) as desk:
        desk.import_pack(write_pack(tmp_path / "src"))
    Settings(agent_id="A1", team="t").save(data / "settings.json")
    out = subprocess.run(
        [sys.executable, "-c", PREAMBLE + body, str(data)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
