"""``flowdesk pack validate|build|import|list`` and ``flowdesk show``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flowdesk.cli.common import open_desk, print_json, print_problems
from flowdesk.cli.progress import StderrProgress
from flowdesk.model import CLASS_NAMES_ZH, STEP_TYPE_NAMES_ZH, Flow
from flowdesk.problems import errors, warnings


def register(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict
) -> None:
    pack = sub.add_parser(
        "pack", help="flow packs: validate, build, import, list", parents=[common]
    )
    pack_sub = pack.add_subparsers(dest="pack_command", metavar="PACK_COMMAND")
    groups["pack"] = pack_sub

    p = pack_sub.add_parser("validate", help="check a pack source or built pack", parents=[common])
    p.add_argument("path", metavar="SRC|FILE")
    p.set_defaults(handler=cmd_validate)

    p = pack_sub.add_parser("build", help="build a .flowpack file from a source", parents=[common])
    p.add_argument("src", metavar="SRC")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--sign", action="store_true", help="sign it with a publisher key")
    p.add_argument("--key", metavar="KEY_ID", help="which publisher key (default: the only one)")
    p.add_argument(
        "--passphrase-env",
        default="FLOWDESK_KEY_PASSPHRASE",
        metavar="VAR",
        help="environment variable holding the key file's passphrase",
    )
    p.set_defaults(handler=cmd_build)

    p = pack_sub.add_parser("import", help="install a pack (atomic)", parents=[common])
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--allow-unsigned",
        action="store_true",
        help="accept an unsigned pack even though this desk trusts publishers (authoring)",
    )
    p.set_defaults(handler=cmd_import)

    p = pack_sub.add_parser("list", help="installed packs and versions", parents=[common])
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="show one flow step by step", parents=[common])
    p.add_argument("flow_id", metavar="FLOW_ID")
    p.add_argument("--pack", metavar="PACK_ID", help="only this pack id")
    p.set_defaults(handler=cmd_show)


def cmd_validate(args: argparse.Namespace) -> int:
    from flowdesk.packs import load_pack

    loaded = load_pack(Path(args.path))
    errs, warns = errors(loaded.problems), warnings(loaded.problems)
    if args.json:
        pack = loaded.pack
        print_json(
            {
                "ok": not errs,
                "pack_id": pack.id if pack else None,
                "sequence": pack.sequence if pack else None,
                "flows": len(pack.flows) if pack else None,
                "errors": [p.to_json() for p in errs],
                "warnings": [p.to_json() for p in warns],
            }
        )
    else:
        print_problems(loaded.problems)
    if errs:
        if not args.json:
            print(f"refused: {len(errs)} error(s), {len(warns)} warning(s)", file=sys.stderr)
        return 1
    if not args.json and loaded.pack is not None:
        pack = loaded.pack
        print(f"ok: {pack.id} #{pack.sequence}: {len(pack.flows)} flows, {len(warns)} warning(s)")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from flowdesk.packs import build_pack

    accepted_with: list = []
    manifest = build_pack(Path(args.src), Path(args.output), problems=accepted_with)
    print_problems(accepted_with)
    key_id = None
    if args.sign:
        from flowdesk.cli.sync import sign_built_pack
        from flowdesk.paths import DataDir, resolve_data_dir

        data = DataDir(resolve_data_dir(getattr(args, "data_dir", None))).ensure()
        try:
            key_id = sign_built_pack(data, Path(args.output), args.key, args.passphrase_env)
        except BaseException:
            # leave no unsigned file where a signed one was asked for
            Path(args.output).unlink(missing_ok=True)
            raise
    if args.json:
        print_json({**manifest, "signed_by": key_id})
    else:
        signed = f", signed with key {key_id}" if key_id else ""
        print(f"built {args.output}: {manifest['id']} #{manifest['sequence']}{signed}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    try:
        result = desk.import_pack(
            Path(args.file),
            progress=StderrProgress(),
            allow_unsigned=True if args.allow_unsigned else None,
        )
    finally:
        desk.close()
    info = result.info
    print_problems(result.warnings)
    if args.json:
        print_json(
            {
                "imported": info.to_json(),
                "previous": result.previous.to_json() if result.previous else None,
                "warnings": [p.to_json() for p in result.warnings],
            }
        )
    else:
        replaced = f", replacing #{result.previous.sequence}" if result.previous else ""
        print(f"imported {info.pack_id} #{info.sequence} ({info.flow_count} flows){replaced}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    try:
        packs = desk.packs()
    finally:
        desk.close()
    if args.json:
        print_json([p.to_json() for p in packs])
        return 0
    if not packs:
        print("no packs installed")
        return 0
    for p in packs:
        mark = "*" if p.active else " "
        version = p.version or ""
        imported = p.imported_at.strftime("%Y-%m-%d %H:%M")
        print(
            f"{mark} {p.pack_id} #{p.sequence}  {version}  {p.title}  "
            f"{p.flow_count} flows  {imported}"
        )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    try:
        try:
            flow, info = desk.flow(args.flow_id, pack_id=args.pack)
        except KeyError:
            print(f"flowdesk: no flow '{args.flow_id}' in the installed packs", file=sys.stderr)
            return 1
    finally:
        desk.close()
    if args.json:
        print_json(flow_json(flow, info))
    else:
        print(render_flow(flow, info))
    return 0


def flow_json(flow: Flow, info) -> dict:
    """A flow as the contract-friendly JSON ``show --json`` prints."""
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
        "steps": [
            {
                "id": s.id,
                "type": s.type,
                "text": s.text,
                "note": s.note,
                "required": s.required,
                "next": flow.successor(s.id) if s.type != "decision" else None,
                "options": [{"label": o.label, "next": o.next} for o in s.options],
                "target": s.target,
            }
            for s in flow.steps
        ],
    }


def render_flow(flow: Flow, info) -> str:
    """A flow as readable text: header, then numbered steps with their branches."""
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
    lines.append("")
    for number, step in enumerate(flow.steps, 1):
        mark = "★" if step.required else " "
        kind = STEP_TYPE_NAMES_ZH.get(step.type, step.type)
        lines.append(f"{number:>2}. {mark}[{kind}] {step.text}   ({step.id})")
        if step.note:
            lines.append(f"      提示 note: {step.note}")
        for digit, option in enumerate(step.options, 1):
            lines.append(f"      {digit}) {option.label} → {option.next}")
        if step.target:
            lines.append(f"      转至 target: {step.target}")
        if step.type != "decision" and step.next:
            lines.append(f"      → {step.next}")
    lines.append("")
    lines.append("★ = 必做步骤 required step")
    return "\n".join(lines)
