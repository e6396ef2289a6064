"""Loading a synced publication by re-reading only the flow files that changed.

A monthly publication changes a few flows out of thousands, yet reading and
validating every flow file of a 10,000-flow pack takes seconds. A built pack's
manifest holds the SHA-256 of every member, so comparing it with the manifest
the desk's version was imported with (kept in the store) tells exactly which
flow files changed.
When the process map's axes (channels, brands, businesses) are unchanged, an
unchanged flow file reads back to the very same flow, so the desk keeps it as
it is stored and only changed files are read and go through the pack reader's
validation. The result is a :class:`~flowdesk.model.Revision`: the changed
flows, and the kept ones as heads (id, title, file, touch points), so neither
the desk's version nor the new one is ever built whole: a cold ``flowdesk
sync`` of 100 changed flows out of 10,000 reads 100 flows, not 10,000.
Checks that span the whole pack (duplicate flow ids, a touch point claimed by
two flows, blind spots) run over the heads and the changed flows together.

Integrity: the download's SHA-256 is the one the index names, the signature
covers the manifest, every member read is verified against the manifest and
the archive's listing is checked in full. A member left unread is one whose
manifest SHA-256 equals that of the desk's copy, verified when it was read, so
what is imported is exactly what the publisher signed. Warnings of unchanged
flow files were reported when the previous version was imported and are not
repeated.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from flowdesk.model import Flow, FlowHead, Pack, Revision, TouchPoint
from flowdesk.packs import open_archive
from flowdesk.packs.archive import member_label
from flowdesk.packs.load import manifest_mismatches
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.packs.source import is_flow_name, parse_pack
from flowdesk.problems import HasProblems, Problem, error, warning

_BLIND_SPOT = "blind spot "


@dataclass
class LoadedRevision(HasProblems):
    """A publication loaded as its change to the desk's version (:func:`load_revision`).

    Like :class:`~flowdesk.packs.LoadedPack`, but carrying a
    :class:`~flowdesk.model.Revision` instead of a whole pack. ``files`` holds
    only the members that were read (those that changed).
    """

    path: Path
    revision: Revision | None
    problems: list[Problem] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def pack(self) -> Pack | None:
        """The new version's header and axes with its added and changed flows only."""
        return self.revision.pack if self.revision is not None else None

    @property
    def ok(self) -> bool:
        return self.revision is not None and not self.errors


def load_revision(
    path: Path,
    base: Pack,
    heads: Sequence[FlowHead],
    base_manifest: dict[str, Any],
    base_flows: Callable[[Collection[str]], Sequence[Flow]],
) -> LoadedRevision | None:
    """Load ``path`` as its change to the desk's version; None when a full load is needed.

    ``base`` is that version's header and axes, ``heads`` its flows as heads and
    ``base_manifest`` its manifest; ``base_flows(ids)`` reads whole flows of it
    (only those that changed or went are asked for). A full load is needed when
    the axes changed or the heads do not say which file each flow came from.
    Refuses what :func:`flowdesk.packs.load_pack` refuses, with the same
    problems, except warnings of unchanged flow files.
    """
    path = Path(path)
    old_members: dict[str, str] = base_manifest.get("members", {})
    known = {n: d for n, d in old_members.items() if n != PACK_FILE}
    contents = open_archive(path, known=known)
    if not contents.ok or contents.manifest is None:
        return LoadedRevision(path, None, contents.problems)
    manifest = contents.manifest
    new_members: dict[str, str] = manifest["members"]
    by_source = {h.file: h for h in heads}
    if None in by_source or PACK_FILE not in contents.files:
        return None
    # open_archive read exactly the members whose SHA-256 differs from the desk's version.
    changed = {n for n in new_members if is_flow_name(n) and n in contents.files}
    label = partial(member_label, str(path))
    subset = {PACK_FILE: contents.files[PACK_FILE], **{n: contents.files[n] for n in changed}}
    part, found = parse_pack(subset, label)
    problems = [p for p in found if not _whole_pack_warning(p)]
    problems += [
        warning(label(n), "", "ignored: not a pack file")
        for n in new_members
        if n != PACK_FILE and not is_flow_name(n)
    ]
    if part is None:
        return LoadedRevision(path, None, problems, manifest, contents.files)
    if (part.channels, part.brands, part.businesses) != (
        base.channels,
        base.brands,
        base.businesses,
    ):
        return None  # the axes changed: every flow must be read against the new ones
    kept = {n: by_source.get(n) for n in new_members if is_flow_name(n) and n not in changed}
    if any(head is None for head in kept.values()):
        return None
    parsed = {f.file: f for f in part.flows}
    flows: list[Flow | FlowHead] = [
        parsed.get(n) or kept[n] for n in sorted(set(parsed) | set(kept))
    ]
    problems += _whole_pack_errors(flows, label)
    problems += manifest_mismatches(manifest, part, label)
    if any(p.severity == "error" for p in problems):
        return LoadedRevision(path, None, problems, manifest, contents.files)
    claimed = {tp for flow in flows for tp in flow.touchpoints}
    problems += [
        warning(label(PACK_FILE), "businesses", f"{_BLIND_SPOT}{tp.code} (no flow claims it)")
        for tp in part.offered_touchpoints()
        if tp not in claimed
    ]
    kept_sources = set(kept)
    before = {h.id for h in heads if h.file not in kept_sources} | {f.id for f in parsed.values()}
    revision = Revision(
        base=replace(base, flows=tuple(base_flows(before))),
        pack=replace(part, flows=tuple(f for f in flows if isinstance(f, Flow))),
        flows=tuple(flows),
    )
    return LoadedRevision(path, revision, problems, manifest, contents.files)


def _whole_pack_warning(problem: Problem) -> bool:
    """Warnings about the pack as a whole, meaningless for a subset of its flows."""
    return problem.severity == "warning" and (
        problem.message.startswith(_BLIND_SPOT) or problem.message.startswith("no flows")
    )


def _whole_pack_errors(flows: Sequence[Flow | FlowHead], label) -> list[Problem]:
    """Duplicate flow ids and touch points claimed twice, across changed and reused flows."""
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    claims: dict[TouchPoint, Flow | FlowHead] = {}
    for flow in flows:
        where = label(flow.file or "")
        if flow.id in ids:
            problems.append(
                error(where, "id", f"duplicate flow id {flow.id!r} (also in {ids[flow.id]})")
            )
            continue
        ids[flow.id] = flow.file or ""
        for tp in flow.touchpoints:
            owner = claims.setdefault(tp, flow)
            if owner is not flow:
                problems.append(
                    error(
                        where,
                        "touchpoints",
                        f"touch point {tp.code} is claimed by two flows: {owner.id!r} "
                        f"({owner.file}) and {flow.id!r} ({flow.file})",
                    )
                )
    return problems
