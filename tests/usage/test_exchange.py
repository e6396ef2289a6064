"""Moving logs: export (jsonl, csv, xlsx; filters; pseudonyms) and all-or-nothing import."""

from __future__ import annotations

import csv
import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from flowdesk.problems import Refused
from flowdesk.usage import (
    EventFilter,
    UsageEvent,
    export_events,
    import_events,
    pseudonymiser,
    sqlite_engine,
)
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates
from flowdesk.usage.schema import usage_event
from tests.builders import sheet_rows

BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=BEIJING)


def desk_events(agent: str, team: str, count: int, start: datetime = T0) -> list[UsageEvent]:
    out = []
    for i in range(count):
        ts = start + timedelta(minutes=i)
        kind = ("call_start", "search", "feedback")[i % 3]
        fields = {
            "call_start": {"call_id": f"电话-{uuid.uuid4()}"},
            "search": {"query": f"查询话费 chaxun {i}", "result_count": i % 2},
            "feedback": {"text": "脚本清楚", "rating": 4},
        }[kind]
        out.append(UsageEvent(str(uuid.uuid4()), ts, kind, agent, team, **fields))
    return out


def engine_with(tmp_path: Path, name: str, events: list[UsageEvent]) -> Engine:
    engine = sqlite_engine(tmp_path / f"{name}.sqlite3")
    with engine.begin() as conn:
        insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
    return engine


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(usage_event)).scalar_one()


def test_jsonl_export_is_the_contract_and_imports_back(tmp_path: Path) -> None:
    events = desk_events("A001", "一组", 9)
    desk = engine_with(tmp_path, "desk", events)
    out = tmp_path / "desk.jsonl"
    assert export_events(desk, out, "jsonl") == 9
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[1]) == events[1].to_json()
    qa = engine_with(tmp_path, "qa", [])
    result = import_events(qa, out)
    assert (result.lines, result.imported, result.duplicates) == (9, 9, 0)
    again = import_events(qa, out)
    assert (again.imported, again.duplicates) == (0, 9)
    assert count(qa) == 9


def test_logs_of_many_desks_merge_in_any_order(tmp_path: Path) -> None:
    files = []
    for n, (agent, team) in enumerate([("A001", "一组"), ("B002", "二组"), ("C003", "一组")]):
        desk = engine_with(tmp_path, agent, desk_events(agent, team, 6, T0 + timedelta(hours=n)))
        files.append(tmp_path / f"{agent}.jsonl")
        export_events(desk, files[-1], "jsonl")
    forward, backward = engine_with(tmp_path, "f", []), engine_with(tmp_path, "b", [])
    for f in files:
        import_events(forward, f)
    for f in [*reversed(files), files[1]]:
        import_events(backward, f)
    dump_f, dump_b = tmp_path / "f.jsonl", tmp_path / "b.jsonl"
    export_events(forward, dump_f, "jsonl")
    export_events(backward, dump_b, "jsonl")
    assert count(forward) == 18
    assert dump_f.read_text(encoding="utf-8") == dump_b.read_text(encoding="utf-8")


def test_a_bad_line_refuses_the_whole_file_with_its_line_number(tmp_path: Path) -> None:
    good = [json.dumps(e.to_json(), ensure_ascii=False) for e in desk_events("A001", "一组", 5)]
    bad = json.loads(good[2])
    bad["ts"] = "2026-11-02 09:00"  # no offset
    lines = [good[0], good[1], json.dumps(bad, ensure_ascii=False), good[3], "{not json", good[4]]
    path = tmp_path / "坐席日志.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    qa = engine_with(tmp_path, "qa", [])
    with pytest.raises(Refused) as refused:
        import_events(qa, path)
    places = [(p.file, p.line, p.key) for p in refused.value.problems]
    assert places == [("坐席日志.jsonl", 3, "ts"), ("坐席日志.jsonl", 5, "")]
    assert "坐席日志.jsonl" in str(refused.value) and "no offset" in str(refused.value)
    assert count(qa) == 0  # never half-imported


