"""``flowdesk usage``: who sits at this desk, and moving its usage log.

    usage whoami [--set-agent A] [--team T]
    usage import FILE...
    usage export --format jsonl|csv|xlsx [--since T] [--until T] [--agent A] [--team T]
                 [--pseudonymise [--pseudonym-key K]] [-o FILE]
    usage central [URL]          show or remember the site's central store (no password)
    usage password [URL]         store its password in the OS keyring (read from stdin)
    usage push [--url URL]       send the events the central store has not acknowledged
    usage central-setup | summarise | retire --db URL   the central store (cli/central_admin)

A thin layer over :mod:`flowdesk.usage`; every handler returns an exit code.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from flowdesk.cli import common as common_mod
from flowdesk.problems import Refused

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Engine

    from flowdesk.reports.desk_flows import DeskFlows
    from flowdesk.reports.summarise import SummaryResult
    from flowdesk.usage.rows import EventFilter


def parse_when(text: str, option: str) -> datetime:
    """``--since``/``--until``: RFC 3339, or a date or a time without offset in local time."""
    from flowdesk.usage.events import parse_ts

    try:
        return parse_ts(text)
    except ValueError:
        pass
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            naive = datetime.combine(datetime.strptime(text.strip(), "%Y-%m-%d").date(), time())
        except ValueError:
            raise Refused(f"{option}: not a date or RFC 3339 time: {text!r}") from None
    return naive.astimezone()


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The time, agent and team filters shared by export and the reports."""
    parser.add_argument("--since", metavar="T", help="from this time (RFC 3339 or YYYY-MM-DD)")
    parser.add_argument("--until", metavar="T", help="before this time (RFC 3339 or YYYY-MM-DD)")
    parser.add_argument("--agent", action="append", default=[], metavar="A", help="only agent A")
    parser.add_argument("--team", action="append", default=[], metavar="T", help="only team T")


def event_filter(args: argparse.Namespace) -> EventFilter:
    """The events ``--since``, ``--until``, ``--agent`` and ``--team`` select."""
    from flowdesk.usage.rows import EventFilter

    return EventFilter(
        since=parse_when(args.since, "--since") if args.since else None,
        until=parse_when(args.until, "--until") if args.until else None,
        agents=tuple(args.agent),
        teams=tuple(args.team),
    )


