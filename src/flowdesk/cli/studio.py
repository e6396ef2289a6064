"""``flowdesk studio [SRC]``: the process owner's designer window over a pack source."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub, common: argparse.ArgumentParser, groups: dict) -> None:
    p = sub.add_parser(
        "studio",
        parents=[common],
        help="design, check and publish flows in a window (opens or creates a pack source)",
    )
    p.add_argument("src", nargs="?", metavar="SRC", help="pack source folder (default: here)")
    p.add_argument(
        "--lang",
        choices=("zh_CN", "en"),
        help="the window's language (default: the language set in the data folder)",
    )
    p.set_defaults(handler=cmd_studio)


def cmd_studio(args: argparse.Namespace) -> int:
    from flowdesk.cli.common import data_root
    from flowdesk.ui.studio import run_studio

    return run_studio(Path(args.src) if args.src else None, data_root(args), args.lang)
