"""``flowdesk pack to-xlsx`` and ``flowdesk pack from-xlsx``: packs in and out of Excel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flowdesk.cli.common import print_json, print_problems
from flowdesk.problems import Refused, errors


def register(sub, common: argparse.ArgumentParser, groups: dict) -> None:
    pack_sub = groups["pack"]
    p = pack_sub.add_parser(
        "to-xlsx", help="write a pack as an Excel workbook (axes, map, flows)", parents=[common]
    )
    p.add_argument("src", metavar="SRC|FILE")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_to_xlsx)
    p = pack_sub.add_parser(
        "from-xlsx", help="read a pack workbook back into a pack source folder", parents=[common]
    )
    p.add_argument("workbook", metavar="FILE.xlsx")
    p.add_argument("-o", "--output", required=True, metavar="SRC")
    p.set_defaults(handler=cmd_from_xlsx)


def cmd_to_xlsx(args: argparse.Namespace) -> int:
    from flowdesk.packs import load_pack
    from flowdesk.workbook import write_workbook

    loaded = load_pack(Path(args.src))
    if errors(loaded.problems) or loaded.pack is None:
        raise Refused(loaded.problems)
    write_workbook(loaded.pack, Path(args.output))
    pack = loaded.pack
    if args.json:
        print_json({"output": args.output, "pack_id": pack.id, "flows": len(pack.flows)})
    else:
        print(f"wrote {args.output}: {pack.id} #{pack.sequence}, {len(pack.flows)} flows")
    return 0


def cmd_from_xlsx(args: argparse.Namespace) -> int:
    from flowdesk.packs.sourcewrite import write_source
    from flowdesk.workbook import workbook_to_source

    path = Path(args.workbook)
    files = workbook_to_source(path.read_bytes(), path.name)
    try:
        done = write_source(Path(args.output), files)
    except FileExistsError as exc:
        print(f"flowdesk: {exc}; nothing was written", file=sys.stderr)
        return 1
    summary = {
        "created": len(done.created),
        "changed": len(done.changed),
        "unchanged": len(done.unchanged),
        "removed": len(done.removed),
    }
    if args.json:
        print_json({"output": args.output, **summary, "files": done.created + done.changed})
    else:
        print_problems([])
        counts = ", ".join(f"{n} {k}" for k, n in summary.items())
        print(f"wrote {args.output}: {counts}")
    return 0
