"""Opening a built pack (``.flowpack``) without trusting anything in it.

A built pack travels by mail, share and HTTP, so it is treated as hostile
until proven otherwise. Nothing is ever extracted to disk: members are read by
name into memory, with every bound checked before the bytes are read
(members, central directory, sizes) and again while reading (a streaming read
that stops one byte past the limit, whatever the headers claim). Then every
member's SHA-256 must match the manifest, with none missing and none extra.
Only then is the content validated, by the same code as a source folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from flowdesk.model import FORMAT
from flowdesk.packs.source import MAX_FILES
from flowdesk.packs.yamlload import MAX_FILE_BYTES
from flowdesk.problems import Problem, Refused, error

MANIFEST = "manifest.json"
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
"""A 10,000-flow pack compresses to well under 50 MB."""
MAX_MEMBERS = MAX_FILES + 16
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""All members together, uncompressed: bounds the memory an import holds."""
MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024
"""Bounds what zipfile parses before we can count members (~90 bytes a member)."""
_READ_CHUNK = 64 * 1024
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    struct.error,
)


@dataclass
class ArchiveContents:
    """What :func:`open_archive` found: the manifest and members, or the problems."""

    manifest: dict[str, Any] | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


class _Refuse(Exception):
    """Stops opening the archive; carries one or more ``(message, member, key)``."""

    def __init__(self, message: str, member: str = "", key: str = "") -> None:
        super().__init__(message)
        self.items = [(message, member, key)]

    @classmethod
    def many(cls, items: list[tuple[str, str, str]]) -> _Refuse:
        refusal = cls(*items[0])
        refusal.items = items
        return refusal


def member_label(archive: str, member: str) -> str:
    """How problems name a member of a built pack: ``np.flowpack!flows/np.yaml``."""
    return f"{archive}!{member}" if member else archive


def unsafe_name(name: str) -> str | None:
    """Why a member name could escape or confuse a folder (zip path traversal), or None."""
    if not name:
        return "empty member name"
    if _CONTROL.search(name):
        return "control character in member name"
    if "\\" in name:
        return "backslash in member name"
    if name.startswith("/"):
        return "absolute member name"
    if ":" in name:
        return "drive letter or ':' in member name"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return "'..', '.' or empty part in member name (or a folder entry)"
    return None


def open_archive(
    path: Path, *, extra_members: Collection[str] = (), known: Mapping[str, str] | None = None
) -> ArchiveContents:
    """Read and verify a built pack's members; never raises for a bad file.

    ``files`` holds ``manifest.json`` and every listed member (and any of
    ``extra_members`` present, e.g. a signature the sync part adds, which the
    manifest cannot list). Returned files are only filled when all checks pass.

    ``known`` maps member names to the SHA-256 of content the caller already
    holds (the version before, verified when it was read): a member the manifest
    lists with that same SHA-256 is neither read nor hashed, and is left out of
    ``files``. Every member read is verified; the listing is checked in full.
    """
    label = str(path)
    try:
        manifest, files = _open(path, set(extra_members), known or {})
    except _Refuse as exc:
        return ArchiveContents(
            problems=[error(member_label(label, m), key, msg) for msg, m, key in exc.items]
        )
    except _ZIP_ERRORS as exc:
        return ArchiveContents(problems=[error(label, "", f"not a readable flow pack: {exc}")])
    return ArchiveContents(manifest, files)


def check_bounds(path: Path) -> None:
    """Refused unless ``path`` is within a pack's bounds, before any zip parser reads it.

    Size, member count and central directory size come from the end record
    alone, so a file built to exhaust memory or time (millions of central
    directory entries, zip64) is refused in milliseconds by every reader: the
    pack loader and the signature check alike.
    """
    try:
        with path.open("rb") as f:
            _check_size_and_end(f)
    except _Refuse as exc:
        raise Refused(exc.items[0][0], file=str(path)) from None
    except OSError as exc:
        raise Refused(f"cannot read: {exc.strerror or exc}", file=str(path)) from None


def _check_size_and_end(f: IO[bytes]) -> int:
    size = os.fstat(f.fileno()).st_size
    if size == 0:
        raise _Refuse("empty file (not a flow pack)")
    if size > MAX_ARCHIVE_BYTES:
        raise _Refuse(f"too large for a flow pack ({size:,} bytes)")
    _check_end_record(f, size)
    return size


