"""The ``flowdesk`` command line: a thin face over :class:`flowdesk.desk.Desk`.

Each command group lives in its own module with a ``register(subparsers,
common)`` function; the handlers it installs take the parsed arguments and
return an exit code. This module only wires them together and turns refusals
into the contract's exit codes: 0 success, 1 bad input or refused data (every
problem on stderr, no traceback), 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sqlalchemy.exc import DatabaseError

from flowdesk import __version__
from flowdesk.cli import common as common_mod
from flowdesk.problems import Refused

#: Modules that register command groups, in help order. A module listed here
#: that is missing (a part not yet built) is skipped, so the CLI always starts.
COMMAND_MODULES = (
    "flowdesk.cli.packs",
    "flowdesk.cli.search",
    "flowdesk.cli.show",
    "flowdesk.cli.usage",
    "flowdesk.cli.reports",
    "flowdesk.cli.keywords",
    "flowdesk.cli.pack_sync",
    "flowdesk.cli.keys",
    "flowdesk.cli.sources",
    "flowdesk.cli.sync",
    "flowdesk.cli.rollout",
    "flowdesk.cli.app",
    "flowdesk.cli.workbook",
    "flowdesk.cli.studio",
    "flowdesk.cli.qa",
)


def build_parser() -> argparse.ArgumentParser:
    """The whole parser; every command accepts ``--data-dir`` and ``--json``."""
    import importlib

    common = common_mod.common_options()
    parser = argparse.ArgumentParser(
        prog="flowdesk",
        description="FlowDesk 流程助手: find and follow service flows; measure their use.",
        parents=[common_mod.common_options(top_level=True)],
    )
    parser.add_argument("--version", action="version", version=f"flowdesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub, common, groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a.lower().startswith("flowdesk:") for a in argv):  # a URL handed over by the desktop
        from flowdesk.cli.app import url_argv

        argv = url_argv(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.command is None:
            try:
                from flowdesk.cli.app import start_app
            except ModuleNotFoundError:
                return common_mod.fail("the desktop app is not available in this build")
            return start_app(args)
        parser.parse_args([*argv, "--help"])  # a group without its sub-command: show its help
        return 2
    try:
        code = int(handler(args) or 0)
        if code == 0 and _changes_packs(args):
            from flowdesk.cli.rollout import record_desk_status

            record_desk_status(args, only_if_changed=True)
        return code
    except Refused as refused:
        common_mod.print_problems(refused.problems)
        return 1
    except BrokenPipeError:  # `flowdesk … | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:  # unreadable file, full disk, data folder not writable …
        where = f" ({exc.filename or common_mod.data_root(args)})"
        return common_mod.fail(f"{exc.strerror or exc}{where}; nothing was changed")
    except DatabaseError as exc:
        return common_mod.fail(f"the local store could not be used: {exc.orig or exc}")
    except KeyboardInterrupt:
        print("flowdesk: interrupted; nothing was changed", file=sys.stderr)
        return 130


def _changes_packs(args: argparse.Namespace) -> bool:
    """Commands after which the desk records its status (contract §5: after each pack change)."""
    if args.command == "sync":
        return not getattr(args, "preview", False)
    return args.command == "pack" and getattr(args, "pack_command", None) in PACK_CHANGES


#: ``pack`` sub-commands that may change which version is active or pending.
PACK_CHANGES = ("import", "rollback")


def run() -> None:
    sys.exit(main())
