"""The process-map store: every imported pack version in one SQLite file."""

from flowdesk.store.engine import ChangeWatch, create_store_engine, writer
from flowdesk.store.history import history, merge_old_sync_history, record
from flowdesk.store.migrations import SCHEMA_VERSION
from flowdesk.store.packs.catalogue import (
    PackInfo,
    find_pack,
    installed_before,
    list_packs,
    max_sequence,
    pack_manifest,
    set_active,
)
from flowdesk.store.packs.columns import flow_digest
from flowdesk.store.packs.read import flow_heads, load_flows, load_pack, load_pack_head
from flowdesk.store.packs.write import save_pack, save_revision

__all__ = [
    "SCHEMA_VERSION",
    "ChangeWatch",
    "PackInfo",
    "create_store_engine",
    "find_pack",
    "flow_digest",
    "flow_heads",
    "history",
    "installed_before",
    "list_packs",
    "load_flows",
    "load_pack",
    "load_pack_head",
    "max_sequence",
    "merge_old_sync_history",
    "pack_manifest",
    "record",
    "save_pack",
    "save_revision",
    "set_active",
    "writer",
]
