"""Retention on the central store: export a month, then drop its partitions.

``flowdesk usage retire --db URL --month 2026-10 --export 2026-10.jsonl`` writes
the month's events as the contract's JSON Lines (importable anywhere with
``usage import``), checks that the file holds every event of the partition,
and only then drops the month's ``usage_event``, ``run_summary`` and
``step_summary`` partitions in one transaction. Dropping a partition is
instant and leaves no dead rows to vacuum, unlike deleting 170 million rows.
Only the tables' owner (the site's administrator) may drop partitions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from flowdesk.files import replacing
from flowdesk.problems import Refused
from flowdesk.usage.central_schema import EVENT_TABLES, partition_name
from flowdesk.usage.rows import row_to_event
from flowdesk.usage.schema import EVENT_COLUMNS

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Retired:
    """What a retirement did: the month, events exported, the file written."""

    month: str
    events: int
    export: Path


def parse_month(value: str) -> tuple[int, int]:
    found = _MONTH.match(value.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise Refused(f"--month: not a month: {value!r} (YYYY-MM, e.g. 2026-10)")
    return int(found.group(1)), int(found.group(2))


def retire_month(engine: Engine, month: str, export: Path) -> Retired:
    """Export one month's events to ``export`` (JSON Lines), then drop its partitions."""
    year, number = parse_month(month)
    events = partition_name("usage_event", year, number)
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT to_regclass(:n) IS NOT NULL"), {"n": events})
        if not exists.scalar_one():
            raise Refused(f"the central store has no partition for {month}")
    written = _export_partition(engine, events, export)
    with engine.begin() as conn:
        stored = conn.execute(text(f"SELECT count(*) FROM {events}")).scalar_one()
        if stored != written:  # events arrived meanwhile: keep the month, export again
            raise Refused(
                f"{month}: {stored} events stored but {written} exported; nothing dropped, "
                "retire it again"
            )
        for table in EVENT_TABLES:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {partition_name(table, year, number)}")
    return Retired(month, written, export)


def _export_partition(engine: Engine, table: str, out: Path) -> int:
    """Stream a partition to a JSON Lines file, written beside it and renamed into place."""
    count = 0
    with (
        replacing(out) as tmp,
        tmp.open("w", encoding="utf-8") as fh,
        engine.connect() as conn,
    ):
        result = conn.execution_options(yield_per=20_000).execute(
            text(f"SELECT {', '.join(EVENT_COLUMNS)} FROM {table} ORDER BY ts_us, seq")
        )
        for row in result:
            obj = row_to_event(row).to_json()
            fh.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
            fh.write("\n")
            count += 1
    return count
