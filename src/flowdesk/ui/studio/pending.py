"""Flow files whose checks are still to come, and the job that checks them off the UI thread.

Two things leave a file's checks pending: opening a large source, where each
file is only outlined (:mod:`flowdesk.ui.studio.outline`) so the map shows at
once, and an edit of pack.yaml that changes what many flows are checked
against. Either way the file is *stale*: it stands in the map as it was read,
its problems are not known yet, and exporting and publishing wait.

:meth:`PendingChecks.check_job` reads the stale files in worker processes and
queues each batch as it is done; :meth:`PendingChecks.take_checked`, on the UI
thread, applies what has arrived, so the problems list fills while the author
works. A file edited meanwhile is read whole at once and its batch entry is
dropped; a newer job (pack.yaml edited again) stops an older one and voids
its batches.

No Qt here: the window runs the job on its task runner.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

from flowdesk.model import Flow, Pack
from flowdesk.packs.flowfile import FlowRead
from flowdesk.packs.packfile import PackHead
from flowdesk.problems import Problem
from flowdesk.ui.studio.readcache import ReadCache
from flowdesk.ui.studio.reading import (
    Checked,
    Progress,
    Reads,
    SourceReads,
    affected_by_head,
    check_batches,
    names_axes,
    stub,
)

Job = Callable[[Progress], int]


class PendingChecks:
    """The checking half of :class:`~flowdesk.ui.studio.document.StudioDocument`."""

    files: dict[str, bytes]
    head: PackHead | None
    pack: Pack | None
    _reads: Reads
    _whole: set[str]
    _axes: set[str]

    def _start_pending(self, reading: SourceReads, cache: ReadCache | None) -> None:
        #: flow files whose problems are not known yet (outlined, or read against an older
        #: pack.yaml), waiting for :meth:`check_job`
        self.stale: set[str] = set(reading.pending)
        self._generation = 0
        self._inbox: queue.SimpleQueue[tuple[int, list[Checked]]] = queue.SimpleQueue()
        # the opening's own job keeps what it reads for the next opening
        self._cache = cache if reading.pending else None
        self._digests = reading.digests
        self._job_names: set[str] = set()  # the files the running job checks

    @property
    def needs_check_job(self) -> bool:
        """Some stale files are not being checked by a job whose reads still hold."""
        return bool(self.stale - self._job_names)

    def _head_changed(self, old: PackHead | None) -> None:
        """pack.yaml changed from ``old``: the flows it can change are stale again.

        A running job whose files include one of them reads against the old
        pack.yaml: it is stopped and its batches void. A stale file's axes are
        not known (it may be only outlined), so it counts as naming them.
        """
        affected = set(affected_by_head(old, self.head, self._reads, self._axes | self.stale))
        if affected & self._job_names:
            self.stop_checks()
        self.stale |= affected

    def check_job(self) -> Job:
        """A job ``job(progress)`` checking the stale files; its batches wait in a queue.

        Call :meth:`take_checked` on the UI thread (at each progress report) to
        apply them. It returns its generation; a newer job or :meth:`stop_checks`
        stops it (:class:`~flowdesk.problems.Cancelled`).
        """
        self._generation += 1
        generation, head, inbox = self._generation, self.head, self._inbox
        names = sorted(self.stale)
        self._job_names = set(names)
        files = {n: self.files[n] for n in names}
        cache, digests = self._cache, self._digests
        self._cache = None

        def void() -> bool:
            return generation != self._generation

        def job(progress: Progress) -> int:
            done = 0
            progress(done, len(names))
            for batch in check_batches(files, names, head, void):
                inbox.put((generation, batch))
                if cache is not None:
                    for name, _whole, entry in batch:
                        cache.put(digests[name], entry)
                done += len(batch)
                progress(done, len(names))
            if cache is not None:
                cache.save()
            return generation

        return job

    def stop_checks(self) -> None:
        """Stop the running job (the window closes); the stale files stay stale."""
        self._generation += 1
        self._job_names = set()

    def check_now(self) -> None:
        """Check every stale file here and now (scripts and tests without a window)."""
        while self.stale:
            self.check_job()(lambda _done, _total: None)
            self.take_checked()

    def take_checked(self) -> bool:
        """Apply the batches checked so far; True when the problems may have changed."""
        took, moved = False, False
        replaced: dict[str, Flow] = {}
        while True:
            try:
                generation, batch = self._inbox.get_nowait()
            except queue.Empty:
                break
            if generation != self._generation:
                continue  # read against a pack.yaml since edited
            for name, whole, (summary, found) in batch:
                if name not in self.stale or name not in self.files:
                    continue  # edited or removed meanwhile: read whole then
                took = True
                before = self._reads[name][0]
                if whole is not None:
                    self._reads[name] = whole
                    self._whole.add(name)
                else:
                    read = stub(name, name, summary) if summary is not None else None
                    self._reads[name] = (read, [Problem(*p) for p in found])
                    self._whole.discard(name)
                self.stale.discard(name)
                self._axes.discard(name)
                if summary is not None and summary[-1]:
                    self._axes.add(name)
                after = self._reads[name][0]
                if before is None or after is None or claim_key(before) != claim_key(after):
                    moved = True
                elif after.flow != before.flow:
                    replaced[name] = after.flow
        if moved:
            self.revalidate()
        elif took:
            self._replace_flows(replaced)
            self._gather()
        return took

    def _apply(self, reads: Reads, *, whole: bool) -> None:
        """Reads made in this process against the current pack.yaml replace stale ones."""
        names = [n for n in reads if n in self.stale and n in self.files]
        for name in names:
            self._reads[name] = reads[name]
            if whole:
                self._whole.add(name)
            else:
                self._whole.discard(name)
            self._axes.discard(name)
        self._axes |= names_axes(self._reads, names)
        self.stale.difference_update(names)

    # provided by StudioDocument
    def revalidate(self, edited: str | None = None, claims_before: Any = None) -> list[Problem]:
        raise NotImplementedError

    def _replace_flows(self, flows: dict[str, Flow]) -> None:
        raise NotImplementedError

    def _gather(self) -> list[Problem]:
        raise NotImplementedError


def claim_key(read: FlowRead) -> tuple[Any, ...]:
    """What the checks across flows look at in one flow: its id, claims and must-read note."""
    return (
        read.flow.id,
        read.id_line,
        read.flow.touchpoints,
        tuple(read.touchpoint_places.items()),
        read.must_read,
    )
