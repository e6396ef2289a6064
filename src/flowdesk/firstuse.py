"""A desk's first use: the bundled sample pack, or word of how to get the real one.

A new user who tries the command line before the window must find the same
pack the window's first start installs, so every command that reads packs
calls :func:`ensure_pack` first. A desk rolled out for production must never
get the sample (agents would follow a fictitious flow): such a desk either
names a sync source, or was installed from a bundle whose
``desk-defaults.json`` says ``"sample_pack": false``. It gets a hint of how
to get its pack instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from flowdesk.desk import CancelFn, Desk, ImportResult, ProgressFn
from flowdesk.problems import Refused
from flowdesk.sync.sourcelist import SourceList

DEFAULTS_FILE = "desk-defaults.json"


@dataclass(frozen=True)
class FirstUse:
    """What :func:`ensure_pack` did: imported the sample, or left a hint (or nothing to do)."""

    imported: ImportResult | None = None
    hint: str | None = None


def bundle_allows_sample(defaults: Traversable | None = None) -> bool:
    """The bundle's own setting; a missing or unreadable file keeps the default (on)."""
    where = defaults or resources.files("flowdesk.data").joinpath(DEFAULTS_FILE)
    try:
        value = json.loads(where.read_text("utf-8")).get("sample_pack", True)
    except (OSError, ValueError, AttributeError):
        return True
    return value is not False


def production_hint(desk: Desk) -> str | None:
    """How a production desk gets its pack, or None where the sample may be used."""
    try:
        sources = SourceList(desk.data).all()
    except Refused:
        sources = []
    if sources:
        name = sources[0].name
        return f"no flow pack is installed yet: get it with `flowdesk sync {name}`"
    if not bundle_allows_sample():
        return (
            "no flow pack is installed yet: import the pack file from your team lead with "
            "`flowdesk pack import FILE`, or add its source with `flowdesk source add NAME "
            "LOCATION` and run `flowdesk sync NAME`"
        )
    return None


def ensure_pack(
    desk: Desk, progress: ProgressFn | None = None, cancel: CancelFn | None = None
) -> FirstUse:
    """On a desk where no pack was ever installed, install the sample or return a hint."""
    if not desk.needs_sample():
        return FirstUse()
    hint = production_hint(desk)
    if hint is not None:
        return FirstUse(hint=hint)
    try:
        return FirstUse(imported=desk.import_sample(progress=progress, cancel=cancel))
    except Refused:
        if not desk.needs_sample():  # another process installed it meanwhile
            return FirstUse()
        raise
