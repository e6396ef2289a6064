"""``flowdesk pack build``: a validated source folder made into one ``.flowpack`` file.

The built pack is a zip with ``manifest.json`` first (pack identity, build
time and the SHA-256 of every other member) and the source files under their
relative names, in a fixed order with fixed timestamps, so two builds of the
same source at the same build time are byte-identical. It is written to a
temporary file beside the target and moved into place, so a reader never
sees half a pack.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from flowdesk import __version__
from flowdesk.files import replacing
from flowdesk.model import FORMAT
from flowdesk.packs.archive import MANIFEST
from flowdesk.packs.load import load_pack
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.problems import Problem, Refused, error


def build_pack(
    src_folder: Path | str,
    out_file: Path | str,
    *,
    built_at: _dt.datetime | None = None,
    problems: list[Problem] | None = None,
) -> dict[str, Any]:
    """Validate ``src_folder`` and write it as a built pack; returns the manifest.

    Raises :class:`Refused` (with every problem, warnings included) when the
    source has errors or the file cannot be written; nothing is written then.
    Warnings of an accepted source are appended to ``problems`` when given.
    ``built_at`` defaults to now (a naive datetime is taken as local time);
    the manifest records it in UTC, to the second.
    """
    src, out = Path(src_folder), Path(out_file)
    if src.is_file() and src.name != PACK_FILE:
        raise Refused(
            [error(str(src), "", "build takes a pack source folder (pack.yaml + flows/)")]
        )
    loaded = load_pack(src)
    if not loaded.ok or loaded.pack is None:
        raise Refused(loaded.problems)
    if problems is not None:
        problems.extend(loaded.warnings)
    pack = loaded.pack
    when = (built_at or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC).replace(microsecond=0)
    names = [PACK_FILE, *sorted(n for n in loaded.files if n != PACK_FILE)]
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "id": pack.id,
        "sequence": pack.sequence,
        "version": pack.version,
        "title": pack.title,
        "built_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "generator": f"flowdesk {__version__}",
        "members": {n: hashlib.sha256(loaded.files[n]).hexdigest() for n in names},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    members = [(MANIFEST, manifest_bytes), *((n, loaded.files[n]) for n in names)]
    _write_atomically(out, members, when)
    return manifest


def _write_atomically(out: Path, members: list[tuple[str, bytes]], when: _dt.datetime) -> None:
    if out.is_dir():
        raise Refused([error(str(out), "", "is a folder; give the .flowpack file to write")])
    date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    try:  # a pack is meant to be shared: 0644, not the temporary file's private mode
        with replacing(out, mode=0o644) as tmp, zipfile.ZipFile(tmp, "w") as zf:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data)
    except OSError as exc:
        raise Refused([error(str(out), "", f"cannot write: {exc.strerror or exc}")]) from exc
