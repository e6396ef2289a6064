"""Compliance's own summary: runs per local day and team, agent or flow version, kept current.

Compliance by team over a site's month used to count every run of the month
(a site's 12 million) in one ``GROUP BY``. ``run_day`` holds instead, per local
day of the runs' opening (the desk's working day, as the reports' periods take
it) and per team, per agent (with their team) or per flow version, how many
runs ended by their events, completed (judged or not), compliant and abandoned.
Compliance by team then reads a few thousand cells, by agent or flow a few
hundred thousand, whatever the number of events.

The window's local days that lie wholly inside it are read from the cells; the
runs the cells leave out are read from ``run_summary`` and counted as before:
those opened in a part-day at either end of the window (found through the
cells of those days, so a window that starts and ends at the site's midnight
reads none), and those still open by their events, which are open or idle
(abandoned) by the report's "now" (a partial index holds only them).

The cells are sums kept by deltas in the summariser's transaction
(:mod:`flowdesk.reports.cell_deltas`), so they stay what a rebuild writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import BigInteger, Connection, and_, cast, func, literal, or_, select

from flowdesk.reports.cell_deltas import apply_deltas
from flowdesk.usage.rows import EventFilter
from flowdesk.usage.summary_schema import RUN_COLUMNS, run_day

DAY_US = 86_400_000_000
MINUTE_US = 60_000_000
TEAM, AGENT, FLOW = 0, 1, 2
#: The grain each compliance grouping reads.
GRAIN = {"team": TEAM, "agent": AGENT, "flow": FLOW, "touchpoint": FLOW}
KEY = ("day_us", "local_day", "grain", "team", "agent_id", "pack_id", "pack_sequence", "flow_id")
TALLIES = ("runs", "completed", "compliant", "abandoned", "unresolved")
#: ``run_summary`` columns the deltas need, in this order.
RUN_FIELDS = ("opened_us", "tz_min", "local_day", "agent_id", "team", "pack_id",
              "pack_sequence", "flow_id", "outcome", "resolved", "compliant")  # fmt: skip
_AT = [RUN_COLUMNS.index(n) for n in RUN_FIELDS]
_LATEST = 2**62  # a cell's first opening before any run is added to it
#: Flush the pending deltas past this many cells (memory stays flat on a rebuild).
FLUSH_CELLS = 200_000

Cells = dict[tuple, list[int]]


def team_key(team: str | None) -> str:
    """A team as a cell keys it: "" for none, else "=" and the name (no name is lost)."""
    return "" if team is None else "=" + team


def team_of(key: str) -> str | None:
    return None if key == "" else key[1:]


def day_start(local_day: int, tz_min: int) -> int:
    """The first microsecond (UTC) of a local day in its UTC offset."""
    return local_day * DAY_US - tz_min * MINUTE_US


def add_runs(cells: Cells, rows: Iterable[Sequence], sign: int = 1) -> None:
    """Add (or with ``sign=-1`` take away) run rows (:data:`RUN_FIELDS` order); the runs
    still open by their events are left out."""
    for opened, tz_min, local_day, agent, team, pack, sequence, flow, outcome, resolved, ok in rows:
        if outcome == "open":
            continue
        completed = outcome == "completed"
        counts = (
            1,
            int(completed and bool(resolved)),
            int(completed and bool(resolved) and ok == 1),
            int(outcome == "abandoned"),
            int(completed and not resolved),
        )
        day = (day_start(local_day, tz_min), local_day)
        team_is = team_key(team)
        for key in (
            (*day, TEAM, team_is, "", "", 0, ""),
            (*day, AGENT, team_is, agent, "", 0, ""),
            (*day, FLOW, "", "", pack, sequence, flow),
        ):
            tally = cells.get(key)
            if tally is None:
                tally = cells[key] = [0, 0, 0, 0, 0, _LATEST]
            for i, n in enumerate(counts):
                tally[i] += sign * n
            if sign > 0 and opened < tally[5]:
                tally[5] = opened


def run_fields(run_rows: Iterable[Sequence]) -> Iterator[tuple]:
    """The :data:`RUN_FIELDS` of new ``run_summary`` rows (its column order)."""
    for r in run_rows:
        yield tuple(r[i] for i in _AT)


def flush(conn: Connection, cells: Cells) -> None:
    """Add the pending deltas to ``run_day`` and forget them."""
    rows = [(*key, *tally) for key, tally in sorted(cells.items()) if any(tally[:5])]
    cells.clear()
    apply_deltas(conn, "run_day", KEY, TALLIES, rows, emptied=("runs",), earliest=("first_us",))


# -- reading: the window's whole local days, and where the part-days are ----------------


def whole_days(since: int | None, until: int | None) -> list:  # type: ignore[type-arg]
    """Conditions on ``run_day`` for the local days wholly inside ``[since, until)``."""
    rd = run_day.c
    out = []
    if since is not None:
        out.append(rd.day_us >= since)
    if until is not None:
        out.append(rd.day_us <= until - DAY_US)
    return out


def part_days(
    conn: Connection, since: int | None, until: int | None, teams: Sequence[str] = ()
) -> list[tuple[int, int, int]]:
    """The (tz_min, low, high) spans of the window in local days it cuts: the runs opened
    there, ended by their events, are not read from the cells but from the runs."""
    if since is None and until is None:
        return []
    rd = run_day.c
    overlaps = []
    if since is not None:
        overlaps.append(rd.day_us > since - DAY_US)
    if until is not None:
        overlaps.append(rd.day_us < until)
    cut = []
    if since is not None:
        cut.append(rd.day_us < since)
    if until is not None:
        cut.append(rd.day_us > until - DAY_US)
    team_only = [rd.team.in_([team_key(t) for t in teams])] if teams else []
    stmt = (
        select(rd.day_us, rd.local_day)
        .distinct()
        .where(rd.grain == TEAM, *overlaps, or_(*cut), *team_only)
    )
    spans = []
    for day_us, local_day in conn.execute(stmt):
        tz_min = (local_day * DAY_US - day_us) // MINUTE_US
        low = day_us if since is None else max(since, day_us)
        high = day_us + DAY_US if until is None else min(until, day_us + DAY_US)
        spans.append((tz_min, low, high))
    return spans


def cell_counts(by: str, period: str | None, since: int | None, until: int | None,
                teams: Sequence[str] = ()):  # type: ignore[no-untyped-def]  # fmt: skip
    """The cells' rows in the shape of ``compliance_sql``'s statement: the key columns
    (and the local day), then runs, completed, compliant, abandoned, open (0: never in
    a cell), unresolved and the earliest opening."""
    rd = run_day.c
    keys = {
        "team": [rd.team],
        "agent": [rd.agent_id],
        "flow": [rd.flow_id, rd.pack_id, rd.pack_sequence],
        "touchpoint": [rd.pack_id, rd.pack_sequence, rd.flow_id],
    }[by]
    groups = [*keys, rd.local_day] if period else keys
    sums = [cast(func.sum(rd[n]), BigInteger) for n in TALLIES]
    team_only = [rd.team.in_([team_key(t) for t in teams])] if teams else []
    return (
        select(*groups, *sums[:4], literal(0), sums[4], func.min(rd.first_us))
        .where(rd.grain == GRAIN[by], *whole_days(since, until), *team_only)
        .group_by(*groups)
    )


def span_conditions(table, spans: Sequence[tuple[int, int, int]]):  # type: ignore[no-untyped-def]
    """``table``'s runs opened in one of the part-day spans, in that span's UTC offset."""
    c = table.c
    return or_(
        *(and_(c.tz_min == tz, c.opened_us >= low, c.opened_us < high) for tz, low, high in spans)
    )


def agent_teams(conn: Connection, where: EventFilter) -> list[tuple[str, str | None]]:
    """Each agent with runs in the window and the team of those runs (the last by name
    when they moved): from the cells of the whole local days, the runs of the part-days
    and the runs still open, as compliance counts them."""
    from flowdesk.reports.aggregate import window_conditions
    from flowdesk.usage.schema import ts_to_row
    from flowdesk.usage.summary_schema import run_summary

    if where.agents:
        return _max_team(conn, window_conditions(run_summary, where))
    since = ts_to_row(where.since)[0] if where.since is not None else None
    until = ts_to_row(where.until)[0] if where.until is not None else None
    rd, rs = run_day.c, run_summary.c
    team_only = [rd.team.in_([team_key(t) for t in where.teams])] if where.teams else []
    teams: dict[str, str | None] = {}

    def keep(agent: str, team: str | None) -> None:
        if agent not in teams or (team is not None and (teams[agent] or "") < team):
            teams[agent] = team

    cells = (
        select(rd.agent_id, func.max(rd.team))
        .where(rd.grain == AGENT, *whole_days(since, until), *team_only)
        .group_by(rd.agent_id)
    )
    for agent, team in conn.execute(cells):
        keep(agent, team_of(team))
    spans = part_days(conn, since, until, where.teams)
    in_runs = [rs.team.in_(where.teams)] if where.teams else []
    if spans:
        for agent, team in _max_team(conn, [span_conditions(run_summary, spans), *in_runs]):
            keep(agent, team)
    still_open = [rs.outcome == "open", *window_conditions(run_summary, where)]
    for agent, team in _max_team(conn, still_open):
        keep(agent, team)
    return sorted(teams.items())


def _max_team(conn: Connection, conditions: list) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    from flowdesk.usage.summary_schema import run_summary

    rs = run_summary.c
    stmt = select(rs.agent_id, func.max(rs.team)).where(*conditions).group_by(rs.agent_id)
    return [(a, t) for a, t in conn.execute(stmt)]
