"""The desk's own settings: who sits here and how they like to work.

A small JSON file in the data folder (never secrets: those go in the OS
keyring). Every setting FlowDesk reads is declared once, in :data:`OPTIONS`,
with its type, its default and why it exists; :class:`Settings` has one typed
attribute per option. Unknown keys are kept as they are, so an older FlowDesk
does not drop what a newer one wrote.

The file carries its layout's ``version``. :data:`UPGRADES` are the steps
from one version to the next; :meth:`Settings.load` runs the ones a file
needs, once (the next save writes the current version), so a file written
by any earlier FlowDesk still loads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from flowdesk.files import atomic_write
from flowdesk.problems import Refused
from flowdesk.statefiles import read_state_text

#: A week: a longer interval is a typo, not a schedule.
MAX_SYNC_INTERVAL_MINUTES = 7 * 24 * 60
#: The key of the settings file's layout version.
VERSION_KEY = "version"


@dataclass(frozen=True)
class Setting:
    """One declared setting: its key in the file, its type, its default, why it exists.

    ``strict``: a hand edit that gives it a value of another type is refused
    with the file and key (the agent's identity and language must never be
    guessed). A lenient option falls back to its default instead: the sync
    schedule, say, is then off rather than the desk refusing to start.
    """

    name: str
    kind: type
    default: Any
    doc: str
    strict: bool = False

    def read(self, value: Any, path: Path) -> Any:
        """The value to use for what the file holds (``None`` means the default)."""
        if value is None:
            return self.fresh_default()
        if isinstance(value, self.kind) and not (self.kind is int and isinstance(value, bool)):
            return value
        if self.strict:
            shown = json.dumps(value, ensure_ascii=False)[:40]
            raise Refused(f"{self.name}: expected {_KIND_WORDS[self.kind]}, got {shown}", str(path))
        return self.fresh_default()

    def fresh_default(self) -> Any:
        return list(self.default) if isinstance(self.default, list) else self.default


_KIND_WORDS = {str: "text", int: "a whole number", bool: "true or false", list: "a list"}

#: Every setting, in the order the file lists them.
OPTIONS: tuple[Setting, ...] = (
    Setting("agent_id", str, None, "the agent's id, in every usage event", strict=True),
    Setting("team", str, None, "the agent's team, for the reports", strict=True),
    Setting("language", str, "zh_CN", "the window's language", strict=True),
    Setting("usual_channel", str, None, "the channel a call starts on", strict=True),
    Setting("usual_brand", str, None, "the brand a call starts on", strict=True),
    # The window's background sync (``flowdesk source schedule``): a source name
    # (``flowdesk source add``), how often to check in minutes (0: never, only "check for
    # updates" by hand), and what to do with a verified update: "auto" applies it between
    # calls, "ask" lights a notice for someone to look and apply.
    Setting("sync_source", str, None, "the sync source the window checks"),
    Setting("sync_interval_minutes", int, 0, "how often the window checks, in minutes"),
    Setting("sync_apply", str, "ask", "auto: apply between calls; ask: light a notice"),
    Setting("ring", str, None, "the staged-rollout ring this desk is in (docs/signing.md)"),
    Setting("usage_central_url", str, None, "the central usage store (`usage central`)"),
    Setting("compliance_benchmarks", list, [], "remembered 标杆值 (`report --save-benchmarks`)"),
)
_BY_NAME = {o.name: o for o in OPTIONS}


def _from_unversioned(data: dict[str, Any]) -> dict[str, Any]:
    """Files from before settings had versions (no ``version`` key) hold the same keys.

    ``usage_central_url`` and ``compliance_benchmarks`` were untyped extras then, stored
    under the same top-level names, so they read as the typed options they are now.
    """
    return data


#: UPGRADES[n] takes a file's data from version n to n + 1.
UPGRADES: list[Callable[[dict[str, Any]], dict[str, Any]]] = [_from_unversioned]
SETTINGS_VERSION = len(UPGRADES)


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


def _declared(name: str) -> Any:
    """The dataclass field of a declared option: its default, and the option as metadata."""
    option = _BY_NAME[name]
    return field(default_factory=option.fresh_default, metadata={"option": option})


@dataclass
class Settings:
    """One attribute per declared option (:data:`OPTIONS`); ``extra``: keys not declared."""

    agent_id: str | None = _declared("agent_id")
    team: str | None = _declared("team")
    language: str = _declared("language")
    usual_channel: str | None = _declared("usual_channel")
    usual_brand: str | None = _declared("usual_brand")
    sync_source: str | None = _declared("sync_source")
    sync_interval_minutes: int = _declared("sync_interval_minutes")
    sync_apply: str = _declared("sync_apply")
    ring: str | None = _declared("ring")
    usage_central_url: str | None = _declared("usage_central_url")
    compliance_benchmarks: list[str] = _declared("compliance_benchmarks")  # noqa: RUF009 (a field)
    extra: dict[str, Any] = field(default_factory=dict)
    #: the layout version of the file these came from (newer than ours: kept on save)
    version: int = SETTINGS_VERSION

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
        version = data.pop(VERSION_KEY, 0)
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise Refused(f"{VERSION_KEY}: expected a whole number, got {version!r}", str(path))
        for upgrade in UPGRADES[version:]:
            data = upgrade(data)
        values = {o.name: o.read(data.pop(o.name, None), path) for o in OPTIONS}
        return cls(**values, extra=data, version=max(version, SETTINGS_VERSION))

    def save(self, path: Path) -> None:
        """Write atomically: a crash leaves the old file or the new one, never half."""
        data: dict[str, Any] = {VERSION_KEY: max(self.version, SETTINGS_VERSION)}
        data.update((f.name, getattr(self, f.name)) for f in fields(self) if "option" in f.metadata)
        data.update(self.extra)
        text = json.dumps(data, ensure_ascii=False, indent=2)  # a bad value fails before writing
        atomic_write(path, text.encode("utf-8"))
