"""The finding catalogue is a contract (DESIGN §3): codes and severities must not drift."""

from __future__ import annotations

from typing import Any

import pytest

from vendorrisk.findings.codes import (
    CATALOG,
    Area,
    Severity,
    SubjectKind,
    about,
    area_of,
    identity,
    make_finding,
)
from vendorrisk.scoring.weights import FACTOR_IDS

EXPECTED = {
    "dnssec.unsigned": "medium", "dnssec.bogus": "critical", "dnssec.ds_mismatch": "critical",
    "dnssec.expired_signatures": "critical", "dnssec.signatures_expiring": "medium",
    "dnssec.weak_algorithm": "high", "dnssec.weak_ds_digest": "medium",
    "dnssec.nsec3_iterations": "low", "lock.transfer_unlocked": "high",
    "lock.update_delete_unlocked": "medium", "lock.no_registry_lock": "info",
    "registration.expiring": "high", "registration.expired": "critical",
    "registration.ns_domain_unregistered": "critical", "registration.ns_domain_expiring": "high",
    "whois.pii_exposed": "high", "whois.unavailable": "info", "exit.axfr_open": "high",
    "exit.single_provider": "medium", "exit.no_outbound_transfer": "medium",
    "dns.lame_nameserver": "high", "dns.ns_mismatch": "medium",
    "dns.soa_serial_mismatch": "medium", "dns.nonroutable_address": "high",
    "dns.few_nameservers": "medium", "dns.single_network": "medium",
    "dnssec.nsec3_inconsistent": "medium", "dns.glue_mismatch": "medium",
    "ddns.unauthenticated_update": "critical",
    "inventory.drift": "medium", "probe.incomplete": "info", "cert.expired": "high",
    "cert.stale": "medium", "cert.missing_required": "high", "contract.clause_missing": "high",
    "contract.notice_deadline": "high", "contract.expired": "medium", "contract.missing": "medium",
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


# --- the catalogue owns everything about a code -----------------------------------------------

ONCE_PER_SUBJECT = {"dnssec.unsigned", "dnssec.bogus", "dns.ns_mismatch", "dns.few_nameservers",
                    "dnssec.nsec3_inconsistent",
                    "contract.notice_deadline", "questionnaire.stale"}
"""The codes a rule raises at most once per subject: the only ones without identity keys."""


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_code_declares_all_it_means(code: str) -> None:
    s = CATALOG[code]
    assert s.code == code and s.title.strip() and s.description.strip()
    assert s.remedy.strip() and not s.remedy.startswith(s.title)
    assert s.references and all(r.strip() for r in s.references)
    assert isinstance(s.area, Area)
    assert (s.area is Area.INVENTORY) is (s.subject is not SubjectKind.DOMAIN)
    assert isinstance(s.identity, tuple) and all(k and isinstance(k, str) for k in s.identity)
    assert len(set(s.identity)) == len(s.identity)
    assert s.identity or code in ONCE_PER_SUBJECT
    if s.scored_by is not None:  # names a lock-in factor the scoring defines
        assert s.scored_by in FACTOR_IDS and s.scored_by.startswith("lockin.")


# Fingerprints stored by earlier versions hash these strings: they must not change.
LEGACY_IDENTITIES = [
    ("dns.lame_nameserver", {"domain": "a.example", "server": "ns1.x.net", "answers": []},
     "server=ns1.x.net"),
    ("dnssec.ds_mismatch", {"record": "a.example. DNSKEY", "key_tag": 1, "algorithm": 13,
                            "server": "ns1", "problems": []},
     "server=ns1|key_tag=1|record=a.example. DNSKEY"),
    ("exit.axfr_open", {"server": "ns1", "addresses": ["192.0.2.1"], "provider": "p"},
     "server=ns1|provider=p"),
    ("lock.transfer_unlocked", {"domain": "a.example", "source": "rdap", "server": None},
     "server=None"),
    ("inventory.drift", {"domain": "a.example", "kind": "dns_provider", "observed": []},
     "kind=dns_provider"),
    ("inventory.drift", {"source": "rdap", "server": "rdap.x", "kind": "registrar"},
     "server=rdap.x|kind=registrar"),
    ("probe.incomplete", {"domain": "a.example", "part": "dns.dnssec", "reasons": []},
     "part=dns.dnssec"),
    ("dns.ns_mismatch", {"domain": "a.example", "parent_ns": ["a"], "child_ns": ["b"]}, ""),
    ("cert.expired", {"vendor": "V", "type": "pci_dss", "certification": "pci_dss"},
     "ref=pci_dss|client=None"),
    ("cert.missing_required", {"vendor": "V", "client": "C", "requirement": "pci_aoc"},
     "ref=pci_aoc|client=C"),
    ("contract.clause_missing", {"contract": "K", "client": "C", "clause": "audit_rights"},
     "ref=audit_rights|client=C"),
    ("contract.notice_deadline", {"contract": "K", "client": "C", "days_left": 3},
     "ref=None|client=C"),
    ("questionnaire.risky_answer", {"vendor": "V", "question": "mfa"}, "ref=mfa|client=None"),
    ("residency.violation", {"vendor": "V", "client": "C", "outside": ["US"]},
     "ref=None|client=C"),
    ("contract.missing", {"vendor": "V", "client": "C", "domains": ["a.example"]},
     "ref=None|client=C"),
]


@pytest.mark.parametrize(("code", "evidence", "expected"), LEGACY_IDENTITIES)
def test_identity_strings_are_those_stored_fingerprints_hash(code: str, evidence: dict[str, Any],
                                                             expected: str) -> None:
    assert identity(code, evidence) == expected


def test_two_certification_findings_of_a_vendor_are_two_identities() -> None:
    iso = identity("cert.expired", {"vendor": "V", "type": "iso27001"})
    assert iso != identity("cert.expired", {"vendor": "V", "type": "pci_dss"})
    assert about("cert.expired", {"vendor": "V", "type": "iso27001"}) == "iso27001"
    assert about("residency.violation", {"vendor": "V", "client": "C"}) == "C"


@pytest.mark.parametrize(("code", "evidence", "area"), [
    ("dnssec.bogus", {}, Area.DNS),
    ("whois.pii_exposed", {}, Area.REGISTRATION),
    ("inventory.drift", {"kind": "registrar"}, Area.REGISTRATION),
    ("inventory.drift", {"kind": "dns_provider"}, Area.DNS),
    ("probe.incomplete", {"part": "dns.dnssec"}, Area.DNS),
    ("probe.incomplete", {"parts": ["registration.rdap"]}, Area.REGISTRATION),
    ("cert.stale", {}, Area.INVENTORY),
    ("no.such_code", {}, None),
])
def test_area_of_an_occurrence(code: str, evidence: dict[str, Any], area: Area | None) -> None:
    assert area_of(code, evidence) == area
