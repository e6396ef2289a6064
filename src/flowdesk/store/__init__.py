"""The process-map store: every imported pack version in one SQLite file."""

from flowdesk.store.engine import create_store_engine, writer
from flowdesk.store.migrations import SCHEMA_VERSION
from flowdesk.store.packs import (
    PackInfo,
    find_pack,
    flow_digest,
    flow_digests,
    history,
    list_packs,
    load_pack,
    max_sequence,
    record,
    save_pack,
    set_active,
)

__all__ = [
    "SCHEMA_VERSION",
    "PackInfo",
    "create_store_engine",
    "find_pack",
    "flow_digest",
    "flow_digests",
    "history",
    "list_packs",
    "load_pack",
    "max_sequence",
    "record",
    "save_pack",
    "set_active",
    "writer",
]
