"""The agent's window on a real desk: a small Chinese pack imported into tmp_path, offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from pathlib import Path

import pytest

from flowdesk.calls import CallSession
from flowdesk.desk import Desk
from flowdesk.settings import Settings
from flowdesk.usage.events import UsageEvent
from tests.builders import write_pack

#: 携号转网: five steps and a decision on the way to the end, as a real call goes.
PORTING = {
    "id": "np-out",
    "title": "携号转网受理",
    "class": "handling",
    "business": "B0101",
    "touchpoints": [{"channel": "C1"}],
    "keywords": ["转网", "携转", "带号转网"],
    "steps": [
        {
            "id": "greet",
            "type": "script",
            "text": "您好，请问您是要办理携号转网吗？",
            "required": True,
        },
        {
            "id": "verify",
            "type": "check",
            "text": "核实机主身份：服务密码或身份证件。",
            "note": "代办需核验双方证件",
            "required": True,
        },
        {"id": "query", "type": "action", "text": "在携转系统查询转网资格。"},
        {
            "id": "eligible",
            "type": "decision",
            "text": "号码是否满足携转条件？",
            "options": [
                {"label": "满足条件", "next": "code"},
                {"label": "不满足", "next": "explain"},
            ],
        },
        {"id": "code", "type": "script", "text": "请发送 SQXZW#姓名#证件号 到 10086。"},
        {"id": "confirm", "type": "check", "text": "确认客户已收到授权码。", "next": "bye"},
        {
            "id": "explain",
            "type": "transfer",
            "text": "转携号转网专席解释原因。",
            "target": "携转专席",
        },
        {"id": "bye", "type": "end", "text": "感谢您的来电，再见！", "required": True},
    ],
}


@pytest.fixture
def ui_pack(tmp_path: Path, pack_data: tuple[dict, dict]) -> Path:
    """The shared test pack with the longer 携号转网 flow; C2 × 携号转网 is left a blind spot."""
    pack, flows = pack_data
    flows["flows/number/np.yaml"] = PORTING
    return write_pack(tmp_path / "pack", pack, flows)


@pytest.fixture
def desk(tmp_path: Path, ui_pack: Path):
    desk = Desk.open(tmp_path / "data")
    desk.import_pack(ui_pack)
    yield desk
    desk.close()


@pytest.fixture
def events() -> list[UsageEvent]:
    return []


@pytest.fixture
def window(qtbot, desk, events):
    """The real main window over the desk, searches run inline, events collected in a list."""
    from flowdesk.ui.main_window import MainWindow
    from flowdesk.ui.tasks import TaskRunner

    settings = Settings(agent_id="A1001", team="话务一组")
    session = CallSession(settings.agent_id, settings.team, events.append)
    # held here for the window's life, as the application holds the app's runners: a
    # test that swaps one in must not free the other while its signals are in flight
    search_runner, work_runner = TaskRunner(1, synchronous=True), TaskRunner(1, synchronous=True)
    win = MainWindow(
        desk,
        settings,
        session,
        settings_path=desk.data.settings,
        search_runner=search_runner,
        work_runner=work_runner,
    )
    qtbot.addWidget(win)
    win.load_pack()
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    yield win
    win.close()
