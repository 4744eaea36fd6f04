"""Pure WHOIS parsing on the fixtures (several registry formats), plus hostile input."""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixtures.registration import whois_fixture
from vendorrisk.probes.registration import whois
from vendorrisk.probes.registration.privacy import load_privacy_matcher
from vendorrisk.probes.registration.types import RegistrationData

MATCHER = load_privacy_matcher()


def parse(fixture: str, domain: str) -> RegistrationData:
    return whois.parse(domain, whois.decode(whois_fixture(fixture).encode()), MATCHER)


def test_verisign_thin_names_referral() -> None:
    data = parse("verisign_thin_com", "example-thin.com")
    assert data.thin and data.referral == "whois.registrar.example"
    assert data.registrar == "MarkMonitor Inc." and data.registrar_iana_id == 292
    assert data.epp_status == ("clientDeleteProhibited", "clientTransferProhibited",
                               "clientUpdateProhibited")


def test_registrar_answer_redacted_and_web_form_email() -> None:
    data = parse("registrar_markmonitor", "example-thin.com")
    assert data.registrant_redacted is True and data.pii_fields_exposed == ()


def test_registry_expiry_preferred_then_earliest() -> None:
    text = whois_fixture("verisign_thin_com") + (
        "Registrar Registration Expiration Date: 2028-09-13T07:00:00Z\n")
    data = whois.parse("example-thin.com", text, MATCHER)
    assert data.expires == datetime(2028, 9, 14, 4, tzinfo=UTC)
    text = text.replace("Registry Expiry Date", "Registrar Registration Expiration Date")
    data = whois.parse("example-thin.com", text, MATCHER)
    assert data.expires == datetime(2028, 9, 13, 7, tzinfo=UTC)


def test_status_with_and_without_url() -> None:
    text = ("Domain Name: A.COM\nRegistrar: X\nDomain Status: clientTransferProhibited\n"
            "Domain Status: serverHold https://icann.org/epp#serverHold\n")
    assert whois.parse("a.com", text, MATCHER).epp_status == ("clientTransferProhibited",
                                                              "serverHold")


def test_exposed_and_proxy() -> None:
    assert parse("registrar_exposed", "example-thin.com").pii_fields_exposed == (
        "name", "email", "phone", "street")
    proxy = parse("registrar_proxy", "example-thin.com")
    assert proxy.privacy_service == "Domains By Proxy, LLC" and proxy.pii_fields_exposed == ()


def test_thick_gtld() -> None:
    data = parse("thick_org", "example-thick.org")
    assert not data.thin and data.registrant_redacted is True
    assert data.expires == datetime(2027, 5, 20, 14, tzinfo=UTC)


def test_denic() -> None:
    data = parse("de_denic", "beispiel-gmbh.de")
    assert data.registrar is None and data.expires is None and data.epp_status == ()
    assert data.other_status == ("connect",)
    # DENIC never publishes the holder on port 43 (profile registrant_withheld): redacted.
    assert data.registrant_redacted is True and data.pii_fields_exposed == ()


def test_nominet() -> None:
    data = parse("uk_nominet", "example-shop.co.uk")
    assert data.registrar == "Gandi SAS"
    assert data.created == datetime(2009, 3, 12, tzinfo=UTC)
    assert data.expires == datetime(2027, 3, 12, tzinfo=UTC)
    assert data.other_status == ("Registered until expiry date.",)


def test_sidn() -> None:
    data = parse("nl_sidn", "voorbeeld-bv.nl")
    assert data.registrar == "Realtime Register B.V." and data.epp_status == ()
    assert data.other_status == ("active",)


def test_eurid() -> None:
    data = parse("eu_eurid", "beispiel.eu")
    assert data.registrar == "Key-Systems GmbH" and data.registrant_redacted is True


@pytest.mark.parametrize(("fixture", "kind"), [("nomatch_com", "not_found"),
                                               ("ratelimit", "rate_limited")])
def test_non_data_replies(fixture: str, kind: str) -> None:
    assert whois.classify_reply(whois_fixture(fixture)) == kind
    with pytest.raises(whois.WhoisReplyError) as info:
        whois.parse("x.com", whois_fixture(fixture), MATCHER)
    assert info.value.kind == kind


def test_rate_limit_words_in_a_disclaimer_are_not_a_rate_limit() -> None:
    assert whois.classify_reply(whois_fixture("uk_nominet")) is None


def test_unparseable_date_is_unknown() -> None:
    text = "Domain Name: A.COM\nRegistrar: X\nCreation Date: yesterday-ish\n"
    data = whois.parse("a.com", text, MATCHER)
    assert data.registrar == "X" and data.created is None


def test_decode_latin1_and_crlf() -> None:
    assert whois.decode(b"Registrant Name: M\xfcller\r\nX") == "Registrant Name: Müller\nX"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
       | st.lists(st.sampled_from(["Domain Status: ", "Registrar: ", "Registry Expiry Date: ",
                                   "Registrant Name: ", "Registrar WHOIS Server: ",
                                   "Creation Date: ", "No match", "\n", "REDACTED", "ok",
                                   "9999-99-99", "x" * 50, "Registrant:\n   ", ":"]),
                  max_size=40).map("".join))
def test_hostile_text_never_crashes(text: str) -> None:
    with contextlib.suppress(whois.WhoisReplyError):
        whois.parse("fuzz.com", text, MATCHER)


@pytest.mark.parametrize(("domain", "unit"), [("x.com", "a-"), ("x.co.uk", "a."),
                                              ("x.de", "a-"), ("x.eu", "a.b@")])
def test_pathological_input_is_parsed_in_bounded_time(domain: str, unit: str) -> None:
    line = (unit * 200)[:199]
    start = time.monotonic()
    with contextlib.suppress(whois.WhoisReplyError):
        whois.parse(domain, (line + "\n") * 5000 + unit * 500_000, MATCHER)
    assert time.monotonic() - start < 2.0
