"""Analysing a large pack's flows on every core, for the index build.

Analysis (n-grams, pinyin, sound keys, step terms) is pure Python and most of
a 10,000-flow build; flows are independent, so worker processes analyse
chunks while the parent adds the finished documents to Whoosh in rank order.
Workers are *spawned* (a fresh interpreter, no forked threads or locks: the
window imports from a worker thread), which costs each one the import of this
package and pypinyin, so small packs stay in process. Any failure of the pool
falls back to analysing in process: a build must never fail for want of a
second core.

Workers end with their parent, however it dies (``flowdesk.orphans``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from flowdesk.model import Flow
from flowdesk.orphans import exit_with_parent
from flowdesk.search.documents import AxisNames, FlowDocument, flow_document
from flowdesk.search.terms import clear_caches

#: Below this many flows the workers' start-up costs more than they save.
MIN_FLOWS = 2_000
CHUNK = 250


def _analyse_chunk(flows: list[Flow], names: AxisNames) -> list[FlowDocument]:
    try:
        return [flow_document(flow, names) for flow in flows]
    finally:
        clear_caches()


def documents(flows: list[Flow], names: AxisNames) -> Iterator[FlowDocument]:
    """``flow_document`` of every flow, in order; several processes when it pays off."""
    workers = min(os.cpu_count() or 1, 4)
    if len(flows) < MIN_FLOWS or workers < 2:
        yield from (flow_document(flow, names) for flow in flows)
        return
    chunks = [flows[i : i + CHUNK] for i in range(0, len(flows), CHUNK)]
    done = 0  # flows already yielded, so a fallback resumes where the pool stopped
    pool: ProcessPoolExecutor | None = None
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=exit_with_parent,
        )
        # Keep a bounded window of chunks in flight: memory stays flat, order is kept.
        pending: list[Future[list[FlowDocument]]] = []
        next_chunk = 0
        while next_chunk < len(chunks) or pending:
            while next_chunk < len(chunks) and len(pending) < workers * 2:
                pending.append(pool.submit(_analyse_chunk, chunks[next_chunk], names))
                next_chunk += 1
            for document in pending.pop(0).result():
                yield document
                done += 1
    except GeneratorExit:  # the consumer stopped (cancel): drop the rest
        raise
    except Exception:  # a broken pool (no processes allowed, a worker killed …): carry on here
        yield from (flow_document(flow, names) for flow in flows[done:])
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
