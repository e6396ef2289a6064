"""What changed between two publications of a pack (``pack diff``).

One pure comparison serves four readers: the ``pack diff`` command (text and
JSON), the sync preview a team lead reads before applying (with the synonym
groups that change search and the must-read changes agents will confirm), the window's
新/改 marks for agents, and incremental re-indexing (only flows in
``changed_flow_ids`` need new index documents). It works on
:mod:`flowdesk.model` objects only, so it runs in a script, a test or a thread.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flowdesk.model import Flow, Pack, Step
from flowdesk.packs.notices import PACK_WIDE, marked_changes

#: Flow attributes compared one by one (steps and touch points are compared in detail).
FLOW_FIELDS = (
    "title",
    "flow_class",
    "business",
    "keywords",
    "summary",
    "elements",
    "owner",
    "variables",
)
#: Step attributes compared one by one; ``options`` and ``next`` are its branches.
STEP_FIELDS = ("type", "text", "note", "required", "next", "options", "target", "variable")


def _plain(value: Any) -> Any:
    """A JSON-able form of a model value (options, axes entries, mappings, dates)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # an option's ``when`` (§5) appears only where it has one: older change lists read the same
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.name == "when" and not getattr(value, f.name))
        }
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class FieldChange:
    """One attribute that differs: its name and both values (JSON-able)."""

    name: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.name, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class StepChange:
    step_id: str
    fields: tuple[FieldChange, ...]

    def to_json(self) -> dict[str, Any]:
        return {"step_id": self.step_id, "fields": [f.to_json() for f in self.fields]}


@dataclass(frozen=True)
class FlowChange:
    """How one flow present in both publications changed."""

    flow_id: str
    title: str
    fields: tuple[FieldChange, ...] = ()
    steps_added: tuple[str, ...] = ()
    steps_removed: tuple[str, ...] = ()
    steps_changed: tuple[StepChange, ...] = ()
    step_order_changed: bool = False
    touchpoints_added: tuple[str, ...] = ()
    touchpoints_removed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "flow_id": self.flow_id,
            "title": self.title,
            "fields": [f.to_json() for f in self.fields],
            "steps_added": list(self.steps_added),
            "steps_removed": list(self.steps_removed),
            "steps_changed": [s.to_json() for s in self.steps_changed],
            "step_order_changed": self.step_order_changed,
            "touchpoints_added": list(self.touchpoints_added),
            "touchpoints_removed": list(self.touchpoints_removed),
        }


@dataclass(frozen=True)
class TouchPointMove:
    """A touch point whose flow changed: ``old_flow`` or ``new_flow`` is None when unclaimed."""

    code: str
    old_flow: str | None
    new_flow: str | None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "old_flow": self.old_flow, "new_flow": self.new_flow}


@dataclass(frozen=True)
class MustRead:
    """A change the new version asks agents to read and confirm (``must_read``)."""

    flow_id: str | None  # None: the pack-wide note, marking no changed flow
    title: str
    note: str

    def to_json(self) -> dict[str, Any]:
        return {"flow_id": self.flow_id, "title": self.title or None, "note": self.note}


