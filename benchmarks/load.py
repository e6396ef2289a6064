"""The machine's load beside every figure, and the "desk under load" mode.

A desk is never idle: a CRM, a softphone, a browser and antivirus share its
cores with FlowDesk. ``python -m benchmarks --under-load`` measures as it would
be there: a CPU-bound neighbour process spins on one core (pinned where the
system allows) for the whole run, so a bar met only on a quiet machine shows as
missed. Every row is printed with the load average and the CPU seconds the
benchmark used (its own process and the children it waited for), because on a
shared machine wall time moves with the neighbours and CPU time hardly does.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_SPIN = "while True:\n    pass\n"


def load_average() -> float | None:
    """The 1-minute load average; None where the system does not tell."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def cpu_seconds() -> float:
    """CPU (user + system) of this process and of the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def neighbour() -> Iterator[int]:
    """A CPU-bound process on the last core for the duration of the block; yields its pid."""
    process = subprocess.Popen([sys.executable, "-c", _SPIN])
    try:
        if hasattr(os, "sched_setaffinity"):
            cores = sorted(os.sched_getaffinity(0))
            os.sched_setaffinity(process.pid, {cores[-1]})
        yield process.pid
    finally:
        process.kill()
        process.wait()
