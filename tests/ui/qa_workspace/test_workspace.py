"""The QA workspace (flowdesk.ui.qa_workspace) driven by keyboard and mouse, offscreen, on a
real data folder with two months of calls on the sample pack."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from flowdesk.cli import main
from flowdesk.desk import Desk
from flowdesk.reports.review_drill import Period
from flowdesk.ui.labels import class_name
from flowdesk.ui.qa.table_model import RAW_ROLE
from tests.builders import sheet_rows
from tests.reports.review_fixtures import qa_desk

NOVEMBER = Period.around("month", date(2026, 11, 1))


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return qa_desk(tmp_path_factory.mktemp("qaws"))


@pytest.fixture
def desk(data: Path):  # type: ignore[no-untyped-def]
    opened = Desk.open(data)
    yield opened
    opened.close()


@pytest.fixture
def workspace(qtbot, desk, tmp_path: Path):  # type: ignore[no-untyped-def]
    from flowdesk.ui.qa_workspace import workspace_for_desk
    from flowdesk.ui.tasks import TaskRunner

    window = workspace_for_desk(
        desk,
        runner=TaskRunner(synchronous=True),
        period=NOVEMBER,
        layout_file=tmp_path / "layout.ini",
    )
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitUntil(lambda: window.queries is not None and not window.asker.waiting)
    yield window
    window.queries.engine.dispose()


def json_of(data: Path, capsys, *args: str, month: str = "11") -> object:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    since = ("--since", f"2026-{month}-01", "--until", f"2026-{int(month) + 1:02d}-01")
    assert main(["--data-dir", str(data), "report", *args, *since, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_overview_shows_the_month_against_the_previous_one(workspace, data, capsys) -> None:
    teams = json_of(data, capsys, "compliance", "--by", "team")
    runs = sum(r["runs"] for r in teams)
    assert workspace.overview.cards["runs"].value.text() == f"{runs:,}"
    assert "上期" in workspace.overview.cards["compliance_rate"].change.text()
    assert workspace.overview.cards["compliance_rate"].change.text()[0] in "↑↓="
    bars = workspace.overview.teams.shown()
    assert [b.label for b in bars] == ["三组", "二组 erzu", "一组"]  # worst first
    assert bars[0].value == pytest.approx(min(r["compliance_rate"] for r in teams))
    assert "2026-11" in workspace.status.text()
    assert len(workspace.overview.trend.bars) == 20  # the weekdays of November
    october = {
        r["key"]: r["compliance_rate"]
        for r in json_of(data, capsys, "compliance", "--by", "flow", month="10")
    }
    flows = {
        workspace.overview._flow_ids[b.label]: b.previous for b in workspace.overview.flows._all
    }
    assert flows == {key: october.get(key) for key in flows}  # October beside each flow
    assert any(rate is not None for rate in flows.values())


def test_tables_pass_the_model_tester(workspace, qtmodeltester) -> None:
    for grouping in range(workspace.tables.grouping.count()):
        workspace.tables.grouping.setCurrentIndex(grouping)
        qtmodeltester.check(workspace.tables.model)
        qtmodeltester.check(workspace.tables.proxy)
    qtmodeltester.check(workspace.drill.model)
    qtmodeltester.check(workspace.drill.proxy)


def test_filter_and_sort_by_keyboard_and_mouse(workspace, qtbot) -> None:
    qtbot.keyClick(workspace, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # 报表
    page = workspace.tables
    assert workspace.tabs.currentWidget() is page
    page.grouping.setCurrentIndex(page.grouping.findData("agent"))
    assert page.proxy.rowCount() == 6
    qtbot.keyClick(workspace, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "b00")  # agents of 二组, typed in lower case
    assert page.proxy.rowCount() == 2
    assert page.count.text() == "2 / 6"
    page.search.clear()
    qtbot.keyClicks(page.search, "erzu")  # the pinyin in their team's name
    assert page.count.text() == "2 / 6"
    page.search.clear()
    column = page.model.report.columns.index("compliance_rate")
    header = page.table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(column) + 5, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    first = page.model.row(page.proxy.source_row(0))
    rates = [page.model.row(i)["compliance_rate"] for i in range(page.model.rowCount())]
    assert first["compliance_rate"] in (min(rates), max(rates))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    again = page.model.row(page.proxy.source_row(0))
    assert {first["compliance_rate"], again["compliance_rate"]} == {min(rates), max(rates)}
    page.team.setCurrentIndex(page.team.findData("二组 erzu"))  # one team's agents
    page.team.activated.emit(page.team.currentIndex())
    assert sorted(page.model.row(i)["key"] for i in range(page.model.rowCount())) == [
        "B001",
        "B002",
    ]
    page.team.setCurrentIndex(0)
    page.team.activated.emit(0)
    assert page.model.rowCount() == 6
    page.grouping.setCurrentIndex(page.grouping.findData("class"))
    classes = {page.model.row(i)["key"] for i in range(page.model.rowCount())}
    assert classes <= {"query", "handling", "complaint", "verification", "consultation"}
    assert "change" in page.model.report.columns
    shown = {page.proxy.index(i, 0).data() for i in range(page.proxy.rowCount())}
    assert shown == {class_name(c) for c in classes} and "查询" in shown  # names, not codes
    column = page.model.report.columns.index("compliance_rate")
    assert header.sortIndicatorSection() == column  # still sorted as QA sorted the agents
    order = [page.proxy.index(i, column).data(RAW_ROLE) for i in range(page.proxy.rowCount())]
    falling = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert order == sorted(order, reverse=falling) and len(set(order)) > 1
    page.search.insert("查询")  # as an input method commits it
    assert page.proxy.rowCount() == 1


def test_a_new_table_shows_the_worst_first_and_small_changes_are_not_zero(qtbot) -> None:
    from flowdesk.reports import Report
    from flowdesk.ui.qa_workspace.rows_model import change_text
    from flowdesk.ui.qa_workspace.table_page import TablePage

    page = TablePage()
    qtbot.addWidget(page)
    rows = [
        {"key": k, "compliance_rate": r} for k, r in (("一组", 0.9), ("二组", 0.5), ("三组", None))
    ]
    page.set_report(Report("compliance", ("key", "compliance_rate"), rows, {}))
    assert [page.proxy.index(i, 0).data() for i in range(3)] == ["二组", "一组", "三组"]
    assert (change_text(-0.0004), change_text(0.0), change_text(0.00004)) == (
        "↓ 0.04%",
        "= 0.0%",
        "= 0.0%",
    )


def choose(workspace, qtbot, key: str) -> None:  # type: ignore[no-untyped-def]
    """Select the row ``key`` of the drill-down table and press Enter on it."""
    drill = workspace.drill
    rows = [
        drill.model.row(drill.proxy.source_row(i))["key"] for i in range(drill.proxy.rowCount())
    ]
    drill.table.setFocus()
    drill.table.selectRow(rows.index(key))
    qtbot.keyClick(drill.table, Qt.Key.Key_Return)


def test_drill_down_from_the_site_to_one_run_and_back(workspace, qtbot) -> None:
    qtbot.keyClick(workspace, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    drill = workspace.drill
    assert drill.drill.level == "site" and drill.model.rowCount() == 3
    assert drill.proxy.index(0, 0).data() == "三组"  # the worst team first
    third = next(drill.model.row(i) for i in range(3) if drill.model.row(i)["key"] == "三组")
    assert third["previous"] is not None  # October's rate, filled in beside November's
    assert third["change"] == pytest.approx(third["compliance_rate"] - third["previous"])
    choose(workspace, qtbot, "三组")
    assert drill.drill.level == "team" and drill.model.row(0)["key"] == "C001"
    choose(workspace, qtbot, "C001")
    assert drill.drill.level == "agent"
    assert "bill-hotline" in {drill.model.row(i)["key"] for i in range(drill.model.rowCount())}
    choose(workspace, qtbot, "bill-hotline")
    assert drill.drill.level == "flow"
    steps = {drill.model.row(i)["key"]: drill.model.row(i) for i in range(drill.model.rowCount())}
    assert steps["explain"]["skipped_runs"] > 0
    flow = workspace.pack.flow("bill-hotline")
    assert {k: r["step_text"] for k, r in steps.items()} == {
        k: flow.step(k).text for k in steps
    }  # QA reads the step's words, not its id
    crumb = drill.findChild(type(workspace.refresh_button), "crumb_flow")
    assert crumb.text() == flow.title and "bill-hotline" in crumb.toolTip()
    skipped = [drill.proxy.index(i, 0).data(RAW_ROLE) for i in range(drill.proxy.rowCount())]
    assert skipped[0] == max(steps, key=lambda k: steps[k]["skip_rate"] or 0)  # most skipped first
    choose(workspace, qtbot, "explain")
    assert drill.drill.level == "step"
    assert drill.model.rowCount() == steps["explain"]["skipped_runs"]
    assert all(drill.model.row(i)["agent_id"] == "C001" for i in range(drill.model.rowCount()))
    drill.table.selectRow(0)
    lines = drill.path.describe()
    assert any(line.startswith("explain * 跳过") for line in lines)
    assert drill.path_box.isVisible()
    qtbot.keyClick(drill.table, Qt.Key.Key_Backspace)
    assert drill.drill.level == "flow"
    done = next(k for k, r in steps.items() if r["on_path_runs"] and not r["skipped_runs"])
    choose(workspace, qtbot, done)
    assert drill.model.rowCount() == 0 and drill.path_title.text() == "这一期没有跳过此步的运行"
    qtbot.keyClick(drill.table, Qt.Key.Key_Backspace)
    qtbot.mouseClick(
        drill.findChild(type(workspace.refresh_button), "crumb_site"), Qt.MouseButton.LeftButton
    )
    assert drill.drill.level == "site"


def test_a_click_on_the_process_map_drills_into_its_flow(workspace, qtbot) -> None:
    workspace.tabs.setCurrentIndex(3)
    model = workspace.map_model
    row = next(
        i
        for i in range(model.rowCount())
        if model.headerData(i, Qt.Orientation.Vertical, 0) == "宽带报修"
    )
    index = model.index(row, 0)
    assert model.data(index) == "80%" or model.data(index).endswith("%")
    rect = workspace.map_view.visualRect(index)
    qtbot.mouseClick(workspace.map_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert workspace.tabs.currentWidget() is workspace.drill
    assert workspace.drill.drill.flow == "bb-repair" and workspace.drill.drill.level == "flow"


def test_period_picker_compares_with_the_period_before(workspace, qtbot) -> None:
    november = workspace.overview.cards["runs"].value.text()
    qtbot.mouseClick(workspace.period_bar.back, Qt.MouseButton.LeftButton)
    assert workspace.period.label == "2026-10"
    assert workspace.overview.cards["runs"].value.text() != november
    assert "上期 2026-09" in workspace.period_bar.compared.text()
    bar = workspace.period_bar
    bar.kind.setCurrentIndex(bar.kind.findData("week"))
    bar.kind.activated.emit(bar.kind.currentIndex())
    assert workspace.period.kind == "week"
    assert workspace.period.first.weekday() == 0
    assert "W" in bar.compared.text()


def test_export_writes_the_review_workbook_and_its_pdf(workspace, tmp_path, data, capsys) -> None:
    from flowdesk.ui.qa_workspace.export import export_review

    out = tmp_path / "回顾.xlsx"
    export_review(workspace, workspace.queries.lookup._desk, None, out)
    assert out.is_file() and out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    teams = {
        r["key"]: r["compliant_runs"] for r in json_of(data, capsys, "compliance", "--by", "team")
    }
    rows = sheet_rows(out, "班组对标")
    keys = rows[1]
    written = {r[0]: r[keys.index("compliant_runs")] for r in rows[2:]}
    assert written == teams
    assert "已导出" in workspace.status.text()


def test_layout_is_remembered(qtbot, desk, tmp_path) -> None:
    from flowdesk.ui.qa_workspace import workspace_for_desk
    from flowdesk.ui.tasks import TaskRunner

    layout = tmp_path / "layout.ini"
    first = workspace_for_desk(
        desk, runner=TaskRunner(synchronous=True), period=NOVEMBER, layout_file=layout
    )
    qtbot.addWidget(first)
    first.show()
    first.tabs.setCurrentIndex(2)
    first.tables.grouping.setCurrentIndex(first.tables.grouping.findData("flow"))
    first.resize(700, 500)  # within the offscreen screen, which a restored size is kept to
    size = first.size()
    assert size.height() == 500
    first.close()
    first.queries.engine.dispose()
    second = workspace_for_desk(
        desk, runner=TaskRunner(synchronous=True), period=NOVEMBER, layout_file=layout
    )
    qtbot.addWidget(second)
    assert second.tabs.currentIndex() == 2
    assert second.tables.grouping.currentData() == "flow"
    assert second.size().height() == size.height()  # the width is kept to the 800-pixel screen
    second.queries.engine.dispose()


def test_a_cancelled_question_leaves_the_window_as_it_was(qtbot, workspace) -> None:
    from flowdesk.ui.tasks import TaskRunner

    release = threading.Event()
    runner = TaskRunner(1)
    workspace.asker.runner = runner
    got: list[object] = []
    workspace.asker.ask("slow", lambda: release.wait(10) and "late", got.append)
    assert workspace.cancel_button.isVisible() and workspace.progress.isVisible()
    qtbot.mouseClick(workspace.cancel_button, Qt.MouseButton.LeftButton)
    assert not workspace.cancel_button.isVisible()
    assert workspace.status.text() == "已取消"
    release.set()
    runner.wait()
    qtbot.wait(50)
    assert got == []


def test_ranked_bars_keep_whole_labels_and_scroll_for_all(qtbot) -> None:
    from flowdesk.ui.qa_workspace.ranked_bars import RankedBar, RankedBars

    chart = RankedBars("班组")
    qtbot.addWidget(chart)
    chart.resize(600, 400)
    chart.show()
    long = "客户服务中心第三分中心 夜班 投诉处理组 Night Shift"
    bars = [RankedBar(f"班组{i:03d}", i / 300, None, i) for i in range(300)] + [
        RankedBar(long, 0.5)
    ]
    chart.set_data(bars, 0.9)
    assert [b.label for b in chart.shown()][:2] == ["班组000", "班组001"]
    assert len(chart.shown()) == 15
    chart.show_which.setCurrentIndex(chart.show_which.findData("best"))
    assert chart.shown()[0].label == "班组299"
    chart.show_which.setCurrentIndex(chart.show_which.findData("all"))
    assert len(chart.shown()) == 301 and chart.shown_of.text() == "显示 301 / 301"
    assert chart.scroll.verticalScrollBar().maximum() > 0
    assert chart.rows.label_width() > chart.rows.fontMetrics().horizontalAdvance(long)
    tip = chart.rows.tooltip_of(chart.shown()[3])
    assert "班组003" in tip and "1.0%" in tip and "运行 3" in tip
    chart.rows.grab()


def test_report_review_writes_a_pdf_from_the_command_line(qtbot, data, tmp_path) -> None:
    out = tmp_path / "review.pdf"
    args = ["--data-dir", str(data), "report", "review", "--month", "2026-11", "-o", str(out)]
    assert main(args) == 0
    body = out.read_bytes()
    assert body.startswith(b"%PDF") and body.count(b"/Type /Page") >= 2
    assert [p.name for p in tmp_path.iterdir()] == ["review.pdf"]  # nothing left beside it


def test_flowdesk_qa_shows_its_window_before_the_desk_opens(qtbot, data, monkeypatch) -> None:
    """The desk (its store's upgrade and sweep) opens on the runner, never on the UI thread."""
    from flowdesk.ui.qa_workspace import open_workspace

    opened_on: list[threading.Thread] = []
    real_open = Desk.open.__func__  # type: ignore[attr-defined]

    def recording_open(cls, data_dir):  # type: ignore[no-untyped-def]
        opened_on.append(threading.current_thread())
        return real_open(cls, data_dir)

    monkeypatch.setattr(Desk, "open", classmethod(recording_open))
    window, desk = open_workspace(data, None, "2026-11")
    qtbot.addWidget(window)
    try:
        assert window.isVisible()
        qtbot.waitUntil(lambda: window.queries is not None and not window.asker.waiting)
        assert opened_on and threading.main_thread() not in opened_on
        assert desk.is_open and desk.ui_waits == 0
        assert window.period.first == date(2026, 11, 1)
    finally:
        window.runner.wait()
        if window.queries is not None:
            window.queries.engine.dispose()
        desk.close()
