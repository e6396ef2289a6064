"""Analysing a large pack's flows on every core, for the index build.

Analysis (n-grams, pinyin, sound keys, step terms) is pure Python and most of
a 10,000-flow build; flows are independent, so worker processes analyse
chunks, and invert each chunk's postings (documents.analysed_chunk), while the
parent adds the finished chunks to Whoosh in rank order: the per-posting work
is done on every core, the parent's is per term.
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
from flowdesk.search.documents import AnalysedChunk, AxisNames, analysed_chunk, flow_document
from flowdesk.search.terms import clear_caches

#: Below this many flows the workers' start-up costs more than they save.
MIN_FLOWS = 2_000
CHUNK = 250


def _analyse_chunk(flows: list[Flow], names: AxisNames, first_doc: int) -> AnalysedChunk:
    try:
        return analysed_chunk([flow_document(flow, names) for flow in flows], first_doc)
    finally:
        clear_caches()


def _in_process(flows: list[Flow], names: AxisNames, first_doc: int) -> Iterator[AnalysedChunk]:
    for start in range(0, len(flows), CHUNK):
        part = flows[start : start + CHUNK]
        yield analysed_chunk([flow_document(flow, names) for flow in part], first_doc + start)


def chunks(flows: list[Flow], names: AxisNames, first_doc: int) -> Iterator[AnalysedChunk]:
    """Every flow analysed, numbered from ``first_doc``, in order, in chunks; several
    processes when it pays off."""
    workers = min(os.cpu_count() or 1, 4)
    if len(flows) < MIN_FLOWS or workers < 2:
        yield from _in_process(flows, names, first_doc)
        return
    starts = range(0, len(flows), CHUNK)
    done = 0  # flows already yielded, so a fallback resumes where the pool stopped
    pool: ProcessPoolExecutor | None = None
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=exit_with_parent,
        )
        # Keep a bounded window of chunks in flight: memory stays flat, order is kept.
        pending: list[Future[AnalysedChunk]] = []
        following = iter(starts)
        while True:
            for start in following:
                part = flows[start : start + CHUNK]
                pending.append(pool.submit(_analyse_chunk, part, names, first_doc + start))
                if len(pending) >= workers * 2:
                    break
            if not pending:
                break
            chunk = pending.pop(0).result()
            yield chunk
            done += len(chunk.documents)
    except GeneratorExit:  # the consumer stopped (cancel): drop the rest
        raise
    except Exception:  # a broken pool (no processes allowed, a worker killed …): carry on here
        yield from _in_process(flows[done:], names, first_doc + done)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
