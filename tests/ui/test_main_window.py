"""The agent's window driven by the keyboard alone, as on a call."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.agent import type_text


def kinds(events: list[Any]) -> list[str]:
    return [f"{e.type}:{e.step_id}" if e.step_id else e.type for e in events]


def key(qtbot, widget, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, k, modifier)


def test_search_has_focus_at_start(window) -> None:
    assert QApplication.focusWidget() is window.search.box


def test_a_whole_call_by_keyboard(qtbot, window, events) -> None:
    """Shortcut, type, open, five steps, a decision, complete, end call."""
    key(qtbot, window, Qt.Key.Key_F2)
    assert window.session.in_call
    key(qtbot, window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, window.search.box, "携转")
    window.search.controller.search_now()
    assert window.search.model.rowCount() >= 1
    assert window.search.model.hit(0).flow_id == "np-out"
    key(qtbot, window.search.box, Qt.Key.Key_Return)
    flow = window.flow
    assert flow.run is not None and flow.run.current == "greet"
    assert flow.hasFocus()
    for _ in range(3):  # greet, verify, query
        key(qtbot, flow, Qt.Key.Key_Space)
    assert flow.run.current == "eligible"
    assert flow.options.count() == 2
    key(qtbot, flow, Qt.Key.Key_1)
    assert flow.run.current == "code"
    key(qtbot, flow, Qt.Key.Key_Space)  # code
    key(qtbot, flow, Qt.Key.Key_Space)  # confirm → bye
    assert flow.run.current == "bye"
    key(qtbot, flow, Qt.Key.Key_Space)  # bye: the end completes the run
    assert not flow.run.is_open and flow.run.finished == "complete"
    key(qtbot, window, Qt.Key.Key_F4)
    assert not window.session.in_call
    assert kinds(events) == [
        "call_start",
        "search",
        "flow_open",
        "step_done:greet",
        "step_done:verify",
        "step_done:query",
        "step_done:eligible",
        "branch:eligible",
        "step_done:code",
        "step_done:confirm",
        "step_done:bye",
        "flow_complete:bye",
        "call_end",
    ]
    search = events[1]
    assert search.query == "携转" and search.opened_flow_id == "np-out"
    assert search.result_count >= 1
    assert events[7].option == "code"
    call_ids = {e.call_id for e in events}
    assert len(call_ids) == 1 and None not in call_ids
    assert {e.pack_id for e in events[2:12]} == {"test-hotline"}
    assert QApplication.focusWidget() is window.search.box  # ready for the next call


def test_back_restart_and_digits_that_do_not_apply(qtbot, window, events) -> None:
    window.open_flow_id("np-out")
    flow = window.flow
    key(qtbot, flow, Qt.Key.Key_2)  # a digit on a script step does nothing
    assert flow.run.current == "greet"
    key(qtbot, flow, Qt.Key.Key_Space)
    key(qtbot, flow, Qt.Key.Key_Backspace)
    assert flow.run.current == "greet"
    key(qtbot, flow, Qt.Key.Key_Space)
    key(qtbot, flow, Qt.Key.Key_Space)
    key(qtbot, flow, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert flow.run.current == "greet" and flow.run.is_open
    key(qtbot, flow, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "您好，请问您是要办理携号转网吗？"
    assert "np-out" in flow.meta.text() and "2026.11 第1版" in flow.meta.text()
    assert "C1-G-B0101" in flow.meta.text()


def test_transfer_shows_its_target(qtbot, window) -> None:
    window.open_flow_id("np-out")
    flow = window.flow
    for _ in range(3):
        key(qtbot, flow, Qt.Key.Key_Space)
    key(qtbot, flow, Qt.Key.Key_2)
    assert flow.run.current == "explain"
    assert flow.target.isVisibleTo(window) and "携转专席" in flow.target.text()


def test_an_open_flow_is_abandoned_when_the_call_ends(qtbot, window, events) -> None:
    key(qtbot, window, Qt.Key.Key_F2)
    type_text(qtbot, window.search.box, "话费")
    key(qtbot, window.search.box, Qt.Key.Key_Return)
    key(qtbot, window.flow, Qt.Key.Key_Space)
    key(qtbot, window, Qt.Key.Key_F4)
    assert kinds(events)[-2:] == ["flow_abandon:s2", "call_end"]
    assert events[-2].flow_id == "bill-query"


def test_several_flows_in_one_call_and_recent_flows_one_key_away(qtbot, window, events) -> None:
    key(qtbot, window, Qt.Key.Key_F2)
    window.open_flow_id("np-out")
    key(qtbot, window.flow, Qt.Key.Key_Space)
    window.open_flow_id("bill-query")
    assert window.runs.count() == 2
    key(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # recent #2: 携号转网
    assert window.flow.run.flow.id == "np-out" and window.flow.run.current == "verify"
    opens = [e for e in events if e.type == "flow_open"]
    assert len(opens) == 2  # returning to a run does not open a second one


def test_process_map_marks_blind_spots_and_opens_a_cell_by_keyboard(qtbot, window) -> None:
    key(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    model = window.map.model
    kinds_by_cell = {
        model.data(model.index(r, c), Qt.ItemDataRole.UserRole + 2): model.cell_kind(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    }
    assert kinds_by_cell["C2-G-B0101"] == "blind"  # offered on the web, no flow claims it
    assert kinds_by_cell["C1-G-B0101"] == "flow"
    table = window.map.table
    assert table.hasFocus()
    row = next(r for r in range(model.rowCount()) if model.flow_id(r, 0) == "np-out")
    table.setCurrentIndex(model.index(row, 0))
    key(qtbot, table, Qt.Key.Key_Return)
    assert window.flow.run.flow.id == "np-out"
    assert "C1-G-B0101" in window.flow.meta.text()


def test_the_usual_channel_is_remembered(window, desk) -> None:
    from flowdesk.settings import Settings

    combo = window.search.channel
    combo.setCurrentIndex(combo.findData("C2"))
    assert Settings.load(desk.data.settings).usual_channel == "C2"


def test_a_search_with_no_result_says_so(qtbot, window) -> None:
    type_text(qtbot, window.search.box, "宽带报装")
    window.search.controller.search_now()
    assert window.search.model.rowCount() == 0
    assert "没有找到" in window.search.status.text()
