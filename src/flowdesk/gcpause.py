"""Pausing Python's cyclic garbage collector around bulk work.

Importing a 10,000-flow pack builds ~250,000 objects, and reading or importing
usage logs millions of rows; none of them is cyclic garbage, yet every
collection traverses all of them (and everything the process already holds,
such as a running window's cached packs) again and again. Measured on a
10,000-flow sync: 4.6 s of 26 s was the collector. Reference counting still
frees everything while it is paused; the collector resumes afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block (nested use is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settled_after(work: Callable[[], T]) -> T:
    """Run the last of start-up's (or a pack change's) bulk work, then exempt what the
    process holds from collection; the window's work thread runs this.

    The window keeps several hundred thousand long-lived objects (the index's caches,
    the heads, the module code), and every full collection traverses them all: two of
    53–70 ms were measured during the agent's first keystrokes on the 10,000-flow pack,
    triggered by the vocabulary read, holding the GIL the UI thread needed. The work runs
    with the collector paused, and what it leaves is frozen before the collector
    resumes, so no later collection walks it. Freezing costs nothing; :func:`thaw`
    undoes it when the window lets go of a pack.
    """
    with gc_paused():
        done = work()
        gc.freeze()
    return done


def thaw() -> None:
    """What was frozen may become garbage now (a pack replaced): let the collector see it."""
    gc.unfreeze()
