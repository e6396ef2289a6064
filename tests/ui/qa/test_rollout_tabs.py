"""The QA view's rollout tabs over a real desk: 终端状态 (desk status) and 必读确认 (notices)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from flowdesk.rollout.desk_status import status_events
from flowdesk.settings import Settings
from flowdesk.usage import UsageEvent
from flowdesk.usage.log import UsageLog

CST = dt.timezone(dt.timedelta(hours=8))


def status(desk, agent: str, team: str, sequence: int, at: dt.datetime) -> list[UsageEvent]:
    """A desk_status as another desk of the floor sent it (its id, its version, its time)."""
    mine = status_events(desk, Settings(agent_id=agent, team=team))
    return [
        replace(e, agent_id=agent, team=team, desk_id=f"pc-{agent}", pack_sequence=sequence, ts=at)
        for e in mine
    ]


def test_team_lead_sees_which_desks_are_not_current(qtbot, desk, tmp_path: Path) -> None:
    from flowdesk.ui.qa import qa_view_for_desk
    from flowdesk.ui.tasks import TaskRunner

    now = dt.datetime.now(CST)
    with UsageLog.open(desk.data.usage) as log:
        for agent, team, seq, age in (
            ("A1001", "一组", 1, 1),
            ("A1002", "一组", 1, 2),
            ("A1003", "一组", 1, 60),  # silent for two and a half days
            ("B2001", "二组", 1, 1),
        ):
            for event in status(desk, agent, team, seq, now - dt.timedelta(hours=age)):
                log.record(event)
        log.flush()
    view = qa_view_for_desk(desk, TaskRunner(synchronous=True))
    qtbot.addWidget(view)
    page = view.desk_status
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        view.tabs.setCurrentWidget(page)
    model = page.model
    assert model.rowCount() == 4
    first = model.row(0)
    assert first["agent_id"] == "A1003" and first["status"] == "失联" and first["below"]
    assert all(not model.row(r)["below"] for r in range(1, 4))
    assert "一组 2/3" in page.summary.text() and "二组 1/1" in page.summary.text()
    page.team.setCurrentIndex(page.team.findData("二组"))
    assert model.rowCount() == 1 and model.row(0)["agent_id"] == "B2001"
    headers = [model.headerData(c, _horizontal()) for c in range(model.columnCount())]
    assert "班组" in headers and "生效版本" in headers and "最近联系" in headers


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
