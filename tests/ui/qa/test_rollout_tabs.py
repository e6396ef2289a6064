"""The QA view's rollout tabs over a real desk: 终端状态 (desk status) and 必读确认 (notices)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from flowdesk.rollout.desk_status import status_events
from flowdesk.settings import Settings
from flowdesk.ui.i18n import install_translators
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
    page = view.desk_status
    page.team.setCurrentIndex(page.team.findData("二组"))
    assert model.rowCount() == 1 and model.row(0)["agent_id"] == "B2001"
    headers = [model.headerData(c, _horizontal()) for c in range(model.columnCount())]
    assert "班组" in headers and "生效版本" in headers and "最近联系" in headers
    app = QApplication.instance()
    try:
        install_translators(app, "en")
        english = [model.headerData(c, _horizontal()) for c in range(model.columnCount())]
    finally:
        install_translators(app, "zh_CN")
    assert len(english) == len(headers)
    assert not any(_han(h) for h in english), english  # every heading has its English
    assert [model.headerData(c, _horizontal()) for c in range(model.columnCount())] == headers


def _han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _floor(desk) -> None:  # type: ignore[no-untyped-def]
    """Three desks of 一组 (one silent) and one of 二组, as they reported."""
    now = dt.datetime.now(CST)
    with UsageLog.open(desk.data.usage) as log:
        for agent, team, age in (("A1001", "一组", 1), ("A1003", "一组", 60), ("B2001", "二组", 1)):
            for event in status(desk, agent, team, 1, now - dt.timedelta(hours=age)):
                log.record(event)
        log.flush()


def _shown(qtbot, desk, tab: str):  # type: ignore[no-untyped-def]
    """The desk's QA view, its usage tabs loaded, showing the rollout tab ``tab``."""
    from flowdesk.ui.qa import qa_view_for_desk
    from flowdesk.ui.tasks import TaskRunner

    view = qa_view_for_desk(desk, TaskRunner(synchronous=True))
    qtbot.addWidget(view)
    view.refresh()  # the usage tabs loaded too: each tab must export its own report
    assert view.snapshot is not None
    page = getattr(view, tab)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        view.tabs.setCurrentWidget(page)
    return view


def test_export_on_the_desks_tab_writes_the_desks_shown(qtbot, desk, tmp_path: Path) -> None:
    """导出 on 终端状态 writes that table (not the tab before it), as filtered by team."""
    from tests.builders import sheet_rows

    _floor(desk)
    view = _shown(qtbot, desk, "desk_status")
    assert view.export_current(tmp_path / "desks.xlsx")
    rows = sheet_rows(tmp_path / "desks.xlsx", "desks")
    header = rows[0]
    assert header[:4] == ("team", "desk_id", "agent_id", "status")
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("一组", "A1003", "失联"),  # needing attention first, as on screen
        ("一组", "A1001", "正常"),
        ("二组", "B2001", "正常"),
    ]
    import re

    last = header.index("last_contact")  # exported as recorded, shown to the minute
    assert dt.datetime.fromisoformat(rows[1][last]).tzinfo is not None
    shown = view.desk_status.model.row(0)["last_contact"]
    assert re.fullmatch(r"\d\d-\d\d \d\d:\d\d", str(shown)), shown
    summary = dict(sheet_rows(tmp_path / "desks.xlsx", "summary"))
    assert summary["attention"] == 1 and summary["silent"] == 1
    page = view.desk_status
    page.team.setCurrentIndex(page.team.findData("二组"))
    assert view.export_current(tmp_path / "二组.csv")
    text = (tmp_path / "二组.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(text) == 2 and "B2001" in text[1] and "pc-B2001" in text[1]


def test_export_on_the_acknowledgements_tab_writes_who_confirmed(qtbot, tmp_path: Path) -> None:
    """导出 on 必读确认 writes the acknowledgements: who confirmed, who ran the flow first."""
    from flowdesk.desk import Desk
    from tests.builders import sheet_rows
    from tests.rollout.versions_fixtures import version

    with Desk.open(tmp_path / "qa") as desk:
        desk.import_pack(version(tmp_path, 1))
        note = "携号转网免收手续费"
        v2 = version(tmp_path, 2, greeting="您好！现已免费。", extra={"must_read": note})
        desk.import_pack(v2)
        np = {"pack_id": "test-hotline", "pack_sequence": 2, "flow_id": "np-out"}
        at = dt.datetime.now(CST)
        with UsageLog.open(desk.data.usage) as log:
            for agent, kind, minutes, extra in (
                ("A1001", "notice_ack", 1, {}),
                ("A1001", "flow_open", 2, {"run_id": "r1"}),
                ("A1002", "flow_open", 3, {"run_id": "r2"}),
                ("A1003", "call_start", 4, {"call_id": "c3"}),
            ):
                fields = {**(np if kind != "call_start" else {}), **extra}
                event = UsageEvent.new(kind, agent, "一组", **fields)
                log.record(replace(event, ts=at + dt.timedelta(minutes=minutes)))
            log.flush()
        view = _shown(qtbot, desk, "acknowledgements")
        assert view.export_current(tmp_path / "acks.xlsx")
    rows = sheet_rows(tmp_path / "acks.xlsx", "acknowledgements")
    columns = rows[0]
    got = {r[columns.index("agent_id")]: r for r in rows[1:]}
    assert set(got) == {"A1001", "A1002", "A1003"}
    status_at = columns.index("status")
    assert got["A1001"][status_at] == "已确认" and got["A1001"][columns.index("confirmed_at")]
    assert got["A1002"][status_at] == "未确认先运行"
    assert got["A1002"][columns.index("runs_before_confirm")] == 1
    assert got["A1003"][status_at] == "未确认"
    assert rows[1][columns.index("agent_id")] != "A1001"  # attention first
    assert got["A1002"][columns.index("note")] == note
