"""The source index: what a pack source offers (``index.json``, ``flowdesk-index/1``).

A source is a folder (a shared drive) or the same folder served over HTTP(S).
Its ``index.json`` lists every published pack file with the size, SHA-256 and
signing key a desk checks before it imports anything. Entry files are paths
relative to the index, and must stay inside the source. See ``docs/signing.md``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flowdesk.problems import Problem, Refused, error

INDEX_FORMAT = "flowdesk-index/1"
INDEX_FILE = "index.json"
#: An index listing every version of many packs is a few hundred kilobytes at most.
MAX_INDEX_BYTES = 8 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_PACK_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


@dataclass(frozen=True)
class IndexEntry:
    """One published pack file in a source."""

    pack_id: str
    sequence: int
    file: str  # relative POSIX path inside the source
    size: int
    sha256: str
    key_id: str | None = None
    title: str | None = None
    version: str | None = None
    published_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.pack_id,
            "sequence": self.sequence,
            "file": self.file,
            "size": self.size,
            "sha256": self.sha256,
        }
        for key, value in (
            ("key_id", self.key_id),
            ("title", self.title),
            ("version", self.version),
            ("published_at", self.published_at),
        ):
            if value is not None:
                data[key] = value
        return data


_RING = re.compile(r"[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]{0,39}")


@dataclass(frozen=True)
class SourceIndex:
    """What a source offers: ``entries`` to every desk, ``rings`` to some desks first.

    ``rings`` maps a ring name to the publications offered only to desks of
    that ring (staged rollout, see docs/signing.md). A FlowDesk that predates
    rings reads ``packs`` alone, so a ring's version never reaches it early.
    """

    entries: tuple[IndexEntry, ...] = ()
    rings: tuple[tuple[str, tuple[IndexEntry, ...]], ...] = ()

    def for_ring(self, ring: str | None) -> SourceIndex:
        """What a desk of ``ring`` is offered: everyone's publications and its ring's."""
        own = next((entries for name, entries in self.rings if name == ring), ())
        return SourceIndex((*self.entries, *own))

    def ring_names(self) -> list[str]:
        return [name for name, _ in self.rings]

    def newest(self) -> dict[str, IndexEntry]:
        """The newest entry of each pack id."""
        best: dict[str, IndexEntry] = {}
        for entry in self.entries:
            if entry.pack_id not in best or entry.sequence > best[entry.pack_id].sequence:
                best[entry.pack_id] = entry
        return best

    def to_bytes(self) -> bytes:
        data: dict[str, Any] = {
            "format": INDEX_FORMAT,
            "packs": [e.to_json() for e in self.entries],
        }
        if self.rings:
            data["rings"] = {n: [e.to_json() for e in entries] for n, entries in self.rings}
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def safe_relative(file: object) -> str | None:
    """The entry path if it stays inside the source, else None.

    Refused: absolute paths, drive letters, backslashes, ``..`` segments, URLs
    (anything with a scheme or ``//``), empty or dot segments.
    """
    if not isinstance(file, str) or not file or len(file) > 400:
        return None
    if "\\" in file or ":" in file or file.startswith("/") or "\x00" in file:
        return None
    parts = file.split("/")
    if any(p in ("", ".", "..") for p in parts) or "?" in file or "#" in file:
        return None
    return file


def parse_index(raw: bytes, where: str) -> SourceIndex:
    """Read an index; refuses the whole index on any bad entry, listing every problem."""
    if len(raw) > MAX_INDEX_BYTES:
        raise Refused(f"the index is larger than {MAX_INDEX_BYTES} bytes", file=where)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused(f"the index is not valid JSON: {exc}", file=where) from None
    if not isinstance(data, dict):
        raise Refused("the index must be a JSON object", file=where)
    if data.get("format") != INDEX_FORMAT:
        raise Refused(f"format: expected {INDEX_FORMAT!r}", file=where)
    packs = data.get("packs")
    if not isinstance(packs, list):
        raise Refused("packs: expected a list", file=where)
    problems: list[Problem] = []
    entries = _entries(packs, "packs", where, problems)
    rings = []
    raw_rings = data.get("rings", {})
    if not isinstance(raw_rings, dict):
        problems.append(error(where, "rings", "expected an object: ring name -> list of packs"))
        raw_rings = {}
    for name, listed in raw_rings.items():
        if not _RING.fullmatch(name):
            problems.append(error(where, f"rings.{name}", "not a ring name"))
        elif not isinstance(listed, list):
            problems.append(error(where, f"rings.{name}", "expected a list of packs"))
        else:
            rings.append((name, tuple(_entries(listed, f"rings.{name}", where, problems))))
    if problems:
        raise Refused(problems)
    return SourceIndex(tuple(entries), tuple(rings))


def _entries(items: list, path: str, where: str, problems: list[Problem]) -> list[IndexEntry]:
    entries = []
    for i, item in enumerate(items):
        key = f"{path}[{i}]"
        if not isinstance(item, dict):
            problems.append(error(where, key, "expected an object"))
            continue
        entry = _entry(item, key, where, problems)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(item: dict, key: str, where: str, problems: list[Problem]) -> IndexEntry | None:
    before = len(problems)
    pack_id, seq, size = item.get("id"), item.get("sequence"), item.get("size")
    sha, file = item.get("sha256"), item.get("file")
    if not isinstance(pack_id, str) or not _PACK_ID.fullmatch(pack_id):
        problems.append(error(where, f"{key}.id", "expected a pack id"))
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        problems.append(error(where, f"{key}.sequence", "expected a positive integer"))
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        problems.append(error(where, f"{key}.size", "expected a positive byte count"))
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        problems.append(error(where, f"{key}.sha256", "expected 64 lowercase hex digits"))
    if safe_relative(file) is None:
        problems.append(error(where, f"{key}.file", f"{file!r} points outside the source; refused"))
    if len(problems) > before:
        return None

    def text(name: str) -> str | None:
        value = item.get(name)
        return value if isinstance(value, str) else None

    return IndexEntry(
        pack_id=pack_id,
        sequence=seq,
        file=file,
        size=size,
        sha256=sha,
        key_id=text("key_id"),
        title=text("title"),
        version=text("version"),
        published_at=text("published_at"),
    )
