"""What the Studio learnt reading each flow file, kept for the next opening of the same source.

Reading and checking 10,000 flow files takes seconds even on every core; a
process owner opens the same source day after day with a handful of files
changed. So each file's summary and problems (:mod:`flowdesk.ui.studio.reading`)
are kept in the data folder, keyed by a digest of what the read depends on:
FlowDesk's version, the file's name and bytes, and the axes of pack.yaml the
checks of a flow consult. A changed file, a changed axis or a newer FlowDesk
misses, and the file is read again; nothing stale can be shown.

It is a cache, never the truth: a missing, damaged or foreign file is ignored.
It holds plain tuples only; reading refuses any class, so a planted file
cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import logging
import pickle
from pathlib import Path
from typing import Any

from flowdesk import __version__
from flowdesk.files import atomic_write
from flowdesk.packs.packfile import PackHead

log = logging.getLogger(__name__)

FORMAT = 1
Entry = tuple[Any, list[tuple[Any, ...]]]  # (summary or None, problems as tuples)


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the Studio's read cache")


class ReadCache:
    """The kept reads of one source folder (a file in the data folder's ``studio`` folder).

    An entry is found by the digest of FlowDesk's version, the file's name and
    its bytes, and is used only while the parts of pack.yaml its checks
    consulted are what they were: the channel and brand codes, the offer of
    its business (and, for a flow whose decisions name a built-in axis, the
    business codes). So editing one business's channels re-reads only its flows
    at the next opening.
    """

    def __init__(self, folder: Path, source: Path) -> None:
        name = hashlib.blake2b(str(Path(source).resolve()).encode(), digest_size=12).hexdigest()
        self.path = Path(folder) / f"reads-{name}.pickle"
        self._kept: dict[bytes, tuple[bytes, Entry]] | None = None
        self._next: dict[bytes, tuple[bytes, Entry]] = {}
        self._codes = self._all = b""
        self._offers: dict[str | None, bytes] = {}

    def start(self, head: PackHead | None) -> None:
        """Check the next look-ups against this pack.yaml."""
        self._next = {}
        if head is None:
            self._codes = self._all = b"-"
            self._offers = {}
            return
        self._codes = _hash(sorted(head.channel_codes), sorted(head.brand_codes))
        self._offers = {
            b.code: _hash(self._codes, b.code, tuple(b.channels), tuple(b.brands))
            for b in head.businesses
        }
        self._all = _hash(self._codes, sorted(self._offers.items()))

    def _dependency(self, summary: Any) -> bytes:
        if summary is None:  # no usable id: its problems may depend on anything
            return self._all
        offer = self._offers.get(summary[4], self._codes + b"?")
        return _hash(offer, self._all) if summary[-1] else offer

    @staticmethod
    def digest(name: str, data: bytes) -> bytes:
        h = hashlib.blake2b(f"{FORMAT}:{__version__}:{name}".encode() + b"\0", digest_size=16)
        h.update(data)
        return h.digest()

    def get(self, digest: bytes) -> Entry | None:
        """The kept entry of a file, if its read still holds; it is kept again."""
        if self._kept is None:
            self._kept = self._load()
        found = self._kept.get(digest)
        if found is None or found[0] != self._dependency(found[1][0]):
            return None
        self._next[digest] = found
        return found[1]

    def put(self, digest: bytes, entry: Entry) -> None:
        self._next[digest] = (self._dependency(entry[0]), entry)

    def save(self) -> None:
        """Keep the entries got or put since :meth:`start` (the files of the source now)."""
        if self._kept is not None and self._kept.keys() == self._next.keys():
            return  # every file was found: nothing to write
        self._kept, self._next = self._next, {}
        try:
            data = pickle.dumps((FORMAT, self._kept), protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write(self.path, data)
        except OSError as exc:  # a full or read-only data folder only costs the next opening
            log.warning("cannot keep the Studio's read cache %s: %s", self.path, exc)

    def _load(self) -> dict[bytes, tuple[bytes, Entry]]:
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        try:
            kept = _PlainUnpickler(io.BytesIO(data)).load()
        except Exception as exc:  # damaged or foreign: read the source the long way
            log.warning("ignoring the Studio's read cache %s: %s", self.path, exc)
            return {}
        if not isinstance(kept, tuple) or len(kept) != 2 or kept[0] != FORMAT:
            return {}
        return kept[1] if isinstance(kept[1], dict) else {}


def _hash(*parts: Any) -> bytes:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).digest()
