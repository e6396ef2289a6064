"""``flowdesk search``: one query, or a file of queries timed in process."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from flowdesk.cli.common import open_desk_with_pack, print_json
from flowdesk.model import FLOW_CLASSES
from flowdesk.problems import Refused


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return number


def register(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict
) -> None:
    p = sub.add_parser("search", help="find flows (Chinese, pinyin, codes)", parents=[common])
    p.add_argument("query", nargs="?", metavar="QUERY")
    p.add_argument("--queries", metavar="FILE", help="one query a line; prints one JSON line each")
    p.add_argument("--channel", metavar="C")
    p.add_argument("--brand", metavar="B")
    p.add_argument("--class", dest="flow_class", choices=FLOW_CLASSES, metavar="X")
    p.add_argument("--limit", type=_positive, default=20, metavar="N")
    p.set_defaults(handler=cmd_search, parser=p)


def hit_json(hit) -> dict:
    return {
        "flow_id": hit.flow_id,
        "title": hit.title,
        "score": round(float(hit.score), 4),
        "pack_id": hit.pack_id,
        "class": hit.flow_class,
        "business": hit.business,
        "touchpoints": list(hit.touchpoints),
        "matched": list(hit.matched),
        "snippet": hit.snippet,
        "partial": hit.partial,
        "synonyms": [{"typed": typed, "matched": matched} for typed, matched in hit.synonyms],
        "missing": list(hit.missing),
    }


def cmd_search(args: argparse.Namespace) -> int:
    if args.queries is None and not args.query:
        args.parser.error("give a QUERY or --queries FILE")
    if args.queries is not None and args.query:
        args.parser.error("give a QUERY or --queries FILE, not both")
    queries = _read_queries(Path(args.queries)) if args.queries else None
    filters = {"channel": args.channel, "brand": args.brand, "flow_class": args.flow_class}
    desk, no_pack = open_desk_with_pack(args)
    try:
        if no_pack:
            return 1
        if queries is not None:
            for query in queries:
                start = time.perf_counter()
                hits = desk.search(query, limit=args.limit, **filters)
                elapsed = (time.perf_counter() - start) * 1000
                print_json(
                    {
                        "query": query,
                        "results": [hit_json(h) for h in hits],
                        "elapsed_ms": round(elapsed, 3),
                    }
                )
            return 0
        hits = desk.search(args.query, limit=args.limit, **filters)
    finally:
        desk.close()
    if args.json:
        print_json([hit_json(h) for h in hits])
    elif not hits:
        print(f"没有找到 no flow found for '{args.query}'", file=sys.stderr)
    else:
        for hit in hits:
            codes = ",".join(hit.touchpoints[:3]) + ("…" if len(hit.touchpoints) > 3 else "")
            said = " ".join(f"{typed}≈{matched}" for typed, matched in hit.synonyms)
            mark = "部分 partial  " if hit.partial else ""
            print(
                f"{hit.score:7.2f}  {hit.flow_id:<24} {mark}{hit.title}  {codes}  {said}".rstrip()
            )
    return 0


def _read_queries(path: Path) -> list[str]:
    """Non-empty lines of a UTF-8 file (a BOM is tolerated); refused with the line at fault."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Refused(f"cannot read queries: {exc.strerror}", file=str(path)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    queries = []
    for number, line in enumerate(raw.split(b"\n"), 1):
        try:
            text = line.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise Refused(f"line {number}: not valid UTF-8", file=str(path)) from None
        if text:
            queries.append(text)
    return queries
