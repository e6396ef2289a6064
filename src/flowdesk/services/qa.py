"""The QA service: reports over a desk's usage log, or a site's central store, for both faces.

The window's QA view (质检) and ``flowdesk report …`` read the same stores the
same way: this module opens them (the desk's ``usage.sqlite3``, or the central
PostgreSQL named by ``--db`` or by ``flowdesk usage central``), hands the
reports the desk's flows (:class:`~flowdesk.reports.desk_flows.DeskFlows`)
and closes the store again; ``usage push`` sends a desk's events to the central
store through it too. Neither face opens a usage store to read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from flowdesk.problems import Refused
from flowdesk.settings import Settings

if (
    TYPE_CHECKING
):  # the reports load SQLAlchemy: imported when used, so `flowdesk --help` stays fast
    from sqlalchemy import URL, Engine

    from flowdesk.desk import Desk
    from flowdesk.desk_protocol import DeskProtocol
    from flowdesk.paths import DataDir
    from flowdesk.reports import UsageSnapshot
    from flowdesk.reports.compliance import Report
    from flowdesk.reports.desk_flows import DeskFlows
    from flowdesk.reports.review import Review
    from flowdesk.reports.review_drill import QaQueries
    from flowdesk.usage.central import PushResult
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


def push_events(data: DataDir, url: URL, batch: int) -> PushResult:
    """``usage push``: send this desk's events the central store ``url`` has not acknowledged.

    Refused, in words naming the store and never its password, when it cannot be reached.
    """
    from sqlalchemy.exc import OperationalError

    from flowdesk.usage.central import central_engine, push, target_name

    local = open_usage_store(data)
    remote = None
    try:
        remote = central_engine(url)
        return push(local, remote, target_name(url), batch=batch)
    except OperationalError as exc:
        # The message names host and database, never the password (hide_parameters).
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
        raise Refused(
            f"central store {target_name(url)} unreachable: {detail}; "
            "what was acknowledged stays sent, the rest goes with the next push"
        ) from None
    finally:
        local.dispose()
        if remote is not None:
            remote.dispose()


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


def desk_keywords(desk: DeskProtocol) -> Callable[[str], list[str]]:
    """``keywords_of(flow_id)``: a flow's title and keywords in the desk's active packs."""
    packs = [desk.pack(info.pack_id, info.sequence) for info in desk.active_packs()]

    def keywords_of(flow_id: str) -> list[str]:
        for pack in packs:
            try:
                flow = pack.flow(flow_id)
            except KeyError:
                continue
            return [flow.title, *flow.keywords]
        return []

    return keywords_of


def load_review(
    desk: Desk,
    month: str,
    db: str | None = None,
    benchmark: float | None = None,
    benchmarks: Mapping[str, float] | None = None,
    now: datetime | None = None,
) -> Review:
    """The monthly review of ``month`` (``YYYY-MM``) from this desk's log or the store ``db``.

    Runs are judged by the desk's flow versions, the process map is its active
    packs' and the must-read changes are those installed on it, as for
    ``flowdesk report … --json``.
    """
    from flowdesk.reports.desk_flows import DeskFlows
    from flowdesk.reports.measures import DEFAULT_BENCHMARK
    from flowdesk.reports.review import monthly_review
    from flowdesk.rollout.notices import installed_notices

    flows = DeskFlows(desk)
    notices, since = installed_notices(desk)
    with usage_store(desk.data, db) as engine:
        return monthly_review(
            engine,
            flows,
            month,
            offered=flows.offered(),
            notices=notices,
            notices_since=since,
            keywords_of=desk_keywords(desk),
            benchmark=DEFAULT_BENCHMARK if benchmark is None else benchmark,
            benchmarks=benchmarks,
            now=now,
        )


def open_queries(desk: Desk, db: str | None = None, now: datetime | None = None) -> QaQueries:
    """The QA workspace's questions over this desk's log or the store ``db`` (summaries current).

    The caller disposes of ``queries.engine`` when the workspace closes.
    """
    from flowdesk.reports.desk_flows import DeskFlows
    from flowdesk.reports.review_drill import QaQueries

    flows = DeskFlows(desk)
    try:
        pack = desk.pack()
    except KeyError:
        pack = None

    def flow_of(flow_id: str):  # type: ignore[no-untyped-def]
        try:
            return pack.flow(flow_id) if pack is not None else None
        except KeyError:
            return None

    engine = open_usage_store(desk.data, db)
    queries = QaQueries(
        engine, flows, flows.offered(), flow_of, now, keywords_of=desk_keywords(desk), pack=pack
    )
    try:
        queries.prepare()
    except BaseException:
        engine.dispose()
        raise
    return queries
