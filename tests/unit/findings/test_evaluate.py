"""The evaluate module: which stored findings a run may resolve, and recording raised
inventory findings on the facts as the store does."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from tests.unit.scoring.builders import NOW, RULES, TODAY, CertFacts, VendorFacts, portfolio
from vendorrisk.findings.codes import Severity, make_finding
from vendorrisk.findings.evaluate import evaluate_inventory, recorded, scope_of
from vendorrisk.findings.rules.inventory import SubjectFinding
from vendorrisk.portfolio.facts import RecordedFinding
from vendorrisk.probes.dns.types import DnsObservation
from vendorrisk.probes.observation import DomainObservation


def test_a_dns_only_run_resolves_dns_findings_only() -> None:
    obs = DomainObservation("a.example", NOW, None, DnsObservation("a.example", NOW))
    in_scope = scope_of(obs)
    assert in_scope("dns.lame_nameserver", {"server": "ns1"})
    assert in_scope("inventory.drift", {"kind": "dns_provider"})
    assert not in_scope("inventory.drift", {"kind": "registrar"})
    assert not in_scope("lock.transfer_unlocked", {})
    assert not in_scope("probe.incomplete", {"parts": ["registration.rdap"]})
    assert not in_scope("cert.expired", {"type": "iso27001"})


def expired_certs() -> list[CertFacts]:
    return [CertFacts("dns", t, None, TODAY - timedelta(days=5)) for t in ("iso27001", "pci_dss")]


def test_recorded_keeps_each_identitys_status_and_drops_what_went_away() -> None:
    accepted = RecordedFinding("cert.expired", Severity.HIGH, "accepted", NOW + timedelta(9),
                               evidence={"vendor": "dns", "type": "pci_dss"})
    gone = RecordedFinding("cert.stale", Severity.MEDIUM, evidence={"type": "soc2_type2"})
    drift = RecordedFinding("inventory.drift", Severity.MEDIUM)
    p = portfolio(certifications=[*expired_certs(),
                                  CertFacts("reg", "iso27001", date(2025, 1, 1),
                                            date(2027, 12, 31))])
    vendors = dict(p.vendors)
    vendors["dns"] = replace(vendors["dns"], findings=(accepted, gone, drift))
    p = replace(p, vendors=vendors)
    raised = evaluate_inventory(p, RULES, NOW)
    found = recorded(p, [*raised, *raised]).vendors["dns"].findings  # duplicates: one each
    assert [(f.code, f.evidence.get("type"), f.status) for f in found] == [
        ("inventory.drift", None, "open"),
        ("cert.expired", "iso27001", "open"),
        ("cert.expired", "pci_dss", "accepted")]
    assert found[2].accepted_until == accepted.accepted_until
    assert recorded(p, []).vendors["dns"].findings == (drift,)


def test_recorded_ignores_subjects_the_portfolio_lacks() -> None:
    p = portfolio(vendors=[VendorFacts("dns", "DNS", "dns_provider", 2, "good")],
                  certifications=expired_certs())
    ghost = SubjectFinding("vendor", "ghost", None, make_finding(
        "cert.expired", {"vendor": "ghost", "type": "iso27001"}))
    got = recorded(p, [*evaluate_inventory(p, RULES, NOW), ghost])
    assert set(got.vendors) == {"dns"}
    assert [f.evidence["type"] for f in got.vendors["dns"].findings] == ["iso27001", "pci_dss"]
