"""Wiring the QA view to a desk: its usage log, its flow versions, its process map.

The window calls :func:`qa_view_for_desk`; the view itself only knows a loader
function, so tests give it snapshots built from packs made in Python. The
loading is the QA service's (:mod:`flowdesk.services.qa`), as for ``flowdesk report``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from flowdesk.reports import UsageSnapshot
from flowdesk.reports.desk_flows import DeskFlows
from flowdesk.services.qa import load_snapshot, load_team_snapshot
from flowdesk.ui.qa.view import QaView
from flowdesk.ui.tasks import TaskRunner
from flowdesk.usage.rows import ALL_EVENTS, EventFilter

if TYPE_CHECKING:
    from flowdesk.desk import Desk
    from flowdesk.ui.opening import LazyDesk


def qa_view_for_desk(
    desk: Desk | LazyDesk,
    runner: TaskRunner,
    where: EventFilter = ALL_EVENTS,
    benchmark: float = 0.9,
    parent: QWidget | None = None,
) -> QaView:
    """A QA view over this desk's usage log (or the logs QA imported into it)."""
    flows = DeskFlows(desk)

    def load(window: EventFilter = where) -> UsageSnapshot:
        return load_snapshot(desk, window, flows)

    def load_team(team: str) -> UsageSnapshot:
        return load_team_snapshot(desk, where, team, flows)

    try:  # the map needs the axes alone: the heads the window holds, never a whole pack
        pack = desk.heads().header
    except KeyError:
        pack = None
    view = QaView(load, runner, pack=pack, benchmark=benchmark, parent=parent, load_team=load_team)
    from flowdesk.ui.qa.rollout_tabs import add_rollout_tabs

    add_rollout_tabs(view, desk, runner)
    return view
