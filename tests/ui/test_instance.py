"""Screen pop: a second ``flowdesk`` reaches the running window instead of starting another."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from flowdesk.usage.rows import read_events
from tests.ui.desktop import finish, flowdesk, running_desktop


@pytest.fixture
def desktop(qtbot, desk):
    root = desk.data.root
    desk.close()  # the app opens its own desk on the folder, as a real start does
    with running_desktop(qtbot, root) as desktop:
        yield desktop


def test_screen_pop_reaches_the_running_window(qtbot, desktop) -> None:
    window = desktop.window
    root = desktop.desk.data.root
    proc = flowdesk(root, "open", "--touchpoint", "c1-g-b0101", "--call-id", "CALL-7")
    code, err = finish(qtbot, proc)
    assert code == 0, err
    run = window.flow.run
    assert window.session.call_id == "CALL-7"
    assert run is not None and run.flow.id == "np-out" and run.call_id == "CALL-7"
    assert "C1-G-B0101" in window.flow.meta.text()
    # the events went through the desk's real usage log
    window.end_call()
    desktop.log.flush()
    engine = create_engine(f"sqlite:///{desktop.desk.data.usage}")
    with engine.connect() as conn:
        stored = [(e.type, e.call_id) for e in read_events(conn)]
    engine.dispose()
    assert ("desk_status", None) in stored  # the desk's status at start (§5), outside the call
    assert [s for s in stored if s[0] != "desk_status"] == [
        ("call_start", "CALL-7"),
        ("flow_open", "CALL-7"),
        ("flow_abandon", "CALL-7"),
        ("call_end", "CALL-7"),
    ]


def test_a_second_plain_start_focuses_the_first(qtbot, desktop) -> None:
    desktop.window.show_tab(1)  # the agent was in the process map
    assert desktop.window.left.currentIndex() == 1
    with qtbot.waitSignal(desktop.server.message, timeout=30_000) as received:
        proc = flowdesk(desktop.desk.data.root)
    code, err = finish(qtbot, proc)
    assert code == 0, err
    assert received.args == [{"cmd": "focus"}]
    assert desktop.window.isVisible()
    assert not desktop.session.in_call
    box = desktop.window.search.box
    qtbot.waitUntil(lambda: desktop.window.left.currentIndex() == 0, timeout=5000)
    assert desktop.window.focusWidget() is box


def test_a_bad_touchpoint_code_is_refused_without_a_window(tmp_path: Path) -> None:
    proc = flowdesk(tmp_path / "data", "open", "--touchpoint", "转网")
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "touchpoint:" in err.decode() and "CHANNEL-BRAND-BUSINESS" in err.decode()
