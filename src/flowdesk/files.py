"""Writing a file so readers see the old one or the new one, never half; a file's digest.

Every file FlowDesk replaces (settings, marks, exports, reports, built and
signed packs, pack source files) goes through :func:`replacing`: the new
content is written to a temporary file beside the target, flushed to disk,
and renamed over it. A crash or an error at any point leaves the old file
whole and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: Where a temporary file lives while it is written: ``.<name>.<random>.tmp`` beside it.
TEMP_SUFFIX = ".tmp"


@contextlib.contextmanager
def replacing(path: Path, *, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside ``path``; it replaces ``path`` when the block ends cleanly.

    Write the new content to the yielded path (and close it) inside the block.
    The new file takes ``mode`` when given, else the mode of the file it
    replaces (a hand-set permission survives a save); a new file stays private
    to its owner, as :func:`tempfile.mkstemp` makes it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync(tmp)
        keep = mode if mode is not None else _mode_of(path)
        if keep is not None:
            with contextlib.suppress(OSError):
                os.chmod(tmp, keep)
        os.replace(tmp, path)
    except BaseException:  # a full disk, a bad value, a kill: the old file stays, no temp
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def is_temporary(name: str) -> bool:
    """Whether a file name is one :func:`replacing` gives its temporary files."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` (see :func:`replacing`)."""
    with replacing(path, mode=mode) as tmp:
        tmp.write_bytes(data)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes as hex, read in 1 MiB chunks (packs can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mode_of(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None
