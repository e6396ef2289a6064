"""Opening a flow in the window: found in the pack the window shows, the store asked only
off the UI thread (a 10,000-flow pack read from SQLite would freeze the window)."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from flowdesk.ui.flow_finder import FlowFinder
from flowdesk.ui.tasks import TaskRunner


@pytest.fixture
def asked(window, monkeypatch) -> list[tuple[str, tuple, threading.Thread]]:
    """Every flow the desk is asked for: which method, its arguments, on which thread."""
    seen: list[tuple[str, tuple, threading.Thread]] = []
    for name in ("flow", "flow_for_touchpoint", "pack"):
        real = getattr(window.desk, name)

        def spy(*args, _name=name, _real=real, **kwargs):
            seen.append((_name, args, threading.current_thread()))
            return _real(*args, **kwargs)

        monkeypatch.setattr(window.desk, name, spy)
    return seen


def test_flows_of_the_shown_pack_open_without_asking_the_desk(window, asked) -> None:
    run = window.open_flow_id("np-out")
    assert run is not None and run.flow.title == "携号转网受理"
    assert (run.ref.pack_id, run.ref.pack_sequence) == (window.pack.id, window.pack.sequence)
    popped = window.open_touchpoint("c1-m-b0101", "CA-携转-1")
    expected, _info = window.desk.flow_for_touchpoint("C1-M-B0101")
    asked.clear()  # the line above is the test's own question
    assert popped is not None and popped.flow.id == expected.id
    again = window.open_recent(0)  # Alt+1: the flow opened last
    assert again is not None and again.flow.id == expected.id
    assert asked == []


def test_a_flow_the_shown_pack_lacks_is_asked_of_the_desk_on_the_work_thread(
    qtbot, window, asked
) -> None:
    window.pack = dataclasses.replace(window.pack, flows=())  # as if loaded before np-out
    window.finder = FlowFinder(lambda: window.desk, TaskRunner(1, parent=window))
    assert window.open_flow_id("np-out") is None  # not yet: the work thread reads it
    qtbot.waitUntil(lambda: window.flow.run is not None, timeout=5000)
    assert window.flow.run.flow.id == "np-out" and window.flow.run.ref.pack_sequence == 1
    assert [(name, args) for name, args, _t in asked if name == "flow"] == [
        ("flow", ("np-out", None))
    ]
    assert all(t is not threading.main_thread() for _n, _a, t in asked)


def test_unknown_flows_and_codes_say_so_in_the_status_bar(window) -> None:
    assert window.open_flow_id("没有这个流程") is None
    assert "没有这个流程" in window.statusBar().currentMessage()
    assert window.open_touchpoint("不是接触点") is None
    assert "不是接触点" in window.statusBar().currentMessage()
    assert window.open_touchpoint("C9-M-B0101") is None
    assert "C9-M-B0101" in window.statusBar().currentMessage()
