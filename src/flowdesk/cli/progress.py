"""Progress of long commands on standard error, so standard output stays clean for --json."""

from __future__ import annotations

import sys
import time


class StderrProgress:
    """A live ``stage done/total`` line on a terminal, a few updates a second.

    Silent when standard error is not a terminal, so scripts and logs get only
    the result and the problems.
    """

    def __init__(self, quiet: bool = False) -> None:
        self._quiet = quiet or not sys.stderr.isatty()
        self._stage = ""
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._quiet:
            return
        now = time.monotonic()
        if stage == self._stage and now - self._last < 0.25 and done < total:
            return
        self._stage, self._last = stage, now
        pct = f"{100 * done // total:3d}%" if total else "   "
        line = f"{stage} {pct} ({done}/{total})"
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{line}\033[K{end}")
        sys.stderr.flush()
