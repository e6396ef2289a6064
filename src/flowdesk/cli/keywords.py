"""``flowdesk pack add-keywords``: learned keywords written into a pack source.

    flowdesk report search-misses --proposals [--min-count N] [--json]   what the log suggests
    flowdesk pack add-keywords SRC --from-misses [--min-count N] [--db URL] [--dry-run]
    flowdesk pack add-keywords SRC --proposals FILE [--dry-run]
    flowdesk pack add-keywords SRC --add FLOW_ID=KEYWORD …

``--proposals FILE`` reads what ``report search-misses --proposals --json``
printed (after a process owner deleted the rows not accepted), or a plain JSON
list of ``{"flow_id", "keyword"}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from flowdesk.cli.common import open_desk, print_json
from flowdesk.cli.usage import add_filter_options
from flowdesk.services.qa import desk_keywords

if TYPE_CHECKING:
    pass
from flowdesk.problems import Refused


def register(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict
) -> None:
    pack_sub = groups.get("pack")
    if pack_sub is None:
        return
    p = pack_sub.add_parser(
        "add-keywords",
        help="write learned keywords into a pack source's flow files",
        parents=[common],
    )
    p.add_argument("src", metavar="SRC")
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument("--from-misses", action="store_true", help="from this desk's usage log")
    given.add_argument("--proposals", metavar="FILE", help="accepted proposals (JSON)")
    given.add_argument("--add", nargs="+", metavar="FLOW_ID=KEYWORD")
    p.add_argument("--min-count", type=int, default=2, metavar="N", help="(--from-misses)")
    p.add_argument("--db", metavar="URL", help="(--from-misses) a central PostgreSQL store")
    p.add_argument("--dry-run", action="store_true", help="say what would be added, write nothing")
    add_filter_options(p)
    p.set_defaults(handler=cmd_add_keywords)


def miss_proposals(engine, where, min_count: int, flows=None):  # type: ignore[no-untyped-def]
    """The proposals report (``report search-misses --proposals``)."""
    from flowdesk.reports.search_misses import learned_proposals, proposal_report

    keywords_of = desk_keywords(flows._desk) if flows is not None else None
    return proposal_report(
        learned_proposals(engine, where, min_count=min_count, keywords_of=keywords_of)
    )


def _read_proposals(path: Path) -> list[tuple[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise Refused(f"cannot read proposals: {exc.strerror}", file=str(path)) from None
    except ValueError as exc:
        raise Refused(f"not JSON: {exc}", file=str(path)) from None
    rows = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise Refused('expected a list of proposals (or {"rows": [...]})', file=str(path))
    wanted = []
    for at, row in enumerate(rows):
        if not (
            isinstance(row, dict)
            and isinstance(row.get("flow_id"), str)
            and isinstance(row.get("keyword"), str)
        ):
            raise Refused(f"rows[{at}]: needs text flow_id and keyword", file=str(path))
        wanted.append((row["flow_id"], row["keyword"]))
    return wanted


def _given(args: argparse.Namespace) -> list[tuple[str, str]]:
    if args.proposals:
        return _read_proposals(Path(args.proposals))
    if args.add:
        pairs = []
        for text in args.add:
            flow_id, sep, keyword = text.partition("=")
            if not sep or not flow_id or not keyword.strip():
                raise Refused(f"--add: expected FLOW_ID=KEYWORD, not {text!r}")
            pairs.append((flow_id, keyword))
        return pairs
    from flowdesk.cli.usage import event_filter, usage_engine
    from flowdesk.reports.search_misses import learned_proposals

    engine = usage_engine(args, args.db)
    desk = open_desk(args)
    try:
        keywords_of = desk_keywords(desk)
        found = learned_proposals(
            engine, event_filter(args), min_count=args.min_count, keywords_of=keywords_of
        )
    finally:
        desk.close()
        engine.dispose()
    return [(p.flow_id, p.keyword) for p in found]


def cmd_add_keywords(args: argparse.Namespace) -> int:
    from flowdesk.packs.keywords import add_keywords

    result = add_keywords(Path(args.src), _given(args), dry_run=args.dry_run)
    if args.json:
        print_json(
            {
                "added": [{"file": f, "flow_id": i, "keyword": k} for f, i, k in result.added],
                "skipped": [{"flow_id": i, "keyword": k, "why": w} for i, k, w in result.skipped],
                "written": [] if args.dry_run else result.files(),
            }
        )
        return 0
    verb = "would add" if args.dry_run else "added"
    for file, flow_id, keyword in result.added:
        print(f"{verb}: {flow_id} ← {keyword}  ({file})")
    for flow_id, keyword, why in result.skipped:
        print(f"skipped: {flow_id} ← {keyword}: {why}", file=sys.stderr)
    if not result.added:
        print("nothing to add", file=sys.stderr)
    return 0
