"""Usage events: what a desk records about flows in use (contract §3).

One :class:`UsageEvent` is one line of the contract's JSON Lines. The same
type is what the desk's writer stores, what ``usage import`` reads and what
``usage export`` writes, so there is exactly one place that decides what a
valid event is. Customer data never gets past this border: digit runs (phone,
ID and account numbers) in queries and feedback text are masked here, before
anything is stored.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from flowdesk.problems import Refused, error

EVENT_TYPES = (
    "call_start",
    "call_end",
    "search",
    "flow_open",
    "step_done",
    "branch",
    "flow_complete",
    "flow_abandon",
    "feedback",
    "notice_ack",
    "desk_status",
)

#: Events that belong to one flow run and carry its ``run_id``.
RUN_EVENT_TYPES = ("flow_open", "step_done", "branch", "flow_complete", "flow_abandon")

#: Keys each type needs beyond the common ones, so a run or a call can be rebuilt.
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "call_start": ("call_id",),
    "call_end": ("call_id",),
    "search": ("query",),
    "flow_open": ("run_id", "pack_id", "pack_sequence", "flow_id"),
    "step_done": ("run_id", "step_id"),
    "branch": ("run_id", "step_id", "option"),
    "flow_complete": ("run_id",),
    "flow_abandon": ("run_id",),
    "feedback": (),
    # contract §5: the agent confirmed what changed (in flow_id, or pack-wide without it)
    "notice_ack": ("pack_id", "pack_sequence"),
    # contract §5: where a desk stands (see flowdesk.rollout.desk_status)
    "desk_status": ("pack_id", "pack_sequence", "app_version", "desk_id"),
}

# Six or more digits, allowing single spaces or hyphens between them, so that
# "138 0013 8000" and "4403-0119-9001" are masked as well as "13800138000".
# ``\d`` also matches full-width digits (１３８…) that Chinese input methods type.
_DIGIT_RUN = re.compile(r"\d(?:[ \-]?\d){5,}")
MASK = "*"

_STR_KEYS = (
    "agent_id",
    "team",
    "call_id",
    "run_id",
    "pack_id",
    "flow_id",
    "step_id",
    "option",
    "query",
    "opened_flow_id",
    "text",
    "app_version",
    "desk_id",
    "state",
    "effective",
    "ring",
)
_INT_KEYS = ("pack_sequence", "result_count", "rating")
_BOOL_KEYS = ("auto",)  # §5: on a branch the desk took from a variable's value
_KEY_TYPES: dict[str, type] = {
    **dict.fromkeys(_STR_KEYS, str),
    **dict.fromkeys(_INT_KEYS, int),
    **dict.fromkeys(_BOOL_KEYS, bool),
}
_ABSENT: dict[str, Any] = dict.fromkeys(_STR_KEYS + _INT_KEYS + _BOOL_KEYS)
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def mask_digits(text: str | None) -> str | None:
    """Replace every digit of a run of six or more digits with ``*`` (privacy, contract §3)."""
    if text is None:
        return None
    return _DIGIT_RUN.sub(lambda m: re.sub(r"\d", MASK, m.group()), text)


def format_ts(ts: datetime) -> str:
    """RFC 3339 with offset: milliseconds, or microseconds where the time has them."""
    spec = "milliseconds" if ts.microsecond % 1000 == 0 else "microseconds"
    return ts.isoformat(timespec=spec)


def parse_ts(value: object) -> datetime:
    """An RFC 3339 time with offset; raises ``ValueError`` naming what is wrong."""
    if not isinstance(value, str):
        raise ValueError("must be an RFC 3339 time string")
    try:  # the common case: what Python itself wrote (offset, "T")
        ts = datetime.fromisoformat(value)
    except ValueError:
        pass
    else:
        if ts.tzinfo is not None and len(value) > 10 and value[10] == "T":
            return ts
    text = value.strip()
    if len(text) > 10 and text[10] in "tT ":
        text = text[:10] + "T" + text[11:]
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        ts = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an RFC 3339 time: {value!r}") from None
    if ts.tzinfo is None or ts.utcoffset() is None:
        raise ValueError(f"time has no offset: {value!r}")
    return ts


@dataclass(frozen=True)
class UsageEvent:
    """One usage event, with exactly the contract's keys (None where absent)."""

    event_id: str
    ts: datetime
    type: str
    agent_id: str
    team: str | None
    call_id: str | None = None
    run_id: str | None = None
    pack_id: str | None = None
    pack_sequence: int | None = None
    flow_id: str | None = None
    step_id: str | None = None
    option: str | None = None
    query: str | None = None
    result_count: int | None = None
    opened_flow_id: str | None = None
    text: str | None = None
    rating: int | None = None
    auto: bool | None = None
    # desk_status (contract §5: app_version, desk_id; FlowDesk adds the version's state,
    # ``active`` or ``pending``, a pending version's effective time and the desk's ring)
    app_version: str | None = None
    desk_id: str | None = None
    state: str | None = None
    effective: str | None = None
    ring: str | None = None

    def __post_init__(self) -> None:
        # Masking here (not only in new/from_json) means no code path can build
        # an event that would store a customer's number.
        if self.query is not None:
            object.__setattr__(self, "query", mask_digits(self.query))
        if self.text is not None:
            object.__setattr__(self, "text", mask_digits(self.text))

    @classmethod
    def new(cls, type: str, agent_id: str, team: str | None, **fields_: Any) -> UsageEvent:
        """A fresh event happening now (uuid4 id, local time with its offset, to the ms).

        Raises :class:`Refused` when the type or a key is wrong, as ``from_json`` does,
        so a programming error on the desk shows up in tests, not in QA's numbers.
        """
        now = datetime.now(UTC).astimezone()
        obj: dict[str, Any] = {
            "event_id": str(uuid.uuid4()),
            "ts": format_ts(now.replace(microsecond=now.microsecond // 1000 * 1000)),
            "type": type,
            "agent_id": agent_id,
            "team": team,
            **fields_,
        }
        return cls.from_json(obj, where=f"new {type} event")

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object; absent keys are omitted."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            out[f.name] = format_ts(value) if f.name == "ts" else value
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any], where: str) -> UsageEvent:
        """Check one decoded JSON object; refuse naming ``where`` and the key at fault.

        Keys the contract does not know are ignored: a newer desk may add optional
        keys (contract: extend compatibly), and an older QA tool must still read it.
        """
        return cls(**checked_values(obj, where))


