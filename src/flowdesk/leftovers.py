"""What a crashed import or sync leaves in the data folder, and sweeping it up.

An index is built aside (``index/.tmp-<pack>-<seq>-p<pid>-<tag>``, an update
of it in ``….next``) and moved into place only when complete; a download
arrives as a ``.part`` file beside its finished ``.flowpack``. A kill -9 at
the wrong moment leaves these behind. The next open of the desk sweeps them:
a staging folder whose process is no longer running, and a download whose
version is already installed (or older than the installed one). A staging
folder of a process still running (another import right now) is left alone,
and so is the ``.part`` of a version not yet installed: the next sync resumes
it.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from flowdesk.files import is_temporary
from flowdesk.paths import DOWNLOADED_PACK, DataDir

STAGING_PREFIX = ".tmp-"
#: Suffixes an index update and a swap give their folders (search/index.py).
_SWAP_SUFFIXES = (".next", ".old")
_PID = re.compile(r"-p(\d+)-[0-9a-f]+(?:\.next|\.old)?$")
#: A temporary file of an atomic write is gone within milliseconds; one older
#: than this belongs to a process that died while writing it.
_TEMP_FILE_AGE = 600.0


def staging_dir(indexes: Path, pack_id: str, sequence: int) -> Path:
    """A fresh staging folder name for one version's index, owned by this process."""
    return indexes / f"{STAGING_PREFIX}{pack_id}-{sequence}-p{os.getpid()}-{uuid.uuid4().hex[:8]}"


def sweep(data: DataDir, versions: Iterable[tuple[str, int]]) -> list[Path]:
    """Remove the leftovers of crashed imports and syncs; returns what was removed.

    ``versions`` are the installed (pack id, sequence) pairs. Never
    raises: a leftover that cannot be removed now (a read-only folder, a file
    held open on Windows) is tried again next time.
    """
    installed: dict[str, int] = {}
    for pack_id, sequence in versions:
        installed[pack_id] = max(sequence, installed.get(pack_id, 0))
    removed: list[Path] = []
    for entry in _entries(data.indexes):
        if _is_staging(entry.name) and not _owner_alive(entry.name):
            _remove(entry, removed)
    for entry in _entries(data.downloads):
        match = DOWNLOADED_PACK.match(entry.name)
        if match is not None:
            newest = installed.get(match["pack"])
            if newest is not None and int(match["seq"]) <= newest:
                _remove(entry, removed)
        elif (entry.name.startswith(STAGING_PREFIX) or is_temporary(entry.name)) and _stale(entry):
            _remove(entry, removed)
    return removed


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _is_staging(name: str) -> bool:
    return name.startswith(STAGING_PREFIX) or name.endswith(_SWAP_SUFFIXES)


def _owner_alive(name: str) -> bool:
    match = _PID.search(name)
    return match is not None and _pid_alive(int(match.group(1)))


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (without signalling it: on Windows os.kill would end it)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _stale(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > _TEMP_FILE_AGE
    except OSError:
        return False


def _remove(path: Path, removed: list[Path]) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        return
    removed.append(path)
