"""Small hand-built portfolios and rule sets for the scoring and inventory tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from vendorrisk.compliance.certifications import CertificationRules, CertRequirement, CertType
from vendorrisk.compliance.clauses import (
    Alternative,
    ClauseRule,
    ClauseRules,
    FieldCondition,
)
from vendorrisk.findings.codes import Severity
from vendorrisk.findings.evaluate import with_inventory_findings
from vendorrisk.findings.rules.inventory import InventoryRules
from vendorrisk.portfolio.facts import (
    AnswerFacts,
    CertFacts,
    ClientFacts,
    ContractFacts,
    DomainFacts,
    PortfolioFacts,
    ProviderFacts,
    RecordedFinding,
    RiskyAnswer,
    VendorFacts,
)
from vendorrisk.scoring import Factor, Score, ScoreBook, Weights, compute_all, load_weights

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = NOW.date()

CLAUSES = ClauseRules(
    regimes={
        "dora": (
            ClauseRule("dora", "data_return", "Return of data on exit", "DORA Art. 30(2)(d)",
                       "high", frozenset(), (Alternative((FieldCondition("data_return", "true"),)),)),
            ClauseRule("dora", "exit_strategy", "Exit strategy with transition period",
                       "DORA Art. 30(3)(f)", "high", frozenset({"critical_function"}), ()),
        ),
        "gdpr": (
            ClauseRule("gdpr", "art28_terms", "Processor terms (Art. 28(3))", "GDPR Art. 28(3)",
                       "medium", frozenset({"personal_data"}), ()),
        ),
    },
    titles={"dora": "DORA", "gdpr": "GDPR"},
)
_REPORT = {"stale_after_months": 12, "bridge_letter_max_age_months": 3,
           "bridge_covers_until_months": 15}
CERTS = CertificationRules(
    types={
        "iso27001": CertType("iso27001", "ISO/IEC 27001", "certificate",
                             {"max_validity_months": 36, "expiring_within_days": 60}),
        "soc2_type2": CertType("soc2_type2", "SOC 2 Type II", "report", dict(_REPORT)),
        "pci_dss": CertType("pci_dss", "PCI DSS AOC", "attestation",
                            {"max_validity_months": 12, "expiring_within_days": 60}),
    },
    requirements=(
        CertRequirement("critical_baseline", ("iso27001", "soc2_type2"), "policy", "baseline",
                        tiers=frozenset({"critical"})),
        CertRequirement("pci_aoc", ("pci_dss",), "PCI DSS 12.8.4", "card data",
                        regimes=frozenset({"pci"})),
    ),
)
RULES = InventoryRules(CLAUSES, CERTS)

PROVIDERS = (
    ProviderFacts("good", outbound_transfer=True, customer_controls_apex_ns=True,
                  multi_signer=True, dnssec_keys_held_by_provider=True, proprietary=False,
                  requires_own_nameservers=False),
    ProviderFacts("sticky", outbound_transfer=False, customer_controls_apex_ns=False,
                  multi_signer=False, dnssec_keys_held_by_provider=True, proprietary=True,
                  requires_own_nameservers=True),
    ProviderFacts("vague"),
)


def good_contract(key: str, vendor: str, client: str | None, **kw: Any) -> ContractFacts:
    """A contract with exit-friendly terms and every test clause present."""
    base = ContractFacts(
        key, vendor, client, start=date(2025, 1, 1), end=date(2027, 12, 31), auto_renew=False,
        renewal_term_months=12, notice_days_customer=30, termination_for_convenience=True,
        exit_assistance_days=90, data_return=True, zone_export=True, early_termination_fee=False,
        clauses=frozenset({"data_return", "exit_strategy", "art28_terms"}))
    return replace(base, **kw)


def finding(code: str, severity: Severity = Severity.HIGH, **kw: Any) -> RecordedFinding:
    return RecordedFinding(code, severity, title=code, **kw)


def portfolio(**kw: Any) -> PortfolioFacts:
    """One EU DORA client, a clean DNS provider and registrar, two clean domains.

    Keyword arguments replace whole collections (``domains=[...]``) of the default.
    """
    parts: dict[str, Any] = {
        "clients": [ClientFacts("acme", frozenset({"dora"}), "EU")],
        "vendors": [VendorFacts("dns", "Good DNS", "dns_provider", 2, "good", frozenset({"DE"})),
                    VendorFacts("reg", "Good Registrar", "registrar", 2, "good",
                                frozenset({"FR"}))],
        "domains": [clean_domain("a.example"), clean_domain("b.example")],
        "contracts": [good_contract("K-dns", "dns", "acme"), good_contract("K-reg", "reg", "acme")],
        "certifications": [CertFacts("dns", "iso27001", date(2025, 1, 1), date(2027, 12, 31)),
                           CertFacts("reg", "iso27001", date(2025, 1, 1), date(2027, 12, 31))],
        "answers": [AnswerFacts("dns", "dns-provider", "1", "reviewed", date(2026, 6, 1),
                                date(2026, 6, 15), (), 0, 40),
                    AnswerFacts("reg", "registrar", "1", "reviewed", date(2026, 6, 1),
                                date(2026, 6, 15), (), 0, 30)],
        "providers": list(PROVIDERS),
    }
    parts.update(kw)
    return PortfolioFacts.build(**parts)


def clean_domain(name: str, client: str = "acme", **kw: Any) -> DomainFacts:
    base = DomainFacts(name, client, registrar="reg", dns_providers=("dns",),
                       observed_operators=("good", "other"), probe_complete=True, signed=True,
                       proprietary_in_use=False)
    return replace(base, **kw)


__all__ = [
    "NOW",
    "RULES",
    "TODAY",
    "AnswerFacts",
    "CertFacts",
    "ClientFacts",
    "ContractFacts",
    "DomainFacts",
    "ProviderFacts",
    "RiskyAnswer",
    "VendorFacts",
    "book",
    "clean_domain",
    "factor",
    "finding",
    "good_contract",
    "portfolio",
    "weights",
]


@lru_cache(maxsize=1)
def weights() -> Weights:
    """The shipped weights, parsed once per test session."""
    return load_weights()


def book(p: PortfolioFacts | None = None, now: datetime = NOW) -> ScoreBook:
    """Judge, record, score: the inventory findings are evaluated and recorded on the facts
    (as a recompute stores them), then every score is computed from the facts once."""
    judged = with_inventory_findings(p or portfolio(), RULES, now)
    return compute_all(judged, weights(), now)


def factor(score: Score, factor_id: str, subject: str | None = None) -> Factor:
    """The one factor ``factor_id`` (of ``subject``) in ``score``."""
    found = [f for f in score.factors if f.id == factor_id
             and (subject is None or f.subject == subject)]
    assert len(found) == 1, (factor_id, subject, [(f.id, f.subject) for f in score.factors])
    return found[0]
