"""``report acknowledgements`` and the contract's new events, through the command line."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from flowdesk.cli import main
from tests.rollout.versions_fixtures import version

NOTE = "携号转网手续费取消，开场话术已改"


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def event(type_: str, ts: str, agent: str, team: str, **keys: object) -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "ts": ts,
        "type": type_,
        "agent_id": agent,
        "team": team,
        **keys,
    }


def test_who_confirmed_and_who_ran_the_changed_flow_first(tmp_path: Path, capsys) -> None:
    qa = tmp_path / "qa"
    assert run(capsys, "pack", "import", version(tmp_path, 1), "--data-dir", qa)[0] == 0
    v2 = version(
        tmp_path,
        2,
        greeting="您好！携号转网现已免收手续费。",
        extra={"must_read": NOTE},
    )
    assert run(capsys, "pack", "import", v2, "--data-dir", qa)[0] == 0
    np = {"pack_id": "test-hotline", "pack_sequence": 2, "flow_id": "np-out"}
    lines = [
        event("call_start", "2026-12-01T09:00:00.000+08:00", "A1001", "一组", call_id="c1"),
        event("notice_ack", "2026-12-01T09:00:05.000+08:00", "A1001", "一组", **np),
        event(
            "flow_open",
            "2026-12-01T09:01:00.000+08:00",
            "A1001",
            "一组",
            run_id="r1",
            call_id="c1",
            **np,
        ),
        event("call_start", "2026-12-01T09:02:00.000+08:00", "A1002", "一组", call_id="c2"),
        event(
            "flow_open",
            "2026-12-01T09:03:00.000+08:00",
            "A1002",
            "一组",
            run_id="r2",
            call_id="c2",
            **np,
        ),
        event("notice_ack", "2026-12-01T09:10:00.000+08:00", "A1002", "一组", **np),
        event("call_start", "2026-12-01T09:05:00.000+08:00", "B2001", "二组", call_id="c3"),
        event(
            "desk_status",
            "2026-12-01T09:00:00.000+08:00",
            "A1001",
            "一组",
            pack_id="test-hotline",
            pack_sequence=2,
            app_version="0.1.0",
            desk_id="pc-07",
        ),
    ]
    log = tmp_path / "desks.jsonl"
    log.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", "utf-8")
    code, _, err = run(capsys, "usage", "import", log, "--data-dir", qa)
    assert code == 0, err

    code, out, err = run(capsys, "report", "acknowledgements", "--data-dir", qa, "--json")
    assert code == 0, err
    report = json.loads(out)
    rows = {r["agent_id"]: r for r in report["rows"]}
    assert set(rows) == {"A1001", "A1002", "B2001"}
    assert {r["flow_id"] for r in report["rows"]} == {"np-out"}  # only the changed flow
    assert rows["A1001"]["status"] == "confirmed" and rows["A1001"]["note"] == NOTE
    assert rows["A1002"]["status"] == "ran_first" and rows["A1002"]["runs_before_confirm"] == 1
    assert rows["B2001"]["status"] == "unconfirmed" and rows["B2001"]["team"] == "二组"
    assert report["summary"]["teams"] == {"一组": "2/2", "二组": "0/1"}
    code, out, _ = run(capsys, "report", "acknowledgements", "--team", "二组", "--data-dir", qa)
    assert code == 0 and "B2001" in out and "A1001" not in out

    code, out, _ = run(capsys, "usage", "export", "--format", "jsonl", "--data-dir", qa)
    exported = [json.loads(x) for x in out.splitlines()]
    status = next(e for e in exported if e["type"] == "desk_status" and e["desk_id"] == "pc-07")
    assert (status["pack_sequence"], status["app_version"]) == (2, "0.1.0")
    assert sum(e["type"] == "notice_ack" for e in exported) == 2


def test_must_read_must_be_one_line(tmp_path: Path, capsys) -> None:
    bad = version(tmp_path, 1, extra={"must_read": "第一行\n第二行"})
    code, _, err = run(capsys, "pack", "validate", bad, "--data-dir", tmp_path / "d")
    assert code == 1 and "pack.yaml" in err and "must_read" in err and "one line" in err


def test_a_malformed_must_read_is_refused_with_file_key_and_line(tmp_path: Path, capsys) -> None:
    """``must_read`` is a note, not a flag: ``yes``/``true``, numbers, lists, empty text are
    refused on import, naming the file, key and line, and the desk stays as it was."""
    from tests.builders import FLOWS, write_files

    desk = tmp_path / "desk"
    assert run(capsys, "pack", "import", version(tmp_path, 1), "--data-dir", desk)[0] == 0
    before = run(capsys, "pack", "list", "--json", "--data-dir", desk)[1]
    good = version(tmp_path, 2)
    flow_file = next(iter(FLOWS))
    for n, (file, value) in enumerate(
        [
            ("pack.yaml", "yes"),
            ("pack.yaml", "true"),
            (flow_file, "2026-12-01"),
            (flow_file, "[改了开场白, 改了结束语]"),
            ("pack.yaml", "''"),
        ]
    ):
        src = tmp_path / f"bad{n}"
        files = {p.relative_to(good).as_posix(): p.read_text("utf-8") for p in good.rglob("*.yaml")}
        files[file] = files[file].rstrip("\n") + f"\nmust_read: {value}\n"
        write_files(src, files)
        line = files[file].count("\n")
        code, out, err = run(capsys, "pack", "import", src, "--data-dir", desk)
        assert code == 1, (value, out)
        assert f"{file}: must_read:" in err and f"(line {line})" in err, err
        assert "Traceback" not in err
        assert run(capsys, "pack", "list", "--json", "--data-dir", desk)[1] == before
