"""Once the window has read its pack and the vocabulary, what it holds is frozen out of
Python's collector (flowdesk.gcpause), and a pack change lets the collector see it again.

A full collection over the window's several hundred thousand long-lived objects held
the GIL for 55–60 ms during the agent's first keystrokes (10,000-flow pack). Run in a
child process: freezing is process-wide.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from flowdesk.desk import Desk
from flowdesk.settings import Settings
from tests.builders import write_pack

CHILD = r"""
import gc, json, sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop
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
run(30, lambda: gc.get_freeze_count() > 0)
settled = gc.get_freeze_count()
enabled = gc.isenabled()
window.set_pack(window.pack)  # a pack change (a sync, a delta)
thawed = gc.get_freeze_count()
run(30, lambda: gc.get_freeze_count() > 0)
again = gc.get_freeze_count()
run(0.5)
window.search.box.setText("携号转网")
run(10, lambda: window.search.model.rowCount() > 0)
found = window.search.model.rowCount()
desktop.close()
print(json.dumps({"settled": settled, "enabled": enabled, "thawed": thawed, "again": again,
                  "still_enabled": gc.isenabled(), "found": found}))
"""


def test_the_settled_window_is_frozen_out_of_collection_until_its_pack_changes(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with Desk.open(data) as desk:
        desk.import_pack(write_pack(tmp_path / "src"))
    Settings(agent_id="A1", team="t").save(data / "settings.json")
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(data)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["settled"] > 10_000, report  # the modules, the window, the index
    assert report["enabled"] and report["still_enabled"], report  # the pause ended
    assert report["thawed"] == 0, report
    assert report["again"] > 10_000, report
    assert report["found"] > 0, report  # and the window searches on
