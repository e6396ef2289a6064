"""From the usage log to the pack source, on the command line: misses, proposals, keywords."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

from flowdesk.paths import sample_pack
from tests.cli.process import run


def search_event(call: str, minute: int, query: str, opened: str | None, agent: str) -> dict:
    event = {
        "event_id": str(uuid.uuid4()),
        "ts": f"2026-12-01T09:{minute:02d}:00.000+08:00",
        "agent_id": agent,
        "team": "一组",
        "call_id": call,
        "type": "search",
        "query": query,
        "result_count": 0 if opened is None else 3,
        "pack_id": "cmcc-hotline",
        "pack_sequence": 1,
    }
    if opened:
        event["opened_flow_id"] = opened
    return event


def test_misses_become_proposals_and_keywords_in_the_flow_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    source = tmp_path / "src"
    shutil.copytree(Path(str(sample_pack())), source)
    assert run("pack", "import", str(source), data_dir=data).returncode == 0
    events = []
    for i, (missed, agent) in enumerate([("手机不见了", "A1"), ("我手机不见了啊", "A2")]):
        events.append(search_event(f"call-{i}", i * 10, missed, None, agent))
        events.append(search_event(f"call-{i}", i * 10 + 1, "挂失", "report-loss", agent))
    log = tmp_path / "events.jsonl"
    log.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in events), encoding="utf-8")
    assert run("usage", "import", str(log), data_dir=data).returncode == 0

    r = run("report", "search-misses", "--proposals", "--json", data_dir=data)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["rows"]
    assert [(p["flow_id"], p["keyword"], p["count"], p["agents"]) for p in rows] == [
        ("report-loss", "手机不见了", 2, 2)
    ]
    proposals = tmp_path / "accepted.json"
    proposals.write_text(r.stdout, encoding="utf-8")

    flow_file = source / "flows" / "security" / "report-loss.yaml"
    before = flow_file.read_bytes()
    r = run("pack", "add-keywords", str(source), "--proposals", str(proposals), data_dir=data)
    assert r.returncode == 0, r.stderr
    after = flow_file.read_bytes()
    assert after != before
    assert after.replace(", 手机不见了]".encode(), b"]") == before
    r = run("pack", "add-keywords", str(source), "--from-misses", "--json", data_dir=data)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["added"] == []  # it is a keyword now: nothing proposed twice
    assert run("pack", "validate", str(source), data_dir=data).returncode == 0


def test_bad_proposals_are_refused_with_the_place(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(Path(str(sample_pack())), source)
    bad = tmp_path / "bad.json"
    bad.write_text('[{"flow_id": "report-loss"}]', encoding="utf-8")
    r = run("pack", "add-keywords", str(source), "--proposals", str(bad), data_dir=tmp_path / "d")
    assert r.returncode == 1 and "rows[0]" in r.stderr and "Traceback" not in r.stderr
    r = run("pack", "add-keywords", str(source), "--add", "nope=词", data_dir=tmp_path / "d")
    assert r.returncode == 1 and "no flow 'nope'" in r.stderr
