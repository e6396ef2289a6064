"""Checking a flow's call context (flowpack §5): variables, placeholders, ``input``, ``when``.

Reading happens in two passes. While the flow file is read,
:func:`read_variables` and :func:`read_when` take the new keys apart (types,
names, duplicates). Once the whole flow is read, :func:`check_references`
checks that everything names something: each ``{{name}}`` in a step's text
or note, each ``input`` step's variable, each ``when`` and the values it can
ever see. Problems carry the file and key path like every other check.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from flowdesk.model import Flow, TouchPoint, Variable
from flowdesk.packs.fields import FieldReader, describe
from flowdesk.packs.packfile import PackHead
from flowdesk.packs.yamlload import YMap, YSeq
from flowdesk.variables import BUILTINS, NAME, PLACEHOLDER

SOURCES = ("cti", "agent")
VARIABLE_KEYS = ("name", "label", "source", "mask")
#: Step keys whose placeholders are filled; elsewhere a ``{{…}}`` stays as written.
FILLED_KEYS = ("text", "note")
UNFILLED_KEYS = ("target",)
MAX_VARIABLES = 100

When = tuple[tuple[str, tuple[str, ...]], ...]


def read_variables(root: YMap, reader: FieldReader) -> tuple[Variable, ...]:
    """A flow's ``variables`` list; bad, duplicate and built-in names are errors."""
    items = reader.seq(root, "variables")
    if items is None:
        return ()
    if len(items) > MAX_VARIABLES:
        reader.error(
            "variables",
            f"{len(items)} variables, at most {MAX_VARIABLES}",
            root.line_of("variables"),
        )
    found: list[Variable] = []
    first_at: dict[str, str] = {}
    for _index, path, m in reader.mappings(items, "variables"):
        name = reader.code(m, "name", path, NAME)
        label = reader.text(m, "label", path, required=True)
        source = reader.text(m, "source", path) or "cti"
        if source not in SOURCES:
            reader.error(
                f"{path}.source",
                f"unknown source {source!r} (expected {' or '.join(SOURCES)})",
                m.line_of("source"),
            )
        masked = reader.boolean(m, "mask", path, False)
        for key in m:
            if key not in VARIABLE_KEYS:
                reader.warning(
                    f"{path}.{key}",
                    f"unknown key, ignored (expected {', '.join(VARIABLE_KEYS)})",
                    m.line_of(key),
                )
        if name is None:
            continue
        if name in BUILTINS:
            reader.error(
                f"{path}.name",
                f"{name!r} is a built-in variable (brand, channel, touchpoint, call_id): "
                "use it without declaring it",
                m.line_of("name"),
            )
            continue
        if name in first_at:
            reader.error(
                f"{path}.name",
                f"duplicate variable {name!r} (also {first_at[name]})",
                m.line_of("name"),
            )
            continue
        first_at[name] = path
        if label is not None and source in SOURCES:
            found.append(Variable(name, label.strip(), source, masked))
    return tuple(found)


def read_when(item: YMap, path: str, reader: FieldReader) -> When:
    """An option's ``when``: ``{variable: value}`` or ``{variable: [value, …]}``."""
    if "when" not in item:
        return ()
    where = f"{path}.when"
    m = item["when"]
    if not isinstance(m, YMap) or not m:
        what = "an empty mapping" if isinstance(m, YMap) else describe(m)
        reader.error(
            where,
            f"expected {{variable: value}} or {{variable: [values]}}, found {what}",
            item.line_of("when"),
        )
        return ()
    conditions: list[tuple[str, tuple[str, ...]]] = []
    for name in m:
        key_path = f"{where}.{name}"
        if not isinstance(name, str) or not NAME.fullmatch(name):
            reader.error(key_path, f"{name!r} is not a variable name", m.line_of(name))
            continue
        values = _when_values(m, name, key_path, reader)
        if values:
            conditions.append((name, values))
    return tuple(conditions)


def _when_values(m: YMap, name: str, path: str, reader: FieldReader) -> tuple[str, ...]:
    value = m[name]
    if isinstance(value, YSeq):
        if not value:
            reader.error(
                path, "an empty list: no value could ever take this option", m.line_of(name)
            )
            return ()
        out: list[str] = []
        for index, item in enumerate(value):
            text = _scalar(item, value.text_of(index))
            if text is None:
                reader.error(
                    f"{path}[{index}]",
                    f"expected a value, found {describe(item)}",
                    value.line_of(index),
                )
            elif text not in out:
                out.append(text)
        return tuple(out)
    text = _scalar(value, m.text_of(name))
    if text is None:
        reader.error(
            path, f"expected a value or a list of values, found {describe(value)}", m.line_of(name)
        )
        return ()
    return (text,)