def checked_values(obj: object, where: str) -> dict[str, Any]:
    """The contract's keys of one decoded JSON object, checked (``ts`` parsed), unmasked.

    The one check of what a valid event is: :meth:`UsageEvent.from_json` builds an
    event from it, and ``usage import`` (:func:`flowdesk.usage.rows.json_to_row`)
    a table row straight away, without an object per event in between.
    """
    if not isinstance(obj, dict):
        raise Refused([error(where, "", "an event must be a JSON object")])
    problems = []
    values = dict(_ABSENT)
    # One pass over the keys present (about eight), not over every possible key:
    # this check runs a million times in a site-wide import.
    for key, value in obj.items():
        expected = _KEY_TYPES.get(key)
        if expected is None or value is None:
            continue
        if type(value) is not expected:  # bool is not an int here, on purpose
            what = {str: "a string", int: "an integer", bool: "true or false"}[expected]
            problems.append(error(where, key, f"must be {what}, not {value!r}"))
        values[key] = value
    raw_id = obj.get("event_id")
    if not isinstance(raw_id, str):
        problems.append(error(where, "event_id", "missing (a UUID string is required)"))
    elif _CANONICAL_UUID.match(raw_id):
        values["event_id"] = raw_id
    else:
        try:
            values["event_id"] = str(uuid.UUID(raw_id))
        except ValueError:
            problems.append(error(where, "event_id", f"not a UUID: {raw_id!r}"))
    try:
        values["ts"] = parse_ts(obj.get("ts"))
    except ValueError as exc:
        problems.append(error(where, "ts", "missing" if "ts" not in obj else str(exc)))
    kind = obj.get("type")
    if kind not in EVENT_TYPES:
        problems.append(
            error(where, "type", f"unknown event type {kind!r} (one of {', '.join(EVENT_TYPES)})")
        )
    values["type"] = kind
    if not values["agent_id"]:
        problems.append(error(where, "agent_id", "missing (who recorded the event)"))
    sequence, count = values["pack_sequence"], values["result_count"]
    if type(sequence) is int and sequence < 1:
        problems.append(error(where, "pack_sequence", "must be a positive integer"))
    if type(count) is int and count < 0:
        problems.append(error(where, "result_count", "must not be negative"))
    for key in REQUIRED_BY_TYPE.get(kind, ()) if isinstance(kind, str) else ():
        if obj.get(key) in (None, ""):
            problems.append(error(where, key, f"missing (a {kind} event needs it)"))
    if problems:
        raise Refused(problems)
    return values
