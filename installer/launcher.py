"""The frozen program's entry script: the same ``flowdesk`` command as the console script.

PyInstaller needs a script file; this one hands over to :func:`flowdesk.cli.run`,
so the bundle and ``pip install`` behave alike. A windowed build (FlowDesk.exe on
Windows, the macOS app) starts with no standard streams at all (``sys.stdout`` is
None); anything that prints a warning would then crash the window, so the missing
streams are pointed at the null device first.
"""

import os
import sys


def _give_missing_streams_a_sink() -> None:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    # The index build analyses large packs in spawned worker processes; in a frozen
    # program each worker starts this same executable, and this call lets it run the
    # worker instead of FlowDesk (a no-op in the parent).
    import multiprocessing

    multiprocessing.freeze_support()
    _give_missing_streams_a_sink()
    from flowdesk.cli import run

    run()
