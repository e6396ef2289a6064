"""Progress of long commands on standard error, so standard output stays clean for --json."""

from __future__ import annotations

import sys
import time


class StderrProgress:
    """Prints ``stage done/total`` lines, at most a few a second, and each new stage."""

    def __init__(self, quiet: bool = False) -> None:
        self._quiet = quiet
        self._stage = ""
        self._last = 0.0
        self._tty = sys.stderr.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._quiet:
            return
        now = time.monotonic()
        if stage == self._stage and now - self._last < 0.25 and done < total:
            return
        new_stage = stage != self._stage
        self._stage, self._last = stage, now
        pct = f"{100 * done // total:3d}%" if total else "   "
        line = f"{stage} {pct} ({done}/{total})"
        if self._tty:
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\r{line}\033[K{end}")
        elif new_stage or done >= total:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
