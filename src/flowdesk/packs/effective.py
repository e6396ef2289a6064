"""``effective`` in pack.yaml: a date or an RFC 3339 time (contract §5).

A tariff that changes "on the 1st" is written as a date; one that changes at a
stated moment (a system cut-over at 02:00 Beijing time) as a time with its
offset. The rules this module fixes:

* A date means the desk's **local midnight** at the start of that day: a site
  publishes ``2026-12-01`` and every desk switches when its own clock reaches
  the 1st, as agents read the date.
* A time must carry its offset (``Z`` or ``±HH:MM``), as RFC 3339 requires; a
  time without one is refused rather than guessed at (which zone would it be?).
  ``T`` or a space between date and time, fractions of a second and a lower
  case ``t``/``z`` are accepted, and so is a YAML timestamp with its zone
  (``2026-12-01 00:00:00 +08:00``, unquoted).
* The normalised form (stored, and shown by ``pack list --json``): a date as
  ``YYYY-MM-DD``; a time as ``YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM`` with the
  publisher's own offset kept and ``Z`` for UTC.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store reads effective dates too, and must not load the YAML reader
    from flowdesk.packs.fields import FieldReader
    from flowdesk.packs.yamlload import YMap

Effective = _dt.date | _dt.datetime  # a datetime is always offset-aware

_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?\s*"
)


def parse_effective(value: object) -> Effective:
    """A date or an offset-aware time from what YAML gave; ValueError says what is wrong."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            raise ValueError(_NO_OFFSET.format(value.isoformat()))
        return value
    if isinstance(value, _dt.date):  # a datetime was handled above: a calendar date
        return value
    if not isinstance(value, str):
        from flowdesk.packs.fields import describe

        raise ValueError(f"expected a date or an RFC 3339 time, found {describe(value)}")
    text = value.strip()
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _TIME.fullmatch(text)
    if match is None:
        raise ValueError(
            "expected a date like 2026-12-01 or an RFC 3339 time like "
            f"2026-12-01T00:00:00+08:00, found {value!r}"
        )
    if match.group(6) is None:
        raise ValueError(_NO_OFFSET.format(text))
    day, hh, mm, ss, fraction, offset = match.groups()
    fraction = (fraction or "")[:7].ljust(7, "0") if fraction else ""
    offset = "+00:00" if offset in ("Z", "z") else offset
    try:
        return _dt.datetime.fromisoformat(f"{day}T{hh}:{mm}:{ss}{fraction}{offset}")
    except ValueError as exc:
        raise ValueError(f"not a valid time: {value!r} ({exc})") from None


_NO_OFFSET = (
    "the time {} has no offset; write it as RFC 3339 with its zone, "
    "e.g. 2026-12-01T00:00:00+08:00 (or a plain date for the desk's local midnight)"
)


def read_effective(root: YMap, reader: FieldReader, path: str = "") -> Effective | None:
    """Read ``effective`` of a mapping, reporting a bad value at its key path and line."""
    if "effective" not in root or root["effective"] is None:
        return None
    try:
        return parse_effective(root["effective"])  # YAML gives a date, a datetime or text
    except ValueError as exc:
        from flowdesk.packs.fields import join

        reader.error(join(path, "effective"), str(exc), root.line_of("effective"))
        return None


def format_effective(value: Effective | None) -> str | None:
    """The normalised text of an effective date or time (see the module's rules)."""
    if value is None:
        return None
    if not isinstance(value, _dt.datetime):
        return value.isoformat()
    spec = "microseconds" if value.microsecond else "seconds"
    text = value.isoformat(timespec=spec)
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_stored(text: str | None) -> Effective | None:
    """The store's normalised text back to a date or time (None for anything unreadable)."""
    if not text:
        return None
    try:
        return parse_effective(text)
    except ValueError:
        return None


def effective_instant(value: Effective, tz: _dt.tzinfo | None = None) -> _dt.datetime:
    """When a version takes effect, as an aware time: a date at local midnight.

    ``tz`` is the desk's zone (default: the machine's local zone, so ``TZ``
    decides on a desk that sets it).
    """
    if isinstance(value, _dt.datetime):
        return value
    midnight = _dt.datetime.combine(value, _dt.time(0))
    return midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()
