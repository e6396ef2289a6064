"""Fixtures for the sync tests (builders live in sync_fixtures.py)."""

from sync_fixtures import (
    desk_data,
    memory_keyring,
    no_keyring,
    pack_server,
    publisher,
    trust,
)

__all__ = ["desk_data", "memory_keyring", "no_keyring", "pack_server", "publisher", "trust"]
