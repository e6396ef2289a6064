"""The desk's own settings: who sits here and how they like to work.

A small JSON file in the data folder (never secrets: those go in the OS
keyring). Unknown keys are kept as they are, so an older FlowDesk does not
drop what a newer one wrote.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from flowdesk.problems import Refused


@dataclass
class Settings:
    agent_id: str | None = None
    team: str | None = None
    language: str = "zh_CN"
    usual_channel: str | None = None
    usual_brand: str | None = None
    #: background sync while the window is open: a source name (``flowdesk source add``)
    #: and how often to check, in minutes (0: never, only "check for updates" by hand).
    sync_source: str | None = None
    sync_interval_minutes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings; a missing file gives the defaults, a broken one is refused."""
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise Refused(f"settings are not valid JSON: {exc}", file=str(path)) from None
        if not isinstance(data, dict):
            raise Refused("settings must be a JSON object", file=str(path))
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**values, extra=extra)

    def save(self, path: Path) -> None:
        """Write atomically: a crash leaves the old file or the new one, never half."""
        data = asdict(self)
        data.update(data.pop("extra"))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
