"""Frozen, JSON-able facts the finding rules and the scores work on (DESIGN §2, flattened).

``store.facts`` maps ORM rows to these; nothing here knows about a database. ``None`` always
means *unknown* (not recorded, not observed), never *no*: unknown is neither pass nor fail.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from vendorrisk.vocab import Severity


@dataclass(frozen=True, slots=True)
class RecordedFinding:
    """A finding as stored, with its status: what decides whether it counts.

    Each stored finding is one identity (see ``findings.codes.FindingSpec.identity``): a risk
    acceptance is the status of that one finding and waives no other."""

    code: str
    severity: Severity
    status: str = "open"
    """``open``, ``accepted`` or ``resolved``."""
    accepted_until: datetime | None = None
    """End of a risk acceptance; ``None`` on an accepted finding = accepted without end."""
    title: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)
    client: str | None = None
    """The client the finding concerns (a regime's clause, residency …); ``None`` = any."""

    def counts(self, now: datetime) -> bool:
        """Open findings count; accepted ones only once their acceptance has expired."""
        if self.status == "open":
            return True
        if self.status == "accepted":
            return self.accepted_until is not None and self.accepted_until <= now
        return False

    def waived(self, now: datetime) -> bool:
        """Accepted, and the acceptance has not expired."""
        return self.status == "accepted" and not self.counts(now)


@dataclass(frozen=True, slots=True)
class ClientFacts:
    name: str
    regimes: frozenset[str] = frozenset()
    """``gdpr``, ``dora``, ``nis2``, ``hipaa``, ``pci``, ``soc2`` …"""
    residency: str | None = None
    """Required data residency: a region (``EU``, ``EEA``, ``GLOBAL``) or ISO country codes
    (``DE,AT``), see ``data/regions.yaml``; ``None`` = none."""


@dataclass(frozen=True, slots=True)
class VendorFacts:
    key: str
    name: str
    kind: str
    """``dns_provider``, ``registrar``, ``msp``, ``dns_security``, ``dynamic_dns``, ``other``."""
    tier: int = 3
    """Criticality tier, 1 (most critical) to 3; data/certifications.yaml calls them
    ``critical``, ``high``, ``normal``."""
    catalog_key: str | None = None
    data_locations: frozenset[str] | None = None
    """ISO 3166 country codes or region codes (``EU``, ``GLOBAL``) of storage and processing;
    ``None`` = not recorded."""
    status: str = "active"
    findings: tuple[RecordedFinding, ...] = ()
    """Recorded vendor-level findings, the inventory findings among them."""


@dataclass(frozen=True, slots=True)
class DomainFacts:
    name: str
    client: str
    registrar: str | None = None
    """Vendor key of the declared registrar."""
    dns_providers: tuple[str, ...] = ()
    """Vendor keys of the declared DNS providers."""
    observed_operators: tuple[str, ...] | None = None
    """Catalog keys of the nameserver operators seen by the last probe; ``None`` = not probed."""
    critical: bool = False
    probe_complete: bool | None = None
    """``None`` = never probed."""
    signed: bool | None = None
    """DNSSEC-signed (DS at the parent)."""
    proprietary_in_use: bool | None = None
    """Provider-specific record types (ALIAS, flattening, traffic steering) in the zone."""
    findings: tuple[RecordedFinding, ...] = ()
    proprietary_sources: tuple[str, ...] = ()
    """What said so: questionnaire answers and probe-seen record types."""
    proprietary_evidence: Mapping[str, Any] = field(default_factory=dict)
    not_published: tuple[str, ...] = ()
    """Registration fields the TLD's registry never publishes (EPP status at .de, expiry at
    .eu): not applicable, so neither a pass, a fault nor an incomplete probe."""


@dataclass(frozen=True, slots=True)
class ContractFacts:
    key: str
    """Contract reference, unique in the portfolio."""
    vendor: str
    client: str | None
    """``None`` = MSP-wide: covers every client the vendor serves."""
    start: date | None = None
    end: date | None = None
    auto_renew: bool | None = None
    renewal_term_months: int | None = None
    notice_days_customer: int | None = None
    termination_for_convenience: bool | None = None
    exit_assistance_days: int | None = None
    """Days of transition help after termination; 0 = none; ``None`` = not recorded."""
    data_return: bool | None = None
    zone_export: bool | None = None
    early_termination_fee: bool | None = None
    supports_critical_function: bool = False
    clauses: frozenset[str] = frozenset()
    """Ids of further clauses the contract contains (see data/clauses.yaml)."""
    conditions: frozenset[str] = frozenset()
    """``personal_data``, ``ephi``, ``account_data`` (``critical_function`` comes from
    ``supports_critical_function``): what makes a regime's clause or certification required."""
    data_location_clause: bool | None = None
    subprocessor_notice: bool | None = None
    audit_rights: bool | None = None
    exit_plan: bool | None = None
    sla_uptime: float | None = None
    breach_notification_hours: float | None = None
    liability_cap: float | None = None
    sla_credits: str | None = None
    governing_law: str | None = None
    findings: tuple[RecordedFinding, ...] = ()

    def active_on(self, day: date) -> bool:
        """In force on ``day`` (an ended auto-renewing contract has renewed)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end
                                                              or bool(self.auto_renew))

    def terms(self) -> dict[str, Any]:
        """The Contract fields data/clauses.yaml conditions test, plus ``clauses``."""
        return {name: getattr(self, name) for name in _TERM_FIELDS} | {"clauses": self.clauses}


_TERM_FIELDS = ("termination_for_convenience", "data_return", "zone_export",
                "data_location_clause", "subprocessor_notice", "audit_rights", "exit_plan",
                "exit_assistance_days", "sla_uptime", "breach_notification_hours",
                "liability_cap", "sla_credits", "governing_law")


@dataclass(frozen=True, slots=True)
class CertFacts:
    vendor: str
    type: str
    """``iso27001``, ``soc2_type2``, ``soc2_type1``, ``pci_dss``, ``iso27701``, ``csa_star`` …"""
    issued: date | None = None
    valid_until: date | None = None
    """Certificate expiry, or a SOC 2 report's period end."""
    bridge_letter_until: date | None = None


@dataclass(frozen=True, slots=True)
class RiskyAnswer:
    question: str
    severity: Severity
    answer: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class AnswerFacts:
    vendor: str
    template: str
    version: str
    status: str
    """``draft``, ``sent``, ``received``, ``reviewed``."""
    received: date | None = None
    reviewed: date | None = None
    risky: tuple[RiskyAnswer, ...] = ()
    unanswered: int = 0
    questions: int = 0


@dataclass(frozen=True, slots=True)
class ProviderFacts:
    """What the catalog says about a provider or registrar; ``None`` = the catalog does not say."""

    key: str
    outbound_transfer: bool | None = None
    customer_controls_apex_ns: bool | None = None
    multi_signer: bool | None = None
    dnssec_keys_held_by_provider: bool | None = None
    proprietary: bool | None = None
    requires_own_nameservers: bool | None = None


@dataclass(frozen=True, slots=True)
class PortfolioFacts:
    clients: Mapping[str, ClientFacts]
    vendors: Mapping[str, VendorFacts]
    domains: tuple[DomainFacts, ...] = ()
    contracts: tuple[ContractFacts, ...] = ()
    certifications: tuple[CertFacts, ...] = ()
    answers: tuple[AnswerFacts, ...] = ()
    providers: Mapping[str, ProviderFacts] = field(default_factory=dict)
    """Catalog entries by catalog key."""

    @classmethod
    def build(cls, clients: list[ClientFacts], vendors: list[VendorFacts], **rest: Any
              ) -> PortfolioFacts:
        """Convenience constructor keyed by client name and vendor key."""
        providers = rest.pop("providers", [])
        return cls(clients={c.name: c for c in clients}, vendors={v.key: v for v in vendors},
                   providers={p.key: p for p in providers},
                   **{k: tuple(v) for k, v in rest.items()})


def clients_of_vendors(portfolio: PortfolioFacts) -> dict[str, set[str]]:
    """Vendor key → clients it serves (through declared domains or a client contract)."""
    users: dict[str, set[str]] = defaultdict(set)
    for d in portfolio.domains:
        for v in (d.registrar, *d.dns_providers):
            if v is not None:
                users[v].add(d.client)
    for c in portfolio.contracts:
        if c.client is not None:
            users[c.vendor].add(c.client)
    return users


def to_jsonable(value: Any) -> Any:
    """Dataclasses, dates, sets and mappings to plain JSON values (sets sorted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value
