"""Syncing a desk from a source: check, prepare (download and verify), apply, roll back.

These are the Qt-free steps the ``flowdesk sync`` command and the window's
"check for updates" both call:

1. :func:`check_for_updates` reads the source's index only (cheap, safe to
   run on a schedule) and says which packs have a newer publication.
2. :func:`prepare_update` downloads one, checks size, SHA-256, signature by a
   trusted key and that its manifest is the publication the index promised
   (no replayed older pack), validates it and computes what changes.
3. :func:`apply_update` imports it through ``Desk.import_pack`` (atomic), then
   records the 新/改 marks and the history.

Nothing changes on the desk before step 3, and step 3 is all-or-nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowdesk.gcpause import gc_paused
from flowdesk.packs import LoadedPack
from flowdesk.packs.diff import PackDiff, diff_packs
from flowdesk.problems import Refused, errors
from flowdesk.store import installed_before
from flowdesk.sync.delta import LoadedRevision, load_revision
from flowdesk.sync.index import IndexEntry
from flowdesk.sync.records import ChangeMarks, SyncHistory
from flowdesk.sync.sources import CancelFn, ProgressFn, Source
from flowdesk.sync.trust import TrustStore, check_trust

if TYPE_CHECKING:
    from flowdesk.desk_protocol import DeskProtocol
    from flowdesk.store import PackInfo

VERIFYING = "校验 verifying"


@dataclass(frozen=True)
class PackUpdate:
    """A newer publication the source offers for one pack id."""

    entry: IndexEntry
    active_sequence: int | None  # None: the pack is not on this desk yet

    def to_json(self) -> dict[str, Any]:
        return {**self.entry.to_json(), "active_sequence": self.active_sequence}


@dataclass(frozen=True)
class UpdatePlan:
    """What a source offers this desk, from its index alone."""

    source: str
    updates: tuple[PackUpdate, ...] = ()
    up_to_date: tuple[str, ...] = ()
    #: pack ids whose newest publication is imported but not active (rolled back).
    held_back: tuple[str, ...] = ()
    #: this desk's ring, when the source's index names no such ring (a typo in
    #: ``desk ring``, or a source that stages nothing): the desk gets the general rollout
    ring_missing: str | None = None
    #: the rings the source's index names
    rings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "updates": [u.to_json() for u in self.updates],
            "up_to_date": list(self.up_to_date),
            "held_back": list(self.held_back),
            "ring_missing": self.ring_missing,
            "rings": list(self.rings),
        }


@dataclass
class PreparedUpdate:
    """A downloaded, verified publication ready to import, and what it changes."""

    update: PackUpdate
    path: Path
    loaded: LoadedPack | LoadedRevision
    diff: PackDiff | None  # None for a pack new to this desk
    key_id: str | None
    warnings: list = field(default_factory=list)


def check_for_updates(
    desk: DeskProtocol,
    source: Source,
    pack_ids: set[str] | None = None,
    only_installed: bool = False,
) -> UpdatePlan:
    """Which packs of the source are newer than anything this desk imported.

    A publication this desk already imported (even if since rolled back) is not
    offered again, so a scheduled sync never undoes a team lead's rollback.
    """
    from flowdesk.rollout.rings import desk_ring

    whole = source.read_index()
    ring = desk_ring(desk)
    index = whole.for_ring(ring)  # staged rollout: its ring's too
    imported: dict[str, int] = {}
    active: dict[str, int] = {}
    for info in desk.packs():
        imported[info.pack_id] = max(imported.get(info.pack_id, 0), info.sequence)
        if info.active:
            active[info.pack_id] = info.sequence
    updates, current, held = [], [], []
    for pack_id, entry in sorted(index.newest().items()):
        if pack_ids is not None and pack_id not in pack_ids:
            continue
        if only_installed and pack_id not in imported:
            continue
        if entry.sequence > imported.get(pack_id, 0):
            updates.append(PackUpdate(entry, active.get(pack_id)))
        elif active.get(pack_id, 0) < imported[pack_id]:
            held.append(pack_id)
        else:
            current.append(pack_id)
    missing = ring if ring and ring not in whole.ring_names() else None
    rings = tuple(whole.ring_names())
    return UpdatePlan(source.location, tuple(updates), tuple(current), tuple(held), missing, rings)


def prepare_update(
    desk: DeskProtocol,
    source: Source,
    update: PackUpdate,
    trust: TrustStore,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> PreparedUpdate:
    """Download and verify one update; refuses (with the reason) anything not genuine."""
    with gc_paused():  # reading a whole pack is bulk work: see flowdesk.gcpause
        return _prepare(desk, source, update, trust, progress, cancel)


def _prepare(
    desk: DeskProtocol,
    source: Source,
    update: PackUpdate,
    trust: TrustStore,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> PreparedUpdate:
    entry = update.entry
    report = progress or (lambda _stage, _done, _total: None)
    path = source.download(entry, desk.data.downloads, progress, cancel)
    report(VERIFYING, 0, 1)
    try:
        key_id = check_trust(path, None, trust, allow_unsigned=False)
        if entry.key_id is not None and key_id != entry.key_id:
            raise Refused(
                f"signed by key {key_id}, but the index names key {entry.key_id}", str(path)
            )
        loaded = _load(desk, path, update)
        if not loaded.ok:
            raise Refused(errors(loaded.problems))
        pack = loaded.pack
        if pack.id != entry.pack_id or pack.sequence != entry.sequence:
            raise Refused(
                f"the file holds {pack.id} #{pack.sequence}, but the index promised "
                f"{entry.pack_id} #{entry.sequence}: a replayed or misplaced pack",
                file=str(path),
            )
        newest = max((p.sequence for p in desk.packs() if p.pack_id == pack.id), default=0)
        if pack.sequence <= newest:
            raise Refused(
                f"{pack.id} #{pack.sequence} is not newer than #{newest} on this desk: "
                "a replayed older pack",
                file=str(path),
            )
    except Refused:
        path.unlink(missing_ok=True)  # never keep a file that failed verification
        raise
    diff = None
    if isinstance(loaded, LoadedRevision):
        diff = diff_packs(loaded.revision.base, loaded.revision.pack)  # the changed flows alone
    elif update.active_sequence is not None:
        diff = diff_packs(desk.pack(pack.id, update.active_sequence), pack)
    warnings = [p for p in loaded.problems if p.severity == "warning"]
    report(VERIFYING, 1, 1)
    return PreparedUpdate(update, path, loaded, diff, key_id, warnings)


def _load(desk: DeskProtocol, path: Path, update: PackUpdate) -> LoadedPack | LoadedRevision:
    """Validate the download: as a revision of the desk's version where it can be told so."""
    if update.active_sequence is not None:
        pack_id, sequence = update.entry.pack_id, update.active_sequence
        base = desk.base_for_revision(pack_id, sequence)
        if base is not None:
            head, heads, manifest = base
            reader = partial(desk.stored_flows, pack_id, sequence)
            loaded = load_revision(path, head, heads, manifest, reader)
            if loaded is not None:
                return loaded
    return desk.validate(path)


