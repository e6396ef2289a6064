"""The README's screenshots of the QA workspace (质检工作台), at 1920×1080.

``scripts/screenshots.py`` calls :func:`shoot_qa` after the agent's window;
``python scripts/screenshots.py --only qa`` makes only these. A site of 14 teams
and 56 agents runs ten of the sample pack's flows for October and November 2026;
the workspace is driven the way a QA lead drives it and grabbed into
``docs/screenshots/qa-*.png``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1920, 1080)
TEAM_NAMES = (
    "话务一组", "话务二组", "话务三组", "话务四组", "夜班组", "投诉专席组", "携号转网专席",
    "宽带支撑组", "国际漫游专席", "政企客户组", "新员工培训组", "VIP 全球通专席",
    "Easyown 神州行组", "动感地带 M-Zone 组",
)  # fmt: skip
FLOW_IDS = (
    "bill-hotline", "plan-change-hotline", "np-qualify", "balance-hotline", "bb-repair",
    "roaming-open-hotline", "payment-missing", "fee-dispute", "password-reset-hotline",
    "stop-resume",
)  # fmt: skip


def site() -> dict[str, object]:
    teams = {
        name: tuple(f"{chr(65 + t)}{t:02d}{a:02d}" for a in range(4))
        for t, name in enumerate(TEAM_NAMES)
    }
    skip = {name: 2 + (t * 5) % 13 for t, name in enumerate(TEAM_NAMES)}
    return {"teams": teams, "skip_every": skip, "flow_ids": FLOW_IDS}


def shoot_qa(root: Path, out: Path, settle, app) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    sys.path.insert(0, str(ROOT))
    from flowdesk.desk import Desk
    from flowdesk.reports.review_drill import Period
    from flowdesk.ui.qa_workspace import workspace_for_desk
    from flowdesk.ui.tasks import TaskRunner
    from tests.reports.review_fixtures import qa_desk

    data = qa_desk(root, **site())
    desk = Desk.open(data)
    window = workspace_for_desk(
        desk,
        runner=TaskRunner(synchronous=True),
        period=Period.around("month", date(2026, 11, 1)),
        layout_file=root / "qa-layout.ini",
    )
    window.resize(*SIZE)
    window.show()
    window.move(0, 0)
    settle(app)

    def grab(name: str) -> None:  # the whole window, as QA sees it
        for _ in range(2):
            settle(app)
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    grab("qa-workspace")
    # down the worst team to the runs that skipped its most skipped step, one drawn
    window.tabs.setCurrentIndex(1)
    worst = window.overview.teams.shown()[0].label
    drill = window.drill
    window.show_drill(drill.drill.into(worst))
    for _ in range(3):
        rows = [drill.model.row(i) for i in range(drill.model.rowCount())]
        column = "skipped_runs" if drill.drill.level == "flow" else "runs"
        best = max(rows, key=lambda r: r.get(column) or 0)
        window.show_drill(drill.drill.into(str(best["key"])))
    drill.table.selectRow(0)
    drill.split.setSizes([900, 1000])
    grab("qa-drill")
    # every agent, the search box narrowing them, sorted by the change from October
    window.tabs.setCurrentIndex(2)
    tables = window.tables
    tables.grouping.setCurrentIndex(tables.grouping.findData("agent"))
    tables.table.sortByColumn(
        tables.model.report.columns.index("change"), Qt.SortOrder.AscendingOrder
    )
    grab("qa-tables")
    window.tabs.setCurrentIndex(3)
    window.map_mode.setCurrentIndex(1)
    grab("qa-map")
    window.close()
    window.queries.engine.dispose()
    desk.close()
