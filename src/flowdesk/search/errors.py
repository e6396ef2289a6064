"""Why a search index could not be built or opened.

The index is never the source of truth (SQLite is), so callers answer both
errors the same way: remove the folder and build again from the pack.
"""

from __future__ import annotations


class Cancelled(Exception):
    """A build or update was cancelled; a build leaves no usable index behind."""


class IndexUnavailable(Exception):
    """The folder holds no complete index (absent, half-built, or of another format)."""