def apply_update(
    desk: DeskProtocol,
    prepared: PreparedUpdate,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    source: str | None = None,
) -> Any:
    """Import a prepared update atomically; then mark its changes and record it.

    Returns the desk's ``ImportResult``. The downloaded file is removed once
    imported (the store keeps what the desk needs, and its SHA-256).
    """
    result = desk.import_pack(
        prepared.path, progress=progress, cancel=cancel, loaded=prepared.loaded
    )
    loaded = prepared.loaded
    pack = loaded.pack
    every_flow = loaded.revision.flows if isinstance(loaded, LoadedRevision) else pack.flows
    flow_ids = [f.id for f in every_flow]
    marks = prepared.diff.marks() if prepared.diff is not None else {}
    if result.info.state != "pending":  # a pending version is marked when it takes effect
        ChangeMarks(desk.data).record(pack.id, pack.sequence, marks, flow_ids)
    SyncHistory(desk).record(
        "sync",
        pack_id=pack.id,
        from_sequence=prepared.update.active_sequence,
        to_sequence=pack.sequence,
        source=source,
        key_id=prepared.key_id,
        sha256=prepared.update.entry.sha256,
        changed_flows=len(marks),
    )
    prepared.path.unlink(missing_ok=True)
    return result


@dataclass(frozen=True)
class Rollback:
    pack_id: str
    from_sequence: int
    to_sequence: int
    diff: PackDiff


def rollback(
    desk: DeskProtocol, pack_id: str | None = None, to_sequence: int | None = None, reason: str = ""
) -> Rollback:
    """Make the previous imported version of a pack active again (or ``to_sequence``).

    Recorded in the history; the flows that differ are marked 改/新 again so
    agents notice the change back.
    """
    active = [p for p in desk.active_packs() if pack_id is None or p.pack_id == pack_id]
    if not active:
        raise Refused(f"no active pack {pack_id or ''} to roll back".replace("  ", " "), "packs")
    if len(active) > 1:
        ids = ", ".join(p.pack_id for p in active)
        raise Refused(f"several packs are active ({ids}); name the one to roll back", "packs")
    current = active[0]
    versions = [p.sequence for p in desk.packs() if p.pack_id == current.pack_id]
    if to_sequence is None:
        to_sequence = previous_version(desk, current)
        if to_sequence is None:
            raise Refused(
                f"{current.pack_id} #{current.sequence} is the oldest version on this desk; "
                "there is nothing to roll back to",
                file="packs",
            )
    elif to_sequence not in versions:
        raise Refused(f"{current.pack_id} #{to_sequence} was never imported here", "packs")
    elif to_sequence == current.sequence:
        raise Refused(f"{current.pack_id} #{to_sequence} is already active", file="packs")
    before = desk.pack(current.pack_id, current.sequence)
    action = "rollback" if to_sequence < current.sequence else "activate"
    facts = {"reason": reason or None}
    desk.activate(current.pack_id, to_sequence, action=action, facts=facts)  # in the history
    after = desk.pack(current.pack_id, to_sequence)
    diff = diff_packs(before, after)
    ChangeMarks(desk.data).record(
        current.pack_id, to_sequence, diff.marks(), [f.id for f in after.flows]
    )
    return Rollback(current.pack_id, current.sequence, to_sequence, diff)


def previous_version(desk: DeskProtocol, info: PackInfo) -> int | None:
    """The newest version of ``info``'s pack imported here before it: what a rollback returns to."""
    return installed_before(desk.packs(), info.pack_id, info.sequence)
