"""Building a FlowIndex folder: analyse flows into a writer, carry an old index over.

A fresh build writes into an empty folder and, on failure, wipes it; an update
builds the new version beside the old one (``.next``), sharing Whoosh's segment
files by hard link, and swaps the folders only once it is complete, so a search
never opens half an index.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from flowdesk.model import Flow, FlowHead, Pack
from flowdesk.problems import Cancelled, Refused
from flowdesk.search.documents import AxisNames
from flowdesk.search.engine import SideData, is_whoosh_file, read_table
from flowdesk.search.parallel import chunks
from flowdesk.search.terms import clear_caches
from flowdesk.search.writer import IndexWriter

PROGRESS_EVERY = 100

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


def meta(pack: Pack) -> dict[str, object]:
    return {"pack_id": pack.id, "pack_sequence": pack.sequence, "synonyms": pack.synonyms}


def _rank_key(flow: Flow | FlowHead) -> tuple[int, str, str]:
    """Among flows of equal score, shorter titles first."""
    return (len(flow.title), flow.title, flow.id)


def ranks(flows: Iterable[Flow | FlowHead]) -> dict[str, int]:
    return {flow.id: rank for rank, flow in enumerate(sorted(flows, key=_rank_key))}


def wipe(directory: Path, created: bool) -> None:
    """Leave nothing usable behind after a failed or cancelled build."""
    if created:
        shutil.rmtree(directory, ignore_errors=True)
        return
    for entry in directory.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def analyse(
    builder: IndexWriter,
    flows: list[Flow],
    names: AxisNames,
    progress: Progress | None,
    cancel: Cancel | None,
) -> None:
    """Analyse ``flows`` into ``builder``, reporting progress and honouring cancel."""
    # In rank order, so that a fresh build's document numbers are the ranks.
    flows = sorted(flows, key=_rank_key)
    total = len(flows)
    analysed = chunks(flows, names, builder.next_doc)
    done = 0
    try:
        for chunk in analysed:
            for document in chunk.documents:
                if cancel is not None and cancel():
                    raise Cancelled("search index build cancelled")
                builder.add(document)
                done += 1
                if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                    progress(done, total)
            builder.add_postings(chunk)
        if cancel is not None and cancel():
            raise Cancelled("search index build cancelled")
    finally:
        analysed.close()
        clear_caches()


def _share_whoosh_files(directory: Path, staging: Path) -> None:
    """Whoosh's files of ``directory`` in a new folder ``staging``: hard links where possible.

    Whoosh never rewrites a segment file (a commit writes new files and a new
    table of contents, and drops files it no longer lists), so both folders
    may share them; our own files are written anew, never through a link.
    Copies where the file system has no hard links.
    """
    staging.mkdir()
    for entry in directory.iterdir():
        if entry.is_file() and is_whoosh_file(entry.name):
            try:
                os.link(entry, staging / entry.name)
            except OSError:
                shutil.copy2(entry, staging / entry.name)


def _carried_over(
    directory: Path, staging: Path, previous: SideData, unchanged: set[str]
) -> IndexWriter | None:
    """A writer in ``staging`` holding the index's ``unchanged`` flows; None if it cannot.

    None (and no ``staging``) when Whoosh's files do not open or do not agree
    with ours: the caller then builds afresh. Segments kept as they are are not
    read (that would cost more than the update): a damaged one is found when
    the index is opened, which asks for a rebuild.
    """
    builder: IndexWriter | None = None
    try:
        _share_whoosh_files(directory, staging)
        builder = IndexWriter(staging, fresh=False)
        indexed = {flow_id for flow_id in previous.flow_ids if flow_id is not None}
        builder.carry_over(previous, indexed - unchanged)
    except Exception:  # Whoosh fails in many ways on a damaged file; all mean rebuild
        if builder is not None:
            builder.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        return None
    return builder


def update_beside(
    directory: Path,
    expected: tuple[str, int],
    new: Pack,
    changed: list[Flow],
    unchanged: set[str],
    ranks: dict[str, int],
    rebuild: Callable[[Path], None],
    progress: Progress | None,
    cancel: Cancel | None,
) -> None:
    """Carry ``unchanged`` flows over, analyse ``changed`` ones; swap the result in whole.

    ``new`` gives the version's id, sequence and axes; ``rebuild(staging)`` is
    called instead when the old index cannot be carried over.
    """
    try:
        table = read_table(directory)
        previous: SideData | None = SideData(directory, table)
    except Exception:  # any failure to read a cache means: build it anew
        table, previous = {}, None
    held = (table.get("pack_id"), table.get("pack_sequence"))
    if previous is not None and held != expected:
        raise Refused(
            f"search index holds pack {held[0]} #{held[1]}, not {expected[0]} #{expected[1]}; "
            "rebuild it",
            file=str(directory),
        )
    staging = directory.with_name(directory.name + ".next")
    shutil.rmtree(staging, ignore_errors=True)
    builder: IndexWriter | None = None
    try:
        if previous is not None:
            builder = _carried_over(directory, staging, previous, unchanged)
        if builder is None:
            rebuild(staging)
        else:
            analyse(builder, changed, AxisNames(new), progress, cancel)
            builder.save(meta(new), ranks)
    except BaseException:
        if builder is not None:
            builder.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = directory.with_name(directory.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if directory.exists():
        directory.rename(retired)
    staging.rename(directory)
    shutil.rmtree(retired, ignore_errors=True)
