"""``flowdesk usage`` commands for the site's central PostgreSQL store (its DBA and jobs).

    usage central-setup --db URL [--months-ahead N]   tables, partitions and roles
    usage summarise --db URL                          fold queued events into summaries
    usage retire --db URL --month YYYY-MM --export FILE.jsonl

The URL carries no password: it comes from the OS keyring, as for ``usage push``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flowdesk.cli import common as common_mod
from flowdesk.cli.usage import fold_into_summaries, usage_engine


def register_central(cmds, common: argparse.ArgumentParser) -> None:  # type: ignore[no-untyped-def]
    p = cmds.add_parser(
        "central-setup",
        parents=[common],
        help="create the central store's partitioned tables and its roles (administrator)",
    )
    p.add_argument("--db", metavar="URL", required=True)
    p.add_argument("--months-ahead", type=int, default=3, metavar="N")
    p.set_defaults(handler=cmd_setup)
    p = cmds.add_parser(
        "summarise", parents=[common], help="fold newly arrived central events into summaries"
    )
    p.add_argument("--db", metavar="URL", required=True)
    p.set_defaults(handler=cmd_summarise)
    p = cmds.add_parser(
        "retire", parents=[common], help="export one month of the central store, then drop it"
    )
    p.add_argument("--db", metavar="URL", required=True)
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--export", required=True, metavar="FILE.jsonl")
    p.set_defaults(handler=cmd_retire)


def cmd_setup(args: argparse.Namespace) -> int:
    from flowdesk.usage.central_schema import create_roles, ensure_months

    engine = usage_engine(args, args.db)  # creates the tables when the store is new
    try:
        with engine.begin() as conn:
            today = datetime.now(UTC).date().replace(day=1)
            last = today + timedelta(days=31 * max(args.months_ahead, 0))
            made = ensure_months(conn, today, last)
            create_roles(conn)
    finally:
        engine.dispose()
    print(f"central store ready: {made} new months of partitions, roles granted", file=sys.stderr)
    return 0


def cmd_summarise(args: argparse.Namespace) -> int:
    from flowdesk.reports.central_summary import summarise_central

    return fold_into_summaries(args, summarise_central, "runs summarised")


def cmd_retire(args: argparse.Namespace) -> int:
    from flowdesk.usage.central_retention import parse_month, retire_month

    parse_month(args.month)  # a bad month is refused before connecting
    engine = usage_engine(args, args.db)
    try:
        done = retire_month(engine, args.month, Path(args.export))
    finally:
        engine.dispose()
    if getattr(args, "json", False):
        common_mod.print_json({"month": done.month, "events": done.events, "export": args.export})
    else:
        print(f"{done.month}: {done.events} events exported to {args.export}, partitions dropped")
    return 0
