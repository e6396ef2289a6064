"""``flowdesk qa`` (the QA workspace window) and ``flowdesk report review`` (the monthly review).

    flowdesk qa [--db URL] [--month YYYY-MM]
    flowdesk report review --month YYYY-MM [--db URL] [--benchmark X] -o FILE.xlsx|FILE.pdf
        [--json]

The review is the month's reports in one workbook with native charts, or the
same as a PDF; ``--json`` prints its sections as ``{"section": {"summary": …,
"rows": […]}}``. Qt is imported only for the window and for the PDF, which the
workspace's own code draws.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from flowdesk.cli import common as common_mod
from flowdesk.problems import Refused

REVIEW_FORMATS = (".xlsx", ".pdf")


def register(sub, common: argparse.ArgumentParser, groups: dict) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser(
        "qa",
        parents=[common],
        help="the QA workspace (质检工作台): a month from trend to single run, in a window",
    )
    p.add_argument("--db", metavar="URL", help="a central PostgreSQL store instead of the log")
    p.add_argument("--month", metavar="YYYY-MM", help="the month to open on (default: this one)")
    p.set_defaults(handler=cmd_qa)
    reports = groups.get("report_commands")
    if reports is None:
        return
    p = reports.add_parser(
        "review",
        parents=[common],
        help="the monthly review (月度质检回顾) as one workbook with charts, or a PDF",
    )
    p.add_argument("--month", metavar="YYYY-MM", required=True, help="e.g. 2026-11")
    p.add_argument("--db", metavar="URL", help="read a central PostgreSQL store instead")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="review.xlsx (a workbook with charts) or review.pdf"
    )
    p.add_argument(
        "--benchmark",
        action="append",
        default=[],
        metavar="X|NAME=X",
        help="benchmark compliance rate, for all or for one team (default: the desk's)",
    )
    p.add_argument("--now", metavar="T", help="report as of this time; default: now")
    p.set_defaults(handler=cmd_review, save_benchmarks=False)


def cmd_qa(args: argparse.Namespace) -> int:
    from flowdesk.reports.review import month_window

    if args.month:
        month_window(args.month)  # a bad month is refused before a window opens
    from flowdesk.ui.qa_workspace import run_workspace

    return run_workspace(common_mod.data_root(args), args.db, args.month)


def _json_of(review) -> dict:  # type: ignore[no-untyped-def]
    return {name: {"summary": r.summary, "rows": r.rows} for name, r in review.sections()}


def cmd_review(args: argparse.Namespace) -> int:
    from flowdesk.cli.reports import benchmarks
    from flowdesk.cli.usage import parse_when
    from flowdesk.reports.review import month_window
    from flowdesk.services.qa import load_review

    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() not in REVIEW_FORMATS:
        raise Refused(f"-o: a review is written as .xlsx or .pdf, not {args.output!r}")
    if out is None and not getattr(args, "json", False):
        raise Refused("report review: say where to write it (-o review.xlsx) or give --json")
    month_window(args.month)
    now = parse_when(args.now, "--now") if args.now else None
    base, per_team = benchmarks(args)
    desk = common_mod.open_desk(args)
    try:
        review = load_review(desk, args.month, args.db, base, per_team, now)
    finally:
        desk.close()
    if out is not None:
        if out.suffix.lower() == ".pdf":
            from flowdesk.ui.qa_workspace.review_pdf import write_review_pdf_headless

            write_review_pdf_headless(review, out)
        else:
            from flowdesk.reports.review_workbook import write_review

            write_review(review, out)
    if getattr(args, "json", False):
        common_mod.print_json(_json_of(review))
    elif out is not None:
        print(f"{args.month} review written to {out}")
    return 0
