"""The one way into a pack: :func:`load_pack` for a folder, a pack.yaml or a .flowpack.

The CLI (``pack validate``, ``pack import``), the window and sync all call
this, so a pack is judged the same way wherever it comes from. It never
raises for bad input: everything wrong comes back as problems.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from flowdesk.model import Pack
from flowdesk.packs.archive import MANIFEST, member_label, open_archive
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.packs.source import is_flow_name, parse_pack, read_folder
from flowdesk.problems import HasProblems, Problem, error, warning


@dataclass
class LoadedPack(HasProblems):
    """A pack as loaded: the model (None when refused), its problems and raw files.

    ``files`` are the raw members by relative name (``pack.yaml``,
    ``flows/…``; for a built pack also ``manifest.json``), kept for signing
    and incremental sync. ``manifest`` is the built pack's manifest, None for
    a source folder.
    """

    path: Path
    pack: Pack | None
    problems: list[Problem] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there is a pack and no error (warnings allowed)."""
        return self.pack is not None and not self.errors


def load_pack(path: Path | str, *, extra_members: Collection[str] = ()) -> LoadedPack:
    """Read and validate a pack source folder, its ``pack.yaml``, or a built ``.flowpack``.

    ``extra_members`` names members a built pack may carry beyond its manifest
    (a signature added after building); they are returned in ``files``.
    """
    path = Path(path)
    if path.is_dir():
        return _load_folder(path)
    if path.is_file() and path.suffix in (".yaml", ".yml"):
        if path.name == PACK_FILE:
            return _load_folder(path.parent)
        return LoadedPack(
            path,
            None,
            [error(str(path), "", "give the pack folder, its pack.yaml or a built .flowpack")],
        )
    if not path.exists():
        return LoadedPack(path, None, [error(str(path), "", "no such file or folder")])
    return _load_archive(path, extra_members)


def _load_folder(folder: Path) -> LoadedPack:
    files, problems = read_folder(folder)
    pack, found = parse_pack(files)
    return LoadedPack(folder, pack, problems + found, None, files)


def _load_archive(path: Path, extra_members: Collection[str]) -> LoadedPack:
    contents = open_archive(path, extra_members=extra_members)
    if not contents.ok or contents.manifest is None:
        return LoadedPack(path, None, contents.problems)
    label = partial(member_label, str(path))
    problems: list[Problem] = []
    for name in contents.manifest["members"]:
        if name != PACK_FILE and not is_flow_name(name):
            problems.append(warning(label(name), "", "ignored: not a pack file"))
    pack, found = parse_pack(contents.files, label)
    problems += found
    manifest = contents.manifest
    if pack is not None:
        problems += manifest_mismatches(manifest, pack, label)
        if any(p.severity == "error" for p in problems):
            pack = None
    return LoadedPack(path, pack, problems, manifest, contents.files)


def manifest_mismatches(
    manifest: Mapping[str, Any], pack: Pack, label: Callable[[str], str]
) -> list[Problem]:
    """The manifest must name the pack it carries: same id, same sequence as pack.yaml."""
    return [
        error(
            label(MANIFEST),
            key,
            f"{manifest[key]!r} differs from {PACK_FILE}'s {getattr(pack, key)!r}",
        )
        for key in ("id", "sequence")
        if manifest[key] != getattr(pack, key)
    ]
