"""Where every desk stands: desk_status through a real push to PostgreSQL, then report desks."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest

from flowdesk.cli import main
from flowdesk.paths import DataDir
from flowdesk.rollout.desk_status import desk_id
from flowdesk.usage.central import central_url, set_password
from tests.rollout.versions_fixtures import version
from tests.usage.pg_server import PASSWORD, USER

pytestmark = pytest.mark.postgres

NOV30 = "2026-11-30T10:00:00+08:00"


@pytest.fixture
def central_url_text(pg_server, memory_keyring) -> str:
    name = f"desks_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(
        host="127.0.0.1",
        port=pg_server.port,
        user=USER,
        password=PASSWORD,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_server.url(name)
    set_password(central_url(url), PASSWORD)
    return url


def flowdesk(monkeypatch, capsys, data: Path, *args: str, now: str = NOV30) -> str:
    monkeypatch.setenv("FLOWDESK_DATA_DIR", str(data))
    monkeypatch.setenv("FLOWDESK_CLOCK", now)
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_desks_push_their_status_and_the_report_flags_who_is_not_current(
    tmp_path: Path, monkeypatch, capsys, central_url_text: str
) -> None:
    v1, v2 = version(tmp_path, 1), version(tmp_path, 2, "2026-12-01T00:00:00+08:00")
    desks = {
        "ready": (tmp_path / "desk-a", "一组", "A1001", [v1, v2], None),
        "not-ready": (tmp_path / "desk-b", "一组", "A1002", [v1], None),
        "pilot": (tmp_path / "desk-c", "二组", "B2001", [v1, v2], "试点"),
    }
    for data, team, agent, packs, ring in desks.values():
        flowdesk(monkeypatch, capsys, data, "usage", "whoami", "--set-agent", agent, "--team", team)
        if ring:
            flowdesk(monkeypatch, capsys, data, "desk", "ring", ring)
        for pack in packs:
            flowdesk(monkeypatch, capsys, data, "pack", "import", str(pack))
        flowdesk(monkeypatch, capsys, data, "usage", "central", central_url_text)
        flowdesk(monkeypatch, capsys, data, "usage", "push")
    # a desk that pushed once, two days before, and then went quiet
    quiet = tmp_path / "desk-d"
    flowdesk(
        monkeypatch, capsys, quiet, "usage", "whoami", "--set-agent", "A1003", "--team", "一组"
    )
    flowdesk(monkeypatch, capsys, quiet, "pack", "import", str(v1), now="2026-11-28T09:00:00+08:00")
    flowdesk(monkeypatch, capsys, quiet, "usage", "central", central_url_text)
    flowdesk(monkeypatch, capsys, quiet, "usage", "push", now="2026-11-28T09:00:00+08:00")

    report_dir = tmp_path / "qa"
    out = flowdesk(
        monkeypatch, capsys, report_dir, "report", "desks", "--db", central_url_text, "--json"
    )
    report = json.loads(out)
    rows = {r["agent_id"]: r for r in report["rows"]}
    assert set(rows) == {"A1001", "A1002", "A1003", "B2001"}
    assert rows["A1001"]["status"] == "current"
    assert (rows["A1001"]["active_sequence"], rows["A1001"]["pending_sequence"]) == (1, 2)
    assert rows["A1001"]["pending_effective"] == "2026-12-01T00:00:00+08:00"
    assert rows["A1002"]["flags"] == ["not_ready"]  # #2 is pending elsewhere, not here
    assert rows["A1003"]["flags"] == ["silent", "not_ready"]
    assert rows["B2001"]["ring"] == "试点" and rows["B2001"]["status"] == "current"
    assert report["summary"]["teams"] == {"一组": "1/3", "二组": "1/1"}
    assert report["summary"]["rings"] == ["-", "试点"]
    assert all(
        r["desk_id"] == desk_id(DataDir(d[0]))
        for d in desks.values()
        for r in [next(x for x in report["rows"] if x["agent_id"] == d[2])]
    )

    # After midnight desk A has switched (any command activates) and pushes again; desk B
    # still has only #1 and is now behind.
    after = "2026-12-01T00:05:00+08:00"
    a = desks["ready"][0]
    flowdesk(monkeypatch, capsys, a, "usage", "push", now=after)
    out = flowdesk(
        monkeypatch,
        capsys,
        report_dir,
        "report",
        "desks",
        "--db",
        central_url_text,
        "--team",
        "一组",
        "--json",
        now=after,
    )
    rows = {r["agent_id"]: r for r in json.loads(out)["rows"]}
    assert set(rows) == {"A1001", "A1002", "A1003"}
    assert (rows["A1001"]["active_sequence"], rows["A1001"]["pending_sequence"]) == (2, None)
    assert rows["A1001"]["status"] == "current"
    assert rows["A1002"]["flags"] == ["behind"]
    assert "behind" in rows["A1003"]["flags"]


def test_desk_id_is_kept_and_renewed_on_another_computer(tmp_path: Path, monkeypatch) -> None:
    data = DataDir(tmp_path / "data").ensure()
    first = desk_id(data)
    assert desk_id(data) == first and first.rsplit("-", 1)[1].isalnum()
    stored = json.loads(data.desk_status.read_text(encoding="utf-8"))
    stored["host"] = "another-pc"  # as if the folder came from a cloned disk image
    data.desk_status.write_text(json.dumps(stored), encoding="utf-8")
    renewed = desk_id(data)
    assert renewed != first
    assert json.loads(data.desk_status.read_text(encoding="utf-8"))["previous"] == [first]
