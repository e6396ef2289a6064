"""The desk's idea of "now", in one place, so effective times can be rehearsed and tested.

Everything that decides by the wall clock (a pending pack version falling due,
the time a status is sent) asks :func:`now`. ``FLOWDESK_CLOCK`` set to an RFC
3339 time (``2026-12-01T00:00:05+08:00``) pins it: a team lead can rehearse
a tariff day on a spare desk (``FLOWDESK_CLOCK=… flowdesk pack list``), and
tests drive the command line with it. With ``FLOWDESK_CLOCK_RUNS=1`` as well, the
pinned time is where the clock starts: it runs on from the process's first look,
so a rehearsal in the window sees 23:59:30 turn into the new day and the pending
version take effect. Unset (always, in production) it is the system clock.
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from collections.abc import Callable

ENV = "FLOWDESK_CLOCK"
RUNS_ENV = "FLOWDESK_CLOCK_RUNS"
#: pinned time -> the monotonic clock when this process first read it (a running rehearsal)
_STARTED: dict[str, float] = {}

Clock = Callable[[], _dt.datetime]


def now() -> _dt.datetime:
    """The current time, offset-aware (UTC), or the pinned time of ``FLOWDESK_CLOCK``."""
    pinned = os.environ.get(ENV)
    if pinned:
        from flowdesk.packs.effective import parse_effective

        try:
            value = parse_effective(pinned)
        except ValueError as exc:
            raise SystemExit(f"flowdesk: {ENV}: {exc}") from None
        if isinstance(value, _dt.datetime):
            at = value.astimezone(_dt.UTC)
        else:
            at = _dt.datetime.combine(value, _dt.time(0)).astimezone().astimezone(_dt.UTC)
        if os.environ.get(RUNS_ENV):
            started = _STARTED.setdefault(pinned, time.monotonic())
            at += _dt.timedelta(seconds=time.monotonic() - started)
        return at
    return _dt.datetime.now(_dt.UTC)