def register(sub, common: argparse.ArgumentParser, groups: dict) -> None:  # type: ignore[no-untyped-def]
    usage = sub.add_parser("usage", parents=[common], help="the desk's usage log")
    groups["usage"] = usage
    cmds = usage.add_subparsers(dest="usage_command", metavar="COMMAND")

    p = cmds.add_parser("whoami", parents=[common], help="show or set this desk's agent and team")
    p.add_argument("--set-agent", metavar="A", help="the agent id (工号) of this desk")
    p.add_argument("--team", metavar="T", help="the agent's team (班组)")
    p.set_defaults(handler=cmd_whoami)

    p = cmds.add_parser("import", parents=[common], help="merge usage logs (JSON Lines)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(handler=cmd_import)

    p = cmds.add_parser("export", parents=[common], help="write the usage log")
    p.add_argument("--format", required=True, choices=("jsonl", "csv", "xlsx"))
    add_filter_options(p)
    p.add_argument(
        "--pseudonymise",
        "--pseudonymize",
        action="store_true",
        help="replace agent ids by keyed pseudonyms",
    )
    p.add_argument(
        "--pseudonym-key",
        metavar="K",
        help="key for stable pseudonyms across exports (default: random)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    p.set_defaults(handler=cmd_export)

    p = cmds.add_parser("central", parents=[common], help="show or set the central store URL")
    p.add_argument("url", nargs="?", metavar="URL", help="e.g. postgresql://qa@db.site/usage")
    p.set_defaults(handler=cmd_central)

    p = cmds.add_parser(
        "password", parents=[common], help="store the central store's password in the OS keyring"
    )
    p.add_argument("url", nargs="?", metavar="URL")
    p.add_argument("--stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(handler=cmd_password)

    p = cmds.add_parser("push", parents=[common], help="send new events to the central store")
    p.add_argument("--url", metavar="URL", help="central store (default: `usage central`)")
    p.add_argument("--batch", type=int, default=5000, metavar="N", help="events per transaction")
    p.set_defaults(handler=cmd_push)
    from flowdesk.cli.central_admin import register_central

    register_central(cmds, common)


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from flowdesk.settings import Settings

    path = common_mod.data_folder(args).settings
    return Settings.load(path), path


def cmd_whoami(args: argparse.Namespace) -> int:
    settings, path = _settings(args)
    if args.set_agent is not None or args.team is not None:
        if args.set_agent is not None:
            if not args.set_agent.strip():
                raise Refused("--set-agent: the agent id must not be empty")
            settings.agent_id = args.set_agent.strip()
        if args.team is not None:
            settings.team = args.team.strip() or None
        settings.save(path)
    if getattr(args, "json", False):
        common_mod.print_json({"agent_id": settings.agent_id, "team": settings.team})
    else:
        print(f"agent: {settings.agent_id or '(not set)'}\nteam: {settings.team or '(not set)'}")
    return 0


def usage_engine(args: argparse.Namespace, db: str | None = None) -> Engine:
    """The usage store a command reads: the central one ``db`` (``--db URL``), else the desk's."""
    from flowdesk.services.qa import open_usage_store

    return open_usage_store(common_mod.data_folder(args), db)


def cmd_import(args: argparse.Namespace) -> int:
    from flowdesk.usage.exchange import import_events

    engine = usage_engine(args)
    results = []
    try:
        for name in args.files:
            result = import_events(engine, Path(name))
            results.append({"file": name, **result.__dict__})
            if not getattr(args, "json", False):
                print(
                    f"{name}: {result.lines} events, {result.imported} new, "
                    f"{result.duplicates} already stored",
                    file=sys.stderr,
                )
        summarise_desk(args, engine)
    finally:
        engine.dispose()
    if getattr(args, "json", False):
        common_mod.print_json(results)
    return 0


def fold_into_summaries(
    args: argparse.Namespace, fold: Callable[[Engine, DeskFlows], SummaryResult], said: str
) -> int:
    """``usage summarise`` and ``report rebuild``: ``fold`` the runs of the store ``--db``
    (else this desk's log) into its summaries, judged by this desk's flows; print how many."""
    from flowdesk.reports.desk_flows import DeskFlows

    desk = common_mod.open_desk(args)
    engine = usage_engine(args, args.db)
    try:
        result = fold(engine, DeskFlows(desk))
    finally:
        engine.dispose()
        desk.close()
    if getattr(args, "json", False):
        common_mod.print_json({"runs": result.runs})
    else:
        print(f"{result.runs} {said}")
    return 0


def summarise_desk(args: argparse.Namespace, engine, full: bool = False):  # type: ignore[no-untyped-def]
    """Fold newly stored events into the desk's run summaries, judged by its flows."""
    from flowdesk.reports.desk_flows import DeskFlows
    from flowdesk.reports.summarise import summarise_sqlite

    desk = common_mod.open_desk(args)
    try:
        return summarise_sqlite(engine, DeskFlows(desk), full=full)
    finally:
        desk.close()


def cmd_export(args: argparse.Namespace) -> int:
    from flowdesk.usage.exchange import export_events, pseudonymiser

    where = event_filter(args)
    pseudonym = None
    if args.pseudonymise:
        key = args.pseudonym_key.encode("utf-8") if args.pseudonym_key else None
        pseudonym = pseudonymiser(key)
    elif args.pseudonym_key:
        raise Refused("--pseudonym-key needs --pseudonymise")
    engine = usage_engine(args)
    try:
        out = Path(args.output) if args.output else None
        count = export_events(engine, out, args.format, where, pseudonym, stream=sys.stdout)
    finally:
        engine.dispose()
    if out is not None:
        print(f"{count} events written to {out}", file=sys.stderr)
    return 0


def _central_url(args: argparse.Namespace, given: str | None):  # type: ignore[no-untyped-def]
    from flowdesk.usage.central import central_url

    if given:
        return central_url(given)
    settings, _ = _settings(args)
    stored = settings.usage_central_url
    if not stored:
        raise Refused("no central store set: `flowdesk usage central URL` or --url URL")
    return central_url(str(stored))


def cmd_central(args: argparse.Namespace) -> int:
    from flowdesk.usage.central import central_url, target_name

    settings, path = _settings(args)
    if args.url:
        url = central_url(args.url)
        settings.usage_central_url = target_name(url)
        settings.save(path)
    current = settings.usage_central_url
    if getattr(args, "json", False):
        common_mod.print_json({"url": current})
    else:
        print(current or "(no central store set)")
    return 0


def cmd_password(args: argparse.Namespace) -> int:
    from flowdesk.usage.central import set_password

    url = _central_url(args, args.url)
    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {url.username}@{url.host}: ")
    if not password:
        raise Refused("empty password: nothing stored")
    set_password(url, password)
    print("password stored in the OS keyring", file=sys.stderr)
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from flowdesk.cli.rollout import record_desk_status
    from flowdesk.services.qa import push_events

    url = _central_url(args, args.url)
    record_desk_status(args, only_if_changed=False)  # last contact: where the desk stands now
    result = push_events(common_mod.data_folder(args), url, batch=max(args.batch, 1))
    if getattr(args, "json", False):
        common_mod.print_json(result.__dict__)
    else:
        print(
            f"{result.sent} events sent, {result.stored} new to the central store, "
            f"{result.pending} pending"
        )
    return 0
