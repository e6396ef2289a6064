"""Why a search index could not be opened.

The index is never the source of truth (SQLite is), so callers answer it and a
cancelled build (:class:`flowdesk.problems.Cancelled`) the same way: remove the
folder and build again from the pack.
"""

from __future__ import annotations


class IndexUnavailable(Exception):
    """The folder holds no complete index (absent, half-built, or of another format)."""
