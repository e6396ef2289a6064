"""FlowIndex: one pack's search index on disk, built once, searched per keystroke.

The index is a cache of the pack (SQLite is the source of truth), stored by
Whoosh (engine.py). It is built into an empty folder and is complete only once
its table file is written, last; a cancelled or failed build leaves nothing
usable behind. Once opened it lives in memory and never changes; searches from
several threads take turns on its one reader. Because it never changes, its
answers are kept for the last few hundred queries: an agent types the same
words many times a shift, and a repeated query then costs a dictionary look-up
instead of a search on a desk CPU that the CRM has just taken the cache of.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from flowdesk.model import Pack, Revision
from flowdesk.problems import Refused
from flowdesk.search import scoring
from flowdesk.search.building import Cancel, Progress, analyse, meta, ranks, update_beside, wipe
from flowdesk.search.documents import AxisNames
from flowdesk.search.engine import (
    TABLE_FILE,
    Postings,
)
from flowdesk.search.errors import IndexUnavailable
from flowdesk.search.hits import Hit, make_hit
from flowdesk.search.query import exact_key, parse, plan
from flowdesk.search.writer import IndexWriter

if TYPE_CHECKING:
    from flowdesk.search.forgiving import Forgiving

#: Answers an open index keeps (query, filters and mode → hits); about 1 MB at most.
ANSWERS_KEPT = 512


class FlowIndex:
    """Search over one pack's flows: titles, keywords, pinyin, codes and step text."""

    def __init__(self, directory: Path, postings: Postings) -> None:
        self.directory = directory
        self._postings = postings
        self.pack_id: str = postings.meta["pack_id"]
        self.pack_sequence: int = postings.meta["pack_sequence"]
        self._forgiving_reader: Forgiving | None = None
        self._closed = False
        self._answers: OrderedDict[tuple, tuple[Hit, ...]] = OrderedDict()
        self._answers_lock = threading.Lock()

    @staticmethod
    def build(
        directory: Path,
        pack: Pack,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> None:
        """Write a complete index of ``pack`` into ``directory`` (absent or empty).

        Raises :class:`flowdesk.problems.Cancelled` when ``cancel()`` turns true, leaving no index.
        """
        directory = Path(directory)
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise Refused(
                "a search index is built into an empty folder; this one is not empty",
                file=str(directory),
            )
        created = not directory.exists()
        directory.mkdir(parents=True, exist_ok=True)
        builder: IndexWriter | None = None
        try:
            builder = IndexWriter(directory, fresh=True)
            analyse(builder, list(pack.flows), AxisNames(pack), progress, cancel)
            builder.save(meta(pack), ranks(pack.flows))
        except BaseException:
            if builder is not None:
                builder.cancel()
            wipe(directory, created)
            raise

    @staticmethod
    def update(
        directory: Path,
        old: Pack,
        new: Pack,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> None:
        """Bring an index built from ``old`` to ``new``, analysing only changed flows.

        Flows whose content (and business, brand and channel names) did not change
        are carried over from the old index as they are; added and changed flows are
        analysed and written as one more, small segment; removed and changed ones are
        marked deleted where they were (see writer.py: segments stay few). The result
        is written beside the old index and swapped in only when complete, so a cancel
        or an error leaves the old index as it was. An index already open keeps
        answering from the old version until it is opened again. ``progress`` counts
        the flows analysed. An index that cannot be carried over (of an older format,
        or damaged) is a cache: ``new`` is then indexed from scratch, in its place.
        Refused when the index holds another version than ``old``.
        """
        old_names, new_names = AxisNames(old), AxisNames(new)
        before = {f.id: old_names.source_key(f) for f in old.flows}
        unchanged = {f.id for f in new.flows if before.get(f.id) == new_names.source_key(f)}
        update_beside(
            Path(directory),
            (old.id, old.sequence),
            new,
            [f for f in new.flows if f.id not in unchanged],
            unchanged,
            ranks(new.flows),
            lambda staging: FlowIndex.build(staging, new, progress, cancel),
            progress,
            cancel,
        )

    @staticmethod
    def update_revision(
        directory: Path,
        revision: Revision,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> None:
        """Like :meth:`update`, for a version told as its change to the index's version.

        The revision's kept flows (same file, same axes) are carried over unread;
        its changed and added flows are analysed. Refused (nothing changed) when the
        index holds another version or cannot be carried over: the caller then
        builds the whole version afresh.
        """

        def cannot(staging: Path) -> None:
            raise Refused("the search index cannot be carried over; rebuild it", str(directory))

        update_beside(
            Path(directory),
            (revision.base.id, revision.base.sequence),
            revision.pack,
            list(revision.pack.flows),
            set(revision.kept),
            ranks(revision.flows),
            cannot,
            progress,
            cancel,
        )

    @classmethod
    def open(cls, directory: Path) -> FlowIndex:
        """Load a complete index; IndexUnavailable when there is none (build one)."""
        directory = Path(directory)
        if not (directory / TABLE_FILE).is_file():
            raise IndexUnavailable(f"{directory}: no complete search index here; build one")
        try:
            postings = Postings(directory)
        except Exception as exc:  # Whoosh fails in many ways on a damaged file; all mean rebuild
            raise IndexUnavailable(
                f"{directory}: search index unreadable ({type(exc).__name__}: {exc})"
            ) from exc
        return cls(directory, postings)

    def search(
        self,
        query: str,
        *,
        channel: str | None = None,
        brand: str | None = None,
        flow_class: str | None = None,
        limit: int = 20,
        typeahead_only: bool = False,
    ) -> list[Hit]:
        """Flows matching every term of ``query``, best first; [] for an empty query.

        ``typeahead_only`` searches titles, keywords, pinyin and codes only (the
        per-keystroke path); otherwise step text too, ranked below them.
        Management flows have no touch points, so a channel or brand filter
        leaves them out.
        """
        if self._closed:
            raise RuntimeError(f"search index {self.directory} is closed")
        key = (query, channel, brand, flow_class, limit, typeahead_only)
        kept = self.answered(key)
        if kept is not None:
            return kept
        hits = self._search(query, channel, brand, flow_class, limit, typeahead_only)
        with self._answers_lock:
            self._answers[key] = tuple(hits)
            if len(self._answers) > ANSWERS_KEPT:
                self._answers.popitem(last=False)
        return hits

    def answered(self, key: tuple) -> list[Hit] | None:
        """The hits of a question asked before ((query, channel, brand, class, limit,
        type-ahead) as :meth:`search` keys it), else None. Never searches: the
        window's UI thread asks this before sending a keystroke to the search thread."""
        with self._answers_lock:
            kept = self._answers.get(key)
            if kept is None:
                return None
            self._answers.move_to_end(key)
            return list(kept)

    def _search(
        self,
        query: str,
        channel: str | None,
        brand: str | None,
        flow_class: str | None,
        limit: int,
        typeahead_only: bool,
    ) -> list[Hit]:
        terms = parse(query)
        if not terms or limit <= 0:
            return []
        allowed = self._allowed(channel, brand, flow_class)
        if allowed is not None and not allowed:
            return []
        postings = self._postings
        with postings.lock:
            found = scoring.search(
                postings,
                plan(terms, typeahead_only=typeahead_only),
                exact_key(terms),
                allowed,
                limit,
            )
        strict = [
            make_hit(
                postings.stored(doc),
                score,
                self.pack_id,
                terms,
                partial(postings.step_texts, doc),
            )
            for score, doc in found
        ]
        return self._forgiving.search(
            query, strict, self.pack_id, allowed, limit, typeahead=typeahead_only
        )

    @property
    def _forgiving(self) -> Forgiving:
        """The sentence reader, imported and made on first use: not on the start path."""
        if self._forgiving_reader is None:
            from flowdesk.search.forgiving import Forgiving

            with self._postings.lock:
                if self._forgiving_reader is None:
                    self._forgiving_reader = Forgiving(self._postings)
        return self._forgiving_reader

    def warm_up(self) -> None:
        self._forgiving.understanding()  # the pack's vocabulary now, not on the first sentence

    def _allowed(
        self, channel: str | None, brand: str | None, flow_class: str | None
    ) -> frozenset[int] | None:
        """Document numbers passing the filters; a channel+brand pair must be one touch point."""
        postings = self._postings
        allowed: frozenset[int] | None = None
        if channel is not None and brand is not None:
            allowed = postings.facet("cb", f"{channel}/{brand}")
        elif channel is not None:
            allowed = postings.facet("channel", channel)
        elif brand is not None:
            allowed = postings.facet("brand", brand)
        if flow_class is not None:
            of_class = postings.facet("class", flow_class)
            allowed = of_class if allowed is None else allowed & of_class
        return allowed

    def close(self) -> None:
        """Let go of the loaded index; searching a closed index is a programming error."""
        if not self._closed:
            self._closed = True
            self._postings.close()

    def __enter__(self) -> FlowIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
