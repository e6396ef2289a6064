"""Merging edits into round-trip YAML documents, changing only what differs.

Part of :mod:`flowdesk.packs.roundtrip` (which re-exports these); kept apart
so each module does one job: that one reads and writes files, this one
changes documents in place.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

_FLOW_LISTS = {"keywords", "channels", "brands"}
"""Lists of plain words written on one line: ``keywords: [交话费, 充值]``."""
_FLOW_ITEMS = {"touchpoints", "options", "variables"}
"""Lists whose items are written one per line in flow style: ``- {label: 是, next: pay}``."""


def house_style(value: Any, key: str | None = None, item_of: str | None = None) -> Any:
    """Plain dicts and lists as ruamel nodes laid out the way the sample pack is written.

    Short lists of words and the small mappings of touch points, options,
    variables and axis entries go on one line; steps and everything else are
    block style. Used for files FlowDesk writes new.
    """
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = house_style(v, k)
        small = item_of in _FLOW_ITEMS or (item_of in _FLOW_LISTS and len(value) <= 2)
        if small and all(not isinstance(v, dict) for v in value.values()):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq(house_style(v, None, key) for v in value)
        words = all(isinstance(v, str) for v in value)
        if words and (key in _FLOW_LISTS or item_of == "synonyms"):
            seq.fa.set_flow_style()
        return seq
    return value


def _insert(target: CommentedMap, key: Any, value: Any, order: list[Any]) -> None:
    """Add a key where the new document has it: before the next of its keys already there."""
    later = order[order.index(key) + 1 :]
    keys = list(target)
    position = next((keys.index(k) for k in later if k in target), len(keys))
    target.insert(position, key, house_style(value, key))


def apply_changes(target: Any, old: Any, new: Any, key: str | None = None) -> Any:
    """Apply only the difference between two plain documents ``old`` → ``new`` to ``target``.

    ``old`` is what the file meant before the edit and ``new`` what it means
    after (e.g. both from :func:`flowdesk.packs.sourcedoc.flow_document`).
    Keys whose meaning did not change are not touched, even where the file
    spells them differently (an explicit ``required: false``, a touch point
    with its default brands listed). Lists of mappings with ids (steps) are
    matched by id. Returns the value to store, like :func:`apply_value`.
    """
    if isinstance(target, CommentedMap) and isinstance(old, dict) and isinstance(new, dict):
        for gone in [k for k in old if k not in new and k in target]:
            del target[gone]
        for name, value in new.items():
            if name in old and _same(old[name], value) and name in target:
                continue
            if name in target and name in old:
                target[name] = apply_changes(target[name], old[name], value, name)
            elif name in target:
                target[name] = apply_value(target[name], value, name)
            else:
                _insert(target, name, value, list(new))
        return target
    if (
        isinstance(target, CommentedSeq)
        and isinstance(old, list)
        and isinstance(new, list)
        and len(target) == len(old)
        and all(isinstance(v, dict) and "id" in v for v in [*old, *new])
    ):
        olds = {v["id"]: (i, v) for i, v in enumerate(old)}
        items = []
        for value in new:
            if value["id"] in olds:
                index, before = olds[value["id"]]
                items.append(apply_changes(target[index], before, value))
            else:
                items.append(house_style(value, None, key))
        if [id(v) for v in items] != [id(v) for v in target]:
            del target[:]
            target.extend(items)
        return target
    if _same(old, new):
        return target
    return apply_value(target, new, key)


def apply_value(target: Any, new: Any, key: str | None = None) -> Any:
    """Make ``target`` equal ``new`` in place where it can, changing only what differs.

    Mappings keep their existing keys' order, comments and values where equal;
    removed keys go, new keys are appended. Sequences are matched item by item
    (a mapping item with the same ``id`` is updated in place). Returns the value
    to store: ``target`` itself when it was updated in place, else ``new``.
    """
    if isinstance(target, CommentedMap) and isinstance(new, dict):
        for gone in [k for k in target if k not in new]:
            del target[gone]
        for name, value in new.items():
            if name in target:
                if not _same(target[name], value):
                    target[name] = apply_value(target[name], value, name)
            else:
                _insert(target, name, value, list(new))
        return target
    if isinstance(target, CommentedSeq) and isinstance(new, list):
        if _same(target, new):
            return target
        old_by_id = {
            item.get("id"): item
            for item in target
            if isinstance(item, CommentedMap) and item.get("id") is not None
        }
        items = []
        for index, value in enumerate(new):
            old = None
            if isinstance(value, dict) and value.get("id") in old_by_id:
                old = old_by_id.pop(value.get("id"))
            elif index < len(target) and not (isinstance(value, dict) and old_by_id):
                old = target[index]
            items.append(house_style(value, None, key) if old is None else apply_value(old, value))
        if len(items) < len(target):
            del target[len(items) :]
        for index, value in enumerate(items):
            if index < len(target):
                if target[index] is not value and not _same(target[index], value):
                    target[index] = value
            else:
                target.append(value)
        return target
    return house_style(new, key)


def _same(old: Any, new: Any) -> bool:
    """Equal as pack data: ``"1"`` is not ``1``, ``True`` is not ``1``; quoting does not count."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in new)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, str) != isinstance(new, str) or isinstance(old, bool) != isinstance(
        new, bool
    ):
        return False
    return bool(old == new)
