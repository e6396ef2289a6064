"""``flowdesk usage`` and ``flowdesk report`` end to end, on a real data folder."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from flowdesk.cli import main
from tests.builders import sheet_rows, write_files

BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=BEIJING)

PACK_YAML = """\
format: flowpack/1
id: huafei
title: 话费
sequence: 1
channels: [{code: C1, name: 热线}]
brands: [{code: G, name: 全球通}]
businesses:
  - {code: B01, name: 话费查询, channels: [C1]}
  - {code: B02, name: 宽带报修, channels: [C1]}
"""

FLOW_YAML = """\
id: bill-query
title: 话费查询
class: query
business: B01
touchpoints: [{channel: C1}]
keywords: [huafei, 查话费]
steps:
  - {id: greet, type: script, text: 您好, required: true}
  - {id: verify, type: check, text: 核实身份, required: true}
  - {id: bye, type: end, text: 再见}
"""


def line(kind: str, minute: float, **fields: object) -> str:
    obj = {
        "event_id": str(uuid.uuid4()),
        "ts": (T0 + timedelta(minutes=minute)).isoformat(timespec="milliseconds"),
        "type": kind,
        "agent_id": "A001",
        "team": "一组",
        **fields,
    }
    return json.dumps(obj, ensure_ascii=False)


def run_lines(run_id: str, minute: float, steps: list[str], end: str | None) -> list[str]:
    out = [
        line(
            "flow_open",
            minute,
            run_id=run_id,
            pack_id="huafei",
            pack_sequence=1,
            flow_id="bill-query",
        )
    ]
    for i, step in enumerate(steps, start=1):
        out.append(line("step_done", minute + i, run_id=run_id, step_id=step))
    if end:
        out.append(line(end, minute + len(steps) + 1, run_id=run_id))
    return out


@pytest.fixture
def desk_dir(tmp_path: Path) -> Path:
    src = tmp_path / "pack"
    write_files(src, {"pack.yaml": PACK_YAML, "flows/bill.yaml": FLOW_YAML})
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "pack", "import", str(src)]) == 0
    log = tmp_path / "坐席A001.jsonl"
    lines = (
        run_lines("r1", 0, ["greet", "verify"], "flow_complete")
        + run_lines("r2", 10, ["greet"], "flow_complete")
        + run_lines("r3", 20, ["greet"], "flow_abandon")
        + [line("search", 30, query="携号转网 13800138000", result_count=0)]
    )
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--data-dir", str(data), "usage", "import", str(log)]) == 0
    return data


def test_report_compliance_json_is_the_contract(desk_dir: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["--data-dir", str(desk_dir), "report", "compliance", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [rows[0]] and rows[0]["key"] == "bill-query"
    row = rows[0]
    assert (row["completed_runs"], row["compliant_runs"], row["abandoned_runs"]) == (2, 1, 1)
    assert row["compliance_rate"] == 0.5


def test_report_by_touchpoint_and_period(desk_dir: Path, capsys) -> None:
    capsys.readouterr()
    args = [
        "--data-dir",
        str(desk_dir),
        "report",
        "compliance",
        "--by",
        "touchpoint",
        "--period",
        "week",
        "--json",
    ]
    assert main(args) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["key"], row["period"], row["compliance_rate"]) == ("C1-G-B01", "2026-W45", 0.5)


def test_every_report_prints_a_table_and_writes_xlsx_and_csv(
    desk_dir: Path, tmp_path: Path, capsys
) -> None:
    for name in ("compliance", "abandon", "steps", "coverage", "search-misses", "conformance"):
        out = tmp_path / f"{name}.xlsx"
        assert main(["--data-dir", str(desk_dir), "report", name, "-o", str(out)]) == 0
        assert out.exists()
        assert (
            main(["--data-dir", str(desk_dir), "report", name, "-o", str(out.with_suffix(".csv"))])
            == 0
        )
    text = capsys.readouterr().out
    assert "bill-query" in text and "C1-G-B02" in text and "携号转网 ***********" in text
    rows = sheet_rows(tmp_path / "coverage.xlsx", "coverage")
    assert rows[0][0] == "key" and {r[0] for r in rows[1:]} == {"C1-G-B01", "C1-G-B02"}
    csv_text = (tmp_path / "conformance.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("key,completed_runs")


def test_conformance_with_benchmarks_flags_the_team(desk_dir: Path, capsys) -> None:
    capsys.readouterr()
    args = ["--data-dir", str(desk_dir), "report", "conformance", "--benchmark", "90%", "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["summary"]["below"] == ["一组"]
    args[-2:] = ["一组=0.5", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["below"] == []


def test_bad_benchmark_and_output_are_refused(desk_dir: Path, capsys) -> None:
    base = ["--data-dir", str(desk_dir), "report"]
    assert main([*base, "conformance", "--benchmark", "很高"]) == 1
    assert "--benchmark" in capsys.readouterr().err
    assert main([*base, "compliance", "-o", "x.pdf"]) == 1
    assert ".csv or .xlsx" in capsys.readouterr().err


def test_usage_import_refuses_a_bad_file_naming_the_line(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(line("call_start", 0, call_id="c") + '\n{"type": 1}\n', encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "d"), "usage", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"bad\.jsonl.*(:2\b|line 2)", err) and "Traceback" not in err
    assert main(["--data-dir", str(tmp_path / "d"), "usage", "export", "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == ""  # nothing was imported


def test_usage_export_filters_and_pseudonymises(desk_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.jsonl"
    args = [
        "--data-dir",
        str(desk_dir),
        "usage",
        "export",
        "--format",
        "jsonl",
        "--since",
        "2026-11-02T09:09:00+08:00",
        "--until",
        "2026-11-02T09:25:00+08:00",
        "--team",
        "一组",
        "--pseudonymise",
        "-o",
        str(out),
    ]
    assert main(args) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {r["run_id"] for r in rows} == {"r2", "r3"}
    assert all(r["agent_id"].startswith("P-") for r in rows)
    assert main([*args[:-2], "--format", "xlsx"]) == 1  # xlsx needs -o FILE
    assert (
        main(["--data-dir", str(desk_dir), "usage", "export", "--format", "csv", "--since", "昨天"])
        == 1
    )
    assert "--since" in capsys.readouterr().err


def test_whoami_sets_agent_and_team(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "usage", "whoami", "--set-agent", "A007", "--team", "投诉二组"]) == 0
    capsys.readouterr()
    assert main([*data, "usage", "whoami", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"agent_id": "A007", "team": "投诉二组"}
    assert main([*data, "usage", "whoami", "--set-agent", " "]) == 1


def test_central_url_is_stored_without_password(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "usage", "central", "postgresql://qa:pw@db.site/usage"]) == 1
    assert "keyring" in capsys.readouterr().err
    assert main([*data, "usage", "central", "postgresql://qa@db.site/usage"]) == 0
    settings = (tmp_path / "d" / "settings.json").read_text(encoding="utf-8")
    assert "db.site" in settings and "pw" not in settings.replace("postgresql", "")


def test_idle_runs_count_as_abandoned_as_of_now(desk_dir: Path, capsys) -> None:
    capsys.readouterr()
    log = desk_dir.parent / "open.jsonl"
    log.write_text("\n".join(run_lines("r9", 100, ["greet"], None)) + "\n", encoding="utf-8")
    assert main(["--data-dir", str(desk_dir), "usage", "import", str(log)]) == 0
    base = ["--data-dir", str(desk_dir), "report", "compliance", "--json", "--now"]
    assert main([*base, "2026-11-02T10:50:00+08:00"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["abandoned_runs"] == 1
    assert main([*base, datetime.now(UTC).isoformat()]) == 0
    assert json.loads(capsys.readouterr().out)[0]["abandoned_runs"] == 2


def test_runs_are_judged_by_the_pack_version_they_ran_on(
    desk_dir: Path, tmp_path: Path, capsys
) -> None:
    src = tmp_path / "pack2"
    relaxed = FLOW_YAML.replace("text: 核实身份, required: true", "text: 核实身份")
    pack = PACK_YAML.replace("sequence: 1", "sequence: 2")
    write_files(src, {"pack.yaml": pack, "flows/bill.yaml": relaxed})
    assert main(["--data-dir", str(desk_dir), "pack", "import", str(src)]) == 0
    log = tmp_path / "new.jsonl"
    lines = [
        x.replace('"pack_sequence": 1', '"pack_sequence": 2')
        for x in run_lines("r7", 50, ["greet"], "flow_complete")
    ]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--data-dir", str(desk_dir), "usage", "import", str(log)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(desk_dir), "report", "compliance", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    # r2 (sequence 1, 核实身份 required, skipped) is still non-compliant; r7 (sequence 2) is.
    assert (row["completed_runs"], row["compliant_runs"]) == (3, 2)


def test_benchmarks_can_be_remembered(desk_dir: Path, capsys) -> None:
    base = ["--data-dir", str(desk_dir), "report", "conformance", "--json"]
    assert main([*base, "--benchmark", "0.4", "--benchmark", "一组=45%", "--save-benchmarks"]) == 0
    capsys.readouterr()
    assert main(base) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rows"][0]["benchmark"] == 0.45
    assert result["summary"]["below"] == []


def test_import_summarises_and_rebuild_derives_the_same(desk_dir: Path, capsys) -> None:
    from sqlalchemy import func, select

    from flowdesk.usage.schema import sqlite_engine
    from flowdesk.usage.summary_schema import run_summary

    engine = sqlite_engine(desk_dir / "usage.sqlite3")
    try:
        with engine.connect() as conn:  # `usage import` summarised its runs at once
            stored = conn.execute(select(run_summary).order_by(run_summary.c.run_id)).all()
        assert [r.run_id for r in stored] == ["r1", "r2", "r3"]
        assert [r.outcome for r in stored] == ["completed", "completed", "abandoned"]
        capsys.readouterr()
        assert main(["--data-dir", str(desk_dir), "report", "rebuild", "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"runs": 3}
        with engine.connect() as conn:
            again = conn.execute(select(run_summary).order_by(run_summary.c.run_id)).all()
            assert conn.execute(select(func.count()).select_from(run_summary)).scalar_one() == 3
        assert again == stored
    finally:
        engine.dispose()


def test_reports_name_flows_from_their_heads_not_the_whole_pack(desk_dir: Path) -> None:
    """A report by flow or touch point on a 10,000-flow pack needs titles and touch points:
    the desk reads the flows' head rows, and never builds a flow's steps for it."""
    from flowdesk.desk import Desk
    from flowdesk.model import Flow, FlowHead
    from flowdesk.reports.desk_flows import DeskFlows

    with Desk.open(desk_dir) as desk:
        flows = DeskFlows(desk)
        head = flows.head("huafei", 1, "bill-query")
        assert isinstance(head, FlowHead) and not isinstance(head, Flow)
        assert (head.title, [t.code for t in head.touchpoints]) == ("话费查询", ["C1-G-B01"])
        assert flows.head("huafei", 9, "bill-query") is None  # a version never imported
        assert [t.code for t in flows.offered()] == ["C1-G-B01", "C1-G-B02"]
        assert not flows._packs  # no pack version read whole
        whole = flows("huafei", 1, "bill-query")  # summarising a run needs its steps
        assert whole is not None and [s.id for s in whole.steps] == ["greet", "verify", "bye"]
        assert flows.head("huafei", 1, "bill-query") is whole  # once whole, kept whole
