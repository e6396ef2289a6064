"""Every path FlowDesk reads or writes, decided in one place.

The data folder is chosen once per process: ``--data-dir`` first, then the
``FLOWDESK_DATA_DIR`` environment variable, then the user's data folder
(platformdirs). Tests and end-to-end runs pass ``--data-dir``; the installed
app and the PyInstaller bundle use the user's folder, never the folder the
program lives in.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

APP_NAME = "FlowDesk"
ENV_DATA_DIR = "FLOWDESK_DATA_DIR"

#: Inside ``keys/``: publisher keys this desk trusts, and a publisher's own key pairs.
TRUSTED_KEYS = "trusted"
PRIVATE_KEYS = "private"
#: What sync wrote its history to before the history moved into the store (see
#: docs/data-folder.md): merged into the store's pack history once, then renamed.
OLD_SYNC_HISTORY = "sync-history.jsonl"
MERGED_SUFFIX = ".merged"
#: A pack downloaded by sync into ``downloads/``, and the ``.part`` it grows in until
#: its size and SHA-256 check out: ``<pack id>-<sequence>-<16 hex of its SHA-256>``.
DOWNLOADED_PACK = re.compile(r"^(?P<pack>.+)-(?P<seq>\d+)-[0-9a-f]{16}\.(?:flowpack|part)$")
PART_SUFFIX = ".part"
#: The file in each ``index/<pack>-<seq>/`` folder that marks a complete search index
#: (written last by the index writer; its presence is what a lost-store check looks for).
INDEX_TABLE = "flowdesk-index.json"


def downloaded_pack(downloads: Path, pack_id: str, sequence: int, sha256: str) -> Path:
    """Where sync keeps one downloaded version (its ``.part``: :data:`PART_SUFFIX`)."""
    return downloads / f"{pack_id}-{sequence}-{sha256[:16]}.flowpack"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder for this run: explicit argument, environment, or the user's folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


@dataclass(frozen=True)
class DataDir:
    """The layout inside one data folder."""

    root: Path

    @property
    def store(self) -> Path:
        """The SQLite process-map store (packs, flows, touch points)."""
        return self.root / "flowdesk.sqlite3"

    @property
    def usage(self) -> Path:
        """The usage log (its own SQLite file, so logging never waits on a pack import)."""
        return self.root / "usage.sqlite3"

    @property
    def indexes(self) -> Path:
        """Search indexes, one folder per imported pack version."""
        return self.root / "index"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def sources(self) -> Path:
        """The named sync sources (``flowdesk source add``)."""
        return self.root / "sources.json"

    @property
    def marks(self) -> Path:
        """The 新/改 marks of flows agents have not opened since they changed."""
        return self.root / "changes.json"

    @property
    def desk_status(self) -> Path:
        """This desk's id and the status last written to its usage log."""
        return self.root / "desk.json"

    @property
    def old_sync_history(self) -> Path:
        """An older FlowDesk's sync history (:data:`OLD_SYNC_HISTORY`), if any is left."""
        return self.root / OLD_SYNC_HISTORY

    @property
    def keys(self) -> Path:
        """Trusted publisher keys and the publisher's own (encrypted) key files."""
        return self.root / "keys"

    @property
    def downloads(self) -> Path:
        """Partial and finished downloads of synced packs."""
        return self.root / "downloads"

    @property
    def log(self) -> Path:
        """The window's log (rotating): uncaught errors, Qt's warnings, failed background tasks."""
        return self.root / "flowdesk.log"

    @property
    def start_snapshot(self) -> Path:
        """What the window shows before the store opens (a cache: flowdesk.startcache)."""
        return self.root / "start-snapshot.pickle"

    @property
    def studio_reads(self) -> Path:
        """The Studio's kept reads of each pack source it opened (a cache: ui/studio/readcache)."""
        return self.root / "studio"

    @property
    def qa_layout(self) -> Path:
        """The QA workspace's remembered layout (window size, splitters, period): QSettings' INI."""
        return self.root / "qa-workspace.ini"

    def ensure(self) -> DataDir:
        self.root.mkdir(parents=True, exist_ok=True)
        return self


def sample_pack() -> Traversable:
    """The bundled Chinese sample pack source folder (data/sample-pack)."""
    return resources.files("flowdesk.data").joinpath("sample-pack")


def resource(name: str) -> Traversable:
    """A bundled resource (icons, styles, translations) under resources/."""
    return resources.files("flowdesk.resources").joinpath(name)
