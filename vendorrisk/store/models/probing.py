"""Probe runs and what each observed about each domain (the DESIGN §3 JSON, kept whole)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendorrisk.store.models.base import Base
from vendorrisk.store.models.inventory import Domain
from vendorrisk.store.models.types import JSONType, UTCDateTime, enum_column, utcnow
from vendorrisk.vocab import ProbeRunStatus


class ProbeRun(Base):
    __tablename__ = "probe_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[ProbeRunStatus] = mapped_column(
        enum_column(ProbeRunStatus, "probe_run_status"), default=ProbeRunStatus.RUNNING
    )
    requested_by: Mapped[str | None] = mapped_column(String(200))
    scope: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    """Probe settings used (never secrets)."""
    domain_count: Mapped[int] = mapped_column(Integer, default=0)
    incomplete_count: Mapped[int] = mapped_column(Integer, default=0)

    observations: Mapped[list[ObservationRow]] = relationship(
        back_populates="run", cascade="all, delete-orphan", passive_deletes=True
    )


class ObservationRow(Base):
    __tablename__ = "domain_observation"
    __table_args__ = (
        UniqueConstraint("run_id", "domain_id"),
        Index("ix_domain_observation_domain_probed", "domain_id", "probed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("probe_run.id", ondelete="CASCADE"))
    domain_id: Mapped[int] = mapped_column(ForeignKey("domain.id", ondelete="CASCADE"))
    probed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    complete: Mapped[bool] = mapped_column(Boolean)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    """The observation in the DESIGN §3 JSON shape."""
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)

    run: Mapped[ProbeRun] = relationship(back_populates="observations")
    domain: Mapped[Domain] = relationship()
