"""The desk's own settings: who sits here and how they like to work.

A small JSON file in the data folder (never secrets: those go in the OS
keyring). Unknown keys are kept as they are, so an older FlowDesk does not
drop what a newer one wrote.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from flowdesk.files import atomic_write
from flowdesk.problems import Refused
from flowdesk.statefiles import read_state_text

#: A week: a longer interval is a typo, not a schedule.
MAX_SYNC_INTERVAL_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class SyncSchedule:
    """The window's background sync: from which source, how often, applied by itself or not."""

    source: str
    every_minutes: int
    auto_apply: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "every_minutes": self.every_minutes,
            "apply": "auto" if self.auto_apply else "ask",
        }


@dataclass
class Settings:
    agent_id: str | None = None
    team: str | None = None
    language: str = "zh_CN"
    usual_channel: str | None = None
    usual_brand: str | None = None
    #: background sync while the window is open (``flowdesk source schedule``): a source
    #: name (``flowdesk source add``), how often to check, in minutes (0: never, only
    #: "check for updates" by hand), and what to do with a verified update: "auto" applies
    #: it between calls, "ask" lights a notice for someone to look and apply.
    sync_source: str | None = None
    sync_interval_minutes: int = 0
    sync_apply: str = "ask"
    #: the staged-rollout ring this desk is in (``flowdesk desk ring NAME``; see
    #: docs/signing.md): a source may offer a version to some rings first
    ring: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def sync_schedule(self) -> SyncSchedule | None:
        """The background sync, or None when off (or hand-edited into nonsense)."""
        minutes = self.sync_interval_minutes
        if (
            not isinstance(self.sync_source, str)
            or not self.sync_source
            or isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 0 < minutes <= MAX_SYNC_INTERVAL_MINUTES
        ):
            return None
        return SyncSchedule(self.sync_source, minutes, self.sync_apply == "auto")

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings; a missing file gives the defaults, a broken one is refused."""
        raw = read_state_text(path, "the settings file")
        if raw is None:
            return cls()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise Refused(
                f"settings are not valid JSON: {exc}; fix the file or remove it "
                "(FlowDesk then starts with its defaults)",
                file=str(path),
            ) from None
        if not isinstance(data, dict):
            raise Refused("settings must be a JSON object", file=str(path))
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in data.items() if k in known}
        for key in _TEXT & values.keys():
            if values[key] is None and key == "language":
                del values[key]  # the default language
            elif values[key] is not None and not isinstance(values[key], str):
                raise Refused(
                    f"{key}: expected text, got {json.dumps(values[key], ensure_ascii=False)[:40]}",
                    file=str(path),
                )
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**values, extra=extra)

    def save(self, path: Path) -> None:
        """Write atomically: a crash leaves the old file or the new one, never half."""
        data = asdict(self)
        data.update(data.pop("extra"))
        text = json.dumps(data, ensure_ascii=False, indent=2)  # a bad value fails before any write
        atomic_write(path, text.encode("utf-8"))


#: Settings that are text (or null); a hand edit that makes one a number or a list is
#: refused with its key. The sync schedule's keys are checked by ``sync_schedule``.
_TEXT = frozenset({"agent_id", "team", "language", "usual_channel", "usual_brand"})
