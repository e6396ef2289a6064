"""The process-map store: every imported pack version in one SQLite file."""

from flowdesk.store.engine import create_store_engine, writer
from flowdesk.store.migrations import SCHEMA_VERSION
from flowdesk.store.packs import (
    PackInfo,
    find_pack,
    flow_digest,
    flow_heads,
    history,
    list_packs,
    load_flows,
    load_pack,
    load_pack_head,
    max_sequence,
    pack_manifest,
    record,
    save_pack,
    save_revision,
    set_active,
)

__all__ = [
    "SCHEMA_VERSION",
    "PackInfo",
    "create_store_engine",
    "find_pack",
    "flow_digest",
    "flow_heads",
    "history",
    "list_packs",
    "load_flows",
    "load_pack",
    "load_pack_head",
    "max_sequence",
    "pack_manifest",
    "record",
    "save_pack",
    "save_revision",
    "set_active",
    "writer",
]
