"""The window's start snapshot: the active pack versions and their flows, as last seen.

Opening the store at start means importing SQLAlchemy and reading every flow
of the pack, about half a second on a desk PC before the agent can type. The
snapshot (``start-snapshot.pickle`` in the data folder) lets the window show
the process map and answer searches from the on-disk indexes at once; the
desk opens behind it, and the window switches to what the store says if it
differs.

It is a cache, never the truth. It is ignored (and the start takes the long
way) when it is missing, damaged, written by another format, older than the
store (the store's files changed since it was written: an import, a sync or
a rollback while the window was closed), or past the effective time of the
next pending version. It holds only FlowDesk's own model objects; reading
refuses anything else, so a planted file cannot run code.
"""

from __future__ import annotations

import io
import logging
import pickle
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flowdesk.lookup import ActiveLookup, PackHeads
from flowdesk.model import Flow, Pack
from flowdesk.paths import DataDir

if TYPE_CHECKING:
    from flowdesk.desk import Desk
    from flowdesk.search import FlowIndex

log = logging.getLogger(__name__)

FORMAT = 1
#: Above this many flows, reading the snapshot costs what reading the store does (a
#: 10,000-flow pack: about 3 s either way, 38 MB of snapshot), so none is kept.
MAX_FLOWS = 3000

#: Modules whose classes a snapshot may hold: the model, this module, and datetime.
_ALLOWED_MODULES = {"flowdesk.model", __name__, "datetime"}
_ALLOWED_BUILTINS = {"frozenset", "set", "tuple", "list", "dict"}

StoreKey = tuple[tuple[int, int] | None, tuple[int, int] | None]


@dataclass(frozen=True)
class ActiveVersion:
    """An active pack version as the window shows it (the fields a flow run records)."""

    pack_id: str
    sequence: int
    version: str | None
    title: str


@dataclass(frozen=True)
class StartSnapshot:
    """What the window needs to be usable before the store is open."""

    format: int
    store_key: StoreKey
    #: the earliest effective time of a pending version: the snapshot is stale from then
    valid_until: datetime | None
    versions: tuple[ActiveVersion, ...]
    packs: tuple[Pack, ...]  # one per version, in the same order


def path(data: DataDir) -> Path:
    return data.start_snapshot


def store_key(data: DataDir) -> StoreKey:
    """The store's files as they stand (modification time and size of the file and its WAL).

    Any committed write to the store changes one of them: SQLite appends every
    transaction to the WAL and a checkpoint rewrites the main file.
    """

    def stat(file: Path) -> tuple[int, int] | None:
        try:
            info = file.stat()
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    return (stat(data.store), stat(data.store.with_name(data.store.name + "-wal")))


def capture(desk: Desk) -> tuple[tuple[ActiveVersion, ...], tuple[Pack, ...], datetime | None]:
    """The active versions, their packs and the next pending effective time, from the desk.

    No pack is read when they hold more than :data:`MAX_FLOWS` flows: no snapshot
    is kept of them, and reading one whole would cost seconds and hundreds of MB.
    """
    infos = desk.active_packs()
    versions = tuple(ActiveVersion(i.pack_id, i.sequence, i.version, i.title) for i in infos)
    small = sum(i.flow_count for i in infos) <= MAX_FLOWS
    packs = tuple(desk.pack(i.pack_id, i.sequence) for i in infos) if small else ()
    due = [p.effective_at for p in desk.packs() if p.state == "pending" and p.effective_at]
    return versions, packs, min(due) if due else None


