"""The steps report's own summary: per flow, step, day and time bucket, kept current.

``report steps`` over a site's month used to read every timed step of the
month (tens of millions of rows) to take each step's median. ``step_day``
instead holds, per (flow, step, UTC day of the run's opening, bucket of the
step's seconds), how many completed runs walked the step, skipped it and had it
required, and how many timings fell in the bucket with their sum. The report
then reads one row per cell, so its cost follows the number of (flow, step,
day) cells, not the events.

Buckets are fixed and log-spaced: :data:`PER_DOUBLING` per doubling of the
seconds (each about 4.4 % wide) above :data:`FLOOR_US`; bucket 0 holds
everything under it, :data:`UNTIMED` the walked rows without a timing. A
median read from them is the mean of the timings in the bucket(s) of the
middle position(s): exact when such a bucket holds one timing or equal ones,
else within one bucket's width (docs/measurement.md).

The cells are a sum over ``step_summary`` rows of ended runs, so they are kept
by deltas: whenever a run's step rows are deleted and written again (the
summariser's only way of changing them), the deleted rows are subtracted and
the new ones added, in the same transaction. Sums do not care about order or
repetition, so the cells stay what a rebuild from scratch gives. Rows of runs
still open by their events are not kept here: whether they count depends on
the report's "now", so the report reads those few rows itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import Connection

from flowdesk.reports.cell_deltas import apply_deltas

DAY_US = 86_400_000_000
FLOOR_US = 10_000  # bucket 0: under a hundredth of a second
PER_DOUBLING = 16
#: A median read from the buckets is within this share of the exact one, plus FLOOR_US.
MEDIAN_RELATIVE = 2 ** (1 / PER_DOUBLING) - 1  # 4.4 %
UNTIMED = -1
#: What each step row contributes, in step_day's column order after the key.
TALLIES = ("walked", "skipped", "walked_required", "timed", "timed_us")
KEY = ("flow_id", "step_id", "day_us", "bucket")
#: Step row columns the deltas need, in this order (``ended`` rows only).
STEP_FIELDS = ("flow_id", "step_id", "opened_us", "completed", "on_path", "required", "done",
               "seconds_us")  # fmt: skip
#: Flush the pending deltas past this many cells (memory stays flat on a rebuild).
FLUSH_CELLS = 200_000

Cells = dict[tuple, list[int]]


def bucket_of(seconds_us: int) -> int:
    """The histogram bucket of a step's time (computed here only, never in SQL)."""
    if seconds_us < FLOOR_US:
        return 0
    return 1 + int(math.log2(seconds_us / FLOOR_US) * PER_DOUBLING)


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """The seconds a bucket spans, [low, high)."""
    if bucket <= 0:
        return 0.0, FLOOR_US / 1e6
    low = FLOOR_US * 2 ** ((bucket - 1) / PER_DOUBLING) / 1e6
    return low, low * 2 ** (1 / PER_DOUBLING)


def add_steps(cells: Cells, rows: Iterable[Sequence], sign: int = 1, by_day: bool = True) -> None:
    """Add (or with ``sign=-1`` take away) step rows (:data:`STEP_FIELDS` order).

    Keyed by (flow, step, day, bucket), or (flow, step, bucket) with ``by_day``
    false (the report folding in the rows it read itself).
    """
    for flow, step, opened_us, completed, on_path, required, done, seconds_us in rows:
        walked = bool(completed and on_path)
        if not walked and not done:
            continue
        bucket = bucket_of(seconds_us) if done else UNTIMED
        key = (
            (flow, step, opened_us - opened_us % DAY_US, bucket) if by_day else (flow, step, bucket)
        )
        tally = cells.get(key)
        if tally is None:
            tally = cells[key] = [0, 0, 0, 0, 0]
        if walked:
            tally[0] += sign
            tally[1] += sign * (not done)
            tally[2] += sign * bool(required)
        if done:
            tally[3] += sign
            tally[4] += sign * seconds_us


def ended_rows(step_rows: Iterable[Sequence]) -> Iterator[tuple]:
    """The :data:`STEP_FIELDS` of new ``step_summary`` rows (its column order) of ended runs."""
    for r in step_rows:
        if r[7]:  # ended
            yield (r[4], r[5], r[1], r[6], r[9], r[10], r[11], r[12])


def flush(conn: Connection, cells: Cells) -> None:
    """Add the pending deltas to ``step_day`` and forget them."""
    rows = [(*key, *tally) for key, tally in sorted(cells.items()) if any(tally)]
    cells.clear()
    apply_deltas(conn, "step_day", KEY, TALLIES, rows, emptied=("walked", "timed"))


def median_seconds(histogram: Sequence[tuple[int, int, int]]) -> float | None:
    """The median from (bucket, timings, their sum in µs) rows, as ``statistics.median``
    takes it from the timings: the middle one, or the mean of the two middle ones, each
    read as the mean of its bucket."""
    if len(histogram) == 1:  # the usual step: all its timings in one bucket
        ((_bucket, n, sum_us),) = histogram
        return sum_us / n / 1e6 if n > 0 else None
    timed = sorted((b, n, s) for b, n, s in histogram if n > 0)
    total = sum(n for _b, n, _s in timed)
    if not total:
        return None
    wanted = ((total + 1) // 2, total // 2 + 1)
    found: list[float] = []
    seen = 0
    for _bucket, n, sum_us in timed:
        seen += n
        while len(found) < 2 and wanted[len(found)] <= seen:
            found.append(sum_us / n / 1e6)
    low, high = found
    return low if low == high else (low + high) / 2
