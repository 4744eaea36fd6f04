"""Closed vocabularies shared by every layer (stored as their string values)."""

from __future__ import annotations

from enum import StrEnum

from vendorrisk.errors import InputError


class Regime(StrEnum):
    GDPR = "gdpr"
    DORA = "dora"
    NIS2 = "nis2"
    HIPAA = "hipaa"
    PCI = "pci"
    SOC2 = "soc2"
    ISO27001 = "iso27001"


class VendorKind(StrEnum):
    DNS_PROVIDER = "dns_provider"
    REGISTRAR = "registrar"
    MSP = "msp"
    DNS_SECURITY = "dns_security"
    DYNAMIC_DNS = "dynamic_dns"
    OTHER = "other"


class VendorStatus(StrEnum):
    ACTIVE = "active"
    OFFBOARDING = "offboarding"
    RETIRED = "retired"


class Criticality(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class ContractType(StrEnum):
    """DORA B_02.01 arrangement types, plus the document kinds an MSP files."""

    STANDALONE = "standalone"
    OVERARCHING = "overarching"
    SUBSEQUENT = "subsequent"
    DPA = "dpa"
    SLA = "sla"
    ORDER = "order"
    OTHER = "other"


class PriceModel(StrEnum):
    FLAT = "flat"
    PER_QUERY = "per_query"
    PER_ZONE = "per_zone"
    PER_DOMAIN = "per_domain"
    OTHER = "other"


class DataSensitivity(StrEnum):
    """DORA B_02.02.0170."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class RelianceLevel(StrEnum):
    """DORA B_02.02.0180."""

    NOT_SIGNIFICANT = "not_significant"
    LOW = "low"
    MATERIAL = "material"
    FULL = "full"


class Substitutability(StrEnum):
    """DORA B_07.01."""

    NOT_SUBSTITUTABLE = "not_substitutable"
    HIGHLY_COMPLEX = "highly_complex"
    MEDIUM_COMPLEXITY = "medium_complexity"
    EASILY_SUBSTITUTABLE = "easily_substitutable"


class FunctionCriticality(StrEnum):
    CRITICAL_OR_IMPORTANT = "critical_or_important"
    NOT_CRITICAL = "not_critical"


class ResponseStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    RECEIVED = "received"
    REVIEWED = "reviewed"


class FindingStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    RESOLVED = "resolved"


class ProbeRunStatus(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ScoreSubject(StrEnum):
    DOMAIN = "domain"
    VENDOR = "vendor"
    CLIENT = "client"


class ReviewSubject(StrEnum):
    VENDOR = "vendor"
    CONTRACT = "contract"


class ReviewDecision(StrEnum):
    RENEW = "renew"
    RENEGOTIATE = "renegotiate"
    EXIT = "exit"
    ESCALATE = "escalate"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    PROBE_RUN = "probe_run"
    ACCEPT = "accept"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    IMPORT = "import"
    REVIEW = "review"
    DEMO_LOAD = "demo_load"


CERTIFICATION_TYPES: tuple[str, ...] = (
    "iso27001",
    "iso27701",
    "iso22301",
    "iso27017",
    "iso27018",
    "soc2_type1",
    "soc2_type2",
    "soc1_type2",
    "pci_dss",
    "csa_star",
    "hitrust",
    "c5",
    "other",
)


def values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            valid = ", ".join(s.value for s in cls)
            raise InputError(f"unknown severity {text!r} (valid: {valid})") from None


_RANK = {Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}
