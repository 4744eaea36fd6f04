"""Inventory: clients, vendors (with their subcontracting chain), domains, contracts, certifications."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendorrisk.store.models.base import Base, Timestamped
from vendorrisk.store.models.types import JSONType, UTCDateTime, enum_column
from vendorrisk.vocab import (
    CERTIFICATION_TYPES,
    ContractType,
    Criticality,
    DataSensitivity,
    FunctionCriticality,
    PriceModel,
    RelianceLevel,
    Substitutability,
    VendorKind,
    VendorStatus,
)

domain_dns_provider = Table(
    "domain_dns_provider",
    Base.metadata,
    Column("domain_id", ForeignKey("domain.id", ondelete="CASCADE"), primary_key=True),
    Column("vendor_id", ForeignKey("vendor.id", ondelete="RESTRICT"), primary_key=True,
           index=True),
)


class Client(Timestamped, Base):
    """A tenant of the MSP."""

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    regimes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    residency: Mapped[str | None] = mapped_column(String(40))
    account_manager: Mapped[str | None] = mapped_column(String(200))
    lei: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    """Where the client is established (DORA B_01.01.c0030, the package's country code)."""
    entity_type: Mapped[str | None] = mapped_column(String(60))
    """DORA type of entity, a key of data/dora-register.yaml ``entity_type``."""
    competent_authority: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    domains: Mapped[list[Domain]] = relationship(back_populates="client", passive_deletes="all")


class Vendor(Timestamped, Base):
    """A DNS provider, registrar or other DNS-related vendor."""

    __tablename__ = "vendor"
    __table_args__ = (CheckConstraint("tier BETWEEN 1 AND 3", name="tier_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    legal_name: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[VendorKind] = mapped_column(enum_column(VendorKind, "vendor_kind"))
    catalog_key: Mapped[str | None] = mapped_column(String(100), index=True)
    lei: Mapped[str | None] = mapped_column(String(20))
    euid: Mapped[str | None] = mapped_column(String(60))
    ultimate_parent: Mapped[str | None] = mapped_column(String(300))
    hq_country: Mapped[str | None] = mapped_column(String(2))
    data_locations: Mapped[list[str]] = mapped_column(JSONType, default=list)
    processing_locations: Mapped[list[str]] = mapped_column(JSONType, default=list)
    contacts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    tier: Mapped[int] = mapped_column(Integer, default=2)
    status: Mapped[VendorStatus] = mapped_column(
        enum_column(VendorStatus, "vendor_status"), default=VendorStatus.ACTIVE
    )
    notes: Mapped[str | None] = mapped_column(Text)

    subcontractors: Mapped[list[VendorSubcontractor]] = relationship(
        foreign_keys="VendorSubcontractor.vendor_id", order_by="VendorSubcontractor.rank",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class VendorSubcontractor(Base):
    """One link of a vendor's ranked subcontracting chain (DORA B_05.02)."""

    __tablename__ = "vendor_subcontractor"
    __table_args__ = (
        UniqueConstraint("vendor_id", "subcontractor_id"),
        CheckConstraint("rank >= 1", name="rank_positive"),
        CheckConstraint("vendor_id <> subcontractor_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)
    subcontractor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="RESTRICT"),
                                                  index=True)
    rank: Mapped[int] = mapped_column(Integer)
    service: Mapped[str | None] = mapped_column(String(200))

    subcontractor: Mapped[Vendor] = relationship(foreign_keys=[subcontractor_id])


class Domain(Timestamped, Base):
    """A client's domain. ``name`` is the A-label; a name belongs to exactly one client."""

    __tablename__ = "domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(253), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"),
                                           index=True)
    registrar_id: Mapped[int | None] = mapped_column(
        ForeignKey("vendor.id", ondelete="RESTRICT"), index=True
    )
    criticality: Mapped[Criticality] = mapped_column(
        enum_column(Criticality, "criticality"), default=Criticality.NORMAL
    )
    notes: Mapped[str | None] = mapped_column(Text)

    client: Mapped[Client] = relationship(back_populates="domains")
    registrar: Mapped[Vendor | None] = relationship(foreign_keys=[registrar_id])
    dns_providers: Mapped[list[Vendor]] = relationship(secondary=domain_dns_provider,
                                                       order_by="Vendor.name")


class Contract(Timestamped, Base):
    """A contract with a vendor, for one client or MSP-wide (client_id NULL)."""

    __tablename__ = "contract"
    __table_args__ = (
        UniqueConstraint("vendor_id", "reference"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint("notice_days_customer IS NULL OR notice_days_customer >= 0",
                        name="notice_customer_nonneg"),
        CheckConstraint("notice_days_vendor IS NULL OR notice_days_vendor >= 0",
                        name="notice_vendor_nonneg"),
        CheckConstraint("renewal_term_months IS NULL OR renewal_term_months > 0",
                        name="renewal_term_positive"),
        CheckConstraint("sla_uptime IS NULL OR (sla_uptime >= 0 AND sla_uptime <= 100)",
                        name="sla_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="RESTRICT"),
                                           index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"),
                                                  index=True)
    reference: Mapped[str] = mapped_column(String(120))
    contract_type: Mapped[ContractType] = mapped_column(
        enum_column(ContractType, "contract_type"), default=ContractType.STANDALONE
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    auto_renew: Mapped[bool] = mapped_column(Boolean, default=False)
    renewal_term_months: Mapped[int | None] = mapped_column(Integer)
    notice_days_customer: Mapped[int | None] = mapped_column(Integer)
    notice_days_vendor: Mapped[int | None] = mapped_column(Integer)
    country_of_provision: Mapped[str | None] = mapped_column(String(2))
    supported_function: Mapped[str | None] = mapped_column(String(200))
    function_criticality: Mapped[FunctionCriticality | None] = mapped_column(
        enum_column(FunctionCriticality, "function_criticality")
    )
    data_sensitivity: Mapped[DataSensitivity | None] = mapped_column(
        enum_column(DataSensitivity, "data_sensitivity")
    )
    reliance_level: Mapped[RelianceLevel | None] = mapped_column(
        enum_column(RelianceLevel, "reliance_level")
    )
    substitutability: Mapped[Substitutability | None] = mapped_column(
        enum_column(Substitutability, "substitutability")
    )
    exit_plan: Mapped[bool | None] = mapped_column(Boolean)
    termination_for_convenience: Mapped[bool | None] = mapped_column(Boolean)
    early_termination_fee: Mapped[bool | None] = mapped_column(Boolean)
    exit_assistance_days: Mapped[int | None] = mapped_column(Integer)
    data_return: Mapped[bool | None] = mapped_column(Boolean)
    zone_export: Mapped[bool | None] = mapped_column(Boolean)
    sla_uptime: Mapped[Decimal | None] = mapped_column(Numeric(6, 3))
    sla_credits: Mapped[bool | None] = mapped_column(Boolean)
    liability_cap: Mapped[str | None] = mapped_column(String(200))
    price_model: Mapped[PriceModel | None] = mapped_column(enum_column(PriceModel, "price_model"))
    annual_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    data_location_clause: Mapped[bool | None] = mapped_column(Boolean)
    subprocessor_notice: Mapped[bool | None] = mapped_column(Boolean)
    audit_rights: Mapped[bool | None] = mapped_column(Boolean)
    breach_notification_hours: Mapped[int | None] = mapped_column(Integer)
    governing_law: Mapped[str | None] = mapped_column(String(60))
    clauses: Mapped[list[str]] = mapped_column(JSONType, default=list)
    """Ids of further clauses present (see data/clauses.yaml), e.g. ``baa``."""
    document_refs: Mapped[list[str]] = mapped_column(JSONType, default=list)
    next_review_date: Mapped[date | None] = mapped_column(Date)
    ict_service_type: Mapped[str | None] = mapped_column(String(3))
    """DORA type of ICT services, S01-S19 (data/dora-register.yaml ``ict_service_type``)."""
    past_year_expense: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    """What the client paid under the contract in the past year (DORA B_02.01.c0050)."""
    data_storage: Mapped[bool | None] = mapped_column(Boolean)
    """Whether the vendor stores the client's data under this contract (B_02.02.c0140)."""
    substitutability_reason: Mapped[str | None] = mapped_column(String(40))
    reintegration: Mapped[str | None] = mapped_column(String(40))
    discontinuing_impact: Mapped[str | None] = mapped_column(String(40))
    alternatives_identified: Mapped[str | None] = mapped_column(String(20))
    last_audit_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    vendor: Mapped[Vendor] = relationship()
    client: Mapped[Client | None] = relationship()


class DoraFunction(Timestamped, Base):
    """A client's function that ICT services support (DORA B_06.01); contracts name it in
    ``supported_function`` (by identifier or name)."""

    __tablename__ = "dora_function"
    __table_args__ = (
        UniqueConstraint("client_id", "identifier"),
        CheckConstraint("rto_hours IS NULL OR rto_hours >= 0", name="rto_nonneg"),
        CheckConstraint("rpo_hours IS NULL OR rpo_hours >= 0", name="rpo_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"),
                                           index=True)
    identifier: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    licensed_activity: Mapped[str | None] = mapped_column(String(20))
    """EBA licenced-activity QName, e.g. ``eba_TA:x28`` (payment services)."""
    criticality: Mapped[str | None] = mapped_column(String(20))
    """yes, no or not_assessed."""
    criticality_reason: Mapped[str | None] = mapped_column(Text)
    last_assessed: Mapped[date | None] = mapped_column(Date)
    rto_hours: Mapped[int | None] = mapped_column(Integer)
    rpo_hours: Mapped[int | None] = mapped_column(Integer)
    discontinuing_impact: Mapped[str | None] = mapped_column(String(20))

    client: Mapped[Client] = relationship()


class Certification(Timestamped, Base):
    """A vendor's certification or attestation report."""

    __tablename__ = "certification"
    __table_args__ = (
        CheckConstraint("valid_until IS NULL OR issued IS NULL OR valid_until >= issued",
                        name="dates_ordered"),
        CheckConstraint(
            "cert_type IN (" + ", ".join(f"'{t}'" for t in CERTIFICATION_TYPES) + ")",
            name="known_type",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"),
                                           index=True)
    cert_type: Mapped[str] = mapped_column(String(40))
    auditor: Mapped[str | None] = mapped_column(String(200))
    issued: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    """End of the period a SOC 2 report covers."""
    bridge_letter_until: Mapped[date | None] = mapped_column(Date)
    scope: Mapped[str | None] = mapped_column(Text)
    evidence_ref: Mapped[str | None] = mapped_column(String(500))
    verified_by: Mapped[str | None] = mapped_column(String(200))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    vendor: Mapped[Vendor] = relationship()
