"""Once the window has read its pack and the vocabulary, what it holds is frozen out of
Python's collector (flowdesk.gcpause), and a pack change lets the collector see it again.

A full collection over the window's several hundred thousand long-lived objects held
the GIL for 55–60 ms during the agent's first keystrokes (10,000-flow pack). Run in a
child process: freezing is process-wide.
"""

from __future__ import annotations

from pathlib import Path

from tests.ui.window_child import window_child

CHILD = r"""
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
    report = window_child(tmp_path, CHILD)
    assert report["settled"] > 10_000, report  # the modules, the window, the index
    assert report["enabled"] and report["still_enabled"], report  # the pause ended
    assert report["thawed"] == 0, report
    assert report["again"] > 10_000, report
    assert report["found"] > 0, report  # and the window searches on
