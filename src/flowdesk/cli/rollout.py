"""``flowdesk desk status|ring`` and ``flowdesk report desks|acknowledgements``.

desk status [--json]                 this desk's id, ring and versions (and it is recorded)
desk ring [NAME] [--clear]           show or set the staged-rollout ring
report desks [--db URL] [--team T] [--silent-hours H] [--now T] [--json] [-o FILE]
report acknowledgements [--db URL] [--team T] [--json] [-o FILE]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from flowdesk.cli import common as common_mod
from flowdesk.problems import Refused

if TYPE_CHECKING:
    from sqlalchemy import Engine

RING_NAME = re.compile(r"[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]{0,39}")


def register(sub, common: argparse.ArgumentParser, groups: dict) -> None:  # type: ignore[no-untyped-def]
    desk = sub.add_parser("desk", parents=[common], help="this desk: its id, ring and versions")
    desk_cmds = desk.add_subparsers(dest="desk_command", metavar="DESK_COMMAND")
    p = desk_cmds.add_parser("status", parents=[common], help="where this desk stands")
    p.set_defaults(handler=cmd_status)
    p = desk_cmds.add_parser("ring", parents=[common], help="the staged-rollout ring of this desk")
    p.add_argument("name", nargs="?", metavar="NAME", help="e.g. pilot 试点")
    p.add_argument("--clear", action="store_true", help="no ring: the general rollout")
    p.set_defaults(handler=cmd_ring)

    reports = groups.get("report_commands")
    if reports is None:
        return
    p = reports.add_parser(
        "desks", parents=[common], help="every desk: versions, last contact, behind or silent"
    )
    _report_options(p)
    p.add_argument(
        "--silent-hours",
        type=float,
        default=24.0,
        metavar="H",
        help="a desk with no status for this long is silent (default 24)",
    )
    p.add_argument("--now", metavar="T", help="judge as of this time (default: now)")
    p.set_defaults(handler=cmd_desks)
    p = reports.add_parser(
        "acknowledgements",
        parents=[common],
        help="must-read changes: who confirmed which, who ran a changed flow first",
    )
    _report_options(p)
    p.set_defaults(handler=cmd_acknowledgements)


def _report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="read a central PostgreSQL store instead")
    p.add_argument("--team", metavar="TEAM", help="only this team")
    p.add_argument("-o", "--output", metavar="FILE", help="also write rows to .xlsx or .csv")


def cmd_status(args: argparse.Namespace) -> int:
    from flowdesk.rollout.desk_status import record_status, status_fields
    from flowdesk.settings import Settings

    desk = common_mod.open_desk(args)
    try:
        fields = status_fields(desk, Settings.load(desk.data.settings))
        record_status(desk, only_if_changed=True)
    finally:
        desk.close()
    if args.json:
        common_mod.print_json(fields)
        return 0
    for f in fields:
        when = f"  生效 effective {f['effective']}" if f.get("effective") else ""
        print(
            f"{f['desk_id']}  ring {f['ring'] or '-'}  {f['pack_id']} #{f['pack_sequence']} "
            f"{f['state']}{when}  FlowDesk {f['app_version']}"
        )
    if not fields:
        print("no packs installed")
    return 0


def cmd_ring(args: argparse.Namespace) -> int:
    from flowdesk.settings import Settings

    path = common_mod.data_folder(args).settings
    settings = Settings.load(path)
    if args.clear or args.name is not None:
        if args.name is not None and not RING_NAME.fullmatch(args.name):
            raise Refused(f"ring: {args.name!r} is not a ring name (letters, digits, 汉字, . _ -)")
        if args.name is not None and not args.clear:
            from flowdesk.services.updates import check_ring

            for note in check_ring(common_mod.data_folder(args), args.name):
                print(f"warning: {note}", file=sys.stderr)
        settings.ring = None if args.clear else args.name
        settings.save(path)
    if args.json:
        common_mod.print_json({"ring": settings.ring})
    else:
        print(f"ring: {settings.ring or '- (general rollout)'}")
    return 0


def _engine(args: argparse.Namespace) -> Engine:
    """``--db URL`` (a central store), else this desk's usage log: the QA service opens it."""
    from flowdesk.services.qa import open_usage_store

    return open_usage_store(common_mod.data_folder(args), args.db)


def _now(args: argparse.Namespace) -> _dt.datetime:
    from flowdesk import clock

    if getattr(args, "now", None):
        from flowdesk.cli.usage import parse_when

        return parse_when(args.now, "--now")
    return clock.now()


def cmd_desks(args: argparse.Namespace) -> int:
    from flowdesk.reports.desks import desks_report

    if args.silent_hours <= 0:
        raise Refused(f"--silent-hours: must be positive, not {args.silent_hours}")
    engine = _engine(args)
    try:
        report = desks_report(
            engine, _now(args), _dt.timedelta(hours=args.silent_hours), team=args.team
        )
    finally:
        engine.dispose()
    return _print_report(args, report)


def cmd_acknowledgements(args: argparse.Namespace) -> int:
    from flowdesk.reports.acknowledgements import acknowledgements_report
    from flowdesk.rollout.notices import installed_notices

    desk = common_mod.open_desk(args)
    try:
        notices, since = installed_notices(desk)
    finally:
        desk.close()
    engine = _engine(args)
    try:
        report = acknowledgements_report(engine, notices, since, team=args.team)
    finally:
        engine.dispose()
    return _print_report(args, report)


def _print_report(args: argparse.Namespace, report) -> int:  # type: ignore[no-untyped-def]
    if args.output:
        if Path(args.output).suffix.lower() not in (".csv", ".xlsx"):
            raise Refused(f"-o: report files are .csv or .xlsx, not {args.output!r}")
        from flowdesk.reports.tables import write_report

        write_report(report, Path(args.output))
    if args.json:
        common_mod.print_json({"summary": report.summary, "rows": report.rows})
        return 0
    from flowdesk.reports.tables import text_table

    print(text_table(report))
    return 0


def record_desk_status(args: argparse.Namespace, *, only_if_changed: bool) -> None:
    """Write this desk's ``desk_status`` into its log (before a push; after a pack change)."""
    from flowdesk.rollout.desk_status import record_status

    desk = common_mod.open_desk(args)
    try:
        record_status(desk, only_if_changed=only_if_changed)
    finally:
        desk.close()
