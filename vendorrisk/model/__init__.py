"""SQLAlchemy models and the session factory. Imports nothing above it."""

from vendorrisk.model.base import Base
from vendorrisk.model.findings import Finding, ScoreSnapshot
from vendorrisk.model.inventory import (
    Certification,
    Client,
    Contract,
    Domain,
    Vendor,
    VendorSubcontractor,
    domain_dns_provider,
)
from vendorrisk.model.probing import DomainObservation, ProbeRun
from vendorrisk.model.questionnaire import QuestionnaireResponse
from vendorrisk.model.review import AuditEvent, AuditHead, Review

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Base",
    "Certification",
    "Client",
    "Contract",
    "Domain",
    "DomainObservation",
    "Finding",
    "ProbeRun",
    "QuestionnaireResponse",
    "Review",
    "ScoreSnapshot",
    "Vendor",
    "VendorSubcontractor",
    "domain_dns_provider",
]
