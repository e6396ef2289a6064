"""The call-context parts of a flow (§5) as the JSON the store keeps them in.

Variables, an ``input`` step's variable and an option's ``when`` were added
to the store in schema version 3; flows without them keep the digest they had
before, so an upgraded desk shares its stored rows with the packs it has.
"""

from __future__ import annotations

import json
from typing import Any

from flowdesk.model import Flow, Variable

When = tuple[tuple[str, tuple[str, ...]], ...]


def variables_json(variables: tuple[Variable, ...]) -> list[list[Any]] | None:
    """``[[name, label, source, mask], …]``, or None for a flow without variables."""
    if not variables:
        return None
    return [[v.name, v.label, v.source, v.mask] for v in variables]


def variables_from(raw: str | list | None) -> tuple[Variable, ...]:
    items = json.loads(raw) if isinstance(raw, str) else raw
    return tuple(Variable(n, label, source, bool(m)) for n, label, source, m in items or ())


def when_json(when: When) -> list[list[Any]] | None:
    """``[[variable, [value, …]], …]``, or None for an option without a condition."""
    return [[name, list(values)] for name, values in when] if when else None


def when_from(raw: str | list | None) -> When:
    items = json.loads(raw) if isinstance(raw, str) else raw
    return tuple((name, tuple(values)) for name, values in items or ())


def digest_extras(flow: Flow) -> dict[str, Any]:
    """What §5 adds to a flow's canonical JSON; empty for a flow that uses none of it."""
    extras: dict[str, Any] = {}
    if flow.variables:
        extras["variables"] = variables_json(flow.variables)
    inputs = {s.id: s.variable for s in flow.steps if s.variable}
    if inputs:
        extras["inputs"] = inputs
    when = {
        f"{s.id}/{i}": when_json(o.when)
        for s in flow.steps
        for i, o in enumerate(s.options)
        if o.when
    }
    if when:
        extras["when"] = when
    return extras
