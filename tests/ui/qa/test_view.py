"""The QA view (flowdesk.ui.qa), driven offscreen with real snapshots of the report tests'
calls (their fixtures come from ``tests/reports/report_fixtures.py``)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from flowdesk.reports import UsageSnapshot
from tests.builders import sheet_rows
from tests.reports.report_fixtures import COMPLIANT, PACKS, T0, Calls, lookup

NOW = T0 + timedelta(days=30)


@pytest.fixture
def view(qtbot, calls: Calls, store):  # type: ignore[no-untyped-def]
    from flowdesk.ui.qa import QaView
    from flowdesk.ui.tasks import TaskRunner

    for i in range(3):
        calls.run(f"a{i}", i * 3, COMPLIANT, team="一组")
    calls.run("b0", 20, ["greet"], team="二组 erzu", agent="B002")
    calls.run(
        "b1",
        7 * 24 * 60,
        ["greet", "verify", "branch:ask:balance"],
        team="二组 erzu",
        agent="B002",
        end="abandon",
    )
    calls.run("p0", 30, ["explain", "confirm", "change"], flow="plan-change")
    calls.add("search", 40, query="携号转网 xiehao", result_count=0)
    engine = store(calls.events)
    offered = list(PACKS[1].offered_touchpoints())
    runner = TaskRunner(synchronous=True)
    widget = QaView(
        lambda: UsageSnapshot.load(engine, lookup, offered, now=NOW),
        runner,
        pack=PACKS[1],
        benchmark=0.9,
    )
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.refresh()
    return widget


def test_overview_shows_trend_and_teams_against_the_benchmark(view) -> None:
    assert [b.label for b in view.trend.bars] == ["2026-W45"]  # the abandoned run is not in it
    assert view.trend.bars[0].value == pytest.approx(4 / 5)
    assert view.teams.below() == ["二组 erzu"]
    assert "流程规范率" in view.status.text()
    first_worst = view.worst_flows.row(0)
    assert first_worst["key"] == "bill-query"
    view.period.setCurrentIndex(2)  # by month
    assert [b.label for b in view.trend.bars] == ["2026-11"]


def test_models_pass_the_model_tester(view, qtmodeltester) -> None:
    for model in (view.flows, view.team_model, view.misses, view.map_model):
        qtmodeltester.check(model)


def test_drill_down_from_flow_to_steps_to_one_run(view) -> None:
    row = next(i for i in range(view.flows.rowCount()) if view.flows.row(i)["key"] == "bill-query")
    view.flow_table.selectRow(row)
    assert view.flow_steps.report is not None
    steps = {r["step_id"]: r for r in view.flow_steps.report.rows}
    assert steps["verify"]["skipped_runs"] == 1
    assert view.run_list.count() == 5
    assert view.run_list.item(0).text().startswith("· B002")  # newest: the abandoned run
    view.run_list.setCurrentRow(1)  # b0: greet only, completed
    lines = view.run_path.describe()
    assert lines[0].startswith("greet * 已完成")
    assert lines[1].startswith("verify * 跳过")
    view.run_path.repaint()


def test_process_map_coloured_by_compliance_and_by_use(view) -> None:
    from PySide6.QtCore import Qt

    model = view.map_model
    b01 = [b.code for b in PACKS[1].businesses].index("B01")
    c1 = [c.code for c in PACKS[1].channels].index("C1")
    b03 = [b.code for b in PACKS[1].businesses].index("B03")
    c2 = [c.code for c in PACKS[1].channels].index("C2")
    assert model.data(model.index(b01, c1)) == "75%"  # 3 of 4 completed runs
    assert model.data(model.index(b03, c2)) == ""  # 宽带报修 is not offered on the app
    assert model.cell(b03, c1) == {"runs": 0.0, "completed": 0.0, "compliant": 0.0}
    view.map_mode.setCurrentIndex(1)
    assert model.data(model.index(b01, c1)) == "10"  # 5 runs × the two brands on the hotline
    assert model.data(model.index(b01, c1), Qt.ItemDataRole.ToolTipRole).startswith("运行 10")


def test_export_writes_the_visible_report(view, tmp_path: Path) -> None:
    view.tabs.setCurrentIndex(4)
    view.export_current(tmp_path / "misses.xlsx")
    assert sheet_rows(tmp_path / "misses.xlsx", "search-misses")[1][0] == "携号转网 xiehao"
    view.tabs.setCurrentIndex(2)
    view.export_current(tmp_path / "coverage.csv")
    assert "C1-G-B03" in (tmp_path / "coverage.csv").read_text(encoding="utf-8-sig")


def test_an_export_that_cannot_be_written_is_told_plainly_not_raised(view, tmp_path) -> None:
    """A file where the folder should be, or a name the reports cannot write: the QA lead
    reads why, the view lives on, nothing half-written is left."""
    from PySide6.QtWidgets import QMessageBox

    view.tabs.setCurrentIndex(2)
    (tmp_path / "报表 reports").write_text("not a folder", encoding="utf-8")
    for target in (tmp_path / "报表 reports" / "coverage.csv", tmp_path / "coverage.pdf"):
        assert view.export_current(target) is False
        assert not target.exists()
        assert "导出失败" in view.status.text()
        assert "Error" not in view.status.text()  # never an exception class name
        boxes = [b for b in view.findChildren(QMessageBox) if b.isVisible()]
        assert len(boxes) == 1 and "Error" not in boxes[0].text()
        boxes[0].accept()
    assert "coverage.pdf" in view.status.text()  # the refusal names the file
    assert view.export_current(tmp_path / "coverage.csv") is True


def test_a_failed_load_is_shown_not_raised(qtbot) -> None:
    from flowdesk.problems import Refused
    from flowdesk.ui.qa import QaView
    from flowdesk.ui.tasks import TaskRunner

    def broken() -> UsageSnapshot:
        raise Refused("usage log schema version 99 is newer than this FlowDesk knows")

    widget = QaView(broken, TaskRunner(synchronous=True))
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.failed, timeout=5_000) as signal:
        widget.refresh()
    assert "99" in signal.args[0]
    assert "加载失败" in widget.status.text() and widget.refresh_button.isEnabled()
    assert widget.current_report() is None


def test_choosing_a_team_requeries_off_the_ui_thread_and_can_be_cancelled(
    qtbot, calls: Calls, store
) -> None:
    import threading

    from flowdesk.ui.qa import QaView
    from flowdesk.ui.tasks import TaskRunner
    from flowdesk.usage.rows import EventFilter

    calls.run("a0", 0, COMPLIANT, team="一组")
    calls.run("b0", 5, ["greet"], team="二组 erzu", agent="B002")
    engine = store(calls.events)
    gate = threading.Event()
    asked: list[str] = []

    def load_team(team: str) -> UsageSnapshot:
        asked.append(team)
        gate.wait(10)  # a slow query: the window stays responsive meanwhile
        return UsageSnapshot.load(engine, lookup, where=EventFilter(teams=(team,)), now=NOW)

    widget = QaView(
        lambda: UsageSnapshot.load(engine, lookup, now=NOW),
        TaskRunner(),
        load_team=load_team,
    )
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.refresh()
    teams = [widget.team.itemText(i) for i in range(widget.team.count())]
    assert teams == ["全部班组", "一组", "二组 erzu"]
    widget.team.setCurrentIndex(2)
    widget.refresh()  # what choosing a team does
    assert widget.cancel_button.isVisibleTo(widget) and widget.progress.isVisibleTo(widget)
    widget.cancel()
    assert widget.status.text() == "已取消" and widget.refresh_button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: not widget._runner.busy, timeout=10_000)
    qtbot.wait(50)
    assert widget.snapshot is not None and widget.snapshot.where.teams == ()  # result dropped
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.refresh()
    assert asked == ["二组 erzu", "二组 erzu"]
    assert widget.snapshot.where.teams == ("二组 erzu",)
    assert widget.snapshot.compliance("team").summary["runs"] == 1


def test_run_path_keeps_whole_step_texts_and_shows_them_on_hover(qtbot) -> None:
    """A long step text ends in "…" at its box's edge; hovering the box shows all of it."""
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from flowdesk.reports.snapshot import DONE, SKIPPED, StepMark
    from flowdesk.ui.qa.run_path import ROW, RunPathView

    long = (
        "请核实客户身份：姓名、证件号码后四位、预留手机号 shouji"
        "（任选两项 renxuan liangxiang）后再办理"
    )
    view = RunPathView()
    qtbot.addWidget(view)
    view.resize(360, 200)
    view.set_trace(
        [
            StepMark("greet", "问候 wenhou", True, DONE, True, 3.0),
            StepMark("verify", long, True, SKIPPED, True, None),
        ]
    )
    view.show()
    qtbot.waitExposed(view)
    short, cut = view.labels()
    assert short == "greet * 已完成 3s  问候 wenhou"  # fits: shown whole
    assert cut.endswith("…") and cut.startswith("verify * 跳过  请核实客户身份")
    assert view.fontMetrics().horizontalAdvance(cut) < view.width()
    view.resize(1800, 200)
    assert view.labels()[1].endswith("后再办理")  # room enough: nothing cut

    view.resize(360, 200)
    inside = QPoint(100, int(5 + ROW + ROW / 2 - 4))
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, inside, view.mapToGlobal(inside)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == f"verify * 跳过\n{long}"
    assert view.tip_at(QPoint(100, int(5 + 5 * ROW))) == ""  # below the last box
    view.repaint()