def _open(
    path: Path, extra_members: set[str], known: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    try:
        f = path.open("rb")
    except OSError as exc:
        raise _Refuse(f"cannot read: {exc.strerror or exc}") from exc
    with f:
        _check_size_and_end(f)
        with zipfile.ZipFile(f) as zf:
            infos = _checked_infos(zf, extra_members)
            manifest_bytes = _read(zf, infos[MANIFEST], MAX_MANIFEST_BYTES)
            manifest = _parse_manifest(manifest_bytes)
            listed: dict[str, str] = manifest["members"]
            bad = _listing_problems(infos, listed, extra_members)
            files = {MANIFEST: manifest_bytes}
            for name in [*listed, *(n for n in extra_members if n in infos)]:
                if name in infos and not _held(name, listed, known):
                    files[name] = _read(zf, infos[name], MAX_FILE_BYTES)
            for name, expected in listed.items():
                data = files.get(name)
                if data is not None and hashlib.sha256(data).hexdigest() != expected.lower():
                    bad.append(("changed since the pack was built (SHA-256 differs)", name, ""))
    if bad:
        raise _Refuse.many(bad)
    return manifest, files


def _held(name: str, listed: Mapping[str, str], known: Mapping[str, str]) -> bool:
    """True when the caller holds this listed member's content already (same SHA-256)."""
    digest = known.get(name)
    return digest is not None and name in listed and digest.lower() == listed[name].lower()


def _check_end_record(f: IO[bytes], size: int) -> None:
    """Refuse non-zips, zip64 and oversized central directories before zipfile parses them."""
    tail_size = min(size, 22 + 0xFFFF)
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _Refuse("not a flow pack (not a zip file)")
    _sig, _d1, _d2, _n1, members, cd_size, cd_offset, _c = struct.unpack(
        "<4s4H2LH", tail[at : at + 22]
    )
    if (
        members == 0xFFFF
        or 0xFFFFFFFF in (cd_size, cd_offset)
        or tail[max(at - 20, 0) : at - 16] == b"PK\x06\x07"
    ):
        raise _Refuse("zip64 archives are not flow packs (a pack is far smaller)")
    if members > MAX_MEMBERS or cd_size > MAX_CENTRAL_DIRECTORY:
        raise _Refuse(f"too many members (limit {MAX_FILES:,})")


def _checked_infos(zf: zipfile.ZipFile, extra_members: set[str]) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _Refuse(f"too many members ({len(infos):,}, limit {MAX_FILES:,})")
    by_name: dict[str, zipfile.ZipInfo] = {}
    declared_total = 0
    for info in infos:
        name = info.filename
        why = unsafe_name(info.orig_filename) or unsafe_name(name)
        if why is not None:
            raise _Refuse(f"unsafe member {info.orig_filename!r}: {why}")
        if name in by_name:
            raise _Refuse("member appears twice in the zip", name)
        if info.flag_bits & 0x1:
            raise _Refuse("encrypted member", name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Refuse(f"unsupported compression (method {info.compress_type})", name)
        limit = MAX_MANIFEST_BYTES if name == MANIFEST else MAX_FILE_BYTES
        if info.file_size > limit:
            raise _Refuse(f"member too large ({info.file_size:,} bytes, limit {limit:,})", name)
        declared_total += info.file_size
        by_name[name] = info
    if declared_total > MAX_TOTAL_BYTES:
        raise _Refuse(f"members too large together ({declared_total:,} bytes)")
    if MANIFEST not in by_name:
        raise _Refuse(f"missing {MANIFEST} (not a built flow pack)")
    return by_name


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, read in chunks and stopped one byte past ``limit``."""
    chunks: list[bytes] = []
    total = 0
    with zf.open(info) as member:
        while True:
            chunk = member.read(min(_READ_CHUNK, limit + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise _Refuse(f"member larger than its limit ({limit:,} bytes)", info.filename)
            chunks.append(chunk)
    return b"".join(chunks)


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Refuse(f"not valid JSON: {exc}", MANIFEST) from exc
    if not isinstance(manifest, dict):
        raise _Refuse("expected a JSON object", MANIFEST)
    for key, kind in (("format", str), ("id", str), ("title", str), ("built_at", str)):
        if key not in manifest:
            raise _Refuse("required, but missing", MANIFEST, key)
        if not isinstance(manifest[key], kind):
            raise _Refuse("expected text", MANIFEST, key)
    if manifest["format"] != FORMAT:
        raise _Refuse(f"expected {FORMAT!r}, found {manifest['format']!r}", MANIFEST, "format")
    sequence = manifest.get("sequence")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence <= 0:
        raise _Refuse("expected a positive integer", MANIFEST, "sequence")
    if "version" not in manifest or not isinstance(manifest["version"], str | None):
        raise _Refuse("expected text or null", MANIFEST, "version")
    members = manifest.get("members")
    if not isinstance(members, dict):
        raise _Refuse("expected an object of member name to SHA-256", MANIFEST, "members")
    for name, digest in members.items():
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise _Refuse("expected a SHA-256 in hex", MANIFEST, f"members[{name!r}]")
        why = unsafe_name(name)
        if why is not None or name == MANIFEST:
            raise _Refuse(why or "the manifest cannot list itself", MANIFEST, f"members[{name!r}]")
    return manifest


def _listing_problems(
    infos: dict[str, zipfile.ZipInfo], listed: dict[str, str], extra_members: set[str]
) -> list[tuple[str, str, str]]:
    """Members the manifest lists that are absent, and members it does not list."""
    bad = [
        ("missing: listed in the manifest but not in the pack", name, "")
        for name in listed
        if name not in infos
    ]
    bad += [
        ("extra member, not listed in the manifest", name, "")
        for name in infos
        if name != MANIFEST and name not in listed and name not in extra_members
    ]
    return bad
