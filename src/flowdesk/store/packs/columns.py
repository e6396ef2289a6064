"""The one map of a flow's fields: where each is stored and how it enters the digest.

A :class:`~flowdesk.model.Flow` is stored as one ``flows`` row (plus its steps
and touch points in their own tables) and found again by the SHA-256 of its
canonical JSON. Writing the row, reading it back and computing the digest all
walk :data:`FLOW_FIELDS`, so a new flow field is declared once, here.

The digest's keys and their order are part of every stored row's identity:
changing them would make each desk write every flow again on its next import.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flowdesk.model import Flow, Step, TouchPoint
from flowdesk.store.variables import digest_extras, variables_from, variables_json


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class FlowField:
    """One field of :class:`Flow`: its ``flows`` column and its key in the digest.

    ``column`` is None for a field kept in a table of its own (steps, touch
    points); ``digest_key`` is None for a field the digest takes from
    :func:`~flowdesk.store.variables.digest_extras` (only when a flow uses it).
    """

    attr: str
    column: str | None
    digest_key: str | None
    to_row: Callable[[Any], Any] = _same
    from_row: Callable[[Any], Any] = _same
    to_digest: Callable[[Any], Any] = _same


def _json_tuple(raw: str | list | None) -> tuple[Any, ...]:
    return tuple(json.loads(raw) if isinstance(raw, str) else raw or ())


def _json_dict(raw: str | dict | None) -> dict[str, Any]:
    return (json.loads(raw) if isinstance(raw, str) else raw) or {}


def _touchpoint_codes(touchpoints: tuple[TouchPoint, ...]) -> list[str]:
    return [tp.code for tp in touchpoints]


def _steps_digest(steps: tuple[Step, ...]) -> list[list[Any]]:
    return [
        [
            s.id,
            s.type,
            s.text,
            s.note,
            s.required,
            s.next,
            s.target,
            [[o.label, o.next] for o in s.options],
        ]
        for s in steps
    ]


def _sorted_dict(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return dict(sorted(mapping.items()))


#: Every field of :class:`Flow`, in the digest's order.
FLOW_FIELDS: tuple[FlowField, ...] = (
    FlowField("id", "flow_id", "id"),
    FlowField("title", "title", "title"),
    FlowField("flow_class", "flow_class", "class"),
    FlowField("business", "business", "business"),
    FlowField("touchpoints", None, "touchpoints", to_digest=_touchpoint_codes),
    FlowField("keywords", "keywords", "keywords", list, _json_tuple, list),
    FlowField("summary", "summary", "summary"),
    FlowField("elements", "elements", "elements", dict, _json_dict, _sorted_dict),
    FlowField("owner", "owner", "owner"),
    FlowField("file", "source", "source"),  # the column and digest key kept their name
    FlowField("steps", None, "steps", to_digest=_steps_digest),
    FlowField("variables", "variables", None, variables_json, variables_from),
)

#: The fields kept in the ``flows`` row itself, in the order reads select them.
STORED_FIELDS: tuple[FlowField, ...] = tuple(f for f in FLOW_FIELDS if f.column)
_DIGESTED = tuple(f for f in FLOW_FIELDS if f.digest_key)


def flow_row(flow: Flow) -> dict[str, Any]:
    """The ``flows`` columns of one flow (without ``id`` and ``digest``)."""
    return {f.column: f.to_row(getattr(flow, f.attr)) for f in STORED_FIELDS}  # type: ignore[misc]


def flow_fields(values: tuple[Any, ...]) -> dict[str, Any]:
    """Flow keyword arguments from a row's :data:`STORED_FIELDS` columns, in that order."""
    return {f.attr: f.from_row(v) for f, v in zip(STORED_FIELDS, values, strict=True)}


def select_list(alias: str) -> str:
    """``alias.flow_id, alias.title, …``: the SQL that reads :data:`STORED_FIELDS`."""
    return ", ".join(f"{alias}.{f.column}" for f in STORED_FIELDS)


def flow_digest(flow: Flow) -> str:
    """SHA-256 of a flow's canonical JSON: equal flows, equal digests, one stored row."""
    body = {f.digest_key: f.to_digest(getattr(flow, f.attr)) for f in _DIGESTED}
    body.update(digest_extras(flow))
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
