"""The finding catalogue is a contract (DESIGN §3): codes and severities must not drift."""

from __future__ import annotations

from vendorrisk.findings.codes import CATALOG, Severity, make_finding

EXPECTED = {
    "dnssec.unsigned": "medium", "dnssec.bogus": "critical", "dnssec.ds_mismatch": "critical",
    "dnssec.expired_signatures": "critical", "dnssec.signatures_expiring": "medium",
    "dnssec.weak_algorithm": "high", "dnssec.weak_ds_digest": "medium",
    "dnssec.nsec3_iterations": "low", "lock.transfer_unlocked": "high",
    "lock.update_delete_unlocked": "medium", "lock.no_registry_lock": "info",
    "registration.expiring": "high", "registration.expired": "critical",
    "whois.pii_exposed": "high", "whois.unavailable": "info", "exit.axfr_open": "high",
    "exit.single_provider": "medium", "exit.no_outbound_transfer": "medium",
    "dns.lame_nameserver": "high", "dns.ns_mismatch": "medium",
    "dns.soa_serial_mismatch": "medium", "ddns.unauthenticated_update": "critical",
    "inventory.drift": "medium", "probe.incomplete": "info", "cert.expired": "high",
    "cert.stale": "medium", "cert.missing_required": "high", "contract.clause_missing": "high",
    "contract.notice_deadline": "high", "contract.expired": "medium",
    "questionnaire.risky_answer": "medium", "questionnaire.stale": "low",
    "residency.violation": "high",
}


def test_catalogue_matches_design() -> None:
    assert {code: spec.severity.value for code, spec in CATALOG.items()} == EXPECTED


def test_make_finding_uses_catalogue_and_allows_per_case_severity() -> None:
    finding = make_finding("exit.axfr_open", {"server": "ns1.example", "address": "127.0.0.1"})
    assert finding.severity is Severity.HIGH
    assert finding.to_json()["evidence"]["server"] == "ns1.example"
    risky = make_finding("questionnaire.risky_answer", {"question_id": "q"},
                         severity=Severity.CRITICAL)
    assert risky.severity is Severity.CRITICAL


def test_severity_ordering() -> None:
    ranks = [s.rank for s in (Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH,
                              Severity.CRITICAL)]
    assert ranks == sorted(ranks) and len(set(ranks)) == 5
