"""Redaction markers, privacy-service matching and the registrant assessment."""

from __future__ import annotations

import pytest

from vendorrisk.probes.registration.privacy import (
    PrivacyMatcher,
    assess_registrant,
    is_redaction_marker,
    load_privacy_matcher,
)

M = load_privacy_matcher()


@pytest.mark.parametrize(("value", "marker"), [
    ("REDACTED FOR PRIVACY", True), ("Redacted | EU Data Subject", True),
    ("NOT DISCLOSED!", True), ("Statutory Masking Enabled", True), ("Data Protected", True),
    ("Jane Doe", False), ("ACME Ltd", False),
])
def test_markers(value: str, marker: bool) -> None:
    assert is_redaction_marker(value) is marker


@pytest.mark.parametrize("name", ["Domains By Proxy, LLC", "domains-by-proxy llc",
                                  "Withheld for Privacy ehf", "Contact Privacy Inc. Customer 0157",
                                  "On behalf of example.com owner", "PrivacyGuardian.org llc"])
def test_known_services(name: str) -> None:
    assert M.match(name)


def test_not_a_service() -> None:
    assert not M.match("Example Inc.") and not M.match("") and not M.match(None)


def test_assess() -> None:
    none = assess_registrant({"name": None}, org=None, matcher=M)
    assert not none.present and none.exposed is None
    exposed = assess_registrant({"name": "Jane", "email": "j@x.example", "phone": "+1.5551234",
                                 "street": "1 Road"}, org=None, matcher=M)
    assert exposed.exposed == ("name", "email", "phone", "street") and exposed.redacted is False
    partial = assess_registrant({"name": "Jane", "email": "REDACTED FOR PRIVACY"}, org=None,
                                matcher=M)
    assert partial.exposed == ("name",) and partial.redacted is True
    proxy = assess_registrant({"name": "Registration Private", "email": "x@dbp.example"},
                              org="Domains By Proxy, LLC", matcher=PrivacyMatcher.of(
                                  ["Domains By Proxy, LLC"]))
    assert proxy.privacy_service == "Domains By Proxy, LLC" and proxy.exposed == ()
    named = assess_registrant({"name": "Jane"}, org=None, redacted_fields={"name"}, matcher=M)
    assert named.exposed == () and named.redacted is True
