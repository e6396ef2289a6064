"""Wiring the rollout tabs (终端状态, 必读确认) into the QA view of a desk."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from flowdesk import clock
from flowdesk.reports.acknowledgements import acknowledgements_report
from flowdesk.reports.compliance import Report
from flowdesk.reports.desks import desks_report
from flowdesk.rollout.notices import installed_notices
from flowdesk.settings import Settings
from flowdesk.ui.qa.rollout_pages import RolloutPage, acknowledgement_page, desk_status_page
from flowdesk.ui.tasks import TaskRunner


def report_engine(desk: Any):  # type: ignore[no-untyped-def]
    """The site's central store when this desk names one, else this desk's own log."""
    url = Settings.load(desk.data.settings).usage_central_url
    if url:
        from flowdesk.usage.central import central_engine, central_url

        return central_engine(central_url(str(url)))
    from flowdesk.usage.schema import sqlite_engine

    return sqlite_engine(desk.data.usage)


def add_rollout_tabs(view: Any, desk: Any, runner: TaskRunner) -> list[RolloutPage]:
    """Add both tabs; each loads (off the UI thread) when first shown."""

    def desks() -> Report:
        engine = report_engine(desk)
        try:
            return desks_report(engine, clock.now())
        finally:
            engine.dispose()

    def acknowledgements() -> Report:
        notices, since = installed_notices(desk)
        engine = report_engine(desk)
        try:
            return acknowledgements_report(engine, notices, since)
        finally:
            engine.dispose()

    pages = [desk_status_page(desks, runner), acknowledgement_page(acknowledgements, runner)]
    view.desk_status = pages[0]
    view.acknowledgements = pages[1]
    view.tabs.addTab(pages[0], QCoreApplication.translate("QaView", "终端状态"))
    view.tabs.addTab(pages[1], QCoreApplication.translate("QaView", "必读确认"))

    def shown(index: int) -> None:
        page = view.tabs.widget(index)
        if isinstance(page, RolloutPage) and page.report is None:
            page.refresh()

    view.tabs.currentChanged.connect(shown)
    return pages
