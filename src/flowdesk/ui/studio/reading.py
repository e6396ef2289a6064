"""Reading the flow files of a source when the Studio opens it, and again after pack.yaml changes.

Opening must show the map and the whole problems list of a 10,000-flow source
within seconds. Every file is read and checked once with the pack validator's
:func:`~flowdesk.packs.source.read_flow_file`; on a large source that happens in
spawned worker processes (no forked threads or locks), and what comes back is
each file's problems and a *summary*: id, title, class, business and claims,
plain tuples that cost nothing to send between processes and are all the map
and the checks across flows need. The flow stands in the pack as a stub (no
steps) until the author opens it; then its kept bytes are read whole again,
a few milliseconds. Small sources, and any failure of the pool, are read whole
in process: opening must never fail for want of a second core.

No Qt here: the workers import this module and nothing of the window.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from flowdesk.model import Flow, TouchPoint
from flowdesk.packs.flowfile import FlowRead
from flowdesk.packs.packfile import PackHead
from flowdesk.packs.source import read_flow_file
from flowdesk.problems import Cancelled, Problem
from flowdesk.ui.studio.outline import outline_read
from flowdesk.ui.studio.readcache import Entry, ReadCache

MIN_FILES = 1_500
"""Below this many files a worker's start-up costs more than it saves."""
CHUNK = 250
"""Files a worker reads per task: its results arrive every fraction of a second."""
IN_PROCESS_BATCH = 200

FileRead = tuple[FlowRead | None, list[Problem]]
Reads = dict[str, FileRead]
Progress = Callable[[int, int], None]
#: id, id line, title, class, business, summary, claims (channel, brand, business, key,
#: line), must-read note, whether a decision's ``when`` names a built-in axis variable
Summary = tuple[Any, ...]
_BUILTIN_AXES = {"brand", "channel", "touchpoint"}


def summarize(read: FlowRead | None) -> Summary | None:
    """What the map and the checks across flows need of one read, as plain values."""
    if read is None:
        return None
    flow = read.flow
    claims = tuple(
        (tp.channel, tp.brand, tp.business, key, line)
        for tp, (key, line) in read.touchpoint_places.items()
    )
    axes = any(
        name in _BUILTIN_AXES
        for step in flow.steps
        for option in step.options
        for name in (option.when or {})
    )
    return (
        flow.id,
        read.id_line,
        flow.title,
        flow.flow_class,
        flow.business,
        flow.summary,
        claims,
        read.must_read,
        axes,
    )


def stub(name: str, file: str, summary: Summary) -> FlowRead:
    """A read standing in for a flow not yet read whole: everything but its steps."""
    flow_id, id_line, title, flow_class, business, text, claims, must_read, _axes = summary
    places = {TouchPoint(c, b, u): (key, line) for c, b, u, key, line in claims}
    flow = Flow(
        id=flow_id,
        title=title,
        flow_class=flow_class,
        steps=(),
        business=business,
        touchpoints=tuple(places),
        summary=text,
        file=name,
    )
    return FlowRead(flow, file, id_line, places, must_read)


def _scan_chunk(
    items: list[tuple[str, bytes]], head: PackHead | None
) -> list[tuple[str, Summary | None, list[tuple[Any, ...]]]]:
    """In a worker: each file's summary and problems, as tuples."""
    out = []
    for name, data in items:
        summary, found = _entry(*read_flow_file(data, name, head, name))
        out.append((name, summary, found))
    return out


def read_whole(files: dict[str, bytes], names: Iterable[str], head: PackHead | None) -> Reads:
    """``read_flow_file`` of each named file, in this process."""
    return {n: read_flow_file(files[n], n, head, n) for n in names}


def names_axes(reads: Reads, names: Iterable[str]) -> set[str]:
    """Of files read whole, those whose decisions' ``when`` name a built-in axis variable."""
    out = set()
    for name in names:
        summary = summarize(reads[name][0])
        if summary is not None and summary[-1]:
            out.add(name)
    return out


def read_flows(
    files: dict[str, bytes],
    names: list[str],
    head: PackHead | None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    cache: ReadCache | None = None,
    *,
    outline: bool = False,
) -> SourceReads:
    """Every named file read and checked (or its kept read taken from ``cache``).

    Returns the reads, the names read whole (the others are stubs) and the
    names whose decisions name a built-in axis variable (:func:`affected_by_head`).
    ``outline``: where many files are to be read, only their outlines are
    (:mod:`flowdesk.ui.studio.outline`); those names are ``pending`` and
    :func:`check_batches` checks them later (the cache is then not saved).
    """
    reading = SourceReads()
    todo = names
    if cache is not None:
        cache.start(head)
        todo = []
        for name in names:
            digest = reading.digests[name] = cache.digest(name, files[name])
            entry = cache.get(digest)
            if entry is None:
                todo.append(name)
            else:
                reading.take(name, entry)
    done = len(names) - len(todo)
    if outline and len(todo) >= MIN_FILES:
        for index, name in enumerate(todo):
            if index % 500 == 0:
                _tick(done + index, len(names), progress, cancelled)
            read = outline_read(files[name], name, head)
            if read is None:  # not plainly laid out: read whole now
                reading.take(name, None, read_flow_file(files[name], name, head, name))
            else:
                reading.reads[name] = (read, [])
                reading.pending.add(name)
    else:
        _tick(done, len(names), progress, cancelled)
        for batch in check_batches(files, todo, head, cancelled):
            for name, whole, entry in batch:
                reading.take(name, entry, whole)
            done += len(batch)
            _tick(done, len(names), progress, None)
    if cache is not None:
        for name in todo:
            if name in reading.entries:
                cache.put(reading.digests[name], reading.entries[name])
        if not reading.pending:
            cache.save()
    if progress is not None:
        progress(len(names), len(names))
    return reading