@dataclass(frozen=True)
class PackDiff:
    """Everything that differs between two publications of a pack."""

    pack_id: str
    old_sequence: int
    new_sequence: int
    flows_added: tuple[str, ...] = ()
    flows_removed: tuple[str, ...] = ()
    flows_changed: tuple[FlowChange, ...] = ()
    touchpoints_moved: tuple[TouchPointMove, ...] = ()
    pack_fields: tuple[FieldChange, ...] = ()
    titles: dict[str, str] = field(default_factory=dict)  # flow id -> title, for display
    #: synonym groups (§5 ``synonyms``) the new version adds or drops; a group whose
    #: words changed is one dropped and one added
    synonyms_added: tuple[tuple[str, ...], ...] = ()
    synonyms_removed: tuple[tuple[str, ...], ...] = ()
    #: the new version's must-read changes (what agents will be asked to confirm)
    must_read: tuple[MustRead, ...] = ()

    @property
    def changed_flow_ids(self) -> set[str]:
        """Flows whose index documents must be rewritten: added or changed."""
        return set(self.flows_added) | {c.flow_id for c in self.flows_changed}

    @property
    def is_empty(self) -> bool:
        return not (
            self.flows_added
            or self.flows_removed
            or self.flows_changed
            or self.touchpoints_moved
            or self.pack_fields
            or self.synonyms_added
            or self.synonyms_removed
            or self.must_read
        )

    def marks(self) -> dict[str, str]:
        """Flow id -> ``"new"`` or ``"changed"``: what the window marks 新 / 改 for agents."""
        marks = {f: "new" for f in self.flows_added}
        marks.update({c.flow_id: "changed" for c in self.flows_changed})
        return marks

    def to_json(self) -> dict[str, Any]:
        return {
            "pack_id": self.pack_id,
            "old_sequence": self.old_sequence,
            "new_sequence": self.new_sequence,
            "flows_added": [{"flow_id": f, "title": self.titles.get(f)} for f in self.flows_added],
            "flows_removed": [
                {"flow_id": f, "title": self.titles.get(f)} for f in self.flows_removed
            ],
            "flows_changed": [c.to_json() for c in self.flows_changed],
            "touchpoints_moved": [m.to_json() for m in self.touchpoints_moved],
            "pack_fields": [f.to_json() for f in self.pack_fields],
            "synonyms_added": [list(g) for g in self.synonyms_added],
            "synonyms_removed": [list(g) for g in self.synonyms_removed],
            "must_read": [m.to_json() for m in self.must_read],
        }

    def summary(self) -> str:
        text = (
            f"{self.pack_id} {self.old_sequence} → {self.new_sequence}: "
            f"新增 {len(self.flows_added)} added, 删除 {len(self.flows_removed)} removed, "
            f"修改 {len(self.flows_changed)} changed, "
            f"接触点 {len(self.touchpoints_moved)} touch points moved"
        )
        if self.must_read:
            text += f", 必读 {len(self.must_read)} must read"
        return text

    def to_text(self) -> str:
        """A readable change list, one line per change, for the terminal and the preview."""
        lines = [self.summary()]
        for m in self.must_read:
            where = f"{m.flow_id}  {m.title}" if m.flow_id else "(whole pack 全部)"
            lines.append(f"! 必读 must read: {where}: {m.note}")
        for f in self.pack_fields:
            lines.append(f"  pack {f.name}: {f.old!r} → {f.new!r}")
        lines.extend(f"  + 同义词 synonyms [{', '.join(g)}]" for g in self.synonyms_added)
        lines.extend(f"  - 同义词 synonyms [{', '.join(g)}]" for g in self.synonyms_removed)
        for fid in self.flows_added:
            lines.append(f"+ {fid}  {self.titles.get(fid, '')}")
        for fid in self.flows_removed:
            lines.append(f"- {fid}  {self.titles.get(fid, '')}")
        for c in self.flows_changed:
            lines.append(f"~ {c.flow_id}  {c.title}")
            lines.extend(f"    {f.name}: {f.old!r} → {f.new!r}" for f in c.fields)
            lines.extend(f"    + step {s}" for s in c.steps_added)
            lines.extend(f"    - step {s}" for s in c.steps_removed)
            if c.step_order_changed:
                lines.append("    step order changed")
            for s in c.steps_changed:
                for f in s.fields:
                    lines.append(f"    step {s.step_id} {f.name}: {f.old!r} → {f.new!r}")
            lines.extend(f"    + touch point {t}" for t in c.touchpoints_added)
            lines.extend(f"    - touch point {t}" for t in c.touchpoints_removed)
        for m in self.touchpoints_moved:
            lines.append(f"> {m.code}: {m.old_flow or '(none)'} → {m.new_flow or '(none)'}")
        return "\n".join(lines)


def _field_changes(old: object, new: object, names: tuple[str, ...]) -> tuple[FieldChange, ...]:
    changes = []
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            changes.append(FieldChange(name, _plain(a), _plain(b)))
    return tuple(changes)


