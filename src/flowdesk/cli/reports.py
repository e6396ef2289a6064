"""``flowdesk report``: the measurements of contract §3 on the command line.

    report compliance [--by flow|agent|team|touchpoint] [--period day|week|month]
    report abandon | steps | coverage | search-misses [--limit N]
    report conformance [--by team|agent] [--benchmark X] [--benchmark NAME=X ...]
    report rebuild [--db URL]    re-derive every run summary from the events

Each takes the window filters (``--since``, ``--until``, ``--agent``, ``--team``),
``--db URL`` to read a site's central PostgreSQL instead of this desk's log
(password from the OS keyring), ``--json`` and ``-o FILE.xlsx|FILE.csv``.
``report compliance --json`` prints the contract's list of rows; the other
reports print ``{"summary": …, "rows": […]}``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from flowdesk.cli import common as common_mod
from flowdesk.cli.keywords import miss_proposals
from flowdesk.cli.usage import (
    add_filter_options,
    event_filter,
    fold_into_summaries,
    parse_when,
    usage_engine,
)
from flowdesk.problems import Refused
from flowdesk.reports.desk_flows import DeskFlows

REPORTS = ("compliance", "abandon", "steps", "coverage", "search-misses", "conformance")


def register(sub, common: argparse.ArgumentParser, groups: dict) -> None:  # type: ignore[no-untyped-def]
    report = sub.add_parser("report", parents=[common], help="measure compliance and use")
    groups["report"] = report
    cmds = report.add_subparsers(dest="report_command", metavar="REPORT")
    groups["report_commands"] = cmds  # other modules add their reports (cli/rollout.py)
    helps = {
        "compliance": "compliance rate (流程规范率) by flow, agent, team or touch point",
        "abandon": "abandon rate per flow, and where runs are abandoned",
        "steps": "skip rate and median time per step",
        "coverage": "process map coverage: offered touch points never used",
        "search-misses": "searches with no result or no flow opened (knowledge gaps)",
        "conformance": "teams or agents against the benchmark (标杆值)",
    }
    for name in REPORTS:
        p = cmds.add_parser(name, parents=[common], help=helps[name])
        add_filter_options(p)
        p.add_argument("--db", metavar="URL", help="read a central PostgreSQL store instead")
        p.add_argument(
            "--now",
            metavar="T",
            help="report as of this time (runs idle since count as abandoned); default: now",
        )
        p.add_argument("-o", "--output", metavar="FILE", help="also write rows to .xlsx or .csv")
        if name == "compliance":
            p.add_argument("--by", choices=("flow", "agent", "team", "touchpoint"), default="flow")
            p.add_argument("--period", choices=("day", "week", "month"))
        if name == "conformance":
            p.add_argument("--by", choices=("team", "agent"), default="team")
            p.add_argument(
                "--save-benchmarks",
                action="store_true",
                help="remember the given --benchmark values as this desk's defaults",
            )
            p.add_argument(
                "--benchmark",
                action="append",
                default=[],
                metavar="X|NAME=X",
                help="benchmark compliance rate, for all or for one team/agent",
            )
        if name == "search-misses":
            p.add_argument("--limit", type=int, metavar="N", help="only the N worst queries")
            p.add_argument(
                "--proposals",
                action="store_true",
                help="propose keywords: misses followed in the call by opening a flow",
            )
            p.add_argument("--min-count", type=int, default=2, metavar="N", help="(--proposals)")
        p.set_defaults(handler=cmd_report, report=name)
    p = cmds.add_parser(
        "rebuild",
        parents=[common],
        help="re-derive every run summary from the events (after a definition fix)",
    )
    p.add_argument("--db", metavar="URL", help="rebuild a central PostgreSQL store instead")
    p.set_defaults(handler=cmd_rebuild)


def parse_benchmarks(values: list[str]) -> tuple[float, dict[str, float]]:
    """``0.9`` (everyone) and ``班组A=0.95`` (one key); rates as fractions or percentages."""
    from flowdesk.reports.measures import DEFAULT_BENCHMARK

    base, per_key = DEFAULT_BENCHMARK, {}
    for text in values:
        name, _, number = text.rpartition("=")
        try:
            value = float(number.rstrip("%")) / (100 if number.endswith("%") else 1)
        except ValueError:
            raise Refused(
                f"--benchmark: not a rate: {text!r} (e.g. 0.9, 90% or 班组A=0.95)"
            ) from None
        if not 0 <= value <= 1:
            raise Refused(f"--benchmark: {text!r} is not between 0 and 1 (0% and 100%)")
        if name:
            per_key[name] = value
        else:
            base = value
    return base, per_key


def benchmarks(args: argparse.Namespace) -> tuple[float, dict[str, float]]:
    """The benchmark values (标杆值): remembered ones (settings), then the command line's."""
    from flowdesk.settings import Settings

    path = common_mod.data_folder(args).settings
    settings = Settings.load(path)
    values = [*map(str, settings.compliance_benchmarks), *args.benchmark]
    result = parse_benchmarks(values)
    if args.save_benchmarks:
        parse_benchmarks(args.benchmark)  # refuse bad values before storing them
        settings.compliance_benchmarks = list(args.benchmark)
        settings.save(path)
    return result


def _make(name: str, args: argparse.Namespace, flows: DeskFlows, where, now):  # type: ignore[no-untyped-def]
    import flowdesk.reports as reports
    from flowdesk.reports.from_data import with_from_data

    engine = usage_engine(args, args.db)
    makers: dict[str, Callable[[], reports.Report]] = {
        "compliance": lambda: reports.compliance_report(
            engine, flows, args.by, args.period, where, now
        ),
        "abandon": lambda: reports.abandon_report(engine, flows, where, now),
        "steps": lambda: with_from_data(
            engine, reports.step_report(engine, flows, where, now), where
        ),
        "coverage": lambda: reports.coverage_report(engine, flows, flows.offered(), where, now),
        "search-misses": lambda: (
            miss_proposals(engine, where, args.min_count, flows)
            if args.proposals
            else reports.search_miss_report(engine, where, args.limit)
        ),
        "conformance": lambda: reports.conformance_report(
            engine, flows, args.by, *benchmarks(args), where, now
        ),
    }
    try:
        return makers[name]()
    finally:
        engine.dispose()


def cmd_rebuild(args: argparse.Namespace) -> int:
    from flowdesk.reports import rebuild_summaries

    return fold_into_summaries(args, rebuild_summaries, "runs summarised from their events")


def cmd_report(args: argparse.Namespace) -> int:
    if args.output and Path(args.output).suffix.lower() not in (".csv", ".xlsx"):
        raise Refused(f"-o: report files are .csv or .xlsx, not {args.output!r}")
    where = event_filter(args)
    now = parse_when(args.now, "--now") if args.now else None
    # The desk (its process-map store, the packs) opens only if the report needs a flow.
    flows = DeskFlows.on_demand(lambda: common_mod.open_desk(args))
    try:
        report = _make(args.report, args, flows, where, now)
    finally:
        flows.close()
    if args.output:
        from flowdesk.reports.tables import write_report

        write_report(report, Path(args.output))
    if getattr(args, "json", False):
        if report.name == "compliance":
            common_mod.print_json(report.rows)
        else:
            common_mod.print_json({"summary": report.summary, "rows": report.rows})
    else:
        from flowdesk.reports.tables import text_table

        print(text_table(report))
    return 0
