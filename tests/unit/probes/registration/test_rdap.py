"""Pure RDAP parsing on the fixtures, plus hostile input."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixtures.registration import rdap_fixture
from vendorrisk.probes.registration import rdap
from vendorrisk.probes.registration.privacy import PrivacyMatcher, load_privacy_matcher
from vendorrisk.probes.registration.types import RegistrationData

MATCHER = load_privacy_matcher()


def parse(name: str) -> RegistrationData:
    return rdap.parse_domain(rdap_fixture(name), MATCHER)


def test_thin_registry() -> None:
    data = parse("verisign_thin_com")
    assert data.registrar == "MarkMonitor Inc." and data.registrar_iana_id == 292
    assert data.created == datetime(1997, 9, 15, 4, tzinfo=UTC)
    assert data.expires == datetime(2028, 9, 14, 4, tzinfo=UTC)
    assert data.thin and data.referral == "https://rdap.registrar.example/domain/EXAMPLE-THIN.COM"
    assert data.pii_fields_exposed is None and data.registrant_redacted is None


def test_rfc9537_redaction() -> None:
    data = parse("registrar_rfc9537")
    assert data.registrant_redacted is True and data.pii_fields_exposed == ()
    assert data.expires == datetime(2028, 9, 13, 7, tzinfo=UTC)  # registrar expiration fallback


def test_redacted_array_ignored_without_conformance_token() -> None:
    doc = rdap_fixture("registrar_rfc9537")
    doc["rdapConformance"] = ["rdap_level_0"]
    doc["entities"][0]["vcardArray"][1].append(["email", {}, "text", "a@b.example"])
    data = rdap.parse_domain(doc, MATCHER)
    assert data.pii_fields_exposed == ("email",)


def test_legacy_redaction() -> None:
    data = parse("registrar_legacy_redacted")
    assert data.registrant_redacted is True and data.pii_fields_exposed == ()


def test_proxy_is_not_redaction_nor_exposure() -> None:
    data = parse("registrar_proxy")
    assert data.privacy_service == "Domains By Proxy, LLC"
    assert data.registrant_redacted is False and data.pii_fields_exposed == ()


def test_exposed() -> None:
    data = parse("registrar_exposed")
    assert data.pii_fields_exposed == ("name", "email", "phone", "street")
    assert data.registrant_redacted is False and data.epp_status == ("ok",)


def test_thick_registry_lock() -> None:
    data = parse("thick_registry_locked")
    assert not data.thin and data.registrar_iana_id == 81
    assert {"serverTransferProhibited", "serverUpdateProhibited",
            "serverDeleteProhibited"} <= set(data.epp_status)


def test_error_text_and_non_domain() -> None:
    body = json.dumps(rdap_fixture("error_404")).encode()
    assert rdap.error_text(body) == "Not Found The domain you are seeking is not registered."
    with pytest.raises(rdap.RdapParseError):
        rdap.parse_domain(rdap.loads(body), MATCHER)


@pytest.mark.parametrize("body", [b"", b"[]", b"null", b"<html>", b"\xff\xfe", b"[" * 100000])
def test_loads_rejects_non_objects(body: bytes) -> None:
    with pytest.raises(rdap.RdapParseError):
        rdap.loads(body)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["status", "entities", "roles", "vcardArray", "events",
                                       "eventAction", "eventDate", "publicIds", "links",
                                       "redacted", "rdapConformance", "name", "type", "rel",
                                       "href", "remarks", "title", "ldhName"]), children,
                      max_size=5),
    max_leaves=30)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["objectClassName", "ldhName", "status", "entities",
                                        "events", "links", "redacted", "rdapConformance"]),
                       json_values, max_size=8))
def test_hostile_json_never_crashes(doc: dict[str, object]) -> None:
    try:
        data = rdap.parse_domain(doc, PrivacyMatcher.of(["Domains By Proxy"]))
    except rdap.RdapParseError:
        return
    assert data.pii_fields_exposed is None or set(data.pii_fields_exposed) <= {
        "name", "email", "phone", "street"}


def test_handles_without_vcards() -> None:
    data = rdap.parse_domain({
        "objectClassName": "domain", "ldhName": "example.cz", "status": ["active"],
        "entities": [{"handle": "REG-EXAMPLE-CZ", "roles": ["registrar"]},
                     {"handle": "SB:EXAMPLE", "roles": ["registrant"]}],
    }, load_privacy_matcher())
    assert data.registrar == "REG-EXAMPLE-CZ" and data.epp_status == ("ok",)
    assert data.registrant_redacted is True and data.pii_fields_exposed == ()
