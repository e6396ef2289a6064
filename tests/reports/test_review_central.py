"""The monthly review and the QA workspace's questions on a site's central PostgreSQL store.

The QA desk pushes two months of calls to a real throw-away PostgreSQL
(``usage central-setup``, ``usage central``, ``usage push``, ``usage summarise``),
then ``report review --db URL`` must hold the figures of ``report … --db URL
--json``, and the drill-down must reach the runs that skipped a step there too.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest

from flowdesk.cli import main
from flowdesk.desk import Desk
from flowdesk.reports.review_drill import Drill, Period
from flowdesk.services.qa import open_queries
from flowdesk.usage.central import central_url, set_password
from tests.reports.review_fixtures import qa_desk
from tests.usage.pg_server import PASSWORD, PgServer
from tests.usage.test_central_store import admin_sql

pytestmark = pytest.mark.postgres
MONTH = ("--since", "2026-11-01", "--until", "2026-12-01")


@pytest.fixture
def central(pg_server: PgServer, memory_keyring, tmp_path: Path) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    name = f"qa_{uuid.uuid4().hex[:10]}"
    admin_sql(pg_server, "postgres", f'CREATE DATABASE "{name}"')
    url = pg_server.url(name)  # as a desk stores it: no password
    set_password(central_url(url), PASSWORD)
    data = qa_desk(tmp_path)
    for args in (
        ["usage", "central-setup", "--db", url],
        ["usage", "central", url],
        ["usage", "push"],
        ["usage", "summarise", "--db", url],
    ):
        assert main(["--data-dir", str(data), *args]) == 0, args
    return data, url


def test_the_review_on_the_central_store_equals_its_json(central, capsys) -> None:  # type: ignore[no-untyped-def]
    data, url = central
    base = ["--data-dir", str(data), "report"]
    capsys.readouterr()
    assert main([*base, "compliance", "--by", "team", "--db", url, *MONTH, "--json"]) == 0
    teams = json.loads(capsys.readouterr().out)
    assert main([*base, "review", "--month", "2026-11", "--db", url, "--json"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert {r["key"]: r["compliant_runs"] for r in review["teams"]["rows"]} == {
        r["key"]: r["compliant_runs"] for r in teams
    }
    summary = {r["key"]: r for r in review["summary"]["rows"]}
    assert summary["runs"]["value"] == sum(r["runs"] for r in teams)
    assert summary["runs"]["previous"] > 0  # October was pushed too


def test_the_drill_down_reaches_the_runs_that_skipped_a_step(central) -> None:  # type: ignore[no-untyped-def]
    data, url = central
    desk = Desk.open(data)
    queries = open_queries(desk, url)
    try:
        november = Period.around("month", date(2026, 11, 1))
        assert queries.engine.dialect.name == "postgresql"
        drill = Drill(team="三组")
        agents = queries.level(drill, november)
        agent = str(agents.rows[0]["key"])
        flows = queries.level(drill.into(agent), november)
        assert "bill-hotline" in {r["key"] for r in flows.rows}
        steps = queries.level(drill.into(agent).into("bill-hotline"), november)
        skipped = {r["key"]: r["skipped_runs"] for r in steps.rows}
        runs = queries.level(drill.into(agent).into("bill-hotline").into("explain"), november)
        assert len(runs.rows) == skipped["explain"] > 0
        assert all(r["agent_id"] == agent and r["compliant"] is False for r in runs.rows)
        assert any(m.step_id == "explain" and m.state == "skipped" for m in runs.rows[0]["trace"])
        # October beside November: the agent's skips found through their runs, as many as
        # the runs that skipped the step (found from the step rows alone)
        flow = drill.into(agent).into("bill-hotline")
        before = {r["key"]: r for r in queries.level_before(flow, november).rows}
        october = flow.where(november.previous().where())
        skipping = queries.runs_skipping("bill-hotline", "explain", october)
        assert before["explain"]["skipped_runs"] == len(skipping.rows) > 0
    finally:
        queries.engine.dispose()
        desk.close()
