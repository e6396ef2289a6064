"""The review workbook's 必读确认 sheet on a desk with must-read changes: it holds the rows of
``report acknowledgements --json``, who confirmed, who ran a changed flow first, who did not.

The desk has the test pack's first version and a second one that changes two flows: 携号转网
under the pack's ``must_read`` note and 话费查询 under a note of its own; agents of two
teams confirm, run before confirming, or do neither, in November 2026.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from flowdesk.cli import main
from tests.reports.test_review import sheet
from tests.rollout.versions_fixtures import version

PACK_NOTE = "携号转网手续费取消，开场话术已改"
BILL_NOTE = "话费查询改为先报本月余额"
NP = {"pack_id": "test-hotline", "pack_sequence": 2, "flow_id": "np-out"}
BILL = {"pack_id": "test-hotline", "pack_sequence": 2, "flow_id": "bill-query"}


def _event(kind: str, at: str, agent: str, team: str, **keys: object) -> dict[str, object]:
    return {
        "event_id": str(uuid.uuid4()),
        "ts": f"2026-11-{at}:00.000+08:00",
        "type": kind,
        "agent_id": agent,
        "team": team,
        **keys,
    }


def _call(agent: str, team: str, day: str, acks: tuple, runs: tuple) -> list[dict[str, object]]:
    """One call: confirmations and runs in the order given (``runs`` after ``acks`` unless
    a run is marked ``first``)."""
    call = {"call_id": f"c-{agent}-{day}"}
    out = [_event("call_start", f"{day}T09:00", agent, team, **call)]
    minute = 1
    for what, flow in (*(("ack", a) for a in acks), *(("run", r) for r in runs)):
        at = f"{day}T09:{minute:02d}"
        if what == "ack":
            out.append(_event("notice_ack", at, agent, team, **call, **flow))
        else:
            run = {**call, "run_id": f"r-{agent}-{day}-{minute}"}
            out.append(_event("flow_open", at, agent, team, **run, **flow))
            out.append(_event("flow_complete", f"{day}T09:{minute:02d}", agent, team, **run))
        minute += 1
    return out


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("acks")
    data = root / "qa"
    v2 = version(
        root,
        2,
        greeting="您好！携号转网现已免收手续费。",
        extra={"must_read": PACK_NOTE},
        flow_extra={"flows/query/bill.yaml": {"must_read": BILL_NOTE, "summary": "先报余额。"}},
    )
    for pack in (version(root, 1), v2):
        assert main(["--data-dir", str(data), "pack", "import", str(pack)]) == 0
    events = [
        *_call("A1001", "一组", "03", (NP, BILL), (NP,)),  # confirmed both, then ran
        *_call("A1002", "一组", "04", (), (NP,)),  # ran 携号转网 before confirming it …
        *_call("A1002", "一组", "05", (NP,), ()),  # … and confirmed it the next day
        *_call("B2001", "二组", "06", (), (BILL, BILL)),  # ran 话费查询 twice, never confirmed
        *_call("B2002", "二组", "07", (), ()),  # a call, nothing confirmed
    ]
    log = root / "desks.jsonl"
    log.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n", "utf-8")
    assert main(["--data-dir", str(data), "usage", "import", str(log)]) == 0
    return data


def test_the_sheet_holds_report_acknowledgements_json(desk: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "review.xlsx"
    args = ["--data-dir", str(desk), "report", "review", "--month", "2026-11", "-o", str(out)]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(desk), "report", "acknowledgements", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)["rows"]
    written = sheet(out, "必读确认")
    # Every row in the report's order, every column the report has; --json adds
    # ``confirmed``, which the sheet says as ``confirmed_at`` (empty: not confirmed).
    assert set(printed[0]) - set(written[0]) == {"confirmed"}
    assert written == [{k: v for k, v in r.items() if k != "confirmed"} for r in printed]
    assert all(r["confirmed"] == (r["confirmed_at"] is not None) for r in printed)

    status = {(r["agent_id"], r["flow_id"]): r["status"] for r in written}
    assert status == {
        ("A1001", "np-out"): "confirmed",
        ("A1001", "bill-query"): "confirmed",
        ("A1002", "np-out"): "ran_first",
        ("A1002", "bill-query"): "unconfirmed",
        ("B2001", "np-out"): "unconfirmed",
        ("B2001", "bill-query"): "ran_first",
        ("B2002", "np-out"): "unconfirmed",
        ("B2002", "bill-query"): "unconfirmed",
    }
    notes = {r["flow_id"]: r["note"] for r in written}
    assert notes == {"np-out": PACK_NOTE, "bill-query": BILL_NOTE}  # the flow's note wins
    runs = {(r["agent_id"], r["flow_id"]): r["runs_before_confirm"] for r in written}
    assert runs[("B2001", "bill-query")] == 2 and runs[("A1002", "np-out")] == 1
    confirmed = next(r for r in written if r["agent_id"] == "A1002" and r["flow_id"] == "np-out")
    assert confirmed["confirmed_at"].startswith("2026-11-05T01:01")  # UTC, as --json prints it


def test_the_review_json_carries_the_same_rows(desk: Path, tmp_path: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["--data-dir", str(desk), "report", "review", "--month", "2026-11", "--json"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert main(["--data-dir", str(desk), "report", "acknowledgements", "--json"]) == 0
    assert review["acknowledgements"]["rows"] == json.loads(capsys.readouterr().out)["rows"]
