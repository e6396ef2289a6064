"""Loading a synced publication by re-reading only the flow files that changed.

A monthly publication changes a few flows out of thousands, yet reading and
validating every flow file of a 10,000-flow pack takes seconds. A built pack's
manifest holds the SHA-256 of every member, so comparing it with the manifest
of the version already on the desk tells exactly which flow files changed.
When the process map's axes (channels, brands, businesses) are unchanged, an
unchanged flow file reads back to the very same flow, so the desk's copy is
reused and only changed files go through the pack reader's validation.
Checks that span the whole pack (duplicate flow ids, a touch point claimed by
two flows, blind spots) are then run over the merged pack.

The integrity check is never skipped: :func:`open_archive` verifies every
member against the manifest first. Warnings of unchanged flow files were
reported when the previous version was imported and are not repeated.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from flowdesk.model import Flow, Pack, TouchPoint
from flowdesk.packs import LoadedPack, open_archive
from flowdesk.packs.archive import member_label
from flowdesk.packs.load import manifest_mismatches
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.packs.source import is_flow_name, parse_pack
from flowdesk.problems import Problem, error, warning
from flowdesk.sync.files import write_atomic

_BLIND_SPOT = "blind spot "


def manifest_path(downloads: Path, pack_id: str, sequence: int) -> Path:
    """Where sync keeps the manifest of a version it imported (for the next delta)."""
    return downloads / f"{pack_id}-{sequence}.manifest.json"


def keep_manifest(downloads: Path, manifest: dict[str, Any]) -> None:
    path = manifest_path(downloads, manifest["id"], manifest["sequence"])
    write_atomic(path, json.dumps(manifest, ensure_ascii=False).encode("utf-8"))


def kept_manifest(downloads: Path, pack_id: str, sequence: int) -> dict[str, Any] | None:
    try:
        data = json.loads(manifest_path(downloads, pack_id, sequence).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("members"), dict) else None


def load_delta(path: Path, base: Pack, base_manifest: dict[str, Any]) -> LoadedPack | None:
    """Load ``path`` reusing ``base``'s unchanged flows; None when a full load is needed.

    A full load is needed when the axes changed or ``base`` does not say which
    file each flow came from. The result is what :func:`flowdesk.packs.load_pack`
    gives, except for warnings of unchanged flow files.
    """
    path = Path(path)
    contents = open_archive(path)
    if not contents.ok or contents.manifest is None:
        return LoadedPack(path, None, contents.problems)
    manifest = contents.manifest
    old_members: dict[str, str] = base_manifest.get("members", {})
    new_members: dict[str, str] = manifest["members"]
    by_source = {f.source: f for f in base.flows}
    if None in by_source or PACK_FILE not in contents.files:
        return None
    changed = {n for n in new_members if is_flow_name(n) and old_members.get(n) != new_members[n]}
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
        return LoadedPack(path, None, problems, manifest, contents.files)
    if (part.channels, part.brands, part.businesses) != (
        base.channels,
        base.brands,
        base.businesses,
    ):
        return None  # the axes changed: every flow must be read against the new ones
    reused = {n: by_source.get(n) for n in new_members if is_flow_name(n) and n not in changed}
    if any(flow is None for flow in reused.values()):
        return None
    parsed = {f.source: f for f in part.flows}
    flows = [parsed.get(n) or reused[n] for n in sorted(set(parsed) | set(reused))]
    problems += _whole_pack_errors(flows, label)
    pack = replace(part, flows=tuple(flows))
    problems += manifest_mismatches(manifest, pack, label)
    if any(p.severity == "error" for p in problems):
        return LoadedPack(path, None, problems, manifest, contents.files)
    problems += [
        warning(label(PACK_FILE), "businesses", f"{_BLIND_SPOT}{tp.code} (no flow claims it)")
        for tp in pack.blind_spots()
    ]
    return LoadedPack(path, pack, problems, manifest, contents.files)


def _whole_pack_warning(problem: Problem) -> bool:
    """Warnings about the pack as a whole, meaningless for a subset of its flows."""
    return problem.severity == "warning" and (
        problem.message.startswith(_BLIND_SPOT) or problem.message.startswith("no flows")
    )


def _whole_pack_errors(flows: list[Flow], label) -> list[Problem]:
    """Duplicate flow ids and touch points claimed twice, across changed and reused flows."""
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    claims: dict[TouchPoint, Flow] = {}
    for flow in flows:
        where = label(flow.source or "")
        if flow.id in ids:
            problems.append(
                error(where, "id", f"duplicate flow id {flow.id!r} (also in {ids[flow.id]})")
            )
            continue
        ids[flow.id] = flow.source or ""
        for tp in flow.touchpoints:
            owner = claims.setdefault(tp, flow)
            if owner is not flow:
                problems.append(
                    error(
                        where,
                        "touchpoints",
                        f"touch point {tp.code} is claimed by two flows: {owner.id!r} "
                        f"({owner.source}) and {flow.id!r} ({flow.source})",
                    )
                )
    return problems
