"""Every compliance factor both ways, and how accepted findings count."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from tests.unit.scoring.builders import (
    NOW,
    TODAY,
    AnswerFacts,
    CertFacts,
    ClientFacts,
    RiskyAnswer,
    VendorFacts,
    book,
    clean_domain,
    factor,
    finding,
    good_contract,
    portfolio,
)
from vendorrisk.findings.codes import Severity
from vendorrisk.portfolio.facts import RecordedFinding
from vendorrisk.scoring import Factor, Score

LATER = NOW + timedelta(days=30)
EARLIER = NOW - timedelta(days=1)


def domain_score_with(*records: RecordedFinding, **kw: Any) -> Score:
    d = clean_domain("a.example", findings=records, **kw)
    return book(portfolio(domains=[d])).domains["a.example"]


def dns_findings(*records: RecordedFinding) -> Factor:
    return next(f for f in domain_score_with(*records).factors
                if f.title == "Open findings (DNS)")


@pytest.mark.parametrize(("record", "state"), [
    (finding("dnssec.bogus", Severity.CRITICAL), "fail"),
    (finding("dnssec.bogus", status="accepted", accepted_until=LATER), "pass"),
    (finding("dnssec.bogus", status="accepted", accepted_until=EARLIER), "fail"),
    (finding("dnssec.bogus", status="accepted", accepted_until=None), "pass"),
    (finding("dnssec.bogus", status="resolved"), "pass"),
    (finding("dnssec.unsigned", Severity.INFO), "pass"),  # info counts 0
])
def test_open_findings_and_acceptance(record: RecordedFinding, state: str) -> None:
    f = dns_findings(record)
    assert f.state == state and f.source == "probe"
    if record.status == "accepted" and state == "pass":
        assert f.evidence["accepted"][0]["code"] == "dnssec.bogus"


def test_findings_split_by_registrar_and_dns_side() -> None:
    score = domain_score_with(finding("lock.transfer_unlocked"), finding("dns.lame_nameserver"))
    titles = {f.title: f.evidence["by_severity"] for f in score.factors
              if f.id == "compliance.open_findings"}
    assert titles == {"Open findings (DNS)": {"high": 1},
                      "Open findings (registration)": {"high": 1}}


def test_single_critical_finding_reaches_the_critical_band() -> None:
    score = domain_score_with(finding("dnssec.bogus", Severity.CRITICAL))
    assert score.band_compliance == "critical"


@pytest.mark.parametrize(("complete", "state"), [(True, "pass"), (False, "fail"),
                                                 (None, "fail")])
def test_an_incomplete_probe_is_a_low_problem(complete: bool | None, state: str) -> None:
    score = domain_score_with(probe_complete=complete)
    assert factor(score, "compliance.probe_incomplete").state == state
    assert score.band_compliance == "low"
    assert (score.compliance > 0) is (state == "fail")


# --- vendor-wide ------------------------------------------------------------------------------

def vendor_factor(factor_id: str, subject: str = "vendor:dns", **kw: Any) -> Factor:
    return factor(book(portfolio(**kw)).vendors["dns"], factor_id, subject)


CERT_REG = CertFacts("reg", "iso27001", date(2025, 1, 1), date(2027, 12, 31))


@pytest.mark.parametrize(("factor_id", "cert", "state"), [
    ("compliance.cert_expired", CertFacts("dns", "iso27001", None, TODAY - timedelta(1)), "fail"),
    ("compliance.cert_expired", CertFacts("dns", "iso27001", None, TODAY + timedelta(99)),
     "pass"),
    ("compliance.cert_stale", CertFacts("dns", "iso27001", None, TODAY + timedelta(10)), "fail"),
    ("compliance.cert_stale", CertFacts("dns", "soc2_type2", None, date(2025, 6, 30)), "fail"),
    ("compliance.cert_stale", CertFacts("dns", "soc2_type2", None, date(2026, 6, 30)), "pass"),
])
def test_certification_state(factor_id: str, cert: CertFacts, state: str) -> None:
    f = vendor_factor(factor_id, certifications=[cert, CERT_REG])
    assert f.state == state and f.source == "certification"


def test_certification_missing_by_tier_and_by_regime() -> None:
    tier1 = [VendorFacts("dns", "DNS", "dns_provider", 1, "good", frozenset({"DE"})),
             VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    assert vendor_factor("compliance.cert_missing", vendors=tier1,
                         certifications=[]).state == "fail"
    assert vendor_factor("compliance.cert_missing", vendors=tier1).state == "pass"
    pci = [ClientFacts("acme", frozenset({"pci"}), "EU")]
    eng = book(portfolio(clients=pci)).engagements[("acme", "dns")]
    assert factor(eng, "compliance.cert_missing", "vendor:dns@acme").state == "fail"


@pytest.mark.parametrize(("answers", "state"), [
    ([AnswerFacts("dns", "t", "1", "reviewed", TODAY, TODAY,
                  (RiskyAnswer("mfa", Severity.HIGH, "no"),))], "fail"),
    ([AnswerFacts("dns", "t", "1", "reviewed", TODAY, TODAY)], "pass"),
    ([AnswerFacts("dns", "t", "1", "sent", None, None)], "unknown"),
    ([], "unknown"),
])
def test_risky_answers(answers: list[AnswerFacts], state: str) -> None:
    f = vendor_factor("compliance.risky_answers", answers=answers)
    assert f.state == state and f.source == "questionnaire"


@pytest.mark.parametrize(("unanswered", "state"), [(0, "pass"), (3, "fail"), (None, "unknown")])
def test_unanswered_questions_are_a_low_problem(unanswered: int | None, state: str) -> None:
    answers = [] if unanswered is None else [
        AnswerFacts("dns", "t", "1", "reviewed", TODAY, TODAY, (), unanswered, 40)]
    assert vendor_factor("compliance.questionnaire_unanswered",
                         answers=answers).state == state


@pytest.mark.parametrize(("reviewed", "state"), [(date(2025, 1, 1), "fail"), (TODAY, "pass")])
def test_questionnaire_stale(reviewed: date, state: str) -> None:
    answers = [AnswerFacts("dns", "t", "1", "reviewed", reviewed, reviewed)]
    assert vendor_factor("compliance.questionnaire_stale", answers=answers).state == state


def test_vendor_level_recorded_finding_counts_as_open_finding() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE"}),
                           findings=(finding("inventory.drift", Severity.MEDIUM),)),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    assert vendor_factor("compliance.open_findings", vendors=vendors).state == "fail"


# --- per engagement ---------------------------------------------------------------------------

def engagement_factor(factor_id: str, contracts: list[Any] | None = None,
                      subject: str | None = None, **kw: Any) -> Factor:
    contracts = contracts if contracts is not None else [good_contract("K-dns", "dns", "acme")]
    score = book(portfolio(contracts=contracts, **kw)).engagements[("acme", "dns")]
    return factor(score, factor_id, subject)


def test_clause_missing_both_ways_and_unknown_without_contract() -> None:
    bad = [good_contract("K-dns", "dns", "acme", clauses=frozenset(), data_return=False)]
    f = engagement_factor("compliance.clause_missing", bad)
    assert f.state == "fail" and f.evidence["findings"][0]["clause"] == "data_return"
    assert engagement_factor("compliance.clause_missing").state == "pass"
    assert engagement_factor("compliance.clause_missing", []).state == "unknown"


def test_contract_expired_both_ways() -> None:
    old = good_contract("K-dns", "dns", "acme", end=TODAY - timedelta(days=3))
    assert engagement_factor("compliance.contract_expired", [old]).state == "fail"
    assert engagement_factor("compliance.contract_expired").state == "pass"


@pytest.mark.parametrize(("locations", "state"), [
    (frozenset({"US"}), "fail"), (frozenset({"DE", "FR"}), "pass"), (frozenset({"EU"}), "pass"),
    (frozenset({"DE", "Atlantis"}), "unknown"), (None, "unknown")])
def test_residency(locations: frozenset[str] | None, state: str) -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", locations),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    f = engagement_factor("compliance.residency", vendors=vendors)
    assert f.state == state


# --- acceptance of inventory findings ------------------------------------------------------

@pytest.mark.parametrize(("cert_type", "until", "state"), [
    ("iso27001", LATER, "pass"),
    ("soc2_type2", LATER, "fail"),    # another certificate's acceptance
    ("iso27001", EARLIER, "fail"),    # acceptance expired
    (None, LATER, "fail"),            # an acceptance is of one finding: none names no other
])
def test_accepting_an_inventory_finding(cert_type: str | None, until: Any, state: str) -> None:
    accepted = finding("cert.expired", status="accepted", accepted_until=until,
                       evidence={"vendor": "dns", "type": cert_type})
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE"}),
                           findings=(accepted,)),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    expired = CertFacts("dns", "iso27001", None, TODAY - timedelta(days=5))
    f = vendor_factor("compliance.cert_expired", vendors=vendors,
                      certifications=[expired, CERT_REG])
    assert f.state == state
    if state == "pass":
        assert f.evidence["accepted"][0]["ref"] == "iso27001"


def test_accepting_one_certification_finding_waives_no_other() -> None:
    """Accepting the vendor's expired PCI attestation leaves its expired ISO 27001 open."""
    pci = finding("cert.expired", status="accepted", accepted_until=LATER,
                  evidence={"vendor": "dns", "type": "pci_dss"})
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE"}),
                           findings=(pci,)),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    certs = [CertFacts("dns", "iso27001", None, TODAY - timedelta(days=5)),
             CertFacts("dns", "pci_dss", None, TODAY - timedelta(days=10)), CERT_REG]
    f = vendor_factor("compliance.cert_expired", vendors=vendors, certifications=certs)
    assert f.state == "fail"
    assert [row["ref"] for row in f.evidence["findings"]] == ["iso27001"]
    assert [row["ref"] for row in f.evidence["accepted"]] == ["pci_dss"]


def test_accepted_clause_finding_on_contract() -> None:
    acc = finding("contract.clause_missing", status="accepted", accepted_until=LATER,
                  evidence={"clause": "data_return", "client": "acme"})
    bad = good_contract("K-dns", "dns", "acme", clauses=frozenset(), data_return=False)
    assert engagement_factor("compliance.clause_missing",
                             [replace(bad, findings=(acc,))]).state == "pass"


def test_what_the_registry_never_publishes_is_not_applicable_with_the_reason() -> None:
    score = domain_score_with(probe_complete=True,
                              not_published=("expiry date", "EPP status"))
    registration = next(f for f in score.factors if f.title == "Open findings (registration)")
    assert registration.state == "pass"
    assert registration.evidence["not_applicable"] == [
        {"field": "expiry date", "reason": "the .example registry does not publish the "
                                           "expiry date"},
        {"field": "EPP status", "reason": "the .example registry does not publish the "
                                          "EPP status"}]
    assert factor(score, "compliance.probe_incomplete").state == "pass"
    assert "not_applicable" not in next(
        f for f in domain_score_with().factors
        if f.title == "Open findings (registration)").evidence
