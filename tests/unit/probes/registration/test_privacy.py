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


@pytest.mark.parametrize(("value", "how"), [
    ("See PrivacyGuardian.org", "list"), ("PRIVACYDOTLINK CUSTOMER 123456", "list"),
    ("shazow.net Private Registrant", "list"), ("Knock Knock WHOIS Not There, LLC", "list"),
    ("Domains by Proxy, Inc.", "list"), ("c/o EnCirca Privacy Service", "list"),
    ("Privacy service provided by Withheld for Privacy ehf", "list"),
    ("Domainmonster.com Privacy Service", "list"), ("Acme Whois Privacy Ltd", "name"),
])
def test_services_by_list_or_name(value: str, how: str) -> None:
    found = M.explain(value)
    assert found is not None and found.how == how
    assert ("listed service" if how == "list" else "name heuristic") in found.evidence()


@pytest.mark.parametrize("value", ["REDACTED FOR PRIVACY", "Privacy Ltd Group Holdings",
                                   "Proxy Networks Inc", "Data Privacy Consulting GmbH"])
def test_heuristic_is_conservative(value: str) -> None:
    assert M.explain(value) is None


@pytest.mark.parametrize("value", ["Ano Nymous", "Not shown, please visit www.dns.be",
                                   "Private Person", "n/a"])
def test_more_markers(value: str) -> None:
    assert is_redaction_marker(value)


def test_omission_and_partial_redaction() -> None:
    org_only = assess_registrant({"name": None}, org="Google LLC", matcher=M)
    assert org_only.present and org_only.redacted is True and org_only.exposed == ()
    id_only = assess_registrant({"id": "H1346485"}, org=None, matcher=M)
    assert id_only.present and id_only.redacted is True
    empty_labels = assess_registrant({"name": ""}, org=None, listed=True, matcher=M)
    assert empty_labels.present and empty_labels.redacted is True
    partial = assess_registrant({"name": "n/a", "email": "ck@nrm.example",
                                 "street": "Frescativaegen 40"}, org=None, matcher=M)
    assert partial.redacted is False and partial.exposed == ("email", "street")
    dashes = assess_registrant({"name": "Google, Inc.", "email": "---"}, org=None, matcher=M)
    assert dashes.redacted is False and dashes.exposed == ("name",)
