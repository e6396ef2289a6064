"""Where this desk stands: its desk id and the ``desk_status`` events it sends.

A team lead must know that each of their desks has the new version, so every
desk tells the central store, through the usage events it pushes anyway:

* **When.** At the window's start, after each pack change (an import, a
  version taking effect, a rollback) and with every ``usage push``, so "last
  contact" on the central store is the last push.
* **What.** One ``desk_status`` event per pack id for its active version
  (``state: active``) and one per pending version (``state: pending``, with its
  ``effective`` time): contract keys ``pack_id``, ``pack_sequence``,
  ``app_version``, ``desk_id``, plus the desk's ``ring`` where it has one.
* **The desk id** is made once per data folder, as ``HOST-xxxxxxxx`` (the
  computer's name, readable on a floor plan, and 8 random hex digits so two
  desks never collide), and kept in ``desk.json``. A data folder copied to
  another computer (a cloned disk image) gets a new id there, because the id
  file remembers the host it was made on; the old id is kept as ``previous``.
"""

from __future__ import annotations

import json
import re
import socket
import uuid
from typing import TYPE_CHECKING, Any

from flowdesk import __version__, clock
from flowdesk.files import atomic_write
from flowdesk.paths import DataDir
from flowdesk.settings import Settings
from flowdesk.usage.events import UsageEvent

if TYPE_CHECKING:
    from flowdesk.desk_protocol import DeskProtocol

_HOST_CHARS = re.compile(r"[^A-Za-z0-9-]+")


def host_name() -> str:
    name = _HOST_CHARS.sub("-", socket.gethostname().split(".")[0]).strip("-")
    return (name or "desk")[:40].lower()


def desk_id(data: DataDir) -> str:
    """This desk's id, made on first use and kept (see the module's rules)."""
    path = data.desk_status
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    if not isinstance(stored, dict):
        stored = {}
    host = host_name()
    known = stored.get("desk_id")
    if isinstance(known, str) and known and stored.get("host") == host:
        return known
    made = f"{host}-{uuid.uuid4().hex[:8]}"
    record: dict[str, Any] = {**stored, "desk_id": made, "host": host}
    if isinstance(known, str) and known:
        record["previous"] = [*stored.get("previous", []), known]
    atomic_write(path, json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"))
    return made


def status_fields(desk: DeskProtocol, settings: Settings) -> list[dict[str, Any]]:
    """The ``desk_status`` events' fields: one per active and per pending version."""
    the_id = desk_id(desk.data)
    out = []
    for info in desk.packs():
        if info.state == "previous":
            continue
        fields: dict[str, Any] = {
            "pack_id": info.pack_id,
            "pack_sequence": info.sequence,
            "app_version": __version__,
            "desk_id": the_id,
            "state": info.state,
            "ring": settings.ring or None,
        }
        if info.state == "pending" and info.effective_at is not None:
            from flowdesk.packs.effective import format_effective

            fields["effective"] = format_effective(info.effective_at)
        out.append(fields)
    return out


def status_events(desk: DeskProtocol, settings: Settings) -> list[UsageEvent]:
    """``desk_status`` events as the desk's agent (or the desk itself, with no agent set)."""
    from dataclasses import replace

    agent = settings.agent_id or f"desk:{desk_id(desk.data)}"
    events = [
        UsageEvent.new("desk_status", agent, settings.team, **{k: v for k, v in f.items() if v})
        for f in status_fields(desk, settings)
    ]
    # One status is one moment (report desks tells a dropped pending version by its time),
    # on the desk's clock, so a rehearsed tariff day reports as that day.
    at = clock.now().astimezone()
    at = at.replace(microsecond=at.microsecond // 1000 * 1000)
    return [replace(e, ts=at) for e in events]


def fingerprint(fields: list[dict[str, Any]]) -> str:
    """What a status says, to tell whether it changed since the last one sent."""
    keys = ("pack_id", "pack_sequence", "state", "effective", "ring", "app_version")
    return json.dumps(sorted([[f.get(k) for k in keys] for f in fields]), ensure_ascii=False)


def record_status(desk: DeskProtocol, *, only_if_changed: bool = False) -> int:
    """Write this desk's status into its usage log; returns the events written.

    ``only_if_changed``: nothing when the status is what was last written (a
    command that changed no pack writes nothing).
    """
    from flowdesk.usage.log import UsageLog

    settings = Settings.load(desk.data.settings)
    fields = status_fields(desk, settings)
    path = desk.data.desk_status
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    mark = fingerprint(fields)
    if only_if_changed and stored.get("last_status") == mark:
        return 0
    events = status_events(desk, settings)
    with UsageLog.open(desk.data.usage) as log:
        for event in events:
            log.record(event)
        log.flush()
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["last_status"] = mark
    atomic_write(path, json.dumps(stored, ensure_ascii=False, indent=2).encode("utf-8"))
    return len(events)
