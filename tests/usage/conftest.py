"""Fixtures for the usage tests (the PostgreSQL server lives in pg_server.py)."""

from pg_server import memory_keyring, pg_server

__all__ = ["memory_keyring", "pg_server"]
