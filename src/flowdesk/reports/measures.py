"""The other measurements of contract §3 and DOMAIN.md's four mechanisms.

* abandon rate per flow, and where runs are abandoned (运用轨迹);
* skip rate and median time per step (运用轨迹);
* coverage of the process map: offered touch points with a run (实地运用);
* search misses: searches with no result or no flow opened (knowledge gaps);
* organisational conformance: teams or agents against benchmark values (组织符合度).

Definitions decided here, beyond the contract's words:

* A step's **skip rate** is over completed runs whose path includes the step:
  the share of them with no ``step_done`` for it. Its **time** is from the
  run's previous ``step_done`` (or its ``flow_open``) to its own ``step_done``.
* A run **abandoned at** the step after its last ``step_done`` on the path
  (the step the agent was on), or the first step when none was done.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import median

from flowdesk.model import TouchPoint
from flowdesk.reports.compliance import Report, compliance, rate
from flowdesk.reports.queries import SearchRow
from flowdesk.reports.runs import LoggedRun, PathJudge

DEFAULT_BENCHMARK = 0.90  # 标杆值 of the compliance rate, when none is configured


ABANDON_COLUMNS = (
    "key",
    "runs",
    "completed_runs",
    "abandoned_runs",
    "abandon_rate",
    "abandon",
    "call_end",
    "idle",
    "abandoned_at",
)


@dataclass
class _FlowEnds:
    runs: int = 0
    completed: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # abandon, call_end, idle
    left_at: Counter[str] = field(default_factory=Counter)  # step the agent was on

    @property
    def abandoned(self) -> int:
        return sum(self.reasons.values())


def abandons(runs: Iterable[LoggedRun], judge: PathJudge) -> Report:
    """Abandon rate per flow (worst first), by reason, and the step most runs were left at."""
    table: dict[str, _FlowEnds] = {}
    for run in runs:
        ends = table.setdefault(run.flow_id, _FlowEnds())
        ends.runs += 1
        if run.outcome == "completed":
            ends.completed += 1
        elif run.outcome == "abandoned":
            ends.reasons[run.end_reason or "abandon"] += 1
            at = _abandoned_at(run, judge)
            if at is not None:
                ends.left_at[at] += 1
    rows: list[dict[str, object]] = []
    for key, ends in sorted(table.items()):
        common = ends.left_at.most_common(1)
        rows.append(
            {
                "key": key,
                "runs": ends.runs,
                "completed_runs": ends.completed,
                "abandoned_runs": ends.abandoned,
                "abandon_rate": rate(ends.abandoned, ends.completed + ends.abandoned),
                "abandon": ends.reasons["abandon"],
                "call_end": ends.reasons["call_end"],
                "idle": ends.reasons["idle"],
                "abandoned_at": common[0][0] if common else None,
            }
        )
    rows.sort(key=lambda r: -float(r["abandon_rate"] or 0.0))  # type: ignore[arg-type]
    done = sum(e.completed for e in table.values())
    gone = sum(e.abandoned for e in table.values())
    return Report("abandon", ABANDON_COLUMNS, rows, {"abandon_rate": rate(gone, done + gone)})


def _abandoned_at(run: LoggedRun, judge: PathJudge) -> str | None:
    judged = judge.path(run)
    if judged is None:
        return None
    path, _ = judged
    done = {s for s, _ in run.steps_done}
    at = path[0] if path else None
    for i, step_id in enumerate(path):
        if step_id in done:
            at = path[i + 1] if i + 1 < len(path) else step_id
    return at


@dataclass
class _StepTally:
    on_path: int = 0
    done: int = 0
    seconds: list[float] = field(default_factory=list)


def steps(runs: Iterable[LoggedRun], judge: PathJudge) -> Report:
    """Skip rate and median time of each step of each flow, over completed runs."""
    tallies: dict[tuple[str, str], _StepTally] = {}
    required: dict[tuple[str, str], bool] = {}
    for run in runs:
        judged = judge.path(run) if run.outcome != "open" else None
        if judged is None:
            continue
        path, req = judged
        previous = run.opened_us
        first: dict[str, int] = {}
        for step_id, ts in run.steps_done:
            if step_id not in first:
                first[step_id] = ts
                t = tallies.setdefault((run.flow_id, step_id), _StepTally())
                t.seconds.append(max(ts - previous, 0) / 1e6)
            previous = ts
        if run.outcome != "completed":
            continue
        for step_id in path:
            key = (run.flow_id, step_id)
            t = tallies.setdefault(key, _StepTally())
            t.on_path += 1
            t.done += step_id in first
            required[key] = step_id in req
    rows = []
    for (flow_id, step_id), t in sorted(tallies.items()):
        if not t.on_path and not t.seconds:
            continue
        rows.append(
            {
                "key": f"{flow_id}/{step_id}",
                "flow_id": flow_id,
                "step_id": step_id,
                "required": required.get((flow_id, step_id)),
                "on_path_runs": t.on_path,
                "skipped_runs": t.on_path - t.done,
                "skip_rate": rate(t.on_path - t.done, t.on_path),
                "median_seconds": median(t.seconds) if t.seconds else None,
            }
        )
    columns = ("key", "required", "on_path_runs", "skipped_runs", "skip_rate", "median_seconds")
    return Report("steps", columns, rows, {"steps": len(rows)})


def coverage(runs: Iterable[LoggedRun], judge: PathJudge, offered: Iterable[TouchPoint]) -> Report:
    """Coverage of the process map: offered touch points with at least one run."""
    used: Counter[str] = Counter()
    for run in runs:
        flow = judge.flow(run)
        if flow is not None:
            for tp in flow.touchpoints:
                used[tp.code] += 1
    return coverage_of(used, offered)


def coverage_of(used: Mapping[str, int], offered: Iterable[TouchPoint]) -> Report:
    """The coverage report from the runs counted per touch point code."""
    rows = []
    for tp in sorted(set(offered)):
        rows.append(
            {
                "key": tp.code,
                "channel": tp.channel,
                "brand": tp.brand,
                "business": tp.business,
                "runs": used.get(tp.code, 0),
                "used": tp.code in used,
            }
        )
    n_used = sum(1 for r in rows if r["used"])
    summary = {
        "offered_touchpoints": len(rows),
        "used_touchpoints": n_used,
        "coverage": rate(n_used, len(rows)),
        "never_used": [r["key"] for r in rows if not r["used"]],
    }
    columns = ("key", "channel", "brand", "business", "runs", "used")
    return Report("coverage", columns, rows, summary)


def search_misses(searches: Iterable[SearchRow], limit: int | None = None) -> Report:
    """Queries that found nothing or from which no flow was opened, worst first."""
    return search_miss_report_of(
        ((s.query, 1, int(not s.result_count), int(bool(s.result_count) and not s.opened_flow_id))
         for s in searches),
        limit,
    )  # fmt: skip


def search_miss_report_of(
    counted: Iterable[tuple[str, int, int, int]], limit: int | None = None
) -> Report:
    """The search-miss report from (query, searches, no result, no flow opened) counts.

    Queries are compared with their spacing normalised and in lower case, so the
    counts of one raw query (or one search) at a time merge into one row.
    """
    per_query: dict[str, list[int]] = {}
    total = no_result = no_open = 0
    for query, n, nr, no in counted:
        key = " ".join(query.split()).lower()
        counts = per_query.setdefault(key, [0, 0, 0])
        counts[0] += n
        counts[1] += nr
        counts[2] += no
        total += n
        no_result += nr
        no_open += no
    rows = [
        {
            "key": q,
            "searches": n,
            "no_result": nr,
            "no_flow_opened": no,
            "misses": nr + no,
            "miss_rate": rate(nr + no, n),
        }
        for q, (n, nr, no) in per_query.items()
        if nr + no
    ]
    rows.sort(key=lambda r: (-int(r["misses"]), str(r["key"])))  # type: ignore[call-overload]
    if limit is not None:
        rows = rows[:limit]
    summary = {
        "searches": total,
        "no_result": no_result,
        "no_flow_opened": no_open,
        "miss_rate": rate(no_result + no_open, total),
    }
    columns = ("key", "searches", "no_result", "no_flow_opened", "misses", "miss_rate")
    return Report("search-misses", columns, rows, summary)


def conformance(
    runs: Iterable[LoggedRun],
    judge: PathJudge,
    by: str = "team",
    benchmark: float = DEFAULT_BENCHMARK,
    benchmarks: Mapping[str, float] | None = None,
) -> Report:
    """Teams (or agents) against the compliance benchmark (标杆值); below it is flagged.

    ``benchmarks`` gives a value per team or agent; others get ``benchmark``.
    A key with no completed run has no rate and is not flagged.
    """
    if by not in ("team", "agent"):
        raise ValueError(f"conformance is by team or agent, not {by!r}")
    return conformance_of(compliance(runs, judge, by=by), by, benchmark, benchmarks)


def conformance_of(
    base: Report,
    by: str,
    benchmark: float = DEFAULT_BENCHMARK,
    benchmarks: Mapping[str, float] | None = None,
) -> Report:
    """The conformance rows of a compliance report by team or agent."""
    rows = []
    for row in base.rows:
        target = (benchmarks or {}).get(str(row["key"]), benchmark)
        rate = row["compliance_rate"]
        rows.append(
            {
                "key": row["key"],
                "completed_runs": row["completed_runs"],
                "compliant_runs": row["compliant_runs"],
                "compliance_rate": rate,
                "benchmark": target,
                "gap": None if rate is None else float(rate) - target,  # type: ignore[arg-type]
                "below": rate is not None and float(rate) < target,
            }  # type: ignore[arg-type]
        )
    rows.sort(key=lambda r: (r["gap"] is None, r["gap"] or 0.0))  # type: ignore[operator]
    flagged = [r["key"] for r in rows if r["below"]]
    columns = (
        "key",
        "completed_runs",
        "compliant_runs",
        "compliance_rate",
        "benchmark",
        "gap",
        "below",
    )
    return Report(
        "conformance", columns, rows, {"by": by, "benchmark": benchmark, "below": flagged}
    )
