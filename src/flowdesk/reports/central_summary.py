"""Summaries on a site's central PostgreSQL store, kept current from its queue.

Every insert into the central ``usage_event`` queues the runs it touches (and
the calls its ``call_end`` events end) in ``run_dirty``/``call_dirty``; see
:mod:`flowdesk.usage.central_schema`. Summarising takes a batch off the queue
and rebuilds those runs from all their events in the same transaction, so a
crash puts the batch back, and an event committed while a batch is worked on
queues its run again. Any number of desks may push meanwhile.

Only a role that may rewrite summaries (``flowdesk_summarise``, or the owner)
does this: ``flowdesk usage summarise --db URL``, scheduled every minute or so,
or a report run by such a role. A report run by QA's read-only role reads the
summaries as they are.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from flowdesk.reports.runs import FlowLookup
from flowdesk.reports.summarise import Summariser, SummaryResult, unresolved_now_known

QUEUE_BATCH = 20_000


def may_summarise(engine: Engine) -> bool:
    """Whether the connected role may take the queue and rewrite the summaries."""
    with engine.connect() as conn:
        allowed = conn.execute(
            text(
                "SELECT has_table_privilege(current_user, 'run_dirty', 'DELETE') "
                "AND has_table_privilege(current_user, 'run_summary', 'DELETE')"
            )
        ).scalar_one()
    return bool(allowed)


def queued(engine: Engine) -> int:
    """Runs and calls waiting to be summarised."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT (SELECT count(*) FROM run_dirty) + (SELECT count(*) FROM call_dirty)")
            ).scalar_one()
        )


def summarise_central(
    engine: Engine, flow_lookup: FlowLookup, full: bool = False, only_if_allowed: bool = False
) -> SummaryResult:
    """Work the queue down (or, with ``full``, rebuild every summary from the events)."""
    if only_if_allowed and not may_summarise(engine):
        return SummaryResult(0)
    if full:
        with engine.begin() as conn:
            conn.exec_driver_sql("LOCK TABLE run_dirty, call_dirty IN EXCLUSIVE MODE")
            conn.exec_driver_sql(
                "TRUNCATE run_dirty, call_dirty, run_summary, step_summary, step_day, run_day"
            )
            return SummaryResult(Summariser(conn, flow_lookup).rebuild_all(), rebuilt_all=True)
    with engine.begin() as conn:  # runs whose pack version has since come to this desk
        summariser = Summariser(conn, flow_lookup)
        known = unresolved_now_known(conn, summariser.judge)
        total = summariser.rebuild(sorted(known)) if known else 0
    while True:
        with engine.begin() as conn:
            runs, taken = _take(conn)
            if not taken:  # both queues empty (a batch of calls may leave no run to redo)
                return SummaryResult(total)
            if runs:
                total += Summariser(conn, flow_lookup).rebuild(runs)


def _take(conn: Connection) -> tuple[list[str], int]:
    """A batch of queued runs (a queued call stands for its runs), removed from the queue,
    and how many queue entries were taken.

    A call's ``call_end`` can change only a run it cut short: one still open, one
    with events after it, or one already ended by a later ``call_end`` of the same
    call. Its other runs (the usual case: the run and its call's end pushed
    together, the run summarised first) are not rebuilt a second time.
    """
    found = conn.execute(
        text(
            "WITH calls AS (DELETE FROM call_dirty WHERE call_id IN (SELECT call_id "
            "FROM call_dirty LIMIT :n FOR UPDATE SKIP LOCKED) RETURNING call_id) "
            "SELECT c.call_id, r.run_id FROM calls c LEFT JOIN run_summary r "
            "ON r.call_id = c.call_id AND (r.outcome = 'open' OR r.end_reason = 'call_end' "
            "OR r.last_us > (SELECT min(e.ts_us) FROM usage_event e "
            "WHERE e.type = 'call_end' AND e.call_id = r.call_id))"
        ),
        {"n": QUEUE_BATCH},
    ).all()
    runs = {run_id for _call, run_id in found if run_id is not None}
    queued_runs = conn.execute(
        text(
            "DELETE FROM run_dirty WHERE run_id IN (SELECT run_id FROM run_dirty "
            "LIMIT :n FOR UPDATE SKIP LOCKED) RETURNING run_id"
        ),
        {"n": QUEUE_BATCH},
    ).scalars()
    taken = len({call for call, _run in found})
    for run_id in queued_runs:
        runs.add(run_id)
        taken += 1
    return sorted(runs), taken
