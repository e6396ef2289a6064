"""Publishing a signed pack into a folder source and updating its index.

The process owner publishes to a folder (the shared drive, or the folder a web
server serves). The pack file is copied in first and the index replaced
atomically after, so a desk reading the index mid-publish sees either the old
index or the new one with its file already complete.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from flowdesk.files import atomic_write, replacing, sha256_file
from flowdesk.problems import Refused
from flowdesk.sync.index import INDEX_FILE, IndexEntry, SourceIndex, parse_index
from flowdesk.sync.signature import MANIFEST, read_manifest_bytes, read_signature

PACKS_DIR = "packs"


def publish_pack(
    pack_file: Path, folder: Path, allow_unsigned: bool = False, ring: str | None = None
) -> IndexEntry:
    """Copy a built, signed pack into ``folder/packs/`` and list it in ``folder/index.json``.

    Refuses an unsigned pack (desks would refuse it) unless ``allow_unsigned``,
    and a sequence not newer than one already published for the pack id.
    ``ring``: offer it to that ring's desks only, for now (:mod:`flowdesk.rollout.rings`);
    publishing the same version again without a ring offers it to everyone.
    """
    pack_file, folder = Path(pack_file), Path(folder)
    if not folder.is_dir():
        raise Refused("the source folder does not exist", file=str(folder))
    sig = read_signature(pack_file)
    if sig is None and not allow_unsigned:
        raise Refused(
            "sign the pack first (`flowdesk pack sign`); desks refuse unsigned packs",
            file=str(pack_file),
        )
    manifest = _manifest(pack_file)
    pack_id, sequence = manifest["id"], manifest["sequence"]
    index_path = folder / INDEX_FILE
    index = SourceIndex()
    if index_path.exists():
        index = parse_index(index_path.read_bytes(), str(index_path))
    staged = _staged(index, pack_id, sequence)
    if staged is not None and ring is None:  # a ring's version, now offered to every desk
        atomic_write(index_path, _promote(index, staged).to_bytes())
        return staged
    newest = index.for_ring(ring).newest().get(pack_id)
    if newest is not None and sequence <= newest.sequence:
        raise Refused(
            f"{pack_id} #{sequence} is not newer than the published #{newest.sequence}; "
            "raise `sequence` in pack.yaml and build again",
            file=str(pack_file),
        )
    relative = f"{PACKS_DIR}/{pack_id}-{sequence}.flowpack"
    target = folder / relative
    with replacing(target) as tmp:
        shutil.copyfile(pack_file, tmp)
    entry = IndexEntry(
        pack_id=pack_id,
        sequence=sequence,
        file=relative,
        size=target.stat().st_size,
        sha256=sha256_file(target),
        key_id=sig.key_id if sig else None,
        title=manifest.get("title") if isinstance(manifest.get("title"), str) else None,
        version=manifest.get("version") if isinstance(manifest.get("version"), str) else None,
        published_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    atomic_write(index_path, _listed(index, entry, ring).to_bytes())
    return entry


def _listed(index: SourceIndex, entry: IndexEntry, ring: str | None) -> SourceIndex:
    """The index with ``entry`` offered to everyone, or to ``ring``'s desks only."""
    if ring is None:
        return SourceIndex((*index.entries, entry), index.rings)
    rings = dict(index.rings)
    rings[ring] = (*rings.get(ring, ()), entry)
    return SourceIndex(index.entries, tuple(rings.items()))


def _promote(index: SourceIndex, entry: IndexEntry) -> SourceIndex:
    """A ring's publication moved to everyone's list (the file stays where it is)."""
    key = (entry.pack_id, entry.sequence)
    rings = tuple(
        (name, tuple(e for e in entries if (e.pack_id, e.sequence) != key))
        for name, entries in index.rings
    )
    # The ring stays named, empty, so desks set to it (``desk ring``) are still told it exists.
    return SourceIndex((*index.entries, entry), rings)


def _staged(index: SourceIndex, pack_id: str, sequence: int) -> IndexEntry | None:
    for _name, entries in index.rings:
        for entry in entries:
            if entry.pack_id == pack_id and entry.sequence == sequence:
                return entry
    return None


def _manifest(pack_file: Path) -> dict:
    try:
        manifest = json.loads(read_manifest_bytes(pack_file).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile):
        raise Refused(f"{MANIFEST} is not valid JSON", file=str(pack_file)) from None
    seq = manifest.get("sequence") if isinstance(manifest, dict) else None
    if not isinstance(manifest.get("id"), str) or not isinstance(seq, int) or seq < 1:
        raise Refused(f"{MANIFEST} lacks a pack id and sequence", file=str(pack_file))
    return manifest
