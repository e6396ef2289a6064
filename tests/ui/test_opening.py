"""The desk's stand-in while it opens: the UI thread never waits for it, work threads do."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from flowdesk.ui.opening import LazyDesk


def test_the_ui_thread_is_refused_at_once_instead_of_waiting(tmp_path: Path) -> None:
    desk = LazyDesk(tmp_path / "data")
    with pytest.raises(RuntimeError, match="still opening"):
        desk.packs()  # only the open desk can answer, and it is not open
    assert desk.ui_waits == 1
    assert not desk.is_open


def test_a_work_thread_waits_until_the_desk_is_open(tmp_path: Path) -> None:
    desk = LazyDesk(tmp_path / "data")
    answers: list[object] = []
    asking = threading.Thread(target=lambda: answers.append(desk.packs()))
    asking.start()
    opened = desk.open()  # here on the main thread, as the work runner would
    asking.join(30)
    try:
        assert answers == [[]]  # a new desk: no pack yet, answered once it opened
        assert desk.ui_waits == 0 and desk.is_open
    finally:
        opened.close()
