"""Findings with their life cycle (open, accepted with an expiry, resolved) and score snapshots."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vendorrisk.findings.codes import Severity, SubjectKind
from vendorrisk.store.models.base import Base
from vendorrisk.store.models.types import JSONType, UTCDateTime, enum_column, utcnow
from vendorrisk.vocab import FindingStatus, ScoreSubject


class FindingRow(Base):
    """A finding about one subject. ``fingerprint`` tells one occurrence from another of a code."""

    __tablename__ = "finding"
    __table_args__ = (
        CheckConstraint(
            "(subject_kind = 'domain' AND domain_id IS NOT NULL)"
            " OR (subject_kind = 'vendor' AND vendor_id IS NOT NULL)"
            " OR (subject_kind = 'contract' AND contract_id IS NOT NULL)",
            name="subject_present",
        ),
        CheckConstraint(
            "status <> 'accepted' OR (accepted_by IS NOT NULL AND accepted_reason IS NOT NULL"
            " AND accepted_until IS NOT NULL)",
            name="acceptance_complete",
        ),
        Index("ix_finding_subject", "subject_kind", "domain_id", "vendor_id", "contract_id"),
        Index("ix_finding_status_severity", "status", "severity"),
        Index("uq_finding_fingerprint", "fingerprint", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(60), index=True)
    severity: Mapped[Severity] = mapped_column(enum_column(Severity, "severity"))
    title: Mapped[str] = mapped_column(String(300))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    subject_kind: Mapped[SubjectKind] = mapped_column(enum_column(SubjectKind, "subject_kind"))
    domain_id: Mapped[int | None] = mapped_column(ForeignKey("domain.id", ondelete="CASCADE"))
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"))
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract.id", ondelete="CASCADE")
    )
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"),
                                                  index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[FindingStatus] = mapped_column(
        enum_column(FindingStatus, "finding_status"), default=FindingStatus.OPEN
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by: Mapped[str | None] = mapped_column(String(200))
    accepted_reason: Mapped[str | None] = mapped_column(Text)
    accepted_until: Mapped[date | None] = mapped_column(Date)
    last_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("probe_run.id", ondelete="SET NULL")
    )


class ScoreSnapshot(Base):
    """Scores of one subject at one time. No foreign key: history outlives its subject."""

    __tablename__ = "score_snapshot"
    __table_args__ = (
        Index("ix_score_snapshot_subject", "subject_kind", "subject_id", "computed_at"),
        CheckConstraint("lockin >= 0 AND lockin <= 100", name="lockin_range"),
        CheckConstraint("compliance >= 0 AND compliance <= 100", name="compliance_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[ScoreSubject] = mapped_column(enum_column(ScoreSubject, "score_subject"))
    subject_id: Mapped[int] = mapped_column(Integer)
    subject_name: Mapped[str] = mapped_column(String(253))
    lockin: Mapped[float] = mapped_column(Float)
    compliance: Mapped[float] = mapped_column(Float)
    lockin_band: Mapped[str] = mapped_column(String(10))
    compliance_band: Mapped[str] = mapped_column(String(10))
    lockin_coverage: Mapped[float] = mapped_column(Float)
    compliance_coverage: Mapped[float] = mapped_column(Float)
    factors: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
