"""The QA service: reports over a desk's usage log, or a site's central store, for both faces.

The window's QA view (质检) and ``flowdesk report …`` read the same stores the
same way: this module opens them (the desk's ``usage.sqlite3``, or the central
PostgreSQL named by ``--db`` or by ``flowdesk usage central``), hands the
reports the desk's flows (:class:`~flowdesk.reports.desk_flows.DeskFlows`)
and closes the store again. Neither face opens a usage store itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from flowdesk.settings import Settings

if (
    TYPE_CHECKING
):  # the reports load SQLAlchemy: imported when used, so `flowdesk --help` stays fast
    from sqlalchemy import Engine

    from flowdesk.desk import Desk
    from flowdesk.paths import DataDir
    from flowdesk.reports import UsageSnapshot
    from flowdesk.reports.compliance import Report
    from flowdesk.reports.desk_flows import DeskFlows
    from flowdesk.usage.rows import EventFilter


def central_url_of(data: DataDir) -> str | None:
    """The central store this desk was told of (``flowdesk usage central``), if any."""
    return Settings.load(data.settings).usage_central_url or None


def open_usage_store(data: DataDir, db: str | None = None) -> Engine:
    """An engine on the central store ``db`` (password from the keyring), else the desk's log.

    The caller disposes of it; :func:`usage_store` does that for a ``with``.
    """
    if db:
        from flowdesk.usage.central import central_engine, central_url

        return central_engine(central_url(db))
    from flowdesk.usage.schema import sqlite_engine

    return sqlite_engine(data.usage)


@contextmanager
def usage_store(data: DataDir, db: str | None = None) -> Iterator[Engine]:
    """:func:`open_usage_store` for the length of a ``with`` block."""
    engine = open_usage_store(data, db)
    try:
        yield engine
    finally:
        engine.dispose()


def load_snapshot(
    desk: Desk,
    where: EventFilter | None = None,
    flows: DeskFlows | None = None,
    now: datetime | None = None,
) -> UsageSnapshot:
    """The QA view's data: every report of the window ``where`` (all events: None), from
    this desk's own log, its runs judged by the desk's flows as they were."""
    from flowdesk.reports import UsageSnapshot
    from flowdesk.reports.desk_flows import DeskFlows
    from flowdesk.usage.rows import ALL_EVENTS

    where = ALL_EVENTS if where is None else where
    flows = flows or DeskFlows(desk)
    with usage_store(desk.data) as engine:
        return UsageSnapshot.load(engine, flows, flows.offered(), where, now)


def load_team_snapshot(
    desk: Desk, where: EventFilter, team: str, flows: DeskFlows
) -> UsageSnapshot:
    """:func:`load_snapshot` of one team (the QA view's team choice)."""
    return load_snapshot(desk, replace(where, teams=(team,)), flows)


def desks_status(desk: Desk, now: datetime) -> Report:
    """``report desks`` for the QA view: the site's central store when named, else this desk."""
    from flowdesk.reports.desks import desks_report

    with usage_store(desk.data, central_url_of(desk.data)) as engine:
        return desks_report(engine, now)


def acknowledgement_status(desk: Desk) -> Report:
    """``report acknowledgements`` for the QA view: who confirmed this desk's must-read changes."""
    from flowdesk.reports.acknowledgements import acknowledgements_report
    from flowdesk.rollout.notices import installed_notices

    notices, since = installed_notices(desk)
    with usage_store(desk.data, central_url_of(desk.data)) as engine:
        return acknowledgements_report(engine, notices, since)
