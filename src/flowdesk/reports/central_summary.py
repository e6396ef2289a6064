"""Summaries on a site's central PostgreSQL store, kept current by whoever may write them.

Reports read ``run_summary`` and ``step_summary`` there as on a desk. The role
that summarises (the site's administrator, or a scheduled
``flowdesk usage summarise``) folds newly arrived events in; QA's read-only role
only reads, so a report run by QA never writes.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from flowdesk.reports.runs import FlowLookup
from flowdesk.reports.summarise import SummaryResult, _summarise_sqlite


def may_summarise(engine: Engine) -> bool:
    """Whether the connected role may rewrite the summaries."""
    with engine.connect() as conn:
        allowed = conn.execute(
            text("SELECT has_table_privilege(current_user, 'run_summary', 'DELETE')")
        ).scalar_one()
    return bool(allowed)


def summarise_central(
    engine: Engine, flow_lookup: FlowLookup, full: bool = False, only_if_allowed: bool = False
) -> SummaryResult:
    """Fold new central events into the summaries (all of them again with ``full``)."""
    if only_if_allowed and not may_summarise(engine):
        return SummaryResult(0)
    with engine.begin() as conn:
        conn.execute(text("LOCK TABLE run_summary IN EXCLUSIVE MODE"))
        return _summarise_sqlite(conn, flow_lookup, full)
