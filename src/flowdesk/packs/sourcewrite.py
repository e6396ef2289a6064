"""Writing a whole pack source folder from its files' contents, keeping what is there.

A new folder is written next to its final place and renamed into it, so it
appears whole or not at all. An existing source is updated file by file
through :mod:`flowdesk.packs.roundtrip`: a file whose meaning did not change
is not touched (byte-identical), a changed one keeps its comments and layout
where its content is the same, a flow no longer in the pack is removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from flowdesk.files import atomic_write
from flowdesk.model import Pack
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.packs.roundtrip import (
    apply_changes,
    apply_value,
    load_source_file,
    save_source_file,
)
from flowdesk.packs.source import FLOWS_DIR, is_flow_name, parse_pack, read_folder
from flowdesk.packs.sourcedoc import flow_document, pack_document

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _same_meaning(old: bytes, new: bytes) -> bool:
    """Same bytes, or the same data (libyaml is fast; ruamel only for files that change)."""
    if old == new:
        return True
    try:
        return bool(yaml.load(old, Loader=_LOADER) == yaml.load(new, Loader=_LOADER))
    except yaml.YAMLError:
        return False


@dataclass
class SourceWrite:
    """What writing a source did, file names relative to the folder."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def write_source(folder: Path, files: dict[str, bytes]) -> SourceWrite:
    """Make ``folder`` the pack source ``files`` (``{"pack.yaml": …, "flows/x.yaml": …}``)."""
    folder = Path(folder)
    if not (folder / PACK_FILE).is_file():
        if folder.exists() and any(folder.iterdir()):
            raise FileExistsError(
                f"{folder} is not empty and has no {PACK_FILE}; choose an empty or new folder"
            )
        return _write_new(folder, files)
    return _update(folder, files)


def _write_new(folder: Path, files: dict[str, bytes]) -> SourceWrite:
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SourceWrite(created=sorted(files))


def _update(folder: Path, files: dict[str, bytes]) -> SourceWrite:
    old_pack = _valid_pack(read_folder(folder)[0])
    new_pack = _valid_pack(files)
    result = SourceWrite()
    for name, data in files.items():
        path = folder / name
        if not path.exists():
            atomic_write(path, data)
            result.created.append(name)
            continue
        meant = _documents(name, old_pack, new_pack)
        if meant is not None and meant[0] == meant[1]:
            result.unchanged.append(name)
            continue
        if meant is None and _same_meaning(path.read_bytes(), data):
            result.unchanged.append(name)
            continue
        source = load_source_file(path)
        if meant is not None:
            source.data = apply_changes(source.data, meant[0], meant[1])
        else:
            source.data = apply_value(source.data, yaml.load(data, Loader=_LOADER))
        (result.changed if save_source_file(source) else result.unchanged).append(name)
    flows = folder / FLOWS_DIR
    for path in sorted(flows.rglob("*.yaml")) if flows.is_dir() else []:
        name = path.relative_to(folder).as_posix()
        if is_flow_name(name) and name not in files and not path.name.startswith("."):
            path.unlink()
            result.removed.append(name)
    return result


def _valid_pack(files: dict[str, bytes]) -> Pack | None:
    pack, _problems = parse_pack(files)
    return pack


def _documents(
    name: str, old: Pack | None, new: Pack | None
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """What file ``name`` means before and after, as documents; None when unknown.

    Comparing meanings (not spellings) leaves a file alone that says the same
    thing in its own words (``required: false``, default brands listed).
    """
    if old is None or new is None:
        return None
    if name == PACK_FILE:
        return pack_document(old), pack_document(new)
    before = next((f for f in old.flows if f.file == name), None)
    after = next((f for f in new.flows if f.file == name), None)
    if before is None or after is None:
        return None
    return flow_document(before, old), flow_document(after, new)
