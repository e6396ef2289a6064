"""What the agent's window process loads: no pack reader (YAML) unless a pack is read.

The pack reader, YAML and their tables stay resident for the process's life once
imported; the window reads packs from the store, so a start, a search and an
opened flow must not load them (issue: the window's memory on a 10,000-flow pack).
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
import json, sys, time
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
run(1.0)
found = {}
for query in ("携号转网", "xiehao"):
    loop = QEventLoop()
    window.search.controller.results.connect(loop.quit)
    QTimer.singleShot(10000, loop.quit)
    window.search.box.setText(query)
    loop.exec()
    window.search.controller.results.disconnect(loop.quit)
    found[query] = window.search.model.rowCount()
window.open_flow_id(window.pack.flows[0].id)
run(1.0)
loaded = sorted(
    m for m in sys.modules
    if m.split(".")[0] in ("yaml", "ruamel", "openpyxl")
    or m in ("flowdesk.packs.load", "flowdesk.packs.source", "flowdesk.packs.archive")
)
desktop.close()
print(json.dumps({"found": found, "loaded": loaded}))
"""


def test_window_start_search_and_open_load_no_pack_reader(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Desk.open(data) as desk:
        desk.import_pack(write_pack(tmp_path / "src"))
    Settings(agent_id="A1", team="t").save(data / "settings.json")
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["found"]["携号转网"] > 0 and report["found"]["xiehao"] > 0, report
    assert report["loaded"] == [], report
