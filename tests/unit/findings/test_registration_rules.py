"""Registration rules: every finding both ways, evidence JSON-able."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from vendorrisk.catalog.registrars import load_registrar_catalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import CATALOG as CODES
from vendorrisk.findings.codes import Finding
from vendorrisk.findings.context import DeclaredVendor, DomainContext
from vendorrisk.findings.rules.registration import evaluate
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.types import Reason

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
CATALOG = load_registrar_catalog()
SETTINGS = ProbeSettings()
LOCKED = ("clientTransferProhibited", "clientUpdateProhibited", "clientDeleteProhibited")
REGISTRY = ("serverTransferProhibited", "serverUpdateProhibited", "serverDeleteProhibited")

GOOD = RegistrationObservation(
    domain="example.com", source="rdap", registrar="MarkMonitor Inc.", registrar_iana_id=292,
    created=datetime(2001, 1, 1, tzinfo=UTC), expires=NOW + timedelta(days=400),
    epp_status=LOCKED + REGISTRY, registrar_locked=True, registry_locked=True,
    registrant_redacted=True, pii_fields_exposed=(), server="rdap.example")


def run(obs: RegistrationObservation, *, critical: bool = False,
        declared: DeclaredVendor | None = None, settings: ProbeSettings = SETTINGS) -> dict[str, Finding]:
    ctx = DomainContext(obs.domain, critical=critical, declared_registrar=declared)
    findings = evaluate(obs, ctx, CATALOG, settings, NOW)
    for f in findings:
        assert f.code in CODES and f.severity == CODES[f.code].severity
        json.dumps(f.to_json())
    return {f.code: f for f in findings}


def test_clean_domain_raises_nothing() -> None:
    assert run(GOOD, critical=True, declared=DeclaredVendor("MarkMonitor")) == {}


def test_transfer_unlocked() -> None:
    found = run(replace(GOOD, epp_status=("clientUpdateProhibited",)))
    assert set(found) == {"lock.transfer_unlocked"}
    assert found["lock.transfer_unlocked"].evidence["epp_status"] == ["clientUpdateProhibited"]
    assert "lock.transfer_unlocked" not in run(replace(GOOD, epp_status=(
        "serverTransferProhibited", "clientUpdateProhibited")))


def test_update_delete_unlocked() -> None:
    found = run(replace(GOOD, epp_status=("clientTransferProhibited",)))
    assert set(found) == {"lock.update_delete_unlocked"}
    assert run(replace(GOOD, epp_status=("clientTransferProhibited",
                                          "serverDeleteProhibited"))) == {}


def test_no_registry_lock_only_for_critical_and_reports_partial() -> None:
    partial = replace(GOOD, epp_status=(*LOCKED, "serverUpdateProhibited"))
    assert "lock.no_registry_lock" not in run(partial)
    finding = run(partial, critical=True)["lock.no_registry_lock"]
    assert finding.evidence["server_statuses_present"] == ["serverUpdateProhibited"]
    assert finding.evidence["partial_server_lock"] is True
    assert "lock.no_registry_lock" not in run(GOOD, critical=True)


def test_no_status_is_unknown_not_unlocked() -> None:
    obs = replace(GOOD, epp_status=(), registrar_locked=None, registry_locked=None,
                  update_delete_locked=None, unpublished=("EPP status",))
    assert set(run(obs, critical=True)) == set()


@pytest.mark.parametrize(("days", "code"), [(400, None), (31, None), (29, "registration.expiring"),
                                            (0.5, "registration.expiring"),
                                            (-2, "registration.expired")])
def test_expiry(days: float, code: str | None) -> None:
    found = run(replace(GOOD, expires=NOW + timedelta(days=days)))
    assert set(found) == ({code} if code else set())


def test_expiry_window_is_configurable() -> None:
    obs = replace(GOOD, expires=NOW + timedelta(days=45))
    found = run(obs, settings=ProbeSettings(registration_expiry_days=60))
    assert found["registration.expiring"].evidence["window_days"] == 60
    assert found["registration.expiring"].evidence["expires"] == "2027-01-07T12:00:00Z"


def test_pii_exposed_both_ways() -> None:
    found = run(replace(GOOD, pii_fields_exposed=("name", "email"), registrant_redacted=False))
    assert found["whois.pii_exposed"].evidence["fields"] == ["name", "email"]
    assert run(replace(GOOD, pii_fields_exposed=())) == {}
    assert run(replace(GOOD, pii_fields_exposed=None)) == {}
    proxied = replace(GOOD, pii_fields_exposed=("name",), privacy_service="Domains By Proxy, LLC")
    assert run(proxied) == {}


def test_unavailable_and_incomplete() -> None:
    obs = RegistrationObservation("x.com", reasons=(Reason("registration.rdap",
                                                           "rdap.example: HTTP 404"),))
    found = run(obs, critical=True, declared=DeclaredVendor("GoDaddy"))
    assert set(found) == {"whois.unavailable", "probe.incomplete"}
    assert found["probe.incomplete"].evidence["parts"] == ["registration.rdap"]
    assert "registration.rdap" in found["probe.incomplete"].title


@pytest.mark.parametrize(("declared", "drift"), [
    (DeclaredVendor("MarkMonitor"), False),
    (DeclaredVendor("Markmonitor, Inc"), False),
    (DeclaredVendor("Brand registrar", catalog_key="markmonitor"), False),
    (DeclaredVendor("GoDaddy"), True),
    (DeclaredVendor("Some Unknown Registrar"), True),
    (None, False),
])
def test_drift(declared: DeclaredVendor | None, drift: bool) -> None:
    assert ("inventory.drift" in run(GOOD, declared=declared)) is drift


def test_drift_by_iana_id_beats_name() -> None:
    obs = replace(GOOD, registrar="Renamed Registrar Ltd", registrar_iana_id=292)
    assert "inventory.drift" not in run(obs, declared=DeclaredVendor("MarkMonitor"))
    found = run(replace(GOOD, registrar_iana_id=146), declared=DeclaredVendor("MarkMonitor"))
    assert found["inventory.drift"].evidence["matched_by"] == "iana_id"


def test_drift_by_name_for_reseller_alias_and_unknown_catalog() -> None:
    obs = replace(GOOD, registrar="Tucows Domains Inc.", registrar_iana_id=None)
    assert "inventory.drift" not in run(obs, declared=DeclaredVendor("Hover"))
    odd = replace(GOOD, registrar="Tiny Registrar GmbH", registrar_iana_id=None)
    assert "inventory.drift" not in run(odd, declared=DeclaredVendor("tiny registrar"))
    unknown = replace(GOOD, registrar=None, registrar_iana_id=None)
    assert "inventory.drift" not in run(unknown, declared=DeclaredVendor("GoDaddy"))
