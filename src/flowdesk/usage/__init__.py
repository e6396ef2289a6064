"""Usage events, the desk's durable log, moving logs, and the push to a central store.

See ``docs/ARCHITECTURE.md`` and contract §3. Plain Python: never imports Qt.
"""

from flowdesk.usage.events import EVENT_TYPES, RUN_EVENT_TYPES, UsageEvent, mask_digits
from flowdesk.usage.exchange import UsageImport, export_events, import_events, pseudonymiser
from flowdesk.usage.log import UsageLog
from flowdesk.usage.rows import EventFilter, read_events
from flowdesk.usage.schema import SCHEMA_VERSION, sqlite_engine

__all__ = [
    "EVENT_TYPES",
    "RUN_EVENT_TYPES",
    "SCHEMA_VERSION",
    "EventFilter",
    "UsageEvent",
    "UsageImport",
    "UsageLog",
    "export_events",
    "import_events",
    "mask_digits",
    "pseudonymiser",
    "read_events",
    "sqlite_engine",
]
