"""Saving the Studio's edited files into the author's pack source, and noticing others' changes.

Only edited files are written, through :mod:`flowdesk.packs.roundtrip`: the
change between what a file meant when loaded and what it means now is merged
into the author's file, so comments and layout stay; a file with no change is
not written; every write is atomic. A file changed on disk by someone else is
reported, never overwritten silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowdesk.files import atomic_write
from flowdesk.packs.roundtrip import (
    ChangedOnDisk,
    apply_changes,
    apply_value,
    house_style,
    new_source_file,
    parse_source_text,
    save_source_file,
)


@dataclass
class SaveReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


class SourceFiles:
    """The saving half of :class:`~flowdesk.ui.studio.document.StudioDocument`."""

    folder: Path
    files: dict[str, bytes]
    disk: dict[str, bytes]  # the bytes each file had when read or last saved
    docs: dict[str, dict[str, Any]]  # edited documents, by file name
    base: dict[str, dict[str, Any] | None]  # their meaning on disk
    removed: set[str]

    @property
    def modified(self) -> bool:
        return bool(self.docs) or bool(self.removed)

    def changed_on_disk(self, names: Iterable[str] | None = None) -> list[str]:
        """Files someone else changed (or removed) since they were read or saved here.

        ``names``: only these (a 10,000-file source is not read again every few seconds).
        """
        wanted = self.disk if names is None else [n for n in names if n in self.disk]
        changed = []
        for name in sorted(wanted):
            data = self.disk[name]
            path = self.folder / name
            try:
                if path.read_bytes() != data:
                    changed.append(name)
            except FileNotFoundError:
                changed.append(name)
        return changed

    def save(self, *, force: Iterable[str] = ()) -> SaveReport:
        """Write edited files (only those), atomically; conflicts are listed, not written."""
        report = SaveReport()
        forced = set(force)
        for name in sorted(self.docs):
            try:
                written = self._save_one(name, name in forced)
            except ChangedOnDisk:
                report.conflicts.append(name)
                continue
            if written:
                report.written.append(name)
        for name in sorted(self.removed):
            path = self.folder / name
            if path.exists() and self.disk.get(name) == path.read_bytes():
                path.unlink()
                report.removed.append(name)
            elif path.exists():
                report.conflicts.append(name)
                continue
            self.disk.pop(name, None)
            self.removed.discard(name)
        return report

    def _save_one(self, name: str, force: bool) -> bool:
        path = self.folder / name
        doc = self.docs[name]
        if name in self.disk:
            if not force and path.exists() and path.read_bytes() != self.disk[name]:
                raise ChangedOnDisk(name, "changed on disk since it was opened")
            source = parse_source_text(self.disk[name], path)
            base = self.base.get(name)
            if base is not None:
                source.data = apply_changes(source.data, base, doc)
            else:
                source.data = apply_value(source.data, doc)
            written = save_source_file(source, force=True)
            data = source.original
        else:
            data = new_source_file(path, house_style(doc)).dumps()
            atomic_write(path, data)
            written = True
        self.disk[name] = data
        self.files[name] = data
        self.base[name] = doc
        del self.docs[name]
        return written
