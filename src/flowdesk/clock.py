"""The desk's idea of "now", in one place, so effective times can be rehearsed and tested.

Everything that decides by the wall clock (a pending pack version falling due,
the time a status is sent) asks :func:`now`. ``FLOWDESK_CLOCK`` set to an RFC
3339 time (``2026-12-01T00:00:05+08:00``) pins it: a team lead can rehearse
a tariff day on a spare desk (``FLOWDESK_CLOCK=… flowdesk pack list``), and
tests drive the command line with it. Unset (always, in production) it is the
system clock.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable

ENV = "FLOWDESK_CLOCK"

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
            return value.astimezone(_dt.UTC)
        return _dt.datetime.combine(value, _dt.time(0)).astimezone().astimezone(_dt.UTC)
    return _dt.datetime.now(_dt.UTC)