def write(
    data: DataDir,
    versions: tuple[ActiveVersion, ...],
    packs: tuple[Pack, ...],
    valid_until: datetime | None,
) -> None:
    """Write the snapshot for the store as it stands now (atomically); no versions: remove it."""
    from flowdesk.files import atomic_write

    too_big = sum(len(pack.flows) for pack in packs) > MAX_FLOWS
    if not versions or len(packs) != len(versions) or too_big:
        discard(data)
        return
    snapshot = StartSnapshot(FORMAT, store_key(data), valid_until, versions, packs)
    try:
        atomic_write(path(data), pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:  # a cache: a full disk or a read-only folder costs only speed
        log.warning("start snapshot not written: %s", exc)


def save(desk: Desk) -> None:
    """Write the snapshot of what the desk has active now, unless the store moves meanwhile."""
    before = store_key(desk.data)
    versions, packs, valid_until = capture(desk)
    if store_key(desk.data) == before:
        write(desk.data, versions, packs, valid_until)


def discard(data: DataDir) -> None:
    path(data).unlink(missing_ok=True)


class _ModelOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if module in _ALLOWED_MODULES or (module == "builtins" and name in _ALLOWED_BUILTINS):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a start snapshot")


def read(data: DataDir, now: Callable[[], datetime]) -> StartSnapshot | None:
    """The snapshot, if it is whole, of this format, as new as the store, and not yet due."""
    file = path(data)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("start snapshot %s unreadable: %s", file, exc)
        return None
    try:
        snapshot = _ModelOnly(io.BytesIO(raw)).load()
    except Exception as exc:  # damaged or planted: the long way, and say so in the log
        log.warning("start snapshot %s ignored: %s", file, exc)
        return None
    if not isinstance(snapshot, StartSnapshot) or snapshot.format != FORMAT:
        return None
    if snapshot.store_key != store_key(data) or snapshot.store_key[0] is None:
        return None
    if snapshot.valid_until is not None and now() >= snapshot.valid_until:
        return None
    if len(snapshot.versions) != len(snapshot.packs) or not snapshot.versions:
        return None
    return snapshot


class SnapshotDesk(ActiveLookup):
    """Answers the window's lookups from a snapshot and the indexes it names, read-only.

    Used between the window's start and the desk's opening; the desk then
    takes over the indexes opened here (:meth:`indexes`), so nothing opens twice.
    """

    def __init__(self, data: DataDir, snapshot: StartSnapshot, indexes: dict) -> None:
        self.data = data
        self.snapshot = snapshot
        self._indexes: dict[tuple[str, int], FlowIndex] = indexes
        self._packs = {
            (v.pack_id, v.sequence): pack
            for v, pack in zip(snapshot.versions, snapshot.packs, strict=True)
        }
        self._heads: dict[tuple[str, int], PackHeads] = {}

    @classmethod
    def open(cls, data: DataDir, snapshot: StartSnapshot) -> SnapshotDesk | None:
        """Open each version's index; None if one is missing or not that version's."""
        from flowdesk.search import FlowIndex

        indexes: dict[tuple[str, int], FlowIndex] = {}
        try:
            for v in snapshot.versions:
                index = FlowIndex.open(data.indexes / f"{v.pack_id}-{v.sequence}")
                indexes[(v.pack_id, v.sequence)] = index
                if (index.pack_id, index.pack_sequence) != (v.pack_id, v.sequence):
                    raise ValueError(f"index of {v.pack_id}-{v.sequence} holds another version")
        except Exception as exc:  # the desk rebuilds or refuses it, with its own message
            log.info("start snapshot not used: %s", exc)
            for index in indexes.values():
                index.close()
            return None
        return cls(data, snapshot, indexes)

    def active_packs(self) -> list[ActiveVersion]:
        return list(self.snapshot.versions)

    def pack(self, pack_id: str | None = None, sequence: int | None = None) -> Pack:
        if pack_id is None:
            return self.snapshot.packs[0]
        for v, pack in zip(self.snapshot.versions, self.snapshot.packs, strict=True):
            if v.pack_id == pack_id and (sequence is None or v.sequence == sequence):
                return pack
        raise KeyError(f"{pack_id} #{sequence}")

    def heads(self, pack_id: str | None = None, sequence: int | None = None) -> PackHeads:
        pack = self.pack(pack_id, sequence)
        key = (pack.id, pack.sequence)
        if key not in self._heads:
            self._heads[key] = PackHeads.of(pack)
        return self._heads[key]

    def stored_flows(self, pack_id: str, sequence: int, flow_ids: Collection[str]) -> list[Flow]:
        """Just these flows of a version the snapshot holds ([] for another version)."""
        pack = self._packs.get((pack_id, sequence))
        wanted = set(flow_ids)
        return [f for f in pack.flows if f.id in wanted] if pack is not None else []

    def _index(self, pack_id: str, sequence: int) -> FlowIndex:
        return self._indexes[(pack_id, sequence)]

    def indexes(self) -> dict[tuple[str, int], FlowIndex]:
        return dict(self._indexes)

    def packs(self) -> dict[tuple[str, int], Pack]:
        return dict(self._packs)

    def same_versions(self, desk: Desk) -> bool:
        """Whether the desk has exactly the snapshot's versions active."""
        now = [(i.pack_id, i.sequence) for i in desk.active_packs()]
        return now == [(v.pack_id, v.sequence) for v in self.snapshot.versions]