def _scalar(value: Any, written: str | None) -> str | None:
    """A condition value as text, numbers and dates as written; None for anything else."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool | int | float | _dt.date):
        return written if written is not None else str(value)
    return None


def check_references(flow: Flow, root: YMap, reader: FieldReader, head: PackHead | None) -> None:
    """Each placeholder, input variable and ``when`` names a variable that can have the value."""
    declared = {v.name: v for v in flow.variables}
    known = set(declared) | set(BUILTINS)
    items = root.get("steps")
    if not isinstance(items, YSeq):
        return
    for index, m in enumerate(items):
        if not isinstance(m, YMap):
            continue
        path = f"steps[{index}]"
        _check_placeholders(m, path, known, reader)
        _check_input(m, path, declared, reader)
        options = m.get("options")
        if m.get("type") == "decision" and isinstance(options, YSeq):
            _check_options(options, f"{path}.options", known, declared, head, reader)
    _check_agent_variables(flow, reader, root)


def _check_placeholders(m: YMap, path: str, known: set[str], reader: FieldReader) -> None:
    for key in FILLED_KEYS + UNFILLED_KEYS:
        text = m.get(key)
        if not isinstance(text, str):
            continue
        for match in PLACEHOLDER.finditer(text):
            name = match.group(1)
            if key in UNFILLED_KEYS:
                reader.warning(
                    f"{path}.{key}",
                    f"{{{{{name}}}}} is not filled here (placeholders are filled in text and note)",
                    m.line_of(key),
                )
            elif name not in known:
                reader.error(
                    f"{path}.{key}",
                    f"placeholder {{{{{name}}}}}: the flow has no variable {name!r}",
                    m.line_of(key),
                )
        rest = PLACEHOLDER.sub("", text)
        if key in FILLED_KEYS and ("{{" in rest or "}}" in rest):
            reader.warning(f"{path}.{key}", "unbalanced {{ or }}: shown as written", m.line_of(key))


def _check_input(m: YMap, path: str, declared: dict[str, Variable], reader: FieldReader) -> None:
    name = reader.text(m, "variable", path) if "variable" in m else None
    if m.get("type") != "input":
        if name is not None:
            reader.warning(
                f"{path}.variable",
                "ignored: only an input step fills a variable",
                m.line_of("variable"),
            )
        return
    if name is None:
        if "variable" not in m:
            reader.error(
                f"{path}.variable",
                "required for an input step (the variable the agent fills), but missing",
                m.line,
            )
        return
    variable = declared.get(name)
    if name in BUILTINS:
        reader.error(
            f"{path}.variable",
            f"{name!r} is built in: it comes with the call, an agent cannot enter it",
            m.line_of("variable"),
        )
    elif variable is None:
        reader.error(
            f"{path}.variable", f"the flow has no variable {name!r}", m.line_of("variable")
        )
    elif variable.source != "agent":
        reader.error(
            f"{path}.variable",
            f"variable {name!r} has source {variable.source!r}; "
            "an input step fills a variable with source 'agent'",
            m.line_of("variable"),
        )


def _check_options(
    options: YSeq,
    path: str,
    known: set[str],
    declared: dict[str, Variable],
    head: PackHead | None,
    reader: FieldReader,
) -> None:
    conditions: dict[tuple[tuple[str, tuple[str, ...]], ...], int] = {}
    for o_index, option in enumerate(options):
        if not isinstance(option, YMap) or not isinstance(option.get("when"), YMap):
            continue
        when = option["when"]
        where = f"{path}[{o_index}].when"
        for name in when:
            if not isinstance(name, str) or not NAME.fullmatch(name):
                continue  # reported when read
            if name not in known:
                reader.error(
                    f"{where}.{name}", f"the flow has no variable {name!r}", when.line_of(name)
                )
                continue
            _check_builtin_values(name, when, f"{where}.{name}", head, reader)
        key = tuple(sorted((n, tuple(sorted(_as_list(v)))) for n, v in when.items()))
        if key in conditions:
            reader.warning(
                where,
                f"the same condition as option {conditions[key] + 1}: "
                "neither is ever taken by itself",
                option.line_of("when"),
            )
        else:
            conditions[key] = o_index


def _as_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items]


def _check_builtin_values(
    name: str, when: YMap, path: str, head: PackHead | None, reader: FieldReader
) -> None:
    """A ``when`` on a built-in may only name values a call can have (the pack's codes)."""
    if head is None or name == "call_id":
        return
    raw = when[name]
    values = (
        [(f"{path}[{i}]", v) for i, v in enumerate(raw)] if isinstance(raw, list) else [(path, raw)]
    )
    for where, value in values:
        if not isinstance(value, str):
            value = str(value)
        problem = _builtin_problem(name, value.strip(), head)
        if problem is not None:
            reader.error(where, problem, when.line_of(name))


def _builtin_problem(name: str, value: str, head: PackHead) -> str | None:
    if name == "brand" and value not in head.brand_codes:
        return f"no brand {value!r} in pack.yaml: no call can take this option"
    if name == "channel" and value not in head.channel_codes:
        return f"no channel {value!r} in pack.yaml: no call can take this option"
    if name == "touchpoint":
        try:
            tp = TouchPoint.parse(value)
        except ValueError:
            return f"{value!r} is not a touch point code: no call can take this option"
        if (
            tp.channel not in head.channel_codes
            or tp.brand not in head.brand_codes
            or (head.business(tp.business) is None)
        ):
            return f"touch point {value!r} is not in the process map: no call can take this option"
    return None


def _check_agent_variables(flow: Flow, reader: FieldReader, root: YMap) -> None:
    """An agent variable nothing fills and nothing shows can never be known: say so."""
    filled = {s.variable for s in flow.steps if s.type == "input"}
    shown = {
        match.group(1)
        for s in flow.steps
        for text in (s.text, s.note or "")
        for match in PLACEHOLDER.finditer(text)
    }
    for index, variable in enumerate(flow.variables):
        if variable.source == "agent" and variable.name not in filled | shown:
            reader.warning(
                f"variables[{index}]",
                f"variable {variable.name!r} (source agent) "
                "has no input step and no placeholder: it is never known",
                root.line_of("variables"),
            )


def step_variable(m: YMap) -> str | None:
    """An ``input`` step's ``variable`` as written (checked in :func:`check_references`)."""
    if m.get("type") != "input" or "variable" not in m or not isinstance(m["variable"], str):
        return None
    return m["variable"].strip() or None
