"""Schema versions of the store, upgraded in place.

The version lives in SQLite's ``PRAGMA user_version``. Each step is plain
DDL so that a step, once released, never changes meaning when the ORM
classes evolve (``create_all`` would silently create the newest schema). A
desk's database from any earlier FlowDesk is brought up to date on open, in
one transaction per step.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from flowdesk.problems import Refused

_V1 = [
    """CREATE TABLE packs (
        id INTEGER PRIMARY KEY,
        pack_id VARCHAR NOT NULL,
        sequence INTEGER NOT NULL,
        format VARCHAR NOT NULL,
        title TEXT NOT NULL,
        version TEXT,
        publisher TEXT,
        effective VARCHAR,
        built_at VARCHAR,
        imported_at VARCHAR NOT NULL,
        sha256 VARCHAR,
        signer VARCHAR,
        manifest JSON,
        active BOOLEAN NOT NULL DEFAULT 0,
        flow_count INTEGER NOT NULL DEFAULT 0,
        UNIQUE (pack_id, sequence)
    )""",
    "CREATE INDEX ix_packs_pack_id ON packs (pack_id)",
    """CREATE TABLE channels (
        pack INTEGER NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL, code VARCHAR NOT NULL, name TEXT NOT NULL,
        PRIMARY KEY (pack, position)
    )""",
    """CREATE TABLE brands (
        pack INTEGER NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL, code VARCHAR NOT NULL, name TEXT NOT NULL,
        PRIMARY KEY (pack, position)
    )""",
    """CREATE TABLE businesses (
        pack INTEGER NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL, code VARCHAR NOT NULL, name TEXT NOT NULL,
        group_name TEXT, channels JSON NOT NULL, brands JSON NOT NULL,
        PRIMARY KEY (pack, position)
    )""",
    """CREATE TABLE flows (
        id INTEGER PRIMARY KEY,
        digest VARCHAR NOT NULL UNIQUE,
        flow_id VARCHAR NOT NULL, title TEXT NOT NULL,
        flow_class VARCHAR NOT NULL, business VARCHAR, keywords JSON NOT NULL,
        summary TEXT, elements JSON NOT NULL, owner TEXT, source TEXT
    )""",
    """CREATE TABLE pack_flows (
        pack INTEGER NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        flow INTEGER NOT NULL REFERENCES flows (id),
        PRIMARY KEY (pack, position),
        UNIQUE (pack, flow)
    )""",
    "CREATE INDEX ix_pack_flows_flow ON pack_flows (flow)",
    """CREATE TABLE steps (
        id INTEGER PRIMARY KEY,
        flow INTEGER NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
        position INTEGER NOT NULL, step_id VARCHAR NOT NULL, type VARCHAR NOT NULL,
        text TEXT NOT NULL, note TEXT, required BOOLEAN NOT NULL, next VARCHAR, target TEXT
    )""",
    "CREATE INDEX ix_steps_flow ON steps (flow)",
    """CREATE TABLE options (
        id INTEGER PRIMARY KEY,
        step INTEGER NOT NULL REFERENCES steps (id) ON DELETE CASCADE,
        position INTEGER NOT NULL, label TEXT NOT NULL, next VARCHAR NOT NULL
    )""",
    "CREATE INDEX ix_options_step ON options (step)",
    """CREATE TABLE touchpoints (
        pack INTEGER NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
        code VARCHAR NOT NULL, channel VARCHAR NOT NULL, brand VARCHAR NOT NULL,
        business VARCHAR NOT NULL,
        flow INTEGER NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (pack, code)
    )""",
    "CREATE INDEX ix_touchpoints_code ON touchpoints (code)",
]

_V2 = [
    """CREATE TABLE pack_history (
        id INTEGER PRIMARY KEY,
        at VARCHAR NOT NULL,
        action VARCHAR NOT NULL,
        pack_id VARCHAR NOT NULL,
        sequence INTEGER NOT NULL,
        previous_sequence INTEGER,
        detail TEXT
    )""",
    # Every version already installed gets its import recorded, so history is complete.
    """INSERT INTO pack_history (at, action, pack_id, sequence, previous_sequence, detail)
       SELECT imported_at, 'import', pack_id, sequence, NULL, 'recorded at upgrade to schema 2'
       FROM packs ORDER BY id""",
]

# Version 3: call context (flowpack §5): a flow's variables, an input step's variable,
# an option's condition, and the pack's call summary template.
_V3 = [
    "ALTER TABLE flows ADD COLUMN variables JSON",
    "ALTER TABLE steps ADD COLUMN variable VARCHAR",
    "ALTER TABLE options ADD COLUMN conditions JSON",
    "ALTER TABLE packs ADD COLUMN call_summary TEXT",
]

# Version 4: the pack's synonym groups (flowpack §5 ``synonyms``), kept with its version.
_V4 = ["ALTER TABLE packs ADD COLUMN synonyms JSON"]

_V5 = [
    # A version whose effective time is still to come is installed but pending
    # (flowdesk.store.versions); every version installed before was active on import.
    "ALTER TABLE packs ADD COLUMN pending BOOLEAN NOT NULL DEFAULT 0",
    # The must-read notes a version was published with (flowdesk.packs.notices).
    """CREATE TABLE pack_notices (
        pack INTEGER NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
        flow_id VARCHAR NOT NULL,
        note TEXT NOT NULL,
        PRIMARY KEY (pack, flow_id)
    )""",
]

# Version 6: one pack history. What sync used to append to its own file beside the store
# (where from, which key, why) is kept with the entry as its facts
# (flowdesk.store.history; an old file is merged in by ``merge_old_sync_history``).
_V6 = ["ALTER TABLE pack_history ADD COLUMN facts JSON"]

# Version 7: the window reads one flow when it is opened, not the whole version: found
# by its id, with its touch points, without walking the version's 10,000 rows.
_V7 = [
    "CREATE INDEX IF NOT EXISTS ix_flows_flow_id ON flows (flow_id)",
    "CREATE INDEX IF NOT EXISTS ix_touchpoints_flow ON touchpoints (flow)",
]

#: Ordered upgrade steps: MIGRATIONS[n] takes the schema from version n to n + 1.
MIGRATIONS: list[list[str]] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)


def upgrade(conn: Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to ``target``; returns the version it was at.

    A database from a newer FlowDesk is refused rather than guessed at: an
    older program must not write into a schema it does not know.
    """
    start = current_version(conn)
    conn.commit()  # end the transaction the read began; each step below is its own
    if start > SCHEMA_VERSION:
        raise Refused(
            f"the store has schema version {start}, newer than this FlowDesk knows "
            f"({SCHEMA_VERSION}); update FlowDesk"
        )
    for version in range(start, target):
        with conn.begin():
            for statement in MIGRATIONS[version]:
                conn.execute(text(statement))
            conn.exec_driver_sql(f"PRAGMA user_version = {version + 1}")
    return start
