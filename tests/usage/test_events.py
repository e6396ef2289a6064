"""Usage events: the contract's JSON, refusals naming line and key, privacy masking."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from flowdesk.problems import Refused
from flowdesk.usage import EVENT_TYPES, UsageEvent, mask_digits


def test_new_event_has_uuid_and_local_time_with_offset() -> None:
    ev = UsageEvent.new("search", "A001", "一组", query="查话费 huafei", result_count=3)
    assert uuid.UUID(ev.event_id).version == 4
    assert ev.ts.utcoffset() is not None
    assert abs(datetime.now(UTC) - ev.ts) < timedelta(seconds=5)


def test_json_round_trip_keeps_every_key_and_the_offset() -> None:
    obj = {
        "event_id": str(uuid.uuid4()),
        "ts": "2026-11-02T09:00:00.123+08:00",
        "type": "branch",
        "agent_id": "A001",
        "team": "一组",
        "call_id": "c-1",
        "run_id": "r-1",
        "pack_id": "huafei",
        "pack_sequence": 3,
        "flow_id": "bill-query",
        "step_id": "ask",
        "option": "balance",
    }
    ev = UsageEvent.from_json(obj, "log.jsonl:1")
    assert ev.ts.utcoffset() == timedelta(hours=8)
    assert ev.to_json() == obj  # None keys omitted, ms precision kept


def test_z_suffix_and_microseconds_are_accepted() -> None:
    obj = {
        "event_id": str(uuid.uuid4()),
        "ts": "2026-11-02T01:00:00.123456Z",
        "type": "call_start",
        "agent_id": "A001",
        "call_id": "c",
    }
    ev = UsageEvent.from_json(obj, "x")
    assert ev.ts == datetime(2026, 11, 2, 1, 0, 0, 123456, tzinfo=UTC)
    assert ev.to_json()["ts"] == "2026-11-02T01:00:00.123456+00:00"
    assert ev.team is None


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"ts": "2026-11-02T09:00:00"}, "ts"),
        ({"type": "step_skipped"}, "type"),
        ({"event_id": "not-a-uuid"}, "event_id"),
        ({"pack_sequence": "3"}, "pack_sequence"),
        ({"agent_id": ""}, "agent_id"),
        ({"run_id": None}, "run_id"),
        ({"flow_id": 7}, "flow_id"),
    ],
)
def test_bad_event_is_refused_naming_where_and_key(change: dict, key: str) -> None:
    obj = {
        "event_id": str(uuid.uuid4()),
        "ts": "2026-11-02T09:00:00+08:00",
        "type": "flow_open",
        "agent_id": "A001",
        "run_id": "r",
        "pack_id": "p",
        "pack_sequence": 1,
        "flow_id": "f",
    }
    obj.update(change)
    with pytest.raises(Refused) as refused:
        UsageEvent.from_json(obj, "desk7.jsonl:17")
    problems = refused.value.problems
    assert any(p.key == key for p in problems), problems
    assert all(p.file == "desk7.jsonl:17" for p in problems)


def test_unknown_keys_from_a_newer_desk_are_ignored() -> None:
    obj = {
        "event_id": str(uuid.uuid4()),
        "ts": "2026-11-02T09:00:00+08:00",
        "type": "feedback",
        "agent_id": "A001",
        "text": "流程很好用",
        "rating": 5,
        "channel": "C1",
    }
    assert UsageEvent.from_json(obj, "x").rating == 5


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("查话费 13800138000", "查话费 ***********"),
        ("手机 138 0013 8000 停机", "手机 *** **** **** 停机"),
        ("证件 4403-0119-9001", "证件 ****-****-****"),
        ("全角 １３８００１３８０００", "全角 ***********"),
        ("套餐 58元 12345 个", "套餐 58元 12345 个"),  # fewer than six digits stay
        ("流量包 5G", "流量包 5G"),
    ],
)
def test_digit_runs_of_six_or_more_are_masked(text: str, masked: str) -> None:
    assert mask_digits(text) == masked
    ev = UsageEvent.new("feedback", "A001", None, text=text)
    assert ev.text == masked
    search = UsageEvent(str(uuid.uuid4()), datetime.now(UTC), "search", "A001", None, query=text)
    assert search.query == masked


def test_event_types_are_the_contracts() -> None:
    assert EVENT_TYPES == (
        "call_start",
        "call_end",
        "search",
        "flow_open",
        "step_done",
        "branch",
        "flow_complete",
        "flow_abandon",
        "feedback",
        "notice_ack",  # §5
        "desk_status",  # §5
    )


def test_desk_status_and_notice_ack_need_their_keys() -> None:
    with pytest.raises(Refused) as refused:
        UsageEvent.new("desk_status", "A001", "一组", pack_id="p", pack_sequence=3)
    assert {p.key for p in refused.value.problems} == {"app_version", "desk_id"}
    ev = UsageEvent.new(
        "desk_status", "A001", "一组", pack_id="p", pack_sequence=3, app_version="0.1.0",
        desk_id="pc-07-3f2a", state="pending", effective="2026-12-01T00:00:00+08:00",
    )  # fmt: skip
    assert UsageEvent.from_json(ev.to_json(), "line 1") == ev
    with pytest.raises(Refused):
        UsageEvent.new("notice_ack", "A001", "一组", flow_id="np-out")


def test_time_in_another_offset_is_kept() -> None:
    ts = datetime(2026, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    ev = UsageEvent(str(uuid.uuid4()), ts, "call_end", "A001", None, call_id="c")
    assert ev.to_json()["ts"] == "2026-11-02T09:00:00.000+05:30"


def test_new_event_time_is_to_the_millisecond_in_json() -> None:
    ev = UsageEvent.new("call_start", "A001", "一组", call_id="c")
    text = ev.to_json()["ts"]
    assert ev.ts.microsecond % 1000 == 0
    assert len(text.split(".")[1].split("+")[0].split("-")[0]) == 3
