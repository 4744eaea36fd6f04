"""RDAP against the loopback lab: thin/thick, redaction styles, locks, expiry, faults."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.lab.registration.helpers import codes, probe
from tests.lab.registration.lab import Lab
from vendorrisk.probes.registration.types import RegistrationObservation

pytestmark = pytest.mark.lab
Results = dict[str, RegistrationObservation]

DOMAINS = ("thin-redacted.com", "thin-exposed.com", "thin-proxy.com", "thin-legacy.com",
           "thin-nolink.com", "registrar-down.com", "thick-locked.org", "unlocked.com",
           "partial.com", "expiring.com", "expired.com", "namecheap.com", "missing.com",
           "garbage.com", "notjson.com", "huge.com", "redirect.com")


@pytest.fixture(scope="module")
def results(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Results:
    return probe(lab, tmp_path_factory.mktemp("cache"), *DOMAINS)


def test_thin_registry_follows_related_link_to_registrar(results: Results) -> None:
    obs = results["thin-redacted.com"]
    assert obs.source == "rdap" and obs.complete, obs.reasons
    assert obs.registrar == "MarkMonitor Inc." and obs.registrar_iana_id == 292
    assert obs.epp_status == ("clientDeleteProhibited", "clientTransferProhibited",
                              "clientUpdateProhibited")
    assert obs.registrar_locked is True and obs.registry_locked is False
    assert obs.registrant_redacted is True and obs.pii_fields_exposed == ()
    assert "->" in (obs.server or "")
    assert codes(obs) == set()


@pytest.mark.parametrize(("domain", "redacted", "exposed", "proxy"), [
    ("thin-redacted.com", True, (), None),
    ("thin-legacy.com", True, (), None),
    ("thin-proxy.com", False, (), "Domains By Proxy, LLC"),
    ("thin-exposed.com", False, ("name", "email", "phone", "street"), None),
])
def test_redaction_styles(results: Results, domain: str, redacted: bool, exposed: tuple[str, ...],
                          proxy: str | None) -> None:
    obs = results[domain]
    assert obs.registrant_redacted is redacted
    assert obs.pii_fields_exposed == exposed
    assert obs.privacy_service == proxy
    assert ("whois.pii_exposed" in codes(obs)) is bool(exposed)


def test_registry_status_wins_over_registrar(results: Results) -> None:
    # the registrar says "active"; the registry's client locks are the truth
    assert results["thin-exposed.com"].registrar_locked is True


def test_thin_without_link_or_with_registrar_down_is_incomplete(results: Results) -> None:
    for domain in ("thin-nolink.com", "registrar-down.com"):
        obs = results[domain]
        assert obs.registrar == "MarkMonitor Inc."
        assert obs.pii_fields_exposed is None and obs.registrant_redacted is None
        assert [r.part for r in obs.reasons] == ["registration.registrar"]
        assert "probe.incomplete" in codes(obs)
    assert "HTTP 503" in results["registrar-down.com"].reasons[0].message


def test_lock_findings_both_ways(results: Results) -> None:
    assert codes(results["thick-locked.org"], critical=True) == set()
    assert codes(results["unlocked.com"], critical=True) == {
        "lock.transfer_unlocked", "lock.update_delete_unlocked", "lock.no_registry_lock"}
    assert codes(results["unlocked.com"]) == {"lock.transfer_unlocked",
                                               "lock.update_delete_unlocked"}
    partial = results["partial.com"]
    assert partial.server_lock_partial == ("serverTransferProhibited",)
    assert partial.registry_locked is False and partial.registrar_locked is True
    assert codes(partial, critical=True) == {"lock.no_registry_lock",
                                             "lock.update_delete_unlocked"}


def test_expiry_findings_both_ways(results: Results) -> None:
    assert codes(results["expiring.com"]) == {"registration.expiring"}
    assert codes(results["expired.com"]) == {"registration.expired"}
    assert not codes(results["thick-locked.org"]) & {"registration.expiring",
                                                     "registration.expired"}


def test_drift_by_iana_id_and_alias(results: Results) -> None:
    obs = results["namecheap.com"]
    assert "inventory.drift" in codes(obs, declared="GoDaddy")
    assert "inventory.drift" not in codes(obs, declared="Namecheap")
    assert "inventory.drift" not in codes(obs)


@pytest.mark.parametrize(("domain", "text"), [
    ("missing.com", "404"),
    ("garbage.com", "not RDAP"),
    ("notjson.com", "not RDAP"),
    ("huge.com", "exceeds 200000 bytes"),
])
def test_faults_become_reasons(results: Results, domain: str, text: str) -> None:
    obs = results[domain]
    assert obs.source is None and not obs.complete
    assert text in obs.reasons[0].message, obs.reasons
    assert codes(obs) == {"whois.unavailable", "probe.incomplete"}


def test_redirect_is_followed(results: Results) -> None:
    assert results["redirect.com"].registrar == "Gandi SAS"


def test_429_retry_after_is_honoured(lab: Lab, tmp_path: Path) -> None:
    start = time.monotonic()
    obs = probe(lab, tmp_path, "ratelimited.com")["ratelimited.com"]
    assert obs.complete and obs.registrar == "Gandi SAS"
    assert time.monotonic() - start >= 0.9
    hits = [t for key, t in lab.rdap.table.times if key == "/registry/domain/ratelimited.com"]
    assert len(hits) == 2 and hits[1] - hits[0] >= 0.9


def test_persistent_429_and_long_retry_after_give_up(lab: Lab, tmp_path: Path) -> None:
    out = probe(lab, tmp_path, "throttled.com", "longwait.com")
    assert "rate-limited" in out["throttled.com"].reasons[0].message
    assert "gave up after 2 tries" in out["throttled.com"].reasons[0].message
    assert "Retry-After 3600" in out["longwait.com"].reasons[0].message
    assert lab.rdap.table.hits["/registry/domain/longwait.com"] == 1


def test_timeout_is_a_reason(lab: Lab, tmp_path: Path) -> None:
    obs = probe(lab, tmp_path, "slow.com", timeout=0.3, retries=0)["slow.com"]
    assert obs.source is None and "no answer within 0.3 s" in obs.reasons[0].message


def test_rdap_only_mode_without_bootstrap_entry(lab: Lab, tmp_path: Path) -> None:
    obs = probe(lab, tmp_path, "beispiel-gmbh.de", registration_source="rdap")[
        "beispiel-gmbh.de"]
    assert obs.source is None and obs.reasons[0].message == "no RDAP server known for .de"
