"""Opening a flow in the window: found by its head in the version the window shows and
read alone from the store, off the UI thread; the window never holds a whole pack (a
10,000-flow pack is a quarter million steps, and reading one froze the window)."""

from __future__ import annotations

import dataclasses
import gc
import threading

import pytest

from flowdesk import store
from flowdesk.lookup import PackHeads
from flowdesk.model import FlowHead, Pack, TouchPoint
from flowdesk.ui.flow_finder import FlowFinder
from flowdesk.ui.tasks import TaskRunner
from tests.builders import read_pack, write_pack

NEW_TEXT = "您好！第2版：携号转网免收手续费，请问需要办理吗？"


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


def test_flows_of_the_shown_pack_open_without_asking_the_active_versions(window, asked) -> None:
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


@pytest.fixture
def reads(monkeypatch) -> dict[str, list]:
    """Every whole-version read and every flow read of the store, with its thread."""
    seen: dict[str, list] = {"whole": [], "flows": []}
    whole, flows = store.load_pack, store.load_flows

    def load_pack(conn, pack_id, sequence):
        seen["whole"].append((pack_id, sequence))
        return whole(conn, pack_id, sequence)

    def load_flows(conn, pack_id, sequence, flow_ids):
        seen["flows"].append((pack_id, sequence, tuple(flow_ids), threading.current_thread()))
        return flows(conn, pack_id, sequence, flow_ids)

    monkeypatch.setattr(store, "load_pack", load_pack)
    monkeypatch.setattr(store, "load_flows", load_flows)
    return seen


def _whole_packs_alive(pack_id: str, before: frozenset[int] = frozenset()) -> list[Pack]:
    """Whole packs of ``pack_id`` alive now, leaving out those alive ``before``.

    Earlier tests of the session build packs of the same id that the collector may
    not have freed yet; only packs made since ``before`` say something of this window.
    """
    gc.collect()
    return [
        o
        for o in gc.get_objects()
        if type(o) is Pack and o.id == pack_id and o.flows and id(o) not in before
    ]


def test_the_window_holds_flow_heads_and_reads_a_flow_alone_when_it_is_opened(
    qtbot, window, reads
) -> None:
    before = frozenset(id(p) for p in _whole_packs_alive("test-hotline"))
    window.load_pack()
    assert isinstance(window.pack, PackHeads)
    assert window.pack.flows and all(type(f) is FlowHead for f in window.pack.flows)
    assert window.map.model.rowCount() > 0  # the map and its titles come from the heads
    # nobody holds the steps of the pack the window loaded
    assert _whole_packs_alive(window.pack.id, before) == []

    window.finder = FlowFinder(lambda: window.desk, TaskRunner(1, parent=window))
    assert window.open_flow_id("np-out") is None  # read on a worker thread, then shown
    qtbot.waitUntil(lambda: window.flow.run is not None, timeout=5000)
    assert window.flow.run.flow.id == "np-out" and len(window.flow.run.flow.steps) > 1
    window.open_touchpoint("C1-M-B0101", "CA-按需-1")
    qtbot.waitUntil(lambda: len(reads["flows"]) == 2 and window.session.in_call, timeout=5000)
    assert reads["whole"] == []
    assert [(ids, t is threading.main_thread()) for *_v, ids, t in reads["flows"]] == [
        (("np-out",), False),
        ((window.pack.touchpoint_flows()[TouchPoint("C1", "M", "B0101")],), False),
    ]
    assert window.desk.packs()[0].flow_count > 2  # so one flow read is not the whole pack


def test_a_flow_opened_after_its_version_was_replaced_shows_the_version_shown(
    qtbot, window, tmp_path, ui_pack
) -> None:
    pack, flows = read_pack(ui_pack)
    pack.update(sequence=2, version="第2版")
    for body in flows.values():
        if body["id"] == "np-out":
            body["steps"][0]["text"] = NEW_TEXT
    window.start_call("换版-1")  # the call keeps the version it started on
    window.desk.import_pack(write_pack(tmp_path / "v2", pack, flows))
    run = window.open_flow_id("np-out")
    assert run is not None and run.ref.pack_sequence == 1
    assert run.flow.steps[0].text != NEW_TEXT and window.flow.text.text() != NEW_TEXT

    window.end_call()
    window.load_pack()  # the window now shows version 2
    assert window.pack.sequence == 2
    again = window.open_flow_id("np-out")
    assert again is not None and again.ref.pack_sequence == 2
    assert again.flow.steps[0].text == NEW_TEXT == window.flow.text.text()