def _tick(
    done: int, total: int, progress: Progress | None, cancelled: Callable[[], bool] | None
) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled
    if progress is not None:
        progress(done, total)


def _entry(read: FlowRead | None, problems: list[Problem]) -> Entry:
    """A read as the cache and the workers carry it: plain tuples."""
    return summarize(read), [(p.severity, p.file, p.key, p.message, p.line) for p in problems]


#: one file checked: its name, its whole read (None: a worker's summary), its entry
Checked = tuple[str, FileRead | None, Entry]


def check_batches(
    files: dict[str, bytes],
    names: list[str],
    head: PackHead | None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[list[Checked]]:
    """The named files read and checked, a batch at a time, as they are done.

    Many files go to worker processes, which send back each file's entry; few,
    and any failure of the pool, are read whole in this process. ``cancelled()``
    is asked between batches.
    """
    workers = min(os.cpu_count() or 1, 4)
    if len(names) < MIN_FILES or workers < 2:
        yield from _in_process(files, names, head, cancelled)
        return
    done: set[str] = set()
    try:
        yield from _pooled(files, names, head, workers, cancelled, done)
    except Cancelled:
        raise
    except Exception:  # no processes allowed, a worker killed …: read the rest here
        yield from _in_process(files, [n for n in names if n not in done], head, cancelled)


def _in_process(
    files: dict[str, bytes],
    names: list[str],
    head: PackHead | None,
    cancelled: Callable[[], bool] | None,
) -> Iterator[list[Checked]]:
    for start in range(0, len(names), IN_PROCESS_BATCH):
        if cancelled is not None and cancelled():
            raise Cancelled
        batch = []
        for name in names[start : start + IN_PROCESS_BATCH]:
            read = read_flow_file(files[name], name, head, name)
            batch.append((name, read, _entry(*read)))
        yield batch


def _pooled(
    files: dict[str, bytes],
    names: list[str],
    head: PackHead | None,
    workers: int,
    cancelled: Callable[[], bool] | None,
    done: set[str],
) -> Iterator[list[Checked]]:
    """Each chunk's entries from spawned worker processes; ``done`` collects the names."""
    chunks = [names[i : i + CHUNK] for i in range(0, len(names), CHUNK)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending = {
            pool.submit(_scan_chunk, [(n, files[n]) for n in chunk], head) for chunk in chunks
        }
        try:
            while pending:
                finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                if cancelled is not None and cancelled():
                    raise Cancelled
                for future in finished:
                    batch = [(n, None, (summary, found)) for n, summary, found in future.result()]
                    done.update(n for n, _read, _entry in batch)
                    yield batch
        except BaseException:  # cancelled, or the batches no longer wanted: stop the workers
            pool.shutdown(wait=False, cancel_futures=True)
            raise


@dataclass
class SourceReads:
    """The reads of a source's flow files, as :func:`read_flows` gives them."""

    reads: Reads = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)  # names read whole; the others are stubs
    axes: set[str] = field(default_factory=set)  # names whose `when` name brand, channel …
    entries: dict[str, Entry] = field(default_factory=dict)  # what the cache keeps
    pending: set[str] = field(default_factory=set)  # outlined only: their checks are to come
    digests: dict[str, bytes] = field(default_factory=dict)  # the cache's keys of the files

    def take(self, name: str, entry: Entry | None, whole: FileRead | None = None) -> None:
        """One file's entry (made from ``whole`` when None); a stub unless read ``whole``."""
        if entry is None:
            assert whole is not None
            entry = _entry(*whole)
        summary, found = entry
        self.entries[name] = entry
        if whole is not None:
            self.whole.add(name)
            self.reads[name] = whole
        else:
            read = stub(name, name, summary) if summary is not None else None
            self.reads[name] = (read, [Problem(*p) for p in found])
        if summary is not None and summary[-1]:
            self.axes.add(name)


def affected_by_head(
    old: PackHead | None, new: PackHead | None, reads: Reads, axes: set[str]
) -> list[str]:
    """The flow files whose read can change when pack.yaml's axes go from ``old`` to ``new``.

    A flow file is checked against the channel and brand codes, its own
    business (offered channels and brands) and, in a decision's ``when`` on
    ``touchpoint``, whether a business exists. So a new title, a renamed group
    or a business offered on one more channel re-reads only that business's
    flows, not the whole source.
    """
    names = sorted(reads)
    if old is None or new is None:
        return names if (old is None) != (new is None) else []
    if old.channel_codes != new.channel_codes or old.brand_codes != new.brand_codes:
        return names
    before = {b.code: (tuple(b.channels), tuple(b.brands)) for b in old.businesses}
    after = {b.code: (tuple(b.channels), tuple(b.brands)) for b in new.businesses}
    changed = {c for c in before.keys() | after.keys() if before.get(c) != after.get(c)}
    codes_changed = before.keys() != after.keys()
    if not changed:
        return []
    out = []
    for name in names:
        read = reads[name][0]
        if read is None or read.flow.business in changed or (codes_changed and name in axes):
            out.append(name)
    return out
