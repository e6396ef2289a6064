"""``flowdesk source add|list|remove|schedule``: the pack sources a desk syncs from.

A thin face over :mod:`flowdesk.sync.sourcelist`; passwords go to the OS
keyring (through :mod:`flowdesk.secrets`), the schedule to the settings the
window reads when it starts.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from flowdesk.cli.common import data_folder, print_json
from flowdesk.problems import Refused

SOURCE_PASSWORD_ENV = "FLOWDESK_SOURCE_PASSWORD"


def register(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict
) -> None:
    src = sub.add_parser("source", help="pack sources this desk syncs from", parents=[common])
    src_sub = src.add_subparsers(dest="source_command", metavar="SOURCE_COMMAND")
    p = src_sub.add_parser("add", help="add or replace a source", parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("location", metavar="FOLDER|URL")
    p.add_argument("--user", help="user name for an HTTP(S) source")
    p.add_argument(
        "--password-env",
        default=SOURCE_PASSWORD_ENV,
        metavar="VAR",
        help="take the password from this variable (stored in the OS keyring)",
    )
    p.set_defaults(handler=cmd_source_add)
    p = src_sub.add_parser("list", help="configured sources", parents=[common])
    p.set_defaults(handler=cmd_source_list)
    p = src_sub.add_parser("remove", help="forget a source (and its password)", parents=[common])
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=cmd_source_remove)
    p = src_sub.add_parser(
        "schedule",
        help="sync from a source in the background while the window is open",
        description="Without arguments: show the schedule. The window reads it when it starts.",
        parents=[common],
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="a configured source")
    p.add_argument("--every", type=int, metavar="MINUTES", help="how often to check (1–10080)")
    p.add_argument(
        "--ask",
        action="store_true",
        help="only light a notice in the window (default: apply verified updates between calls)",
    )
    p.add_argument("--off", action="store_true", help="no background sync")
    p.set_defaults(handler=cmd_source_schedule)


def cmd_source_add(args: argparse.Namespace) -> int:
    from flowdesk.sync.sourcelist import SourceConfig, SourceList

    password = None
    if args.user:
        password = os.environ.get(args.password_env)
        if password is None and sys.stdin.isatty():
            password = getpass.getpass(f"password for {args.user}: ")
        if password is None:
            raise Refused(f"no password: set {args.password_env} or run in a terminal", "source")
    SourceList(data_folder(args)).add(SourceConfig(args.name, args.location, args.user), password)
    if args.json:
        print_json({"added": args.name})
    else:
        print(f"source {args.name}: {args.location}")
    return 0


def cmd_source_list(args: argparse.Namespace) -> int:
    from flowdesk.sync.sourcelist import SourceList

    sources = SourceList(data_folder(args)).all()
    if args.json:
        print_json([{"name": s.name, "location": s.location, "user": s.user} for s in sources])
        return 0
    if not sources:
        print("no sources; add one with `flowdesk source add NAME FOLDER|URL`")
    for s in sources:
        print(f"{s.name}  {s.location}" + (f"  (user {s.user})" if s.user else ""))
    return 0


def cmd_source_remove(args: argparse.Namespace) -> int:
    from flowdesk.sync.sourcelist import SourceList

    SourceList(data_folder(args)).remove(args.name)
    if args.json:
        print_json({"removed": args.name})
    else:
        print(f"source {args.name} removed")
    return 0


def cmd_source_schedule(args: argparse.Namespace) -> int:
    from flowdesk.settings import MAX_SYNC_INTERVAL_MINUTES, Settings
    from flowdesk.sync.sourcelist import SourceList

    data = data_folder(args)
    settings = Settings.load(data.settings)
    if args.off or args.name is not None:
        if args.off:
            settings.sync_source, settings.sync_interval_minutes = None, 0
        else:
            if SourceList(data).get(args.name) is None:
                raise Refused(
                    f"no source named {args.name!r}; add it with "
                    "`flowdesk source add NAME FOLDER|URL`",
                    file="sources",
                )
            if args.every is None or not 0 < args.every <= MAX_SYNC_INTERVAL_MINUTES:
                raise Refused(
                    f"--every MINUTES: a number from 1 to {MAX_SYNC_INTERVAL_MINUTES}",
                    file="schedule",
                )
            settings.sync_source, settings.sync_interval_minutes = args.name, args.every
            settings.sync_apply = "ask" if args.ask else "auto"
        settings.save(data.settings)
    schedule = settings.sync_schedule()
    if args.json:
        print_json(schedule.to_json() if schedule else None)
    elif schedule is None:
        print("no background sync 未设定定时同步 (`flowdesk source schedule NAME --every MINUTES`)")
    else:
        then = (
            "applies verified updates between calls 通话间隙自动应用"
            if schedule.auto_apply
            else "shows a notice 仅提示"
        )
        print(
            f"the window checks {schedule.source} every {schedule.every_minutes} min "
            f"and {then} (from its next start)"
        )
    return 0
