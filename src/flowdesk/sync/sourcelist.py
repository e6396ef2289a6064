"""The pack sources a desk syncs from, by name, with credentials in the OS keyring.

The list itself (name, location, user) is plain JSON in the data folder
(``sources.json``); passwords never are: they go to the OS keyring under the
source's location.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from flowdesk import secrets
from flowdesk.files import atomic_write
from flowdesk.paths import DataDir
from flowdesk.problems import Refused
from flowdesk.statefiles import read_state_text
from flowdesk.sync.sources import Credentials, FolderSource, HttpSource, Limits, Source

#: Letters (Chinese too: 总部), digits, ".", "_", "-"; no spaces or path characters.
_NAME = re.compile(r"[^\W_][\w.-]*")
_KEYRING_HINT = "store no password for this source, or use a desk whose keyring works"


@dataclass(frozen=True)
class SourceConfig:
    name: str
    location: str
    user: str | None = None

    @property
    def is_http(self) -> bool:
        return self.location.startswith(("http://", "https://"))


class SourceList:
    """The named sources of one data folder."""

    def __init__(self, data: DataDir) -> None:
        self.path = data.sources

    def all(self) -> list[SourceConfig]:
        text = read_state_text(self.path, "the source list")
        if text is None:
            return []
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise Refused(
                f"the source list is damaged: {exc}; fix the file, or remove it and add the "
                "sources again (`flowdesk source add`)",
                file=str(self.path),
            ) from None
        if not isinstance(raw, list):
            raise Refused("the source list must be a JSON list", file=str(self.path))
        found = []
        for i, item in enumerate(raw):
            try:
                config = SourceConfig(item["name"], item["location"], item.get("user"))
                if not all(isinstance(v, str) for v in (config.name, config.location)):
                    raise TypeError(config)
                found.append(config)
            except (TypeError, KeyError, AttributeError):
                raise Refused(f"[{i}]: expected name and location", str(self.path)) from None
        return found

    def get(self, name: str) -> SourceConfig | None:
        return next((s for s in self.all() if s.name == name), None)

    def add(self, config: SourceConfig, password: str | None = None) -> None:
        """Add or replace a source; its password (if any) goes to the OS keyring."""
        if not _NAME.fullmatch(config.name):
            raise Refused(
                "a source name is letters (总部 too), digits, '.', '_' or '-'", config.name
            )
        if not config.is_http:
            folder = Path(config.location).expanduser()
            if not folder.is_dir():
                raise Refused("not a folder, nor an http(s) URL", file=config.location)
            config = SourceConfig(config.name, str(folder.resolve()), None)
        if password is not None:
            if config.user is None:
                raise Refused("a password needs a user (--user)", file=config.name)
            secrets.set_secret(secrets.SOURCE_SERVICE, config.location, password, _KEYRING_HINT)
        rest = [s for s in self.all() if s.name != config.name]
        self._save([*rest, config])

    def remove(self, name: str) -> None:
        config = self.get(name)
        if config is None:
            raise Refused(f"no source named {name!r}", file=str(self.path))
        if config.user:
            secrets.delete_secret(secrets.SOURCE_SERVICE, config.location)
        self._save([s for s in self.all() if s.name != name])

    def _save(self, sources: list[SourceConfig]) -> None:
        data = [asdict(s) for s in sources]
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))

    def open(self, name_or_location: str, limits: Limits | None = None) -> Source:
        """A source by its name, or directly by a folder path or URL."""
        config = self.get(name_or_location) or SourceConfig("", name_or_location)
        return open_source(config, limits)


def open_source(config: SourceConfig, limits: Limits | None = None) -> Source:
    if config.is_http:
        credentials = None
        if config.user:
            password = secrets.get_secret(secrets.SOURCE_SERVICE, config.location, _KEYRING_HINT)
            if password is None:
                raise Refused(
                    f"no password for {config.user} in the OS keyring; add the source again",
                    file=config.location,
                )
            credentials = Credentials(config.user, password)
        return HttpSource(config.location, credentials, limits)
    folder = Path(config.location).expanduser()
    if not folder.is_dir():
        raise Refused("no such source: not a configured name, a folder or a URL", config.location)
    return FolderSource(folder, limits)
