"""A loaded index's Whoosh files, held in memory and read where their bytes lie.

The index is read into memory when it is opened, so no file stays open and an
update can swap the folder while an older version still answers (Windows refuses
to rename open files). Whoosh's own in-memory storage would then hold each file
several times over; this one holds the bytes read from disk once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.structfile import BufferFile


class _View:
    """A read-only stream over bytes or a view of them: BytesIO without the copy."""

    def __init__(self, view: bytes | memoryview) -> None:
        self._view = memoryview(view)
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start, total = self._pos, len(self._view)
        self._pos = total if size is None or size < 0 else min(start + size, total)
        return self._view[start : self._pos].tobytes()

    def readline(self, size: int | None = -1) -> bytes:
        rest = self._view[self._pos :].tobytes()
        end = rest.find(b"\n") + 1 or len(rest)
        return self.read(end if size is None or size < 0 else min(end, size))

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        pass


class _InPlace(BufferFile):
    """A Whoosh file of a loaded index, read where its bytes lie.

    Whoosh's own RamStorage hands each file out as a memoryview, which its
    ``BufferFile`` copies whole, and then copies the postings and term index out
    of the segment: a 28 MB segment held three times. Here a file and each part
    of it are views of the bytes read from disk.
    """

    def __init__(self, buf: bytes | memoryview, name: str | None = None, onclose=None) -> None:
        self._buf = buf
        self._name = name
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False
        self.file = _View(buf)

    def subset(self, position: int, length: int, name: str | None = None) -> _InPlace:
        return _InPlace(memoryview(self._buf)[position : position + length], name or self._name)


class _Loaded(RamStorage):
    """Whoosh's files held in memory, opened in place (:class:`_InPlace`)."""

    def open_file(self, name: str, **kwargs: Any) -> BufferFile:
        if name not in self.files:
            raise NameError(name)
        return _InPlace(self.files[name], name=name, **kwargs)


def in_memory(directory: Path, is_whoosh_file: Callable[[str], bool]) -> RamStorage:
    """Whoosh's files of ``directory`` loaded into memory (a few MB per thousand flows)."""
    storage = _Loaded()
    for entry in directory.iterdir():
        if is_whoosh_file(entry.name) and entry.is_file():
            storage.files[entry.name] = entry.read_bytes()
    return storage
