"""``flowdesk`` (no command) and ``flowdesk open``: the agent's window.

Qt is imported only when a window is actually needed, so the rest of the
command line stays fast and runs where there is no display.
"""

from __future__ import annotations

import argparse

from flowdesk.cli.common import fail
from flowdesk.model import TouchPoint
from flowdesk.paths import resolve_data_dir


def register(sub, common: argparse.ArgumentParser, groups: dict) -> None:
    """``flowdesk open --touchpoint CODE [--call-id X]`` (a telephony client's screen pop)."""
    parser = sub.add_parser(
        "open",
        parents=[common],
        help="open a touch point's flow in the window (screen pop); starts the window if needed",
        description=(
            "Reach the running FlowDesk window on this data folder (or start it), "
            "start the call and open the flow that serves the touch point."
        ),
    )
    parser.add_argument("--touchpoint", required=True, metavar="CODE", help="e.g. C1-G-B0102")
    parser.add_argument("--call-id", metavar="ID", help="the telephony system's call id")
    parser.set_defaults(handler=open_touchpoint)


def open_touchpoint(args: argparse.Namespace) -> int:
    try:
        code = TouchPoint.parse(args.touchpoint.upper()).code
    except ValueError as exc:
        return fail(f"--touchpoint: {exc}")
    message = {"cmd": "open", "touchpoint": code}
    if args.call_id:
        message["call_id"] = args.call_id
    return start_app(args, message)


def start_app(args: argparse.Namespace, message: dict | None = None) -> int:
    """Focus the running window for this data folder, or start one."""
    from flowdesk.ui.app import run_app

    return run_app(resolve_data_dir(getattr(args, "data_dir", None)), message)
