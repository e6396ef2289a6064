"""``flowdesk show FLOW_ID [--var NAME=VALUE …] [--json]``: a flow as an agent would see it.

With values, each step's words are filled as the flow view fills them and
the decisions the values answer are listed (``auto_branches``), so scripts
and tests can check what a screen pop with those values shows.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowdesk.cli.common import fail, open_desk_with_pack, print_json
from flowdesk.model import CLASS_NAMES_ZH, STEP_TYPE_NAMES_ZH, Flow
from flowdesk.variables import (
    BUILTINS,
    BadValues,
    FlowContext,
    axis_names,
    call_values,
    parse_assignments,
)

if TYPE_CHECKING:
    from flowdesk.lookup import Version


def register(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict
) -> None:
    p = sub.add_parser(
        "show",
        help="show one flow step by step, optionally filled with a call's values",
        parents=[common],
    )
    p.add_argument("flow_id", metavar="FLOW_ID")
    p.add_argument("--pack", metavar="PACK_ID", help="only this pack id")
    p.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a call value (repeatable), e.g. --var name=张先生 --var brand=G",
    )
    p.set_defaults(handler=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    try:
        values = call_values(parse_assignments(args.var))
    except BadValues as exc:
        return fail(f"{exc}; nothing shown")
    desk, no_pack = open_desk_with_pack(args)
    try:
        if no_pack:
            return 1
        try:
            flow, info = desk.flow(args.flow_id, pack_id=args.pack)
        except KeyError:
            return fail(f"no flow '{args.flow_id}' in the installed packs")
        pack = desk.pack(info.pack_id, info.sequence)
    finally:
        desk.close()
    context = FlowContext(flow, values, axis_names(pack))
    declared = {v.name for v in flow.variables} | set(BUILTINS)
    for name in sorted(set(values) - declared):
        print(
            f"flowdesk: --var {name}: flow {flow.id} has no such variable (ignored)",
            file=sys.stderr,
        )
    if args.json:
        print_json(flow_json(flow, info, context))
    else:
        print(render_flow(flow, info, context))
    return 0


def flow_json(flow: Flow, info: Version, context: FlowContext | None = None) -> dict:
    """A flow as the contract's JSON ``show --json`` prints (§4, with §5's ``rendered``)."""
    context = context or FlowContext(flow, {})
    return {
        "flow_id": flow.id,
        "title": flow.title,
        "class": flow.flow_class,
        "business": flow.business,
        "pack_id": info.pack_id,
        "pack_sequence": info.sequence,
        "pack_version": info.version,
        "touchpoints": [tp.code for tp in flow.touchpoints],
        "keywords": list(flow.keywords),
        "summary": flow.summary,
        "elements": dict(flow.elements),
        "owner": flow.owner,
        "variables": [
            {"name": v.name, "label": v.label, "source": v.source, "mask": v.mask}
            for v in flow.variables
        ],
        "steps": [
            {
                "id": s.id,
                "type": s.type,
                "text": s.text,
                "rendered": context.render(s.text),
                "note": s.note,
                "rendered_note": context.render(s.note) if s.note is not None else None,
                "required": s.required,
                "next": flow.successor(s.id) if s.type != "decision" else None,
                "options": [_option_json(o.label, o.next, o.when) for o in s.options],
                "target": s.target,
                **({"variable": s.variable} if s.type == "input" else {}),
            }
            for s in flow.steps
        ],
        "auto_branches": [
            {"step_id": step_id, "option": nxt} for step_id, nxt in context.auto_branches()
        ],
    }


def _option_json(label: str, nxt: str, when: tuple) -> dict[str, Any]:
    out: dict[str, Any] = {"label": label, "next": nxt}
    if when:
        out["when"] = {name: list(values) for name, values in when}
    return out


def render_flow(flow: Flow, info: Version, context: FlowContext | None = None) -> str:
    """A flow as readable text: header, then numbered steps with their branches, filled."""
    context = context or FlowContext(flow, {})
    auto: Mapping[str, str] = dict(context.auto_branches())
    lines = [
        f"{flow.title}  [{flow.id}]",
        f"类别 class: {CLASS_NAMES_ZH.get(flow.flow_class, flow.flow_class)} ({flow.flow_class})"
        + (f"   业务 business: {flow.business}" if flow.business else ""),
        f"流程包 pack: {info.pack_id} #{info.sequence}"
        + (f" {info.version}" if info.version else ""),
    ]
    if flow.touchpoints:
        lines.append("接触点 touch points: " + ", ".join(tp.code for tp in flow.touchpoints))
    if flow.keywords:
        lines.append("关键词 keywords: " + "、".join(flow.keywords))
    if flow.summary:
        lines.append(flow.summary)
    if flow.variables:
        lines.append(
            "变量 variables: "
            + "、".join(f"{v.label}={context.shown(v.name)}" for v in flow.variables)
        )
    lines.append("")
    for number, step in enumerate(flow.steps, 1):
        mark = "★" if step.required else " "
        kind = STEP_TYPE_NAMES_ZH.get(step.type, step.type)
        lines.append(f"{number:>2}. {mark}[{kind}] {context.render(step.text)}   ({step.id})")
        if step.note:
            lines.append(f"      提示 note: {context.render(step.note)}")
        if step.type == "input" and step.variable:
            lines.append(f"      录入 input: {step.variable}")
        for digit, option in enumerate(step.options, 1):
            lines.append(f"      {digit}) {option.label} → {option.next}")
        if step.id in auto:
            option = next(o for o in step.options if o.next == auto[step.id])
            lines.append(f"      ⚡ 自动 auto: {context.reason(option)} → {option.next}")
        if step.target:
            lines.append(f"      转至 target: {step.target}")
        if step.type != "decision" and step.next:
            lines.append(f"      → {step.next}")
    lines.append("")
    lines.append("★ = 必做步骤 required step")
    return "\n".join(lines)
