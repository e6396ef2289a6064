"""What the agent's window process loads: no pack reader (YAML) unless a pack is read.

The pack reader, YAML and their tables stay resident for the process's life once
imported; the window reads packs from the store, so a start, a search and an
opened flow must not load them (issue: the window's memory on a 10,000-flow pack).
"""

from __future__ import annotations

from pathlib import Path

from tests.ui.window_child import window_child

CHILD = r"""
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
    report = window_child(tmp_path, CHILD)
    assert report["found"]["携号转网"] > 0 and report["found"]["xiehao"] > 0, report
    assert report["loaded"] == [], report
