"""A screen pop as the telephony or CRM client sends it: touch point, call id, values.

Three ways in, one check: ``flowdesk open --touchpoint … --var name=…``, a
``flowdesk://open?touchpoint=…&call_id=…&name=…`` URL (many CTI clients can
only open URLs), and the JSON line the running window receives. Each is
bounded (count and size of values, length of the URL) and refused whole,
with a message, when anything is malformed: a pop never half-applies.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flowdesk.model import TouchPoint
from flowdesk.variables import BadValues, check_values

SCHEME = "flowdesk"
MAX_URL_CHARS = 16_384
MAX_CALL_ID_CHARS = 128
#: Query keys of the URL that are not call values.
RESERVED = ("touchpoint", "call_id")


@dataclass(frozen=True)
class Pop:
    touchpoint: str
    call_id: str | None = None
    values: dict[str, str] = field(default_factory=dict)

    def message(self) -> dict[str, Any]:
        """The JSON the running window receives over the single-instance channel."""
        out: dict[str, Any] = {"cmd": "open", "touchpoint": self.touchpoint}
        if self.call_id:
            out["call_id"] = self.call_id
        if self.values:
            out["values"] = dict(self.values)
        return out


def make_pop(touchpoint: object, call_id: object = None, values: object = None) -> Pop:
    """A checked pop; :class:`BadValues` says what is wrong."""
    if not isinstance(touchpoint, str):
        raise BadValues("touchpoint: missing")
    try:
        code = TouchPoint.parse(touchpoint.upper()).code
    except ValueError as exc:
        raise BadValues(f"touchpoint: {exc}") from None
    if call_id is not None:
        if not isinstance(call_id, str) or len(call_id.strip()) > MAX_CALL_ID_CHARS:
            raise BadValues(f"call_id: text of at most {MAX_CALL_ID_CHARS} characters")
        if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in call_id):
            raise BadValues("call_id: holds control characters")
        call_id = call_id.strip() or None
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise BadValues("values: expected a mapping of name to text")
    clash = [name for name in RESERVED if name in values]
    if clash:
        raise BadValues(f"{clash[0]}: give it as the pop's own field, not as a value")
    return Pop(code, call_id, check_values(values, "value"))


def pop_from_message(message: dict[str, Any]) -> Pop:
    """The pop a window received as JSON (from any sender: checked again here)."""
    return make_pop(message.get("touchpoint"), message.get("call_id"), message.get("values"))


def pop_from_url(url: str) -> Pop:
    """``flowdesk://open?touchpoint=C1-G-B0102&call_id=…&name=%E5%BC%A0…`` as a pop."""
    if len(url) > MAX_URL_CHARS:
        raise BadValues(f"URL of {len(url)} characters, at most {MAX_URL_CHARS}")
    parts = urlsplit(url.strip())
    action = (parts.netloc or parts.path.strip("/")).lower()
    if parts.scheme.lower() != SCHEME or action != "open":
        raise BadValues(f"not a screen pop URL (expected {SCHEME}://open?touchpoint=…): {url!r}")
    try:
        pairs = parse_qsl(
            parts.query, keep_blank_values=True, strict_parsing=bool(parts.query), errors="strict"
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadValues(f"URL query: {exc}") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise BadValues(f"URL query: {key} given twice")
        fields[key] = value
    touchpoint = fields.pop("touchpoint", None)
    call_id = fields.pop("call_id", None)
    return make_pop(touchpoint, call_id, fields)
