"""Inventory findings (DESIGN §3, vendor and contract codes): each raised and not raised."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from tests.unit.scoring.builders import (
    NOW,
    RULES,
    TODAY,
    AnswerFacts,
    CertFacts,
    ClientFacts,
    RiskyAnswer,
    VendorFacts,
    good_contract,
    portfolio,
)
from vendorrisk.findings.codes import CATALOG, Severity
from vendorrisk.findings.evaluate import evaluate_inventory
from vendorrisk.findings.rules.inventory import SubjectFinding, load_inventory_rules
from vendorrisk.portfolio.facts import PortfolioFacts
from vendorrisk.portfolio.schedules import next_renewal


def run(p: PortfolioFacts, now: datetime = NOW) -> list[SubjectFinding]:
    return evaluate_inventory(p, RULES, now)


def codes(found: list[SubjectFinding]) -> list[tuple[str, str, str | None]]:
    return [(f.finding.code, f.key, f.ref) for f in found]


def test_clean_portfolio_raises_nothing() -> None:
    assert run(portfolio()) == []


def test_every_finding_is_catalogued_with_json() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 1, "good", frozenset({"US"})),
               VendorFacts("reg", "Reg", "registrar", 1, "good", None)]
    p = portfolio(vendors=vendors, certifications=[], answers=[], contracts=[good_contract(
        "K", "dns", "acme", clauses=frozenset(), data_return=False, auto_renew=True,
        end=TODAY - timedelta(days=300))])
    found = run(p)
    assert {f.finding.code for f in found} == {
        "cert.missing_required", "contract.clause_missing", "contract.notice_deadline",
        "contract.missing", "questionnaire.stale", "residency.violation"}
    for f in found:
        assert f.finding.code in CATALOG
        assert f.to_json()["subject"] in ("vendor", "contract")


# --- certifications ---------------------------------------------------------------------------

def certs(*c: CertFacts) -> PortfolioFacts:
    return portfolio(certifications=list(c))


@pytest.mark.parametrize(("valid_until", "expected"), [
    (TODAY - timedelta(days=1), ["cert.expired"]),
    (TODAY + timedelta(days=59), ["cert.stale"]),
    (TODAY + timedelta(days=61), []),
])
def test_certificate_expiry(valid_until: date, expected: list[str]) -> None:
    p = certs(CertFacts("dns", "iso27001", date(2024, 1, 1), valid_until),
              CertFacts("reg", "iso27001", date(2025, 1, 1), date(2027, 12, 31)))
    found = run(p)
    assert [f.finding.code for f in found] == expected
    if expected:
        assert found[0].key == "dns" and found[0].ref == "iso27001"
        assert found[0].finding.evidence["valid_until"] == valid_until.isoformat()


def test_newest_certificate_of_a_type_wins() -> None:
    p = certs(CertFacts("dns", "iso27001", date(2020, 1, 1), date(2023, 1, 1)),
              CertFacts("dns", "iso27001", date(2025, 1, 1), date(2027, 12, 31)),
              CertFacts("reg", "iso27001", date(2025, 1, 1), date(2027, 12, 31)))
    assert run(p) == []


@pytest.mark.parametrize(("period_end", "bridge", "stale"), [
    (TODAY - timedelta(days=300), None, False),             # within 12 months
    (date(2025, 10, 31), None, True),                       # 12+ months, no bridge letter
    (date(2025, 10, 31), TODAY - timedelta(days=30), False),  # recent bridge letter covers
    (date(2025, 7, 31), TODAY - timedelta(days=30), True),  # beyond 15 months: letter no help
])
def test_soc2_staleness_and_bridge_letter(period_end: date, bridge: date | None,
                                          stale: bool) -> None:
    p = certs(CertFacts("dns", "soc2_type2", None, period_end, bridge),
              CertFacts("reg", "iso27001", date(2025, 1, 1), date(2027, 12, 31)))
    assert [f.finding.code for f in run(p)] == (["cert.stale"] if stale else [])


def test_missing_required_by_tier_and_by_regime() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 1, "good", frozenset({"DE"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    clients = [ClientFacts("acme", frozenset({"dora", "pci"}), "EU")]
    p = portfolio(vendors=vendors, clients=clients, certifications=[])
    found = {(f.finding.code, f.key, f.client, f.ref) for f in run(p)}
    assert ("cert.missing_required", "dns", None, "critical_baseline") in found  # tier 1
    assert ("cert.missing_required", "dns", "acme", "pci_aoc") in found
    assert ("cert.missing_required", "reg", "acme", "pci_aoc") in found
    assert ("cert.missing_required", "reg", None, "critical_baseline") not in found  # tier 2
    held = portfolio(vendors=vendors, clients=clients, certifications=[
        CertFacts(v, t, date(2026, 1, 1), date(2026, 12, 31) if t == "pci_dss"
                  else date(2028, 1, 1))
        for v in ("dns", "reg") for t in ("iso27001", "pci_dss")])
    assert [f for f in run(held) if f.finding.code == "cert.missing_required"] == []


def test_expired_certificate_is_expired_not_missing() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 1, "good", frozenset({"DE"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    p = portfolio(vendors=vendors, certifications=[
        CertFacts("dns", "iso27001", date(2022, 1, 1), date(2025, 1, 1))])
    got = [f.finding.code for f in run(p) if f.key == "dns"]
    assert "cert.expired" in got and "cert.missing_required" in got  # expired cert: not held


# --- contracts --------------------------------------------------------------------------------

def test_clause_missing_per_regime_with_severity_and_refs() -> None:
    contract = good_contract("K-dns", "dns", "acme", clauses=frozenset(), data_return=False,
                             supports_critical_function=True)
    p = portfolio(contracts=[contract, good_contract("K-reg", "reg", "acme")])
    found = [f for f in run(p) if f.finding.code == "contract.clause_missing"]
    assert {f.ref for f in found} == {"data_return", "exit_strategy"}
    assert all(f.finding.severity is Severity.HIGH and f.client == "acme" for f in found)
    assert found[0].finding.evidence["references"]


def test_clause_satisfied_by_contract_field_or_condition_absent() -> None:
    contract = good_contract("K-dns", "dns", "acme", clauses=frozenset(), data_return=True)
    p = portfolio(contracts=[contract, good_contract("K-reg", "reg", "acme")])
    assert run(p) == []  # data_return via field; exit_strategy only for critical functions


def test_gdpr_clause_only_when_personal_data_and_medium() -> None:
    clients = [ClientFacts("acme", frozenset({"gdpr"}), "EU")]
    pd = good_contract("K-dns", "dns", "acme", clauses=frozenset(),
                       conditions=frozenset({"personal_data"}))
    reg = good_contract("K-reg", "reg", "acme")
    found = run(portfolio(clients=clients, contracts=[pd, reg]))
    assert [(f.ref, f.finding.severity) for f in found] == [("art28_terms", Severity.MEDIUM)]
    plain = good_contract("K-dns", "dns", "acme", clauses=frozenset())
    assert run(portfolio(clients=clients, contracts=[plain, reg])) == []


def test_msp_wide_contract_checked_for_each_client_it_covers() -> None:
    msp = good_contract("K-msp", "dns", None, clauses=frozenset(), data_return=False)
    reg = good_contract("K-reg", "reg", "acme")
    found = [f for f in run(portfolio(contracts=[msp, reg]))
             if f.finding.code.startswith("contract")]
    assert [(f.key, f.client, f.ref) for f in found] == [("K-msp", "acme", "data_return")]


@pytest.mark.parametrize(("end", "notice", "raised"), [
    (TODAY + timedelta(days=100), 30, True),    # last notice day in 70 days
    (TODAY + timedelta(days=100), 5, False),    # last notice day in 95 days
    (TODAY + timedelta(days=10), 30, False),    # deadline already passed
])
def test_notice_deadline(end: date, notice: int, raised: bool) -> None:
    c = good_contract("K-dns", "dns", "acme", end=end, auto_renew=True,
                      notice_days_customer=notice)
    found = [f for f in run(portfolio(contracts=[c])) if f.finding.code ==
             "contract.notice_deadline"]
    assert bool(found) is raised
    if raised:
        ev = found[0].finding.evidence
        assert ev["renews_on"] == end.isoformat()
        assert ev["last_notice_day"] == (end - timedelta(days=notice)).isoformat()


def test_no_notice_deadline_without_auto_renewal() -> None:
    c = good_contract("K-dns", "dns", "acme", end=TODAY + timedelta(days=60), auto_renew=False)
    assert run(portfolio(contracts=[c, good_contract("K-reg", "reg", "acme")])) == []


def test_next_renewal_rolls_forward_by_renewal_term() -> None:
    def renewal(c: Any) -> date | None:
        return next_renewal(c.start, c.end, c.renewal_term_months, TODAY)

    c = good_contract("K", "dns", "acme", start=date(2023, 1, 1), end=date(2024, 1, 31),
                      auto_renew=True, renewal_term_months=12)
    assert renewal(c) == date(2027, 1, 31)
    open_ended = replace(c, end=None, start=date(2025, 2, 28), renewal_term_months=3)
    assert renewal(open_ended) == date(2026, 11, 28)
    no_term = replace(c, renewal_term_months=None, start=date(2025, 6, 30),
                      end=date(2025, 12, 31))
    assert renewal(no_term) == date(2026, 12, 31)  # terms as long as the first
    assert renewal(replace(c, end=None, start=None)) is None


def test_contract_expired_only_while_vendor_still_serves_and_no_successor() -> None:
    old = good_contract("K-old", "dns", "acme", end=TODAY - timedelta(days=1))
    found = run(portfolio(contracts=[old, good_contract("K-reg", "reg", "acme")]))
    assert [(f.finding.code, f.key) for f in found] == [("contract.expired", "K-old")]
    assert found[0].finding.evidence["domain_count"] == 2
    new = good_contract("K-new", "dns", "acme")
    assert run(portfolio(contracts=[old, new, good_contract("K-reg", "reg", "acme")])) == []
    gone = portfolio(contracts=[old], domains=[])
    assert [f for f in run(gone) if f.finding.code == "contract.expired"] == []


# --- questionnaires and residency -------------------------------------------------------------

def test_risky_answers_of_latest_response_with_question_severity() -> None:
    old = AnswerFacts("dns", "dns-provider", "1", "reviewed", date(2026, 1, 1), date(2026, 1, 2),
                      (RiskyAnswer("mfa", Severity.CRITICAL, "no", "MFA"),))
    new = AnswerFacts("dns", "dns-provider", "1", "reviewed", date(2026, 6, 1), date(2026, 6, 2),
                      (RiskyAnswer("logs", Severity.LOW, "30", "Log retention"),))
    draft = AnswerFacts("dns", "dns-provider", "2", "draft", None, None,
                        (RiskyAnswer("x", Severity.HIGH),))
    reg = AnswerFacts("reg", "registrar", "1", "reviewed", date(2026, 6, 1), date(2026, 6, 2))
    found = run(portfolio(answers=[old, new, draft, reg]))
    assert [(f.finding.code, f.ref, f.finding.severity) for f in found] == [
        ("questionnaire.risky_answer", "logs", Severity.LOW)]


@pytest.mark.parametrize(("tier", "answers", "stale"), [
    (2, [], False),                      # no response, not tier 1
    (1, [], True),                       # no response, tier 1
    (2, [date(2025, 10, 1)], True),      # reviewed > 12 months ago
    (2, [date(2025, 12, 1)], False),
])
def test_questionnaire_stale(tier: int, answers: list[date], stale: bool) -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", tier, "good", frozenset({"DE"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    rows = [AnswerFacts("dns", "t", "1", "reviewed", d, d) for d in answers]
    certs_ok = [CertFacts(v, "iso27001", date(2025, 1, 1), date(2027, 12, 31))
                for v in ("dns", "reg")]
    found = run(portfolio(vendors=vendors, answers=rows, certifications=certs_ok))
    assert [(f.finding.code, f.key) for f in found] == (
        [("questionnaire.stale", "dns")] if stale else [])


def test_residency_violation_eu_is_the_27_and_eea_adds_three() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE", "US"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"NO", "IS"}))]
    found = run(portfolio(vendors=vendors))
    assert [(f.finding.code, f.key, f.client) for f in found] == [
        ("residency.violation", "dns", "acme"), ("residency.violation", "reg", "acme")]
    assert [f.finding.evidence["outside"] for f in found] == [["US"], ["IS", "NO"]]
    assert "unknown" not in found[0].finding.evidence  # only when some location is unknown
    eea = [ClientFacts("acme", frozenset({"dora"}), "EEA")]
    assert [f.key for f in run(portfolio(vendors=vendors, clients=eea))] == ["dns"]


def test_residency_unknown_locations_or_no_requirement_raise_nothing() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", None),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"US"}))]
    assert [f.key for f in run(portfolio(vendors=vendors))] == ["reg"]
    free = [ClientFacts("acme", frozenset({"dora"}), None)]
    assert run(portfolio(vendors=vendors, clients=free)) == []


def test_shipped_rules_load() -> None:
    rules = load_inventory_rules()
    assert "dora" in rules.clauses.regimes
    assert rules.certifications.types
    assert rules.regions.countries_of("EU") == rules.regions.countries_of("EU")
    assert len(rules.regions.countries_of("EEA") or ()) == 30


def test_retired_vendor_needs_no_certificate_or_questionnaire() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 1, "good", frozenset({"DE"}),
                           status="retired"),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    assert run(portfolio(vendors=vendors, certifications=[], answers=[])) == []
