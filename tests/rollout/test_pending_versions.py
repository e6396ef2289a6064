"""Pending versions on a real desk: effective times, activation, supersede, rollback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flowdesk.desk import Desk
from flowdesk.packs import load_pack
from flowdesk.packs.effective import effective_instant, format_effective, parse_effective
from flowdesk.rollout.activation import activate_due
from flowdesk.sync import changed_flows_unseen, rollback
from tests.rollout.versions_fixtures import CST, UTC, Clock, version

BEFORE = dt.datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 23:00 in Beijing, 30 November


@pytest.fixture
def clock() -> Clock:
    return Clock(BEFORE)


@pytest.fixture
def desk(tmp_path: Path, clock: Clock):
    desk = Desk.open(tmp_path / "data")
    desk.now = clock
    desk.import_pack(version(tmp_path, 1))
    yield desk
    desk.close()


def states(desk: Desk) -> dict[int, str]:
    return {p.sequence: p.state for p in desk.packs()}


def test_effective_is_a_date_or_an_rfc3339_time_with_offset() -> None:
    assert parse_effective("2026-12-01") == dt.date(2026, 12, 1)
    at = parse_effective("2026-12-01T00:00:00+08:00")
    assert at == dt.datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert format_effective(at) == "2026-12-01T00:00:00+08:00"  # the publisher's offset kept
    assert (
        format_effective(parse_effective("2026-12-01t02:30:00.5z")) == "2026-12-01T02:30:00.500000Z"
    )
    assert format_effective(parse_effective(dt.date(2026, 12, 1))) == "2026-12-01"
    for bad in ("2026-12-01T00:00:00", "下个月", "2026-13-01", "2026-12-01T25:00:00Z"):
        with pytest.raises(ValueError):
            parse_effective(bad)
    # a date is the desk's local midnight
    assert effective_instant(dt.date(2026, 12, 1), CST) == dt.datetime(2026, 12, 1, tzinfo=CST)


def test_a_time_without_offset_is_refused_with_file_and_key(tmp_path: Path) -> None:
    folder = version(tmp_path, 2, "2026-12-01T00:00:00")
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(text.replace("'2026-12-01T00:00:00'", "2026-12-01T00:00:00"))
    loaded = load_pack(folder)
    problem = next(p for p in loaded.problems if p.key == "effective")
    assert not loaded.ok and problem.file == "pack.yaml" and "offset" in problem.message


def test_unquoted_yaml_timestamp_is_read_with_its_offset(tmp_path: Path) -> None:
    folder = version(tmp_path, 2)
    with (folder / "pack.yaml").open("a", encoding="utf-8") as fh:
        fh.write("effective: 2026-12-01 00:00:00 +08:00\n")
    loaded = load_pack(folder)
    assert loaded.ok, loaded.problems
    assert loaded.pack.effective == dt.datetime(2026, 12, 1, tzinfo=CST)


def test_future_version_is_pending_and_never_disturbs_the_active_one(
    desk: Desk, tmp_path: Path, clock: Clock
) -> None:
    before = desk.search("携号转网")[0]
    result = desk.import_pack(
        version(tmp_path, 2, "2026-12-01T00:00:00+08:00", greeting="新版问候语：您好，携号转网请讲")
    )
    assert result.info.state == "pending" and states(desk) == {2: "pending", 1: "active"}
    assert desk.search("携号转网")[0].flow_id == before.flow_id
    assert desk.flow("np-out")[1].sequence == 1
    assert "新版问候语" not in desk.flow("np-out")[0].steps[0].text
    assert activate_due(desk) == []  # not yet
    clock.move_to(dt.datetime(2026, 11, 30, 16, 0, tzinfo=UTC))  # midnight in Beijing
    done = activate_due(desk)
    assert [(a.sequence, a.previous_sequence) for a in done] == [(2, 1)]
    assert states(desk) == {2: "active", 1: "previous"}
    assert desk.flow("np-out")[0].steps[0].text.startswith("新版问候语")
    assert changed_flows_unseen(desk) == {"np-out": "改"}  # marked once it takes effect
    assert [h["action"] for h in desk.history()][-1] == "activate"


def test_past_effective_time_is_active_at_once(desk: Desk, tmp_path: Path) -> None:
    result = desk.import_pack(version(tmp_path, 2, "2026-11-30T14:59:59Z"))
    assert result.info.state == "active" and states(desk) == {2: "active", 1: "previous"}


def test_date_takes_effect_at_the_desks_local_midnight(
    desk: Desk, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        desk.import_pack(version(tmp_path, 2, "2026-12-01"))
        assert states(desk)[2] == "pending"
        clock.move_to(dt.datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC))
        assert activate_due(desk) == []
        clock.move_to(dt.datetime(2026, 11, 30, 16, 0, 0, tzinfo=UTC))  # 00:00 in Shanghai
        assert [a.sequence for a in activate_due(desk)] == [2]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_higher_pending_sequence_supersedes_one_due_no_earlier(
    desk: Desk, tmp_path: Path, clock: Clock
) -> None:
    desk.import_pack(version(tmp_path, 2, "2026-12-01T00:00:00+08:00"))
    desk.import_pack(version(tmp_path, 3, "2026-12-01T00:00:00+08:00", greeting="第三版问候"))
    # #2 can never become active: #3 takes effect at the same moment
    assert states(desk) == {3: "pending", 2: "previous", 1: "active"}
    assert [h["action"] for h in desk.history()][-1] == "supersede"
    clock.move_to(dt.datetime(2026, 12, 1, tzinfo=CST))
    assert [a.sequence for a in activate_due(desk)] == [3]


def test_pending_versions_in_date_order_each_take_effect(
    desk: Desk, tmp_path: Path, clock: Clock
) -> None:
    desk.import_pack(version(tmp_path, 2, "2026-12-01T00:00:00+08:00"))
    desk.import_pack(version(tmp_path, 3, "2027-01-01T00:00:00+08:00"))
    assert states(desk) == {3: "pending", 2: "pending", 1: "active"}
    clock.move_to(dt.datetime(2026, 12, 15, tzinfo=CST))
    assert [a.sequence for a in activate_due(desk)] == [2]
    assert states(desk) == {3: "pending", 2: "active", 1: "previous"}
    clock.move_to(dt.datetime(2027, 2, 1, tzinfo=CST))
    assert [a.sequence for a in activate_due(desk)] == [3]


def test_both_due_at_once_the_highest_wins(desk: Desk, tmp_path: Path, clock: Clock) -> None:
    desk.import_pack(version(tmp_path, 2, "2026-12-01T00:00:00+08:00"))
    desk.import_pack(version(tmp_path, 3, "2027-01-01T00:00:00+08:00"))
    clock.move_to(dt.datetime(2027, 2, 1, tzinfo=CST))  # the desk was off all month
    done = activate_due(desk)
    assert [(a.sequence, a.previous_sequence, a.superseded) for a in done] == [(3, 1, (2,))]
    assert states(desk) == {3: "active", 2: "previous", 1: "previous"}


def test_an_immediate_version_supersedes_what_is_pending(desk: Desk, tmp_path: Path) -> None:
    desk.import_pack(version(tmp_path, 2, "2027-01-01"))
    desk.import_pack(version(tmp_path, 3))  # an urgent fix, no effective date
    assert states(desk) == {3: "active", 2: "previous", 1: "previous"}


def test_rollback_keeps_what_is_pending_and_is_never_undone(
    desk: Desk, tmp_path: Path, clock: Clock
) -> None:
    desk.import_pack(version(tmp_path, 2, greeting="第二版"))
    desk.import_pack(version(tmp_path, 3, "2026-12-01T00:00:00+08:00"))
    rollback(desk, "test-hotline")  # #2 is wrong: back to #1
    assert states(desk) == {3: "pending", 2: "previous", 1: "active"}
    clock.move_to(dt.datetime(2026, 12, 1, tzinfo=CST))
    assert [(a.sequence, a.previous_sequence) for a in activate_due(desk)] == [(3, 1)]
    assert activate_due(desk) == []
    rollback(desk, "test-hotline")  # and #3 too: back to #2, which stays
    assert states(desk) == {3: "previous", 2: "active", 1: "previous"}
    assert activate_due(desk) == []


def test_activating_a_pending_version_by_hand_takes_it_out_of_the_schedule(
    desk: Desk, tmp_path: Path
) -> None:
    desk.import_pack(version(tmp_path, 2, "2027-01-01"))
    rollback(desk, "test-hotline", to_sequence=2)  # the lead brings it forward
    assert states(desk) == {2: "active", 1: "previous"}


def test_a_call_in_progress_keeps_its_versions(desk: Desk, tmp_path: Path, clock: Clock) -> None:
    desk.import_pack(version(tmp_path, 2, "2026-12-01T00:00:00+08:00"))
    desk.hold_versions()  # a call starts
    clock.move_to(dt.datetime(2026, 12, 1, tzinfo=CST))
    other = Desk.open(desk.data.root)  # a command on the same desk, mid-call
    other.now = clock
    try:
        assert [a.sequence for a in activate_due(other)] == [2]
    finally:
        other.close()
    assert [p.sequence for p in desk.active_packs()] == [1]
    assert desk.flow("np-out")[1].sequence == 1
    desk.release_versions()  # the call ended
    assert [p.sequence for p in desk.active_packs()] == [2]
