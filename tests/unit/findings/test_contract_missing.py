"""``contract.missing``: a vendor serves a client with no contract at all (DESIGN §3)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.scoring.builders import (
    NOW,
    RULES,
    TODAY,
    VendorFacts,
    clean_domain,
    good_contract,
    portfolio,
)
from vendorrisk.findings.codes import Severity
from vendorrisk.findings.evaluate import evaluate_inventory
from vendorrisk.findings.rules.inventory import SubjectFinding
from vendorrisk.portfolio.facts import ClientFacts, PortfolioFacts


def missing(p: PortfolioFacts) -> list[SubjectFinding]:
    return [f for f in evaluate_inventory(p, RULES, NOW) if f.finding.code == "contract.missing"]


def test_raised_for_a_vendor_serving_a_client_without_any_contract() -> None:
    found = missing(portfolio(contracts=[good_contract("K-dns", "dns", "acme")]))
    assert [(f.subject, f.key, f.client) for f in found] == [("vendor", "reg", "acme")]
    ev = found[0].finding.evidence
    assert ev["vendor"] == "reg" and ev["client"] == "acme"
    assert ev["domains"] == ["a.example", "b.example"] and ev["domain_count"] == 2
    assert found[0].finding.severity is Severity.MEDIUM and ev["critical_function"] is False
    assert found[0].to_json()["subject"] == "vendor"


def test_not_raised_with_a_contract_for_the_client() -> None:
    assert missing(portfolio()) == []


@pytest.mark.parametrize("contract", [
    good_contract("K-msp", "reg", None),                                 # MSP-wide
    good_contract("K-old", "reg", "acme", end=TODAY - timedelta(days=30)),  # ended: expired
    good_contract("K-msp-old", "reg", None, end=TODAY - timedelta(days=30)),
])
def test_any_contract_for_the_client_or_msp_wide_counts(contract: object) -> None:
    p = portfolio(contracts=[good_contract("K-dns", "dns", "acme"), contract])
    assert missing(p) == []


def test_a_contract_for_another_client_does_not_count() -> None:
    clients = [ClientFacts("acme", frozenset({"dora"}), "EU"),
               ClientFacts("beta", frozenset(), None)]
    domains = [clean_domain("a.example"), clean_domain("c.example", client="beta")]
    p = portfolio(clients=clients, domains=domains,
                  contracts=[good_contract("K-dns", "dns", None),
                             good_contract("K-reg", "reg", "acme")])
    assert [(f.key, f.client, f.finding.evidence["domains"]) for f in missing(p)] == [
        ("reg", "beta", ["c.example"])]


def test_vendor_serving_no_domain_needs_no_contract() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"})),
               VendorFacts("idle", "Idle", "dns_provider", 1, None, frozenset({"DE"}))]
    assert missing(portfolio(vendors=vendors)) == []


def test_high_for_a_critical_function_tier_1_vendor() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE"})),
               VendorFacts("reg", "Reg", "registrar", 1, "good", frozenset({"FR"}))]
    found = missing(portfolio(vendors=vendors, contracts=[good_contract("K-dns", "dns", "acme")]))
    assert [f.finding.severity for f in found] == [Severity.HIGH]
    assert found[0].finding.evidence["critical_because"] == ["vendor is tier 1"]


def test_high_when_it_serves_a_critical_domain() -> None:
    domains = [clean_domain("a.example", critical=True), clean_domain("b.example")]
    found = missing(portfolio(domains=domains, contracts=[good_contract("K-dns", "dns", "acme")]))
    assert [f.finding.severity for f in found] == [Severity.HIGH]
    ev = found[0].finding.evidence
    assert ev["critical_domains"] == ["a.example"] and ev["critical_function"] is True
