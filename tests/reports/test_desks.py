"""``report desks`` reads each desk's newest status only, on SQLite and on PostgreSQL alike.

A central store holds months of ``desk_status`` events; only the newest moment of
each desk tells where it stands (a pending version missing from it was superseded
or took effect), and a desk may have two versions pending at once (December's and
January's tariffs).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from flowdesk.reports.desks import desks_report
from flowdesk.usage import UsageEvent, sqlite_engine
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 30, 22, 0, tzinfo=CST)
DEC, JAN = "2026-12-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = sqlite_engine(tmp_path / "usage.sqlite3")
    else:
        from flowdesk.usage.central import central_engine, central_url, set_password
        from tests.usage.pg_server import PASSWORD, USER

        server = request.getfixturevalue("pg_server")
        request.getfixturevalue("memory_keyring")
        name = f"desks_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(
            host="127.0.0.1", port=server.port, user=USER, password=PASSWORD,
            dbname="postgres", autocommit=True,
        ) as conn:  # fmt: skip
            conn.execute(f'CREATE DATABASE "{name}"')
        url = central_url(server.url(name))
        set_password(url, PASSWORD)
        engine = central_engine(url)
    yield engine
    engine.dispose()


def moment(desk: str, at: dt.datetime, active: int | None, *pending: tuple[int, str]) -> list:
    """One status as a desk sends it: its active version and each pending one, one time."""
    versions = [({"pack_sequence": active, "state": "active"})] if active is not None else []
    versions += [
        {"pack_sequence": sequence, "state": "pending", "effective": effective}
        for sequence, effective in pending
    ]
    base = {"pack_id": "cmcc-hotline", "app_version": "0.1.0", "desk_id": desk}
    return [
        UsageEvent(str(uuid.uuid4()), at, "desk_status", f"A-{desk}", "一组", **base, **v)
        for v in versions
    ]


def test_only_the_newest_status_counts_and_every_pending_version_is_weighed(store) -> None:
    hour = dt.timedelta(hours=1)
    events = []
    for n in range(40):  # a month of pushes behind the newest status
        events += moment("pc-a", NOW - (n + 2) * 12 * hour, 1, (2, DEC))
    events += moment("pc-a", NOW - hour, 1, (2, DEC), (3, JAN))  # both tariffs ready
    events += moment("pc-b", NOW - hour, 1, (2, DEC))  # January's not here yet
    events += moment("pc-c", NOW - 30 * hour, 1, (2, DEC))
    events += moment("pc-c", NOW - hour, 1)  # #2 dropped since: its older status must not count
    events += moment("pc-d", NOW - 72 * hour, 1, (2, DEC), (3, JAN))  # quiet for three days
    with store.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])

    report = desks_report(store, NOW)
    rows = {r["desk_id"]: r for r in report.rows}
    assert len(report.rows) == 4
    got = {d: (r["active_sequence"], r["pending_sequence"], r["flags"]) for d, r in rows.items()}
    assert got == {
        "pc-a": (1, 2, []),
        "pc-b": (1, 2, ["not_ready"]),
        "pc-c": (1, None, ["not_ready"]),
        "pc-d": (1, 2, ["silent"]),
    }
    assert rows["pc-a"]["pending_effective"] == DEC  # the next to take effect is shown
    last = dt.datetime.fromisoformat(rows["pc-a"]["last_contact"])
    assert last == NOW - hour

    # On the 1st of December #2 is due: every desk still reporting #1 active is behind
    # (pc-a and pc-b have not reported since their #2 fell due); January's is still to come.
    flags = {r["desk_id"]: r["flags"] for r in desks_report(store, NOW + 3 * hour).rows}
    assert flags["pc-a"] == ["behind"] and flags["pc-b"] == ["behind", "not_ready"]
    assert flags["pc-c"] == ["behind", "not_ready"]
