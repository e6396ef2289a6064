"""``flowdesk pack validate|build|import|list``: a thin face over :class:`flowdesk.desk.Desk`.

The pack commands of the sync part (``pack sign|verify|publish|diff|rollback``)
are in :mod:`flowdesk.cli.pack_sync`, registered after ``pack add-keywords``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flowdesk.cli.common import (
    PASSPHRASE_ENV,
    open_desk,
    open_desk_with_pack,
    print_json,
    print_problems,
    sign_built,
)
from flowdesk.cli.progress import StderrProgress
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
        default=PASSPHRASE_ENV,
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
        try:
            key_id = sign_built(args, Path(args.output))
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
        if info.state == "pending" and info.effective_at is not None:
            at = info.effective_at.astimezone().isoformat(timespec="minutes")
            replaced = f"; pending 待生效 until {at}"
            if result.previous:
                replaced += f" (#{result.previous.sequence} stays active until then)"
        print(f"imported {info.pack_id} #{info.sequence} ({info.flow_count} flows){replaced}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    desk, _hint = open_desk_with_pack(args)
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
        mark = {"active": "*", "pending": "+"}.get(p.state, " ")
        version = p.version or ""
        imported = p.imported_at.strftime("%Y-%m-%d %H:%M")
        when = ""
        if p.effective_at is not None:
            at = p.effective_at.astimezone().strftime("%Y-%m-%d %H:%M %z")
            when = f"  待生效 pending until {at}" if p.state == "pending" else f"  生效 {at}"
        print(
            f"{mark} {p.pack_id} #{p.sequence}  {version}  {p.title}  "
            f"{p.flow_count} flows  {imported}{when}"
        )
    print("* = active 生效中   + = pending 待生效 (becomes active at its effective time)")
    return 0
