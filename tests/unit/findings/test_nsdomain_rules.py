"""Nameserver-domain rule: unregistered is critical, expiring is high, unknown is no fault;
the run scope and the score count them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.unit.scoring.builders import book, clean_domain, finding, portfolio
from vendorrisk.catalog.providers import load_provider_catalog
from vendorrisk.catalog.registrars import load_registrar_catalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import CATALOG, Area, Severity, identity
from vendorrisk.findings.context import DomainContext
from vendorrisk.findings.evaluate import evaluate_domain, scope_of
from vendorrisk.findings.rules.nsdomains import evaluate
from vendorrisk.probes.nsdomains import (
    PART,
    NameserverDomain,
    NameserverDomainsObservation,
    NsDomainStatus,
)
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.types import RegistrationObservation

NOW = datetime(2026, 12, 1, tzinfo=UTC)
SETTINGS = ProbeSettings(registration_expiry_days=30)
UNREG, EXPIRING = "registration.ns_domain_unregistered", "registration.ns_domain_expiring"


def ns(host: str, reg: str | None, status: NsDomainStatus, expires: datetime | None = None,
       reason: str | None = None) -> NameserverDomain:
    return NameserverDomain(host, reg, status, expires, "rdap", "rdap.lab", reason)


def run(*entries: NameserverDomain) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for f in evaluate(NameserverDomainsObservation(entries), "client.com", SETTINGS, NOW):
        out.setdefault(f.code, []).append({"severity": f.severity, **f.evidence})
    return out


def test_unregistered_is_critical_once_per_registrable_domain() -> None:
    got = run(ns("ns1.gone.net", "gone.net", "unregistered", reason="HTTP 404"),
              ns("ns2.gone.net", "gone.net", "unregistered", reason="HTTP 404"))
    (f,) = got[UNREG]
    assert f["severity"] is Severity.CRITICAL
    assert f["hosts"] == ["ns1.gone.net", "ns2.gone.net"] and f["registrable_domain"] == "gone.net"
    assert set(got) == {UNREG}


def test_expiring_within_the_window_is_high() -> None:
    got = run(ns("ns1.soon.net", "soon.net", "registered", NOW + timedelta(days=10)))
    (f,) = got[EXPIRING]
    assert f["severity"] is Severity.HIGH and f["days_left"] == 10 and f["window_days"] == 30
    lapsed = run(ns("ns1.old.net", "old.net", "registered", NOW - timedelta(days=2)))
    assert lapsed[EXPIRING][0]["days_left"] == -2


def test_registered_far_from_expiry_or_unpublished_expiry_raise_nothing() -> None:
    assert run(ns("ns1.ok.net", "ok.net", "registered", NOW + timedelta(days=300)),
               ns("ns1.ok.de", "ok.de", "registered", None)) == {}


def test_unknown_is_never_a_fault_only_incomplete() -> None:
    got = run(ns("ns1.slow.net", "slow.net", "unknown", reason="no answer within 0.5 s"))
    assert set(got) == {"probe.incomplete"}
    (f,) = got["probe.incomplete"]
    assert f["part"] == PART and f["severity"] is Severity.INFO
    assert CATALOG["probe.incomplete"].area_of(f) is Area.REGISTRATION


def test_codes_are_catalogued_with_references_and_identity() -> None:
    for code in (UNREG, EXPIRING):
        spec = CATALOG[code]
        assert spec.area is Area.REGISTRATION
        assert any("SAC125" in r for r in spec.references)
        assert any("Risky BIZness" in r for r in spec.references)
        assert identity(code, {"registrable_domain": "gone.net", "hosts": ["x"]}) == \
            "registrable_domain=gone.net"


def _observation(ns_obs: NameserverDomainsObservation | None) -> DomainObservation:
    reg = RegistrationObservation("client.com", source="rdap", expires=NOW + timedelta(999),
                                  epp_status=("clientTransferProhibited",
                                              "clientUpdateProhibited",
                                              "clientDeleteProhibited"))
    return DomainObservation("client.com", NOW, reg, None, ("dns",), ns_obs)


def test_evaluate_domain_raises_them() -> None:
    obs = _observation(NameserverDomainsObservation(
        (ns("ns1.gone.net", "gone.net", "unregistered"),)))
    found = evaluate_domain(obs, DomainContext("client.com"), providers=load_provider_catalog(),
                            registrars=load_registrar_catalog(), settings=SETTINGS, now=NOW)
    assert UNREG in {f.code for f in found}


def test_a_run_without_the_check_does_not_resolve_its_findings() -> None:
    in_scope = scope_of(_observation(None))  # e.g. --no-dns: the check could not run
    assert in_scope("registration.expiring", {})
    assert not in_scope(UNREG, {"registrable_domain": "gone.net"})
    assert not in_scope("probe.incomplete", {"part": PART})
    ran = scope_of(_observation(NameserverDomainsObservation()))
    assert ran(UNREG, {"registrable_domain": "gone.net"}) and ran(EXPIRING, {})


def test_scoring_counts_them_at_their_severity() -> None:
    for code, sev, band in ((UNREG, Severity.CRITICAL, "critical"),
                            (EXPIRING, Severity.HIGH, "high")):
        d = clean_domain("a.example", findings=(finding(code, sev),))
        score = book(portfolio(domains=[d])).domains["a.example"]
        rows = {f.title: f.evidence for f in score.factors if f.id == "compliance.open_findings"}
        assert rows["Open findings (registration)"]["by_severity"] == {sev.value: 1}
        assert score.band_compliance == band
