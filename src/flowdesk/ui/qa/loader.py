"""Wiring the QA view to a desk: its usage log, its flow versions, its process map.

The window calls :func:`qa_view_for_desk`; the view itself only knows a loader
function, so tests give it snapshots built from packs made in Python.
"""

from __future__ import annotations

from dataclasses import replace

from flowdesk.reports import UsageSnapshot
from flowdesk.reports.desk_flows import DeskFlows
from flowdesk.ui.qa.view import QaView
from flowdesk.ui.tasks import TaskRunner
from flowdesk.usage.rows import ALL_EVENTS, EventFilter
from flowdesk.usage.schema import sqlite_engine


def qa_view_for_desk(
    desk,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    where: EventFilter = ALL_EVENTS,
    benchmark: float = 0.9,
    parent=None,
) -> QaView:
    """A QA view over this desk's usage log (or the logs QA imported into it)."""
    flows = DeskFlows(desk)

    def load(window: EventFilter = where) -> UsageSnapshot:
        engine = sqlite_engine(desk.data.usage)
        try:
            return UsageSnapshot.load(engine, flows, flows.offered(), window)
        finally:
            engine.dispose()

    def load_team(team: str) -> UsageSnapshot:
        return load(replace(where, teams=(team,)))

    try:
        pack = desk.pack()
    except KeyError:
        pack = None
    view = QaView(load, runner, pack=pack, benchmark=benchmark, parent=parent, load_team=load_team)
    from flowdesk.ui.qa.rollout_tabs import add_rollout_tabs

    add_rollout_tabs(view, desk, runner)
    return view
