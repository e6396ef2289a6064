"""Reading one flow file into a :class:`~flowdesk.model.Flow`, checked against the axes.

Everything that can be judged from one file alone is checked here: required
keys and types, the class, codes against pack.yaml, the steps and where they
lead. What needs the whole pack (duplicate flow ids, a touch point claimed by
two flows, blind spots) is checked by :mod:`flowdesk.packs.source`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flowdesk.model import (
    ELEMENT_KEYS,
    FLOW_CLASSES,
    SERVICE_CLASSES,
    STEP_TYPES,
    Business,
    Flow,
    Option,
    Step,
    TouchPoint,
)
from flowdesk.packs.fields import FieldReader
from flowdesk.packs.notices import read_must_read
from flowdesk.packs.packfile import CODE, PackHead
from flowdesk.packs.variables import check_references, read_variables, read_when, step_variable
from flowdesk.packs.yamlload import YMap, YSeq

FLOW_ID = re.compile(r"[A-Za-z0-9._-]+")


@dataclass
class FlowRead:
    """A flow as read from its file, with where its id and touch points are written."""

    flow: Flow
    file: str  # as problems name it
    id_line: int
    touchpoint_places: dict[TouchPoint, tuple[str, int]] = field(default_factory=dict)
    must_read: str | None = None  # this flow's must-read note (flowdesk.packs.notices)


def read_flow(doc: Any, reader: FieldReader, head: PackHead | None, source: str) -> FlowRead | None:
    """Read one flow file's parsed document; None when it has no usable id.

    ``source`` is the file's name relative to the pack (``Flow.file``).
    """
    root = reader.mapping(doc, "", None)
    if root is None:
        return None
    places: dict[TouchPoint, tuple[str, int]] = {}
    flow_id, title, flow_class, business_code, touchpoints = _map_fields(root, reader, head, places)
    variables = read_variables(root, reader)
    steps = _steps(root, reader)
    flow = Flow(
        id=flow_id or "",
        title=title or "",
        flow_class=flow_class or "",
        steps=steps,
        business=business_code,
        touchpoints=touchpoints,
        keywords=_keywords(root, reader),
        summary=reader.text(root, "summary"),
        elements=_elements(root, reader),
        owner=reader.text(root, "owner"),
        file=source,
        variables=variables,
    )
    _check_paths(flow, root, reader)  # every problem of the file, even without a usable id
    check_references(flow, root, reader, head)
    if flow_id is None:
        return None
    must_read = read_must_read(root, reader)
    return FlowRead(flow, reader.file, root.line_of("id"), places, must_read)


def read_flow_outline(
    doc: Any, reader: FieldReader, head: PackHead | None, source: str
) -> FlowRead | None:
    """What the process map needs of a flow file: id, title, class, business, touch points.

    Read by the same code as :func:`read_flow`, so the values are the same; the
    steps and everything else are left out (the Studio shows the map of a large
    source before every file's steps have been checked). ``reader`` collects the
    problems of those keys only.
    """
    root = reader.mapping(doc, "", None)
    if root is None:
        return None
    places: dict[TouchPoint, tuple[str, int]] = {}
    flow_id, title, flow_class, business_code, touchpoints = _map_fields(root, reader, head, places)
    if flow_id is None:
        return None
    flow = Flow(
        id=flow_id,
        title=title or "",
        flow_class=flow_class or "",
        steps=(),
        business=business_code,
        touchpoints=touchpoints,
        summary=reader.text(root, "summary"),
        file=source,
    )
    return FlowRead(flow, reader.file, root.line_of("id"), places, read_must_read(root, reader))


def _map_fields(
    root: YMap,
    reader: FieldReader,
    head: PackHead | None,
    places: dict[TouchPoint, tuple[str, int]],
) -> tuple[str | None, str | None, str | None, str | None, tuple[TouchPoint, ...]]:
    """Id, title, class, business code and touch points: where a flow stands on the map."""
    flow_id = reader.code(root, "id", "", FLOW_ID)
    title = reader.text(root, "title", required=True)
    flow_class = reader.text(root, "class", required=True)
    if flow_class is not None and flow_class not in FLOW_CLASSES:
        reader.error(
            "class",
            f"unknown class {flow_class!r} (expected one of {', '.join(FLOW_CLASSES)})",
            root.line_of("class"),
        )
    business_code, business = _business(root, reader, head, flow_class)
    touchpoints = _touchpoints(root, reader, head, business, places)
    return flow_id, title, flow_class, business_code, touchpoints


def _business(
    root: YMap, reader: FieldReader, head: PackHead | None, flow_class: str | None
) -> tuple[str | None, Business | None]:
    """The flow's business code as written, and the business when pack.yaml has it."""
    code = reader.text(root, "business")
    if code is None:
        if flow_class in SERVICE_CLASSES:
            reader.error(
                "business",
                f"required for a service flow (class {flow_class!r}), but missing",
                root.line_of("business"),
            )
        return None, None
    if head is None:
        return code, None
    business = head.business(code)
    if business is None:
        reader.error("business", f"unknown business {code!r}", root.line_of("business"))
    return code, business


def _touchpoints(
    root: YMap,
    reader: FieldReader,
    head: PackHead | None,
    business: Business | None,
    places: dict[TouchPoint, tuple[str, int]],
) -> tuple[TouchPoint, ...]:
    items = reader.seq(root, "touchpoints")
    if items is None:
        return ()
    if "business" not in root or root["business"] is None:
        reader.error("touchpoints", "a touch point needs the flow's business", root.line)
    found: list[TouchPoint] = []
    for _index, path, item in reader.mappings(items, "touchpoints"):
        channel = reader.code(item, "channel", path, CODE)
        brands = _brands(item, path, reader, head, business)
        if channel is None or business is None or head is None:
            continue
        if channel not in head.channel_codes:
            reader.error(f"{path}.channel", f"unknown channel {channel!r}", item.line_of("channel"))
            continue
        if channel not in business.channels:
            reader.warning(
                f"{path}.channel",
                f"business {business.code!r} is not offered on channel {channel!r} "
                "(see its channels in pack.yaml)",
                item.line_of("channel"),
            )
        for brand in brands:
            tp = TouchPoint(channel, brand, business.code)
            if tp in places:
                reader.warning(path, f"touch point {tp.code} listed twice", item.line)
                continue
            places[tp] = (path, item.line)
            found.append(tp)
    return tuple(found)


def _brands(
    item: YMap, path: str, reader: FieldReader, head: PackHead | None, business: Business | None
) -> list[str]:
    """A touch point's brands; default the business's brands.

    A brand the business is not offered for is an error, not a warning: the
    business's brand list says the business does not exist for that brand
    (no entitlement), so a flow scripting it would mislead the agent.
    """
    items: YSeq | None = reader.seq(item, "brands", path)
    if items is None:
        return list(business.brands) if business is not None else []
    if not items:
        reader.warning(f"{path}.brands", "empty: this entry claims no touch point", items.line)
    brands: list[str] = []
    for index in range(len(items)):
        brand = reader.item_text(items, index, f"{path}.brands")
        where, line = f"{path}.brands[{index}]", items.line_of(index)
        if brand is None or head is None:
            continue
        if brand not in head.brand_codes:
            reader.error(where, f"unknown brand {brand!r}", line)
        elif business is not None and brand not in business.brands:
            reader.error(
                where, f"business {business.code!r} is not offered for brand {brand!r}", line
            )
        elif brand not in brands:
            brands.append(brand)
    return brands


def _keywords(root: YMap, reader: FieldReader) -> tuple[str, ...]:
    items = reader.seq(root, "keywords")
    if items is None:
        return ()
    words: list[str] = []
    for index in range(len(items)):
        word = reader.item_text(items, index, "keywords")
        if word is None:
            continue
        word = word.strip()
        if not word:
            reader.warning(f"keywords[{index}]", "empty keyword ignored", items.line_of(index))
        elif word not in words:
            words.append(word)
    return tuple(words)


def _elements(root: YMap, reader: FieldReader) -> dict[str, str]:
    if "elements" not in root or root["elements"] is None:
        return {}
    m = reader.mapping(root["elements"], "elements", root.line_of("elements"))
    if m is None:
        return {}
    elements: dict[str, str] = {}
    for key in m:
        if key not in ELEMENT_KEYS:
            reader.warning(
                f"elements.{key}",
                f"unknown element, ignored (expected one of {', '.join(ELEMENT_KEYS)})",
                m.line_of(key),
            )
            continue
        value = reader.text(m, key, "elements")
        if value is not None:
            elements[key] = value
    return elements


def _steps(root: YMap, reader: FieldReader) -> tuple[Step, ...]:
    items = reader.seq(root, "steps", required=True)
    if items is None:
        return ()
    if not items:
        reader.error("steps", "needs at least one step", root.line_of("steps"))
    steps: list[Step] = []
    for _index, path, m in reader.mappings(items, "steps"):
        step = _step(m, path, reader)
        if step is not None:
            steps.append(step)
    return tuple(steps)


def _step(m: YMap, path: str, reader: FieldReader) -> Step | None:
    step_id = reader.text(m, "id", path, required=True)
    step_type = reader.text(m, "type", path, required=True)
    text = reader.text(m, "text", path, required=True)
    if step_type is not None and step_type not in STEP_TYPES:
        reader.error(
            f"{path}.type",
            f"unknown step type {step_type!r} (expected one of {', '.join(STEP_TYPES)})",
            m.line_of("type"),
        )
    options: list[Option] = []
    if step_type == "decision":
        options = _options(m, path, reader)
        if "next" in m:
            reader.warning(
                f"{path}.next",
                "ignored: a decision goes where the chosen option leads",
                m.line_of("next"),
            )
    elif "options" in m:
        reader.warning(
            f"{path}.options", "ignored: only a decision step has options", m.line_of("options")
        )
    if step_type == "end" and "next" in m:
        reader.warning(f"{path}.next", "ignored: an end step ends the flow", m.line_of("next"))
    if step_id is None:
        return None
    return Step(
        id=step_id,
        type=step_type or "",
        text=text or "",
        note=reader.text(m, "note", path),
        required=reader.boolean(m, "required", path, False),
        next=reader.text(m, "next", path),
        options=tuple(options),
        target=reader.text(m, "target", path),
        variable=step_variable(m),
    )


def _options(m: YMap, path: str, reader: FieldReader) -> list[Option]:
    items = reader.seq(m, "options", path)
    if items is None:
        if "options" not in m or m["options"] is None:
            reader.error(
                f"{path}.options",
                "required for a decision (at least two options), but missing",
                m.line,
            )
        return []
    if len(items) < 2:
        reader.error(
            f"{path}.options",
            f"a decision needs at least two options, found {len(items)}",
            m.line_of("options"),
        )
    options: list[Option] = []
    for _index, option_path, item in reader.mappings(items, f"{path}.options"):
        label = reader.text(item, "label", option_path, required=True)
        nxt = reader.text(item, "next", option_path, required=True)
        when = read_when(item, option_path, reader)
        if label is not None and nxt is not None:
            options.append(Option(label, nxt, when))
    return options


def _check_paths(flow: Flow, root: YMap, reader: FieldReader) -> None:
    """Duplicate step ids and ``next`` to no step (errors); unreachable steps (warnings)."""
    items = root.get("steps")
    if not isinstance(items, YSeq):
        return
    first_at: dict[str, int] = {}
    step_maps = [(i, m) for i, m in enumerate(items) if isinstance(m, YMap)]
    for index, m in step_maps:
        step_id = _written(m, "id")
        if step_id is None:
            continue
        if step_id in first_at:
            reader.error(
                f"steps[{index}].id",
                f"duplicate step id {step_id!r} (also steps[{first_at[step_id]}])",
                m.line_of("id"),
            )
        else:
            first_at[step_id] = index
    known = {s.id for s in flow.steps}
    for index, m in step_maps:
        nxt = _written(m, "next")
        if nxt is not None and nxt not in known:
            reader.error(f"steps[{index}].next", f"no step {nxt!r}", m.line_of("next"))
        options = m.get("options")
        if m.get("type") != "decision" or not isinstance(options, YSeq):
            continue
        for o_index, option in enumerate(options):
            if isinstance(option, YMap):
                target = _written(option, "next")
                if target is not None and target not in known:
                    reader.error(
                        f"steps[{index}].options[{o_index}].next",
                        f"no step {target!r}",
                        option.line_of("next"),
                    )
    if len(flow.steps) != len(items) or len(first_at) != len(flow.steps):
        return  # some steps could not be read: reachability would mislead
    reached = flow.reachable()
    for index, step in enumerate(flow.steps):
        if step.id not in reached:
            reader.warning(
                f"steps[{index}]",
                f"step {step.id!r} is never reached (no path from the first step leads to it)",
                items.line_of(index),
            )


def _written(m: YMap, key: str) -> str | None:
    """A scalar as text the way FieldReader.text reads it, without reporting anything."""
    value = m.get(key)
    if isinstance(value, str):
        return value
    return m.text_of(key)
