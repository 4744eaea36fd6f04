"""Periodic reviews and the tamper-evident audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vendorrisk.store.models.base import Base
from vendorrisk.store.models.types import JSONType, UTCDateTime, enum_column, utcnow
from vendorrisk.vocab import AuditAction, ReviewDecision, ReviewSubject


class Review(Base):
    __tablename__ = "review"
    __table_args__ = (
        CheckConstraint(
            "(subject_kind = 'vendor' AND vendor_id IS NOT NULL)"
            " OR (subject_kind = 'contract' AND contract_id IS NOT NULL)",
            name="subject_present",
        ),
        CheckConstraint("completed_at IS NULL OR decision IS NOT NULL", name="decision_on_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[ReviewSubject] = mapped_column(enum_column(ReviewSubject, "review_subject"))
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendor.id", ondelete="RESTRICT"),
                                                  index=True)
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract.id", ondelete="RESTRICT"), index=True
    )
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewer: Mapped[str | None] = mapped_column(String(200))
    decision: Mapped[ReviewDecision | None] = mapped_column(
        enum_column(ReviewDecision, "review_decision")
    )
    notes: Mapped[str | None] = mapped_column(Text)
    checklist: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    evidence_ref: Mapped[str | None] = mapped_column(String(500))


class AuditEvent(Base):
    """One change. ``hash`` = SHA-256 over the event's canonical JSON and ``prev_hash``."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity_kind", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, "audit_action"))
    entity_kind: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    entity_label: Mapped[str | None] = mapped_column(String(300))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """A single row holding the chain's head; locking it serialises writers on PostgreSQL."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="singleton"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
