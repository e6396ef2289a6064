"""Wiring the rollout tabs (终端状态, 必读确认) into the QA view of a desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from flowdesk import clock
from flowdesk.reports.compliance import Report
from flowdesk.services.qa import acknowledgement_status, desks_status
from flowdesk.ui.qa.rollout_pages import RolloutPage, acknowledgement_page, desk_status_page
from flowdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowdesk.desk import Desk
    from flowdesk.ui.qa.view import QaView


def add_rollout_tabs(view: QaView, desk: Desk, runner: TaskRunner) -> list[RolloutPage]:
    """Add both tabs; each loads (off the UI thread) when first shown.

    They read the site's central store when this desk names one (``flowdesk
    usage central``), else the desk's own log: the QA service decides.
    """

    def desks() -> Report:
        return desks_status(desk, clock.now())

    def acknowledgements() -> Report:
        return acknowledgement_status(desk)

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
