"""First start imports the sample pack in the background; typing never waits on a search."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from flowdesk.ui.search_panel import SearchPanel
from flowdesk.ui.tasks import TaskRunner


def test_first_start_imports_the_sample_pack_without_blocking(qtbot, tmp_path: Path) -> None:
    from flowdesk.ui.app import build_desktop, start

    desktop = build_desktop(tmp_path / "data", listen=False, ask_agent=False)
    qtbot.addWidget(desktop.window)
    try:
        assert not desktop.desk.is_open  # nothing slow happens before the window is up
        start(desktop)
        assert desktop.window.isVisible()  # shown before the desk opened and the import ran
        assert desktop.window.pack is None
        assert desktop.window.focusWidget() is desktop.window.search.box
        qtbot.waitUntil(lambda: desktop.window.pack is not None, timeout=60_000)
        pack = desktop.window.pack
        assert pack.id == "cmcc-hotline" and len(pack.flows) > 20
        assert desktop.window.map.model.rowCount() > len(pack.businesses)
        assert not desktop.desk.needs_sample()
    finally:
        desktop.close()


def test_a_production_desk_gets_no_sample_and_is_told_how_to_get_its_pack(
    qtbot, tmp_path: Path
) -> None:
    from flowdesk.paths import DataDir
    from flowdesk.sync.sourcelist import SourceConfig, SourceList
    from flowdesk.ui.app import build_desktop, start

    data = DataDir(tmp_path / "data").ensure()
    (tmp_path / "share").mkdir()
    SourceList(data).add(SourceConfig("总部", str(tmp_path / "share")))
    desktop = build_desktop(data.root, listen=False, ask_agent=False)
    qtbot.addWidget(desktop.window)
    try:
        start(desktop)
        status = desktop.window.statusBar()
        qtbot.waitUntil(lambda: "flowdesk sync 总部" in status.currentMessage(), timeout=60_000)
        assert desktop.window.pack is None
        assert desktop.desk.needs_sample()  # nothing was installed
    finally:
        desktop.close()


def test_typeahead_on_the_worker_shows_results_for_what_is_in_the_box(qtbot, desk) -> None:
    runner = TaskRunner(1)
    panel = SearchPanel(desk.search, runner)
    qtbot.addWidget(panel)
    panel.set_pack(desk.pack())
    shown: list[str] = []
    panel.controller.results.connect(lambda q, _hits, _ta: shown.append(q))
    for ch in "话费查询":
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(panel.box, event)  # returns at once: no search ran here
    with qtbot.waitSignal(panel.searched, timeout=10_000) as settled:
        pass
    assert settled.args[0] == "话费查询"
    assert shown[-1] == "话费查询"
    assert set(shown) <= {"话", "话费", "话费查", "话费查询"}  # stale answers were dropped
    assert panel.model.hit(0).flow_id == "bill-query"
    runner.wait()


def test_a_query_typed_again_is_shown_at_once_without_the_search_thread(qtbot, desk) -> None:
    runner = TaskRunner(1)
    searched: list[str] = []

    def search(query: str, **filters):
        searched.append(query)
        return desk.search(query, **filters)

    panel = SearchPanel.over(lambda: desk, runner)
    panel.controller._search = search  # the same desk's search, counted
    qtbot.addWidget(panel)
    panel.set_pack(desk.pack())
    with qtbot.waitSignal(panel.controller.results, timeout=10_000):
        panel.box.setText("携号")
    first = [panel.model.hit(i).flow_id for i in range(panel.model.rowCount())]
    assert searched == ["携号"] and first
    panel.box.clear()
    shown: list[str] = []
    panel.controller.results.connect(lambda q, _hits, _ta: shown.append(q))
    panel.box.setText("携号")  # typed again: answered inside the keystroke
    assert shown == ["携号"] and searched == ["携号"]
    assert [panel.model.hit(i).flow_id for i in range(panel.model.rowCount())] == first
    panel.box.setText("携号转")  # a new question still goes to the search thread
    assert shown == ["携号"]
    qtbot.waitUntil(lambda: shown[-1] == "携号转", timeout=10_000)
    assert searched[-1] == "携号转"
    runner.wait()


def test_filters_narrow_the_results(qtbot, desk) -> None:
    panel = SearchPanel(desk.search, TaskRunner(1, synchronous=True))
    qtbot.addWidget(panel)
    panel.set_pack(desk.pack(), channel="C2")
    assert panel.channel.currentData() == "C2"  # the usual channel is preselected
    panel.box.setText("mima")
    panel.controller.search_now()
    assert panel.model.rowCount() == 0  # 密码重置 is hotline-only
    panel.channel.setCurrentIndex(panel.channel.findData("C1"))
    assert [panel.model.hit(i).flow_id for i in range(panel.model.rowCount())] == ["pwd-reset"]


def test_the_qa_tab_is_built_only_when_first_opened(qtbot, desk) -> None:
    from flowdesk.ui.app import build_desktop, start

    root = desk.data.root
    desk.close()
    desktop = build_desktop(root, synchronous=True, listen=False, ask_agent=False)
    qtbot.addWidget(desktop.window)
    try:
        start(desktop)
        tabs = desktop.window.left
        titles = [tabs.tabText(i) for i in range(tabs.count())]
        assert titles[:2] == ["搜索", "流程地图"]
        assert "质检 QA" in titles
        holder = tabs.widget(titles.index("质检 QA"))
        assert holder.layout().count() == 0  # nothing built at start-up
        tabs.setCurrentIndex(titles.index("质检 QA"))
        assert holder.layout().count() == 1
        built = holder.layout().itemAt(0).widget()
        assert type(built).__name__ == "QaView", getattr(built, "text", lambda: "")()
    finally:
        desktop.close()
