"""``report acknowledgements``: who confirmed which must-read change, and who ran it first.

Per team and agent and must-read change (a notice, :mod:`flowdesk.rollout.notices`):

* ``confirmed_at``: the agent's first ``notice_ack`` for it;
* ``runs_before_confirm``: the agent's runs of the changed flow, at that version,
  opened before the confirmation (all of them when there is none yet);
* ``status``: ``confirmed`` 已确认, ``ran_first`` 未确认先运行 (ran the changed flow
  before confirming it, whether confirmed since or not) or ``unconfirmed`` 未确认.

The agents are those with a call, a run or a confirmation since the earliest of
these versions took effect (all agents in the events where a version has no
``effective``); the changes come from the versions installed on the desk the
report runs on (QA's desk has every version it measures).
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, select

from flowdesk.reports.compliance import Report
from flowdesk.rollout.notices import Notice
from flowdesk.usage.schema import ts_from_row, ts_to_row, usage_event

STATUS_ZH = {"confirmed": "已确认", "ran_first": "未确认先运行", "unconfirmed": "未确认"}


def acknowledgements_report(
    engine: Engine,
    notices: Sequence[Notice],
    since: _dt.datetime | None = None,
    team: str | None = None,
) -> Report:
    """One row per agent and notice; ``since``: agents active from then on."""
    e = usage_event.c
    wanted = {(n.pack_id, n.sequence) for n in notices}
    with engine.connect() as conn:
        acks = conn.execute(
            select(e.agent_id, e.pack_id, e.pack_sequence, e.flow_id, func.min(e.ts_us))
            .where(e.type == "notice_ack")
            .group_by(e.agent_id, e.pack_id, e.pack_sequence, e.flow_id)
        ).all()
        flow_ids = sorted({n.flow_id for n in notices if n.flow_id})
        opens = (
            conn.execute(
                select(e.agent_id, e.pack_id, e.pack_sequence, e.flow_id, e.ts_us).where(
                    e.type == "flow_open", e.flow_id.in_(flow_ids)
                )
            ).all()
            if flow_ids
            else []
        )
        people = select(e.agent_id, e.team, func.max(e.ts_us)).where(
            e.type.in_(("call_start", "flow_open", "notice_ack"))
        )
        if since is not None:
            people = people.where(e.ts_us >= ts_to_row(since)[0])
        agents = conn.execute(people.group_by(e.agent_id, e.team)).all()
    acked = {(a, p, s, f): ts for a, p, s, f, ts in acks if (p, s) in wanted}
    runs: dict[tuple, list[int]] = defaultdict(list)
    for agent, pack_id, sequence, flow_id, ts in opens:
        if (pack_id, sequence) in wanted:
            runs[(agent, pack_id, sequence, flow_id)].append(ts)
    teams: dict[str, str | None] = {}
    latest: dict[str, int] = {}
    for agent, agent_team, last in agents:
        if agent.startswith("desk:"):
            continue
        if agent not in latest or last >= latest[agent]:
            latest[agent], teams[agent] = last, agent_team
    rows = []
    for agent in sorted(teams, key=lambda a: (teams[a] or "", a)):
        if team is not None and teams[agent] != team:
            continue
        for n in notices:
            rows.append(_row(agent, teams[agent], n, acked, runs))
    return Report("acknowledgements", _COLUMNS, rows, _summary(rows))


def _row(agent: str, team: str | None, n: Notice, acked: dict, runs: dict) -> dict[str, Any]:
    key = (agent, n.pack_id, n.sequence, n.flow_id)
    at = acked.get(key)
    before = [ts for ts in runs.get(key, ()) if at is None or ts < at]
    status = "ran_first" if before else "confirmed" if at is not None else "unconfirmed"
    return {
        "team": team,
        "agent_id": agent,
        "pack_id": n.pack_id,
        "pack_sequence": n.sequence,
        "flow_id": n.flow_id,
        "title": n.title,
        "note": n.note,
        "confirmed": at is not None,
        "confirmed_at": ts_from_row(at, 0).isoformat() if at is not None else None,
        "runs_before_confirm": len(before),
        "status": status,
    }


def _summary(rows: list[dict[str, Any]]) -> dict[str, object]:
    per_team: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        counts = per_team[r["team"] or "-"]
        counts[0] += bool(r["confirmed"])
        counts[1] += 1
    return {
        "agents": len({r["agent_id"] for r in rows}),
        "changes": len({(r["pack_id"], r["pack_sequence"], r["flow_id"]) for r in rows}),
        "confirmed": sum(bool(r["confirmed"]) for r in rows),
        "unconfirmed": sum(not r["confirmed"] for r in rows),
        "ran_before_confirming": sum(r["status"] == "ran_first" for r in rows),
        "teams": {t: f"{c}/{n}" for t, (c, n) in sorted(per_team.items())},
    }


_COLUMNS = (
    "team",
    "agent_id",
    "pack_id",
    "pack_sequence",
    "flow_id",
    "title",
    "note",
    "confirmed_at",
    "runs_before_confirm",
    "status",
)
