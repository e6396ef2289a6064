"""ORM tables of the process-map store (SQLite, one file per desk).

Every imported pack version is kept (so old usage logs still resolve their
flows, and rollback is instant); exactly one version per pack id is active.
The DDL that creates these tables lives in :mod:`flowdesk.store.migrations`;
a test checks the two agree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class PackRow(Base):
    """One imported version (sequence) of a pack."""

    __tablename__ = "packs"
    __table_args__ = (UniqueConstraint("pack_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(String, index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(Text)
    version: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    effective: Mapped[str | None] = mapped_column(String)  # date or RFC 3339 time, normalised
    built_at: Mapped[str | None] = mapped_column(String)  # RFC 3339, from the manifest
    imported_at: Mapped[str] = mapped_column(String)  # RFC 3339
    sha256: Mapped[str | None] = mapped_column(String)  # of the .flowpack file
    signer: Mapped[str | None] = mapped_column(String)  # publisher key id, where signed
    manifest: Mapped[dict | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    flow_count: Mapped[int] = mapped_column(Integer, default=0)
    call_summary: Mapped[str | None] = mapped_column(Text)  # schema 3
    synonyms: Mapped[list | None] = mapped_column(JSON)  # schema 4: pack.yaml synonym groups
    #: installed ahead of its effective time, to become active then (schema 5)
    pending: Mapped[bool] = mapped_column(Boolean, default=False)


class ChannelRow(Base):
    __tablename__ = "channels"
    pack: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(Text)


class BrandRow(Base):
    __tablename__ = "brands"
    pack: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(Text)


class BusinessRow(Base):
    __tablename__ = "businesses"
    pack: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(Text)
    group_name: Mapped[str | None] = mapped_column(Text)
    channels: Mapped[list] = mapped_column(JSON)
    brands: Mapped[list] = mapped_column(JSON)


class FlowRow(Base):
    """One flow definition, shared by every pack version that holds it unchanged.

    Rows are immutable and found by ``digest`` (SHA-256 of the flow's canonical
    JSON), so a monthly pack that changes 100 flows of 10,000 writes 100 flows,
    not 10,000; :class:`PackFlowRow` says which versions hold which flows.
    """

    __tablename__ = "flows"
    __table_args__ = (Index("ix_flows_flow_id", "flow_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String, unique=True)
    flow_id: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(Text)
    flow_class: Mapped[str] = mapped_column(String)
    business: Mapped[str | None] = mapped_column(String)
    keywords: Mapped[list] = mapped_column(JSON)
    summary: Mapped[str | None] = mapped_column(Text)
    elements: Mapped[dict] = mapped_column(JSON)
    owner: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    variables: Mapped[list | None] = mapped_column(JSON)  # schema 3


class PackFlowRow(Base):
    """A flow in a pack version, in the pack's order."""

    __tablename__ = "pack_flows"
    __table_args__ = (UniqueConstraint("pack", "flow"), Index("ix_pack_flows_flow", "flow"))

    pack: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    flow: Mapped[int] = mapped_column(ForeignKey("flows.id"))


class StepRow(Base):
    __tablename__ = "steps"
    __table_args__ = (Index("ix_steps_flow", "flow"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    flow: Mapped[int] = mapped_column(ForeignKey("flows.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    step_id: Mapped[str] = mapped_column(String)
    type: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(Boolean)
    next: Mapped[str | None] = mapped_column(String)
    target: Mapped[str | None] = mapped_column(Text)
    variable: Mapped[str | None] = mapped_column(String)  # schema 3


class OptionRow(Base):
    """One answer of a decision step."""

    __tablename__ = "options"
    __table_args__ = (Index("ix_options_step", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    step: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)
    next: Mapped[str] = mapped_column(String)
    conditions: Mapped[list | None] = mapped_column(JSON)  # schema 3: the option's ``when``


class TouchPointRow(Base):
    """A touch point (接触点) and the flow that serves it, in one pack version."""

    __tablename__ = "touchpoints"
    __table_args__ = (Index("ix_touchpoints_code", "code"), Index("ix_touchpoints_flow", "flow"))

    pack: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String, primary_key=True)
    channel: Mapped[str] = mapped_column(String)
    brand: Mapped[str] = mapped_column(String)
    business: Mapped[str] = mapped_column(String)
    flow: Mapped[int] = mapped_column(ForeignKey("flows.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # order within its flow, as the pack lists it


class PackNoticeRow(Base):
    """A must-read note of one version: for one flow, or (flow id "") the whole pack.

    Added in schema version 3; see :mod:`flowdesk.packs.notices`.
    """

    __tablename__ = "pack_notices"

    pack: Mapped[int] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True)
    flow_id: Mapped[str] = mapped_column(String, primary_key=True)
    note: Mapped[str] = mapped_column(Text)


class PackHistoryRow(Base):
    """What happened to the desk's packs, in order: imports, activations, rollbacks.

    Added in schema version 2 so that a rollback is recorded (who, when, from
    which version to which) rather than only visible as a changed flag.
    """

    __tablename__ = "pack_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String)  # RFC 3339
    action: Mapped[str] = mapped_column(String)  # import|sync|activate|rollback|supersede
    pack_id: Mapped[str] = mapped_column(String)
    sequence: Mapped[int] = mapped_column(Integer)
    previous_sequence: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)
    #: what else is known of the change: a sync's source, key and file digest, a
    #: rollback's reason, the versions an activation superseded (schema 6)
    facts: Mapped[dict | None] = mapped_column(JSON)


def utcnow() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)
