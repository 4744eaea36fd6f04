"""The SQLAlchemy models (tables). Import nothing of vendorrisk above the leaves."""

from vendorrisk.store.models.base import Base
from vendorrisk.store.models.findings import FindingRow, ScoreSnapshot
from vendorrisk.store.models.inventory import (
    Certification,
    Client,
    Contract,
    Domain,
    DoraFunction,
    Vendor,
    VendorSubcontractor,
    domain_dns_provider,
)
from vendorrisk.store.models.probing import ObservationRow, ProbeRun
from vendorrisk.store.models.questionnaire import QuestionnaireResponse
from vendorrisk.store.models.review import AuditEvent, AuditHead, Review

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Base",
    "Certification",
    "Client",
    "Contract",
    "Domain",
    "DoraFunction",
    "FindingRow",
    "ObservationRow",
    "ProbeRun",
    "QuestionnaireResponse",
    "Review",
    "ScoreSnapshot",
    "Vendor",
    "VendorSubcontractor",
    "domain_dns_provider",
]
