"""The rehearsal clock: FLOWDESK_CLOCK pins "now"; FLOWDESK_CLOCK_RUNS lets it run on."""

from __future__ import annotations

import datetime as dt
import time

from flowdesk import clock


def test_pinned_then_running_from_the_pinned_time(monkeypatch) -> None:
    monkeypatch.setenv(clock.ENV, "2026-11-30T23:59:59+08:00")
    pinned = dt.datetime(2026, 11, 30, 15, 59, 59, tzinfo=dt.UTC)
    assert clock.now() == pinned
    time.sleep(0.05)
    assert clock.now() == pinned  # pinned: it does not move
    monkeypatch.setenv(clock.RUNS_ENV, "1")
    first = clock.now()
    assert pinned <= first < pinned + dt.timedelta(seconds=1)
    time.sleep(0.05)
    later = clock.now()
    assert later - first >= dt.timedelta(milliseconds=50)  # it runs on, from where it was set
    monkeypatch.delenv(clock.ENV)
    assert abs(clock.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)  # the system's
