"""The sync service: updating a desk from its pack sources, for the window and ``flowdesk sync``.

The Qt-free steps live in :mod:`flowdesk.sync.updates` (check one source,
prepare one update, apply it, roll back). This module is what the two faces
call around them, so neither repeats it:

* :func:`check_sources` opens each source and reads its index, one after
  another (``flowdesk sync`` prints each plan before the next source);
* :func:`prepared_updates` downloads and verifies what one source offers;
* :func:`find_updates` does both for every configured source and keeps the
  verified downloads (the window's 检查更新, and the scheduled auto-apply);
* :func:`apply_found` imports what :func:`find_updates` kept;
* :func:`rollback_choice` is what the window's 回退 would do, asked before
  :func:`flowdesk.sync.updates.rollback` does it;
* :func:`check_scheduled` is the background check ``source schedule`` sets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flowdesk.sync.index import INDEX_FILE
from flowdesk.sync.sourcelist import SourceList
from flowdesk.sync.sources import Limits, ProgressFn, Source
from flowdesk.sync.trust import TrustStore
from flowdesk.sync.updates import (
    PreparedUpdate,
    UpdatePlan,
    apply_update,
    check_for_updates,
    prepare_update,
    previous_version,
)

if TYPE_CHECKING:
    from flowdesk.desk import Desk, ImportResult
    from flowdesk.paths import DataDir


@dataclass(frozen=True)
class SourceCheck:
    """One source opened and asked (from its index alone) what it offers this desk."""

    name: str  # the configured name, or the folder or URL given instead
    source: Source
    plan: UpdatePlan


def check_sources(
    desk: Desk,
    names: Iterable[str],
    *,
    limits: Limits | None = None,
    pack_ids: set[str] | None = None,
    only_installed: bool = False,
) -> Iterator[SourceCheck]:
    """Open and check each source (a configured name, a folder or a URL), lazily, in order."""
    sources = SourceList(desk.data)
    for name in names:
        source = sources.open(name, limits)
        yield SourceCheck(name, source, check_for_updates(desk, source, pack_ids, only_installed))


def prepared_updates(
    desk: Desk,
    check: SourceCheck,
    trust: TrustStore,
    progress: ProgressFn | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[PreparedUpdate]:
    """Download and verify each update ``check`` found, one after another, lazily.

    A refusal raises before the next download; what was yielded stays the caller's.
    """
    for update in check.plan.updates:
        if cancelled is not None and cancelled():
            raise InterruptedError("cancelled")
        yield prepare_update(desk, check.source, update, trust, progress, cancelled)


@dataclass
class FoundUpdates:
    """What one "check for updates" found: verified downloads ready to apply, and notes."""

    #: (source location, verified update), in the order found
    prepared: list[tuple[str, PreparedUpdate]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: int = 0

    def discard(self) -> None:
        """Remove the verified downloads nobody will apply."""
        for _location, p in self.prepared:
            p.path.unlink(missing_ok=True)
        self.prepared = []


def find_updates(
    desk: Desk,
    progress: ProgressFn | None,
    cancelled: Callable[[], bool],
    source: str | None = None,
) -> FoundUpdates:
    """Check every configured source (or just ``source``), then download and verify what is newer.

    Runs on a work thread. A desk that already has packs is offered newer
    versions of those only; a new pack id is a team lead's decision (CLI).
    Any refusal removes what was downloaded, so nothing is left half-done.
    """
    found = FoundUpdates()
    names = [c.name for c in SourceList(desk.data).all() if source is None or c.name == source]
    found.sources = len(names)
    trust = TrustStore(desk.data.keys)
    installed = bool(desk.packs())
    try:
        for check in check_sources(desk, names, only_installed=installed):
            found.notes.extend(plan_notes(check.name, check.plan))
            for prepared in prepared_updates(desk, check, trust, progress, cancelled):
                found.prepared.append((check.source.location, prepared))
    except BaseException:
        found.discard()
        raise
    return found


def plan_notes(name: str, plan: UpdatePlan) -> list[str]:
    """One line per pack a source offers nothing new for (✓ up to date, ⟲ held back)."""
    notes = [f"{name}: {pack_id} ✓" for pack_id in plan.up_to_date]
    notes += [
        f"{name}: {pack_id} ⟲ (rolled back, newest not re-applied)" for pack_id in plan.held_back
    ]
    if plan.ring_missing:
        notes.append(ring_missing_note(name, plan))
    return notes


def ring_missing_note(name: str, plan: UpdatePlan) -> str:
    """Why a desk of a ring the source does not name gets only the general rollout."""
    return (
        f"{name}: index.json: rings: no ring {plan.ring_missing!r} (its rings: "
        f"{_names(plan.rings)}); this desk takes the general rollout 按全员批次更新"
    )


def _names(rings: Iterable[str]) -> str:
    return ", ".join(rings) or "none 无"


def check_ring(data: DataDir, ring: str, limits: Limits | None = None) -> list[str]:
    """Refuse a ring that no configured source's index names (a typo would leave the desk
    out of its pilot for good); returns a note for each source that could not be asked.

    A desk with no source configured, or none reachable, cannot check: it takes the ring.
    """
    from flowdesk.problems import Problem, Refused

    sources = SourceList(data)
    asked: list[tuple[str, list[str]]] = []
    notes = []
    for config in sources.all():
        try:
            source = sources.open(config.name, limits or Limits(timeout=5.0))
            where = f"{source.location.rstrip('/')}/{INDEX_FILE}"
            asked.append((where, source.read_index().ring_names()))
        except Exception as exc:  # unreachable or refused: this source cannot say
            notes.append(f"{config.name}: ring not checked ({exc})")
    if asked and not any(ring in names for _where, names in asked):
        raise Refused(
            Problem("error", where, "rings", f"no ring {ring!r} (its rings: {_names(names)})")
            for where, names in asked
        )
    return notes


def apply_found(
    desk: Desk,
    found: FoundUpdates,
    progress: ProgressFn | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ImportResult]:
    """Import what :func:`find_updates` verified, one by one (each atomic).

    Each update leaves ``found`` as it is taken, so a failure part-way leaves
    only the ones not yet tried to :meth:`FoundUpdates.discard`. One imported
    meanwhile by the other path (the dialog, the schedule) is skipped.
    """
    applied = []
    for location, prepared in list(found.prepared):
        found.prepared.remove((location, prepared))
        if already_imported(desk, prepared):
            continue
        applied.append(apply_update(desk, prepared, progress, cancelled, source=location))
    return applied


def already_imported(desk: Desk, prepared: PreparedUpdate) -> bool:
    """True when this publication (or a newer one) went in since it was verified."""
    entry = prepared.update.entry
    return any(p.pack_id == entry.pack_id and p.sequence >= entry.sequence for p in desk.packs())


@dataclass(frozen=True)
class RollbackChoice:
    """What rolling back the shown pack would do: ``to_sequence`` None when none is older."""

    pack_id: str
    from_sequence: int
    to_sequence: int | None


def rollback_choice(desk: Desk, shown: str | None) -> RollbackChoice | None:
    """The shown pack's active version (else the first active one) and the one before it.

    None when no pack is active. The window asks the agent with it, then calls
    :func:`flowdesk.sync.updates.rollback` with ``to_sequence``.
    """
    active = desk.active_packs()
    current = next((p for p in active if p.pack_id == shown), active[0] if active else None)
    if current is None:
        return None
    return RollbackChoice(current.pack_id, current.sequence, previous_version(desk, current))


def check_scheduled(desk: Desk, source: str) -> UpdatePlan:
    """The background check ``flowdesk source schedule`` sets: the named source's index only.

    Offers newer versions of the packs this desk has (all, on a desk without one).
    """
    installed = bool(desk.packs())
    return check_for_updates(desk, SourceList(desk.data).open(source), only_installed=installed)
