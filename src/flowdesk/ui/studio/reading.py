"""Reading every flow file of a large source on every core, when the Studio opens it.

Each file is read and checked on its own (:func:`flowdesk.packs.source.read_flow_file`),
so chunks of files go to spawned worker processes (no forked threads or locks) and
come back in order; small sources, and any failure of the pool, stay in process:
opening must never fail for want of a second core.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from flowdesk.packs.flowfile import FlowRead
from flowdesk.packs.packfile import PackHead
from flowdesk.packs.source import read_flow_file
from flowdesk.problems import Problem

MIN_FILES = 2_000
"""Below this many files a worker's start-up costs more than it saves."""
CHUNK = 500

Reads = dict[str, tuple[FlowRead | None, list[Problem]]]


def _read_chunk(items: list[tuple[str, bytes]], head: PackHead | None) -> Reads:
    return {name: read_flow_file(data, name, head, name) for name, data in items}


def read_flows(files: dict[str, bytes], names: list[str], head: PackHead | None) -> Reads:
    """``read_flow_file`` of each named file, by name; several processes when it pays off."""
    workers = min(os.cpu_count() or 1, 4)
    if len(names) < MIN_FILES or workers < 2:
        return _read_chunk([(n, files[n]) for n in names], head)
    chunks = [names[i : i + CHUNK] for i in range(0, len(names), CHUNK)]
    reads: Reads = {}
    try:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [
                pool.submit(_read_chunk, [(n, files[n]) for n in chunk], head) for chunk in chunks
            ]
            for future in futures:
                reads.update(future.result())
    except Exception:  # no processes allowed, a worker killed …: read the rest here
        missing = [n for n in names if n not in reads]
        reads.update(_read_chunk([(n, files[n]) for n in missing], head))
    return reads
