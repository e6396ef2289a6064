"""The desk's usage log: non-blocking record, durable writer, schema upgrades in place."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flowdesk.problems import Refused
from flowdesk.usage import SCHEMA_VERSION, UsageEvent, UsageLog, read_events
from flowdesk.usage.schema import SQLITE_MIGRATIONS


def test_recorded_events_are_readable_after_flush(tmp_path: Path) -> None:
    with UsageLog.open(tmp_path / "usage.sqlite3") as log:
        sent = [
            UsageEvent.new("search", "A001", "一组", query=f"查话费 {i}", result_count=i)
            for i in range(50)
        ]
        for ev in sent:
            log.record(ev)
        log.flush()
        with log.engine.connect() as conn:
            stored = list(read_events(conn))
    assert [e.event_id for e in stored] == [e.event_id for e in sent]
    assert stored[3] == sent[3]  # every key, and the time with its offset


def test_record_never_waits_for_the_disk(tmp_path: Path) -> None:
    # Another process holds the log's write lock, so the writer cannot commit at all;
    # record() must still return for every event (it only queues), and nothing recorded
    # meanwhile may be lost once the lock is gone. (Its speed is in benchmarks/.)
    path = tmp_path / "usage.sqlite3"
    events = [
        UsageEvent.new("step_done", "A001", "一组", run_id="r", step_id=f"步骤{i}")
        for i in range(2_000)
    ]
    with UsageLog.open(path) as log:
        log.record(events[0])
        log.flush(timeout=10)
        blocker = sqlite3.connect(path, timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            for ev in events[1:]:
                log.record(ev)
        finally:
            blocker.rollback()
            blocker.close()
        log.flush(timeout=60)
        with log.engine.connect() as conn:
            assert [e.event_id for e in read_events(conn)] == [e.event_id for e in events]


def test_the_same_event_recorded_twice_is_stored_once(tmp_path: Path) -> None:
    ev = UsageEvent.new("feedback", "A001", "一组", text="话术太长", rating=3)
    with UsageLog.open(tmp_path / "usage.sqlite3") as log:
        log.record(ev)
        log.record(ev)
        log.flush()
        with log.engine.connect() as conn:
            assert len(list(read_events(conn))) == 1


def test_log_file_is_wal_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite3"
    with UsageLog.open(path) as log:
        log.record(UsageEvent.new("call_start", "A001", None, call_id="c1"))
    with UsageLog.open(path) as log, log.engine.connect() as conn:
        assert [e.call_id for e in read_events(conn)] == ["c1"]
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from flowdesk.usage import UsageEvent, UsageLog

    log = UsageLog.open(Path(sys.argv[1]))
    i = 0
    while True:
        log.record(UsageEvent.new("step_done", "A001", "一组", run_id="r", step_id=str(i),
                                  call_id=f"电话-{i}"))
        i += 1
        if i % 200 == 0:
            log.flush(timeout=30)
            print(i, flush=True)
    """
)


@pytest.mark.parametrize("kill_after", [400, 2000, 5000])
def test_kill_9_mid_write_loses_only_the_tail_and_never_corrupts(
    tmp_path: Path, kill_after: int
) -> None:
    path = tmp_path / "usage.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True
    )
    flushed = 0
    try:
        assert child.stdout is not None
        for line in child.stdout:
            flushed = int(line)
            if flushed >= kill_after:
                break
        # Let it keep writing for a moment, then kill it mid-stream.
        time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        numbers = sorted(int(s) for (s,) in raw.execute("SELECT step_id FROM usage_event"))
    # Everything acknowledged by a flush is there, and what is there has no holes:
    # only the tail that was still queued or being written can be missing.
    assert len(numbers) >= flushed
    assert numbers == list(range(len(numbers)))
    with UsageLog.open(path) as log:  # the desk starts again on the same file
        log.record(UsageEvent.new("call_start", "A001", "一组", call_id="after"))
        log.flush()


def test_an_older_log_file_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite3"
    with sqlite3.connect(path) as raw:  # a desk's file as version 1 left it
        for statement in SQLITE_MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute(
            "INSERT INTO usage_event (event_id, ts_us, tz_min, type, agent_id, team, query)"
            " VALUES ('8f1c6a58-2b9e-4a8e-9a53-0d3c2f7e1b10', 1793581200000000, 480, 'search',"
            " 'A001', '一组', '宽带报修 kuandai')"
        )
        raw.execute("PRAGMA user_version=1")
    raw.close()
    with UsageLog.open(path) as log:
        log.record(UsageEvent.new("call_start", "A001", "一组", call_id="c2"))
        log.flush()
        with log.engine.connect() as conn:
            events = list(read_events(conn))
    assert [e.type for e in events] == ["search", "call_start"]
    assert events[0].query == "宽带报修 kuandai"
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        columns = {r[1] for r in raw.execute("PRAGMA table_info(usage_event)")}
    assert {"push_ack", "ix_usage_event_ts_us", "run_summary", "step_summary"} <= tables
    assert {"ix_run_summary_unresolved", "ix_run_summary_team_outcome"} <= tables  # version 6
    assert {"step_day", "ix_step_summary_open", "ix_step_summary_opened"} <= tables  # version 7
    assert {"run_day", "ix_run_summary_open"} <= tables  # version 8
    assert "auto" in columns  # version 3: branches taken from call data


def test_a_newer_log_file_is_refused_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version=99")
    raw.close()
    with pytest.raises(Refused, match="newer"):
        UsageLog.open(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 99