def test_a_bad_line_after_many_good_batches_still_imports_nothing(tmp_path: Path) -> None:
    events = desk_events("A001", "一组", 25_000)
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for e in events:
            fh.write(json.dumps(e.to_json(), ensure_ascii=False) + "\n")
        fh.write('{"event_id": "x"}\n')
    qa = engine_with(tmp_path, "qa", [])
    with pytest.raises(Refused) as refused:
        import_events(qa, path)
    assert {p.line for p in refused.value.problems} == {25_001}
    assert count(qa) == 0


def test_export_filters_by_time_agent_and_team(tmp_path: Path) -> None:
    events = desk_events("A001", "一组", 10) + desk_events("B002", "二组", 10)
    desk = engine_with(tmp_path, "desk", events)
    out = tmp_path / "x.jsonl"
    where = EventFilter(
        since=T0 + timedelta(minutes=2), until=T0 + timedelta(minutes=5), teams=("二组",)
    )
    assert export_events(desk, out, "jsonl", where) == 3
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["agent_id"] for r in rows} == {"B002"}
    assert rows[0]["ts"] == "2026-11-02T09:02:00.000+08:00"
    assert export_events(desk, out, "jsonl", EventFilter(agents=("A001",))) == 10


def test_csv_and_xlsx_exports_carry_the_contract_keys(tmp_path: Path) -> None:
    desk = engine_with(tmp_path, "desk", desk_events("A001", "一组", 4))
    export_events(desk, tmp_path / "log.csv", "csv")
    with (tmp_path / "log.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and rows[1]["query"] == "查询话费 chaxun 1"
    assert list(rows[0])[:5] == ["event_id", "ts", "type", "agent_id", "team"]
    export_events(desk, tmp_path / "log.xlsx", "xlsx")
    values = sheet_rows(tmp_path / "log.xlsx")
    assert values[0][:3] == ("event_id", "ts", "type")
    assert values[3][values[0].index("text")] == "脚本清楚"
    assert len(values) == 5


def test_pseudonymised_export_hides_agent_ids_consistently(tmp_path: Path) -> None:
    events = desk_events("A001", "一组", 3) + desk_events("B002", "一组", 3)
    desk = engine_with(tmp_path, "desk", events)
    out = tmp_path / "p.jsonl"
    export_events(desk, out, "jsonl", pseudonymise=pseudonymiser(b"site-key"))
    text = out.read_text(encoding="utf-8")
    assert "A001" not in text and "B002" not in text
    ids = {json.loads(line)["agent_id"] for line in text.splitlines()}
    assert len(ids) == 2 and all(i.startswith("P-") for i in ids)
    assert pseudonymiser(b"site-key")("A001") in ids  # stable under the same key
    assert pseudonymiser()("A001") not in ids  # a random key cannot be linked


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Refused, match="format"):
        export_events(engine_with(tmp_path, "d", []), tmp_path / "x.parquet", "parquet")


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted(tmp_path: Path) -> None:
    events = desk_events("A001", "一组", 3)
    lines = [json.dumps(e.to_json(), ensure_ascii=False) for e in events]
    path = tmp_path / "windows.jsonl"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    qa = engine_with(tmp_path, "qa", [])
    assert import_events(qa, path).imported == 3


def test_xlsx_export_beyond_the_sheet_limit_is_refused_and_leaves_no_file(
    tmp_path: Path, monkeypatch
) -> None:
    from flowdesk.usage import exchange

    monkeypatch.setattr(exchange, "XLSX_MAX_EVENTS", 5)  # stands in for Excel's 1,048,575 rows
    desk = engine_with(tmp_path, "desk", desk_events("A001", "一组", 6))
    with pytest.raises(Refused, match="at most 5"):
        export_events(desk, tmp_path / "big.xlsx", "xlsx")
    assert list(tmp_path.glob("*big.xlsx*")) == []
