"""The frozen program's entry script: the same ``flowdesk`` command as the console script.

PyInstaller needs a script file; this one hands over to :func:`flowdesk.cli.run`,
so the bundle and ``pip install`` behave alike. A windowed build (FlowDesk.exe on
Windows, the macOS app) starts with no standard streams at all (``sys.stdout`` is
None); anything that prints a warning would then crash the window, so the missing
streams are given a sink first: standard error goes to the log file in the data
folder (``flowdesk.log``), so what a windowed desk would have printed is kept.
"""

import os
import sys


def _give_missing_streams_a_sink() -> None:
    """No console: standard output to the null device, standard error to flowdesk.log."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        import logging

        from flowdesk.logfile import LogStream, install
        from flowdesk.paths import DataDir, resolve_data_dir

        argv = sys.argv[1:]
        explicit = argv[argv.index("--data-dir") + 1] if "--data-dir" in argv[:-1] else None
        install(DataDir(resolve_data_dir(explicit)))
        sys.stderr = LogStream(logging.getLogger("flowdesk.stderr"))


if __name__ == "__main__":
    # The index build analyses large packs in spawned worker processes; in a frozen
    # program each worker starts this same executable, and this call lets it run the
    # worker instead of FlowDesk (a no-op in the parent).
    import multiprocessing

    multiprocessing.freeze_support()
    _give_missing_streams_a_sink()
    from flowdesk.cli import run

    run()
