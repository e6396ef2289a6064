"""``flowdesk sync [SOURCE]``: get newer signed packs from a source (folder or URL).

A thin face over the sync service (:mod:`flowdesk.services.updates`), which
the window's 检查更新 calls too. Keys are ``flowdesk keys`` (cli/keys.py),
sources ``flowdesk source`` (cli/sources.py), the pack commands of the sync
part (``pack sign|verify|publish|diff|rollback``) are in cli/pack_sync.py.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from flowdesk.cli.common import open_desk, print_json, print_problems
from flowdesk.cli.progress import StderrProgress
from flowdesk.problems import Refused

if TYPE_CHECKING:
    from flowdesk.desk import Desk
    from flowdesk.sync.updates import UpdatePlan


def register(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict
) -> None:
    p = sub.add_parser(
        "sync", help="get newer signed packs from a source (folder or URL)", parents=[common]
    )
    p.add_argument("source", nargs="?", metavar="SOURCE", help="a source name, folder or URL")
    p.add_argument("--pack", action="append", metavar="PACK_ID", help="only this pack id")
    p.add_argument("--check", action="store_true", help="only read the index: what is newer")
    p.add_argument(
        "--preview", action="store_true", help="download, verify and show changes; import nothing"
    )
    p.add_argument("--history", action="store_true", help="show this desk's sync history")
    p.add_argument("--timeout", type=float, default=20.0, metavar="S", help="network timeout")
    p.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    try:
        if args.history:
            return _print_history(desk, args.json)
        return _sync(desk, args)
    finally:
        desk.close()


def _sync(desk: Desk, args: argparse.Namespace) -> int:
    from flowdesk.services.updates import check_sources, prepared_updates
    from flowdesk.sync.sourcelist import SourceList
    from flowdesk.sync.sources import Limits
    from flowdesk.sync.trust import TrustStore
    from flowdesk.sync.updates import apply_update

    names = [args.source] if args.source else [s.name for s in SourceList(desk.data).all()]
    if not names:
        raise Refused("no source given or configured (`flowdesk source add`)", "sources")
    trust = TrustStore(desk.data.keys)
    pack_ids = set(args.pack) if args.pack else None
    report: list[dict] = []
    for check in check_sources(desk, names, limits=Limits(timeout=args.timeout), pack_ids=pack_ids):
        entry: dict = {"source": check.source.location, "plan": check.plan.to_json(), "applied": []}
        report.append(entry)
        if not args.json:
            _print_plan(check.plan)
        if args.check:
            continue
        progress = StderrProgress(quiet=args.json)
        for prepared in prepared_updates(desk, check, trust, progress):
            diff = prepared.diff
            if not args.json:
                print(diff.to_text() if diff else f"new pack {prepared.update.entry.pack_id}")
            if args.preview:
                entry["applied"].append({"diff": diff.to_json() if diff else None})
                prepared.path.unlink(missing_ok=True)  # shown, not applied: keep nothing
                continue
            result = apply_update(desk, prepared, progress, source=check.source.location)
            print_problems(result.warnings)
            entry["applied"].append(
                {"imported": result.info.to_json(), "diff": diff.to_json() if diff else None}
            )
            if not args.json:
                print(f"imported {result.info.pack_id} #{result.info.sequence}")
    if args.json:
        print_json(report)
    return 0


def _print_history(desk: Desk, as_json: bool) -> int:
    from flowdesk.sync.records import SyncHistory

    entries = SyncHistory(desk).entries()
    if as_json:
        print_json(entries)
        return 0
    for e in entries:
        why = f"  ({e['reason']})" if e.get("reason") else ""  # e.g. effective 2026-12-01
        print(
            f"{e.get('ts')}  {e.get('action')}  {e.get('pack_id')} "
            f"#{e.get('from_sequence')} → #{e.get('to_sequence')}{why}"
        )
    return 0


def _print_plan(plan: UpdatePlan) -> None:
    print(f"source 来源: {plan.source}")
    for u in plan.updates:
        now = f"#{u.active_sequence}" if u.active_sequence else "not installed"
        print(f"  newer 有更新: {u.entry.pack_id} #{u.entry.sequence} (this desk: {now})")
    for pack_id in plan.up_to_date:
        print(f"  up to date 已是最新: {pack_id}")
    for pack_id in plan.held_back:
        print(f"  held back 已回退: {pack_id} (rolled back; newest not re-applied)")
    if plan.ring_missing:
        import sys

        from flowdesk.services.updates import ring_missing_note

        print(f"warning: {ring_missing_note(plan.source, plan)}", file=sys.stderr)
