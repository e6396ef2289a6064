"""Screen pop with values into the running window, and the flow view filling the script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtNetwork import QLocalSocket

from flowdesk.desk import Desk
from flowdesk.ui.instance import MAX_LINE_BYTES, server_name
from tests.builders import write_context_pack
from tests.ui.desktop import finish, flowdesk, running_desktop


@pytest.fixture
def desktop(qtbot, tmp_path: Path):
    with Desk.open(tmp_path / "data") as desk:
        desk.import_pack(write_context_pack(tmp_path / "src"))
    with running_desktop(qtbot, tmp_path / "data") as desktop:
        yield desktop


def test_a_pop_with_values_fills_the_script_and_takes_decisions(qtbot, desktop) -> None:
    window, root = desktop.window, desktop.desk.data.root
    assert window.flow.run is None  # before any flow: no decision banner, no value row
    assert not window.flow.auto.isVisible() and not window.flow.value_row.isVisible()
    proc = flowdesk(root, "open", "--touchpoint", "C1-M-B0101", "--call-id", "CA-100",
                    "--var", "name=张先生", "--var", "plan=畅享套餐", "--var", "has_debt=否",
                    "--var", "port_code=AB12345678", "--var", "crm_level=金卡")  # fmt: skip
    code, err = finish(qtbot, proc)
    assert code == 0, err
    view = window.flow
    assert view.run is not None and view.run.flow.id == "np-ctx"
    assert window.session.call_id == "CA-100"
    html = view.text.text()
    assert "张先生" in html and "畅享套餐" in html and "background:#fff1a8" in html
    assert "******5678" in view.note.text() and "AB12345678" not in view.note.text()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Space)  # greet
    qtbot.keyClick(view, Qt.Key.Key_Space)  # verify → brand (M) and debt (否) by themselves
    assert view.run.current == "carrier"
    assert "品牌 = 动感地带 → 其他品牌" in view.auto.text()
    assert "是否欠费 = 否 → 无欠费" in view.auto.text()
    assert "⚡" in view.path.item(2).text()
    # the input step takes the value by keyboard
    assert view.value_row.isVisible()
    qtbot.waitUntil(lambda: view.value_row.edit.hasFocus())
    view.value_row.edit.insert("中国电信")  # what an input method commits
    qtbot.keyClick(view.value_row.edit, Qt.Key.Key_Return)
    assert view.run.current == "apply"
    assert "中国电信" in view.text.text() and "******5678" in view.text.text()
    qtbot.keyClick(view, Qt.Key.Key_F8)
    summary = QGuiApplication.clipboard().text()
    assert "转入运营商：中国电信" in summary and "（自动：品牌 = 动感地带）" in summary
    assert view.summary.isVisible()
    window.end_call()
    desktop.log.flush()
    events = [json.loads(line) for line in _export(desktop)]
    assert [(e["step_id"], e.get("auto")) for e in events if e["type"] == "branch"] == [
        ("brand", True),
        ("debt", True),
    ]
    text = json.dumps(events, ensure_ascii=False)
    assert "张先生" not in text and "中国电信" not in text and "AB12345678" not in text


def _export(desktop) -> list[str]:
    from sqlalchemy import create_engine

    from flowdesk.usage.rows import read_events

    engine = create_engine(f"sqlite:///{desktop.desk.data.usage}")
    with engine.connect() as conn:
        lines = [json.dumps(e.to_json(), default=str) for e in read_events(conn)]
    engine.dispose()
    return lines


def test_the_url_form_reaches_the_window_and_unknown_values_can_be_filled(qtbot, desktop) -> None:
    window, root = desktop.window, desktop.desk.data.root
    url = "flowdesk://open?touchpoint=C1-G-B0101&call_id=CA-200&name=%E6%9D%8E%E5%A5%B3%E5%A3%AB"
    code, err = finish(qtbot, flowdesk(root, url))
    assert code == 0, err
    view = window.flow
    assert window.session.call_id == "CA-200" and view.run.flow.id == "np-ctx"
    assert "李女士" in view.text.text()
    assert 'href="fill:plan"' in view.text.text() and "【当前套餐】" in view.text.text()
    view.text.linkActivated.emit("fill:plan")  # the agent clicks 【当前套餐】
    assert view.value_row.isVisible() and "当前套餐" in view.value_row.label.text()
    view.value_row.edit.insert("尊享套餐")
    qtbot.keyClick(view.value_row.edit, Qt.Key.Key_Return)
    assert "尊享套餐" in view.text.text() and "【当前套餐】" not in view.text.text()
    # the data's answer is taken; going back, the agent overrides it
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.run.current == "vip"
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert view.run.current == "brand"
    assert "⚡ 品牌 = 全球通" in view.findChild(type(view.done_button), "option1").text()
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert view.run.current == "debt" and "brand" not in view.run.auto


def test_malformed_pops_are_refused_and_the_window_lives_on(qtbot, desktop) -> None:
    window, root = desktop.window, desktop.desk.data.root
    code, err = finish(qtbot, flowdesk(root, "flowdesk://open?touchpoint=C1-G-B0101&Name=x"))
    assert code == 1 and "not a variable name" in err and "Traceback" not in err
    # a sender that skips the command line's checks: the window checks again
    for message in (
        {"cmd": "open", "touchpoint": "C1-G-B0101", "values": {"name": "x" * 600}},
        {"cmd": "open", "touchpoint": "C1-G-B0101", "values": ["name"]},
        {"cmd": "open", "touchpoint": 7},
    ):
        window.handle_message(message)
        assert "已拒绝" in window.statusBar().currentMessage()
    assert window.flow.run is None and not window.session.in_call
    # an endless line is refused whole, never acted on
    socket = QLocalSocket()
    socket.connectToServer(server_name(root))
    assert socket.waitForConnected(5000)
    socket.write(b'{"cmd": "open", "touchpoint": "C1-G-B0101", "x": "' + b"a" * MAX_LINE_BYTES)
    qtbot.waitUntil(lambda: socket.state() != QLocalSocket.LocalSocketState.ConnectedState
                    or socket.bytesAvailable() > 0, timeout=10_000)  # fmt: skip
    assert not window.session.in_call
    code, err = finish(qtbot, flowdesk(root, "open", "--touchpoint", "C1-G-B0101"))
    assert code == 0, err  # and the next pop works
    assert window.session.in_call
