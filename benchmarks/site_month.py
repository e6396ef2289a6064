"""A site's month of calls, generated inside the database (SQLite or PostgreSQL).

A site takes about 400,000 calls a day from 1,500 desks in teams of 15, on the
10,000-flow synthetic pack (``benchmarks.synthetic``). Generating 30 million
events one Python object at a time would take longer than reporting on them,
so the generator writes two small tables and lets the database expand them:

* ``bench_tpl``: for each flow, five ways a call goes (compliant along the
  first branches; compliant along other branches; a required step skipped;
  abandoned half way; left open until the call ends), each as the call's
  events with their offsets: ``call_start``, a ``search``, the run, ``call_end``;
* ``bench_call``: one row per call (desk, team, start, flow, variant), drawn
  with numpy: a few flows take most calls (Zipf), short flows more often.

``INSERT INTO usage_event SELECT … FROM bench_call JOIN bench_tpl`` then writes
the events at the database's own speed, in time order with UUID-shaped ids.
The expected compliance per team follows from the variants alone, so a
benchmark checks the report's totals, not only its speed. Some desks are
"late": their events are inserted after everyone else's (a desk offline for
days that comes back), so summaries are built in the order a site sees them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import numpy as np

from benchmarks.synthetic import synthetic_pack
from flowdesk.model import Flow, Pack

BEIJING = timezone(timedelta(hours=8))
START = datetime(2026, 11, 2, tzinfo=BEIJING)  # a Monday
CALLS_PER_DAY = 400_000
DESKS = 1_500
TEAM_SIZE = 15
VARIANTS = ("ok", "ok_other_branch", "skip_required", "abandon", "open_until_call_end")
WEIGHTS = (0.50, 0.22, 0.14, 0.08, 0.06)
LATE_DESK_EVERY = 40  # one desk in 40 comes back late


def _path_with_choices(flow: Flow, pick: int) -> tuple[list[str], list[tuple[str, str]]]:
    choices: list[tuple[str, str]] = []
    steps = {s.id: s for s in flow.steps}
    for _ in range(len(flow.steps)):
        path = flow.path(choices)
        last = steps[path[-1]] if path else None
        if last is None or last.type != "decision" or not last.options:
            return path, choices
        option = last.options[min(pick, len(last.options) - 1)]
        choices.append((last.id, option.next))
    return flow.path(choices), choices


def templates(pack: Pack) -> tuple[list[tuple], list[int]]:
    """(template rows, events per call for each flow's first variant)."""
    rows: list[tuple] = []
    lengths: list[int] = []
    for f, flow in enumerate(pack.flows):
        for v, kind in enumerate(VARIANTS):
            path, choices = _path_with_choices(flow, 1 if kind == "ok_other_branch" else 0)
            required = [s.id for s in flow.steps if s.required and s.id in path]
            done = list(path)
            if kind == "skip_required" and required:
                done.remove(required[-1])
            if kind in ("abandon", "open_until_call_end"):
                done = done[: max(1, len(done) // 2)]
            chosen = dict(choices)
            events: list[tuple[str, str | None, str | None, int]] = [
                ("call_start", None, None, 0),
                ("search", None, None, 0),
                ("flow_open", None, None, 1),
            ]
            for step_id in done:
                events.append(("step_done", step_id, None, 1))
                if step_id in chosen:
                    events.append(("branch", step_id, chosen[step_id], 1))
            if kind == "abandon":
                events.append(("flow_abandon", None, None, 1))
            elif kind != "open_until_call_end":
                events.append(("flow_complete", None, None, 1))
            events.append(("call_end", None, None, 0))
            offset = 0
            for pos, (kind_, step_id, option, in_run) in enumerate(events):
                rows.append((f, v, pos, offset, kind_, step_id, option, flow.id, in_run))
                offset += 4_000 if kind_ in ("call_start", "search") else 12_000
            if v == 0:
                lengths.append(len(events))
    return rows, lengths


@dataclass(frozen=True)
class SiteMonth:
    """The generator's inputs and what the reports must find."""

    pack: Pack
    tpl: list[tuple]
    lengths: np.ndarray  # events per call, per flow (first variant)


def site(n_flows: int = 10_000) -> SiteMonth:
    pack = synthetic_pack(n_flows, seed=7)
    tpl, lengths = templates(pack)
    return SiteMonth(pack, tpl, np.asarray(lengths))


def flow_weights(month: SiteMonth) -> np.ndarray:
    """How often each flow is called: a few flows take most calls (Zipf), short ones more."""
    n_flows = len(month.pack.flows)
    weight = 1.0 / (np.arange(1, n_flows + 1) ** 0.8) / np.maximum(month.lengths - 10, 1) ** 1.5
    return weight / weight.sum()


def events_per_call(month: SiteMonth) -> float:
    """The mean number of events of a generated call (flows and variants weighted)."""
    per = np.zeros((len(month.pack.flows), len(VARIANTS)))
    for row in month.tpl:
        per[row[0], row[1]] += 1
    return float(flow_weights(month) @ per @ np.asarray(WEIGHTS))


def calls_for(month: SiteMonth, events: int) -> int:
    """How many calls make about ``events`` events."""
    return round(events / events_per_call(month))


def calls(month: SiteMonth, first_call: int, n_calls: int, seed: int = 1) -> list[tuple]:
    """Calls ``first_call`` … in time order.

    Rows are (call_no, agent, team, start_us, flow, variant, late).
    """
    rng = np.random.default_rng(seed + first_call)
    n_flows = len(month.pack.flows)
    flows = rng.choice(n_flows, size=n_calls, p=flow_weights(month))
    variants = rng.choice(len(VARIANTS), size=n_calls, p=WEIGHTS)
    desks = rng.integers(0, DESKS, size=n_calls)
    numbers = np.arange(first_call, first_call + n_calls)
    day = numbers // CALLS_PER_DAY
    # within a day, 08:00–20:00 local, in call order
    within = (numbers % CALLS_PER_DAY) * (12 * 3600 * 1_000_000 // CALLS_PER_DAY)
    base = int((START - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))
    starts = base + day * 86_400_000_000 + 8 * 3_600_000_000 + within
    return [
        (
            int(n), f"A{d:04d}", f"班组{d // TEAM_SIZE:03d}", int(s), int(f), int(v),
            int(d % LATE_DESK_EVERY == 0),
        )
        for n, d, s, f, v in zip(numbers, desks, starts, flows, variants, strict=True)
    ]  # fmt: skip


TPL_DDL = (
    "CREATE TABLE bench_tpl (flow_idx INTEGER, variant INTEGER, pos INTEGER, offset_ms INTEGER, "
    "type TEXT, step_id TEXT, option TEXT, flow_id TEXT, in_run INTEGER)"
)
CALL_DDL = (
    "CREATE TABLE bench_call (call_no BIGINT, agent TEXT, team TEXT, start_us BIGINT, "
    "flow_idx INTEGER, variant INTEGER, late INTEGER)"
)

_EXPAND_SQLITE = """
INSERT INTO usage_event (event_id, ts_us, tz_min, type, agent_id, team, call_id, run_id,
    pack_id, pack_sequence, flow_id, step_id, option, query, result_count, opened_flow_id)
SELECT printf('%08x-%04x-4000-8000-%012x', c.call_no, t.pos, c.call_no),
    c.start_us + t.offset_ms * 1000 + (c.call_no * 7919 + t.pos * 104729) % 3000000,
    480, t.type, c.agent, c.team, printf('c%08x', c.call_no),
    CASE WHEN t.in_run = 1 THEN printf('r%08x', c.call_no) END,
    CASE WHEN t.type = 'flow_open' THEN :pack END,
    CASE WHEN t.type = 'flow_open' THEN 1 END,
    CASE WHEN t.in_run = 1 THEN t.flow_id END, t.step_id, t.option,
    CASE WHEN t.type = 'search' THEN '查询 ' || (c.call_no % 997) END,
    CASE WHEN t.type = 'search' THEN (CASE WHEN c.call_no % 13 = 0 THEN 0 ELSE 5 END) END,
    CASE WHEN t.type = 'search' AND c.call_no % 13 <> 0 AND c.call_no % 7 <> 0 THEN t.flow_id END
FROM bench_call c JOIN bench_tpl t ON t.flow_idx = c.flow_idx AND t.variant = c.variant
WHERE c.call_no >= :lo AND c.call_no < :hi AND c.late = :late
ORDER BY c.call_no, t.pos
"""

_EXPAND_POSTGRES = (
    _EXPAND_SQLITE.replace(
        "printf('%08x-%04x-4000-8000-%012x', c.call_no, t.pos, c.call_no)",
        "lpad(to_hex(c.call_no), 8, '0') || '-' || lpad(to_hex(t.pos), 4, '0') "
        "|| '-4000-8000-' || lpad(to_hex(c.call_no), 12, '0')",
    )
    .replace("printf('c%08x', c.call_no)", "'c' || lpad(to_hex(c.call_no), 8, '0')")
    .replace("printf('r%08x', c.call_no)", "'r' || lpad(to_hex(c.call_no), 8, '0')")
    .replace("'查询 ' || (c.call_no % 997)", "'查询 ' || (c.call_no % 997)::text")
)


def expand_sql(dialect: str) -> str:
    """The statement that writes the events of calls ``lo`` ≤ n < ``hi`` (late or not)."""
    return _EXPAND_SQLITE if dialect == "sqlite" else _EXPAND_POSTGRES


EXPECTED_BY_TEAM = """
SELECT c.team, count(*) AS runs,
    sum(CASE WHEN c.variant IN (0, 1, 2) THEN 1 ELSE 0 END) AS completed,
    sum(CASE WHEN c.variant IN (0, 1) OR (c.variant = 2 AND r.n_required = 0)
        THEN 1 ELSE 0 END) AS compliant
FROM bench_call c JOIN bench_required r ON r.flow_idx = c.flow_idx
WHERE c.call_no < :hi GROUP BY c.team ORDER BY c.team
"""


def required_counts(month: SiteMonth) -> list[tuple[int, int]]:
    """Per flow: how many required steps the skip variant's path has (0: nothing to skip)."""
    out = []
    for f, flow in enumerate(month.pack.flows):
        path, _ = _path_with_choices(flow, 0)
        out.append((f, sum(1 for s in flow.steps if s.required and s.id in path)))
    return out


def measured(benchmark: str, value: object, unit: str, bar: str = "") -> dict:
    """One row of the benchmark table, with the 1-minute load average it was measured under.

    The machine these bars are measured on is shared: a time means little
    without the load beside it.
    """
    return {
        "benchmark": benchmark, "value": value, "unit": unit, "bar": bar,
        "load": round(os.getloadavg()[0], 1),
    }  # fmt: skip
