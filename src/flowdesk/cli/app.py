"""``flowdesk`` (no command) and ``flowdesk open``: the agent's window.

Qt is imported only when a window is actually needed, so the rest of the
command line stays fast and runs where there is no display.
"""

from __future__ import annotations

import argparse

from flowdesk.cli.common import data_root, fail
from flowdesk.screenpop import SCHEME, make_pop, pop_from_url
from flowdesk.variables import BadValues, parse_assignments


def register(sub, common: argparse.ArgumentParser, groups: dict) -> None:
    """``flowdesk open --touchpoint CODE [--call-id X] [--var N=V …]`` or ``--url URL``."""
    parser = sub.add_parser(
        "open",
        parents=[common],
        help="open a touch point's flow in the window (screen pop); starts the window if needed",
        description=(
            "Reach the running FlowDesk window on this data folder (or start it), "
            "start the call and open the flow that serves the touch point."
        ),
    )
    parser.add_argument("--touchpoint", metavar="CODE", help="e.g. C1-G-B0102")
    parser.add_argument("--call-id", metavar="ID", help="the telephony system's call id")
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value the flow shows or branches on (repeatable), e.g. --var name=张先生",
    )
    parser.add_argument(
        "--url",
        metavar="URL",
        help=f"the pop as a URL: {SCHEME}://open?touchpoint=C1-G-B0102&call_id=…&name=…",
    )
    parser.set_defaults(handler=open_touchpoint)


def open_touchpoint(args: argparse.Namespace) -> int:
    """Check the whole pop here, so a malformed one is refused before the window sees it."""
    if bool(args.url) == bool(args.touchpoint):
        return fail("open needs --touchpoint CODE or --url URL (one of them)")
    try:
        if args.url:
            if args.call_id or args.var:
                return fail("--url carries the whole pop: give no --call-id or --var with it")
            pop = pop_from_url(args.url)
        else:
            pop = make_pop(args.touchpoint, args.call_id, parse_assignments(args.var))
    except BadValues as exc:
        return fail(f"screen pop refused: {exc}")
    return start_app(args, pop.message())


def url_argv(argv: list[str]) -> list[str]:
    """``flowdesk 'flowdesk://open?…'`` (how a desktop opens a URL) as ``open --url``."""
    for i, arg in enumerate(argv):
        if arg.lower().startswith(SCHEME + ":") and (i == 0 or argv[i - 1] != "--url"):
            return [*argv[:i], "open", "--url", arg, *argv[i + 1 :]]
    return argv


def start_app(args: argparse.Namespace, message: dict | None = None) -> int:
    """Focus the running window for this data folder, or start one."""
    from flowdesk.ui.app import run_app

    return run_app(data_root(args), message)
