"""A validated pack as the documents of its source: pack.yaml and one mapping per flow.

The reverse of reading: what a tool that *writes* a pack source (spreadsheet
import, the Studio) puts into the files. The documents use the contract's
defaults to stay short (a touch point whose brands are its business's brands
lists only its channel; ``required`` only when true) so that reading them
back gives the same :class:`~flowdesk.model.Pack`, and a process owner reads
what they would have written by hand.

:func:`flow_file_name` decides where a new flow goes (its ``source`` when it
has one, else ``flows/<business group>/<id>.yaml``).
"""

from __future__ import annotations

import re
from typing import Any

from flowdesk.model import Business, Flow, Option, Pack, Step, Variable

_UNSAFE = re.compile(r"[\\/:*?\"<>|\s]+")


def pack_document(pack: Pack) -> dict[str, Any]:
    """pack.yaml of ``pack``: identity, then the process map axes."""
    doc: dict[str, Any] = {"format": pack.format, "id": pack.id, "title": pack.title}
    doc["sequence"] = pack.sequence
    for key in ("version", "publisher", "effective", "call_summary"):
        value = getattr(pack, key)
        if value is not None:
            doc[key] = value
    if pack.synonyms:
        doc["synonyms"] = [list(group) for group in pack.synonyms]
    doc["channels"] = [{"code": c.code, "name": c.name} for c in pack.channels]
    doc["brands"] = [{"code": b.code, "name": b.name} for b in pack.brands]
    all_brands = tuple(b.code for b in pack.brands)
    doc["businesses"] = [business_document(b, all_brands) for b in pack.businesses]
    return doc


def business_document(business: Business, all_brands: tuple[str, ...]) -> dict[str, Any]:
    """One ``businesses`` entry; ``brands`` left out when it is every brand."""
    doc: dict[str, Any] = {"code": business.code, "name": business.name}
    if business.group:
        doc["group"] = business.group
    doc["channels"] = list(business.channels)
    if business.brands and tuple(business.brands) != all_brands:
        doc["brands"] = list(business.brands)
    return doc


def flow_document(flow: Flow, pack: Pack) -> dict[str, Any]:
    """One flow file's mapping, keys in the contract's order."""
    doc: dict[str, Any] = {"id": flow.id, "title": flow.title, "class": flow.flow_class}
    if flow.business is not None:
        doc["business"] = flow.business
    if flow.touchpoints:
        doc["touchpoints"] = touchpoints_document(flow, pack)
    if flow.keywords:
        doc["keywords"] = list(flow.keywords)
    if flow.summary is not None:
        doc["summary"] = flow.summary
    if flow.elements:
        doc["elements"] = dict(flow.elements)
    if flow.owner is not None:
        doc["owner"] = flow.owner
    if flow.variables:
        doc["variables"] = [_variable_document(v) for v in flow.variables]
    doc["steps"] = [step_document(s) for s in flow.steps]
    return doc


def touchpoints_document(flow: Flow, pack: Pack) -> list[dict[str, Any]]:
    """``[{channel, brands?}]`` in first-claimed order, brands left out when the default."""
    default: tuple[str, ...] = ()
    try:
        business = pack.business(flow.business or "")
        default = tuple(business.brands) or tuple(b.code for b in pack.brands)
    except KeyError:
        pass
    runs: list[tuple[str, list[str]]] = []  # consecutive claims of one channel: one entry
    for tp in flow.touchpoints:
        if runs and runs[-1][0] == tp.channel:
            runs[-1][1].append(tp.brand)
        else:
            runs.append((tp.channel, [tp.brand]))
    out: list[dict[str, Any]] = []
    for channel, brands in runs:
        entry: dict[str, Any] = {"channel": channel}
        if tuple(brands) != default:
            entry["brands"] = brands
        out.append(entry)
    return out


def step_document(step: Step) -> dict[str, Any]:
    """One step's mapping; absent keys mean the contract's defaults."""
    doc: dict[str, Any] = {"id": step.id, "type": step.type, "text": step.text}
    if step.note is not None:
        doc["note"] = step.note
    if step.required:
        doc["required"] = True
    if step.variable is not None:
        doc["variable"] = step.variable
    if step.next is not None:
        doc["next"] = step.next
    if step.options:
        doc["options"] = [_option_document(o) for o in step.options]
    if step.target is not None:
        doc["target"] = step.target
    return doc


def _option_document(option: Option) -> dict[str, Any]:
    doc: dict[str, Any] = {"label": option.label, "next": option.next}
    if option.when:
        doc["when"] = when_document(option.when)
    return doc


def when_document(when: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, Any]:
    """An option's ``when`` as written: one value as a scalar, several as a list."""
    return {name: values[0] if len(values) == 1 else list(values) for name, values in when}


def _variable_document(variable: Variable) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": variable.name, "label": variable.label}
    if variable.source != "cti":
        doc["source"] = variable.source
    if variable.mask:
        doc["mask"] = True
    return doc


def flow_file_name(flow: Flow, pack: Pack) -> str:
    """Where ``flow`` lives in its source: ``flow.file``, else by its business group."""
    if flow.file:
        return flow.file
    group = None
    if flow.business:
        try:
            group = pack.business(flow.business).group
        except KeyError:
            group = None
    folder = group or ("management" if not flow.is_service else "other")
    return f"flows/{_UNSAFE.sub('_', folder)}/{_UNSAFE.sub('_', flow.id)}.yaml"