def _step_changes(old: Flow, new: Flow) -> tuple[tuple[str, ...], tuple[str, ...], tuple, bool]:
    old_steps: dict[str, Step] = {s.id: s for s in old.steps}
    new_steps: dict[str, Step] = {s.id: s for s in new.steps}
    added = tuple(s for s in new_steps if s not in old_steps)
    removed = tuple(s for s in old_steps if s not in new_steps)
    changed = tuple(
        StepChange(sid, fields)
        for sid, step in new_steps.items()
        if sid in old_steps
        and old_steps[sid] != step
        and (fields := _field_changes(old_steps[sid], step, STEP_FIELDS))
    )
    common_old = [s for s in old_steps if s in new_steps]
    common_new = [s for s in new_steps if s in old_steps]
    return added, removed, changed, common_old != common_new


def diff_flows(old: Flow, new: Flow) -> FlowChange | None:
    """How a flow changed, or None when it is the same (its file may have moved)."""
    if old == new or _same_ignoring_file(old, new):
        return None
    added, removed, changed, reordered = _step_changes(old, new)
    old_tps = {t.code for t in old.touchpoints}
    new_tps = {t.code for t in new.touchpoints}
    return FlowChange(
        flow_id=new.id,
        title=new.title,
        fields=_field_changes(old, new, FLOW_FIELDS),
        steps_added=added,
        steps_removed=removed,
        steps_changed=changed,
        step_order_changed=reordered,
        touchpoints_added=tuple(sorted(new_tps - old_tps)),
        touchpoints_removed=tuple(sorted(old_tps - new_tps)),
    )


def _same_ignoring_file(old: Flow, new: Flow) -> bool:
    return (
        old.steps == new.steps
        and old.touchpoints == new.touchpoints
        and not _field_changes(old, new, FLOW_FIELDS)
    )


def diff_packs(old: Pack, new: Pack) -> PackDiff:
    """Compare two publications (normally of one pack id, ``old`` the installed one)."""
    old_flows = {f.id: f for f in old.flows}
    new_flows = {f.id: f for f in new.flows}
    added = tuple(fid for fid in new_flows if fid not in old_flows)
    removed = tuple(fid for fid in old_flows if fid not in new_flows)
    changed = []
    for fid, flow in new_flows.items():
        before = old_flows.get(fid)
        if before is not None and (change := diff_flows(before, flow)) is not None:
            changed.append(change)
    old_claims = {tp.code: fid for tp, fid in old.touchpoint_flows().items()}
    new_claims = {tp.code: fid for tp, fid in new.touchpoint_flows().items()}
    moved = tuple(
        TouchPointMove(code, old_claims.get(code), new_claims.get(code))
        for code in sorted(old_claims.keys() | new_claims.keys())
        if old_claims.get(code) != new_claims.get(code)
    )
    titles = {fid: new_flows[fid].title for fid in added}
    titles.update({fid: old_flows[fid].title for fid in removed})
    old_groups = {frozenset(g) for g in old.synonyms}
    new_groups = {frozenset(g) for g in new.synonyms}
    changed_ids = [fid for fid in new_flows if fid in set(added) | {c.flow_id for c in changed}]
    must_read = tuple(
        MustRead(None, "", note) if fid == PACK_WIDE else MustRead(fid, new_flows[fid].title, note)
        for fid, note in marked_changes(dict(new.must_read), changed_ids).items()
    )
    return PackDiff(
        pack_id=new.id,
        old_sequence=old.sequence,
        new_sequence=new.sequence,
        flows_added=added,
        flows_removed=removed,
        flows_changed=tuple(changed),
        touchpoints_moved=moved,
        pack_fields=_field_changes(old, new, ("title", "version", "publisher", "effective"))
        + _axis_changes(old, new),
        titles=titles,
        synonyms_added=tuple(g for g in new.synonyms if frozenset(g) not in old_groups),
        synonyms_removed=tuple(g for g in old.synonyms if frozenset(g) not in new_groups),
        must_read=must_read,
    )


def _axis_changes(old: Pack, new: Pack) -> tuple[FieldChange, ...]:
    """Channels, brands and businesses that differ: only the entries that changed."""
    changes = []
    for name in ("channels", "brands", "businesses"):
        before = {e.code: e for e in getattr(old, name)}
        after = {e.code: e for e in getattr(new, name)}
        gone = [_plain(e) for c, e in before.items() if after.get(c) != e]
        came = [_plain(e) for c, e in after.items() if before.get(c) != e]
        if gone or came:
            changes.append(FieldChange(name, gone, came))
    return tuple(changes)
