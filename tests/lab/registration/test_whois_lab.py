"""WHOIS against the loopback lab: referral, registry formats, rate limits, faults."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lab.registration.helpers import codes, probe
from tests.lab.registration.lab import Lab
from vendorrisk.probes.registration import prober as prober_module
from vendorrisk.probes.registration.types import RegistrationObservation

pytestmark = pytest.mark.lab
Results = dict[str, RegistrationObservation]

DOMAINS = ("w-thin.com", "w-exposed.com", "w-proxy.com", "w-unlocked.com", "w-expired.com",
           "w-referral-down.com", "example-thick.org", "w-nomatch.com", "w-huge.com",
           "w-garbage.com", "w-badref.com", "w-selfref.com")
CCTLD = ("beispiel-gmbh.de", "example-shop.co.uk", "voorbeeld-bv.nl", "beispiel.eu")


@pytest.fixture(scope="module")
def results(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Results:
    out = probe(lab, tmp_path_factory.mktemp("cache"), *DOMAINS, registration_source="whois")
    out.update(probe(lab, tmp_path_factory.mktemp("cache"), *CCTLD))  # auto: not in bootstrap
    return out


def test_thin_registry_referral_is_followed(results: Results, lab: Lab) -> None:
    obs = results["w-thin.com"]
    assert obs.source == "whois" and obs.complete, obs.reasons
    assert obs.registrar == "MarkMonitor Inc." and obs.registrar_iana_id == 292
    assert str(obs.expires) == "2028-09-14 04:00:00+00:00"  # registry's date, not registrar's
    assert obs.registrar_locked is True and obs.registrant_redacted is True
    assert obs.pii_fields_exposed == ()
    assert lab.whois_registrar.address in (obs.server or "")
    assert lab.whois_registrar.table.hits["w-thin.com"] >= 1


def test_exposed_and_proxy(results: Results) -> None:
    exposed, proxy = results["w-exposed.com"], results["w-proxy.com"]
    assert exposed.pii_fields_exposed == ("name", "email", "phone", "street")
    assert "whois.pii_exposed" in codes(exposed)
    assert proxy.privacy_service == "Domains By Proxy, LLC" and proxy.pii_fields_exposed == ()
    assert "whois.pii_exposed" not in codes(proxy)


def test_locks_and_expiry_over_whois(results: Results) -> None:
    assert codes(results["w-unlocked.com"], critical=True) == {
        "lock.transfer_unlocked", "lock.update_delete_unlocked", "lock.no_registry_lock"}
    assert "registration.expired" in codes(results["w-expired.com"])
    thick = results["example-thick.org"]
    assert thick.registry_locked is True and thick.complete
    assert codes(thick, critical=True) == set()


def test_referral_failure_keeps_registry_data(results: Results) -> None:
    obs = results["w-referral-down.com"]
    assert obs.registrar == "MarkMonitor Inc." and obs.pii_fields_exposed is None
    assert obs.reasons[0].part == "registration.registrar"
    assert "connection failed" in obs.reasons[0].message


@pytest.mark.parametrize(("domain", "text"), [("w-badref.com", "bad port"),
                                           ("w-selfref.com", "refers to itself")])
def test_bad_referral_keeps_registry_data(results: Results, domain: str, text: str) -> None:
    obs = results[domain]
    assert obs.registrar == "MarkMonitor Inc." and obs.registrar_locked is True
    assert obs.reasons[0].part == "registration.registrar" and text in obs.reasons[0].message


def test_cctld_formats(results: Results) -> None:
    de = results["beispiel-gmbh.de"]
    assert de.source == "whois" and de.other_status == ("connect",)
    assert de.registrar_locked is None and de.pii_fields_exposed == ()
    assert de.unpublished == ("registrar", "expiry date", "EPP status") and de.complete
    assert codes(de) == set()  # locks unknown: neither pass nor fail, and not incomplete
    uk = results["example-shop.co.uk"]
    assert uk.registrar == "Gandi SAS" and uk.expires is not None and uk.expires.year == 2027
    nl = results["voorbeeld-bv.nl"]
    assert nl.registrar == "Realtime Register B.V." and nl.created is not None
    eu = results["beispiel.eu"]
    assert eu.registrar == "Key-Systems GmbH" and eu.registrant_redacted is True


@pytest.mark.parametrize(("domain", "text"), [
    ("w-nomatch.com", "no match"),
    ("w-huge.com", "exceeds 200000 bytes"),
    ("w-garbage.com", "no registration data"),
])
def test_whois_faults(results: Results, domain: str, text: str) -> None:
    obs = results[domain]
    assert obs.source is None and text in obs.reasons[0].message, obs.reasons
    assert codes(obs) == {"whois.unavailable", "probe.incomplete"}


def test_rate_limit_text_is_detected_and_retried(lab: Lab, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prober_module, "RATE_LIMIT_PAUSE", 0.2)
    out = probe(lab, tmp_path, "w-limited.com", "w-limited-once.com",
                registration_source="whois")
    assert "rate-limited" in out["w-limited.com"].reasons[0].message
    assert out["w-limited-once.com"].complete
    assert lab.whois.table.hits["w-limited-once.com"] == 2


def test_whois_timeout(lab: Lab, tmp_path: Path) -> None:
    obs = probe(lab, tmp_path, "w-slow.com", registration_source="whois", timeout=0.3,
                retries=0)["w-slow.com"]
    assert "no answer within 0.3 s" in obs.reasons[0].message
