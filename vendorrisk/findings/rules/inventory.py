"""What the inventory rules share: their injectable rule data and the finding they raise.

The rules (``certifications``, ``contracts``, ``questionnaires``, ``residency``; listed by
``findings.evaluate.evaluate_inventory``) read ``vendorrisk.portfolio.facts`` directly and are
pure. Every rule collects every reason; none stops early.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vendorrisk.compliance.certifications import CertificationRules, load_certification_rules
from vendorrisk.compliance.clauses import ClauseRules, load_clause_rules
from vendorrisk.findings.codes import Finding, make_finding, spec
from vendorrisk.portfolio.facts import ContractFacts
from vendorrisk.portfolio.facts import clients_of_vendors as clients_of_vendors  # re-exported

EU_EEA = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
})
"""EU member states (27) plus the EEA states Iceland, Liechtenstein and Norway."""


@dataclass(frozen=True)
class InventoryRules:
    """The injectable rule data: data/clauses.yaml, data/certifications.yaml, thresholds."""

    clauses: ClauseRules = field(default_factory=lambda: ClauseRules({}, {}))
    certifications: CertificationRules = field(
        default_factory=lambda: CertificationRules({}, ()))
    questionnaire_max_age_days: int = 365
    notice_window_days: int = 90
    residency_groups: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: {"EU": EU_EEA, "EEA": EU_EEA})


def load_inventory_rules() -> InventoryRules:
    """The shipped rules (both files validated; ConfigError names file and line)."""
    return InventoryRules(load_clause_rules(), load_certification_rules())


@dataclass(frozen=True)
class SubjectFinding:
    """A finding with the subject it is about: a vendor or a contract, and a client if any."""

    subject: str
    """``vendor`` or ``contract``."""
    key: str
    client: str | None
    finding: Finding

    @property
    def ref(self) -> str | None:
        """What the finding is about within its subject (cert type, clause, question …)."""
        return spec(self.finding.code).about(self.finding.evidence)

    @property
    def identity(self) -> str:
        """What tells it from the other findings of its code on its subject."""
        return spec(self.finding.code).identity_of(self.finding.evidence)

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "key": self.key, "client": self.client,
                "ref": self.ref, **self.finding.to_json()}


def vendor_finding(vendor: str, code: str, evidence: Mapping[str, Any], client: str | None = None,
                   **kw: Any) -> SubjectFinding:
    return SubjectFinding("vendor", vendor, client, make_finding(code, evidence, **kw))


def contract_conditions(c: ContractFacts) -> set[str]:
    """What makes a clause or certification required: the contract's conditions, and
    ``critical_function`` when it supports one."""
    return set(c.conditions) | ({"critical_function"} if c.supports_critical_function else set())


def iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()
