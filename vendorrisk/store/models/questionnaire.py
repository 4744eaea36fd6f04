"""Questionnaire responses: a vendor's answers to one version of a template in questionnaires/."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendorrisk.store.models.base import Base, Timestamped
from vendorrisk.store.models.inventory import Vendor
from vendorrisk.store.models.types import JSONType, UTCDateTime, enum_column
from vendorrisk.vocab import ResponseStatus


class QuestionnaireResponse(Timestamped, Base):
    __tablename__ = "questionnaire_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"),
                                           index=True)
    template_id: Mapped[str] = mapped_column(String(100))
    template_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[ResponseStatus] = mapped_column(
        enum_column(ResponseStatus, "response_status"), default=ResponseStatus.DRAFT
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    evidence_notes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    reviewer: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    vendor: Mapped[Vendor] = relationship()
