"""The registrant outside the ICANN layout: blocks, sections, handles, prefixed and flat
labels (synthetic answers in the layouts real registries use)."""

from __future__ import annotations

import pytest

from vendorrisk.probes.registration import whois
from vendorrisk.probes.registration.privacy import load_privacy_matcher
from vendorrisk.probes.registration.types import RegistrationData

MATCHER = load_privacy_matcher()
HEAD = "Domain Name: example.{tld}\nCreation Date: 2001-02-03\nStatus: ok\n\n"


def view(tld: str, body: str) -> tuple[bool | None, tuple[str, ...] | None, str | None]:
    data = whois.parse(f"example.{tld}", HEAD.format(tld=tld) + body, MATCHER)
    return data.registrant_redacted, data.pii_fields_exposed, data.privacy_service


@pytest.mark.parametrize(("tld", "body"), [
    # ``Registrant:`` alone, its indented lines after a blank line (.bn, .sg)
    ("bn", "    Registrant:\n\n        Name:           Jane Example\n"
           "        Email:          jane@example.net\n"),
    # a bare ``Registrant`` header, lines at the same indent (.dk)
    ("dk", "Registrant\nHandle:  JE1-DK\nName:    Jane Example\nPhone:   +4512345678\n"),
    # a section: ``Registrant:`` then ``Name:`` at the same indent, up to the next contact (.ke)
    ("ke", "Registrant:\nName: Jane Example\nEmail Address: jane@example.net\n"
           "Admin Contact:\nName: Someone Else\n"),
    # ``Contact Type: registrant`` (.coop)
    ("coop", "Contact Type:  registrant\nContact ID:    1-COOP\nName:  Jane Example\n"
             "Email:  jane@example.net\nContact Type:  admin\n"),
    # a handle with prefixed lines (.vg, .dm)
    ("vg", "owner-contact: P-ABC12\nowner-name: Jane Example\nowner-email: jane@example.net\n"),
    # a handle pointing to a contact paragraph (.ua)
    ("ua", "registrant: ex-12\n\ncontact-id: ex-12\nperson: Jane Example\n"
           "e-mail: jane@example.net\n"),
    # flat labels named by the TLD profile (.lu org-name / org-address)
    ("lu", "org-name: Example SARL\norg-address: 1 Rue Example\n"),
])
def test_layouts_publish_the_registrant(tld: str, body: str) -> None:
    redacted, exposed, _ = view(tld, body)
    assert redacted is False and exposed


@pytest.mark.parametrize(("tld", "body"), [
    ("gr.com", "Registrant ID:H1346485\nTech ID:H1346485\n"),  # only the registry id
    ("nu", "holder:  mmr-142621\nadmin-c: -\n"),  # a handle with no contact paragraph
    ("sh", "Registrant Organization: Example Inc.\nRegistrant State/Province: CA\n"
           "Registrant Country: US\n"),  # ICANN Temporary Specification: by omission
    ("cat", "Registrant Name:\nRegistrant Email:\n"),  # labels left empty
    ("be", "Registrant:\n\tNot shown, please visit www.dns.be for webbased whois.\n"),
    ("fr", "holder-c: ANO00-FRNIC\n\nnic-hdl: ANO00-FRNIC\ncontact: Ano Nymous\n"),
])
def test_registrant_referenced_but_withheld_is_redacted(tld: str, body: str) -> None:
    redacted, exposed, service = view(tld, body)
    assert redacted is True and not exposed and service is None


def test_denic_withholds_by_policy() -> None:
    redacted, exposed, _ = view("de", "Nserver: ns1.example.net\n")
    assert redacted is True and exposed == ()


def test_privacy_service_by_name() -> None:
    _, exposed, service = view("com", "Registrant Name: Acme Whois Privacy Ltd\n"
                                      "Registrant Email: x@acme-privacy.example\n")
    assert service == "Acme Whois Privacy Ltd" and exposed == ()


def parse_text(domain: str, text: str) -> RegistrationData:
    return whois.parse(domain, text, MATCHER)


def test_status_run_on_lines_and_wording_after_a_dash() -> None:
    data = parse_text("example.kz", "Domain Name............: example.kz\n"
                      "Domain status : clientTransferProhibited - no transfer\n"
                      "                clientDeleteProhibited - no deletion\n"
                      "Current Registar: EXAMPLE.KZ\n")
    assert data.epp_status == ("clientTransferProhibited", "clientDeleteProhibited")
    assert data.registrar == "EXAMPLE.KZ"


def test_afnic_eppstatus_active_is_ok_only_alone() -> None:
    alone = parse_text("example.fr", "domain: example.fr\nstatus: ACTIVE\neppstatus: active\n"
                       "registrar: EXAMPLE SAS\n")
    assert alone.epp_status == ("ok",)
    locked = parse_text("example.fr", "domain: example.fr\neppstatus: active\n"
                        "eppstatus: serverTransferProhibited\nregistrar: EXAMPLE SAS\n")
    assert locked.epp_status == ("serverTransferProhibited",)


def test_contact_objects_run_on_without_a_blank_line() -> None:
    data = parse_text("example.cr", "domain: example.cr\nregistrar: NIC-REG1\n"
                      "registered: 18.04.2002 18:00:00\nexpire: 17.04.2020\n"
                      "contact: CON-66\nname: Someone\ncreated: 03.06.2011 16:22:36\n")
    assert data.created is not None and data.created.date().isoformat() == "2002-04-18"


def test_rwhois_and_quoted_and_accented_labels() -> None:
    data = parse_text("example.ma", "domain:Domain-Name:example.ma\ndomain:Created:20090324\n")
    assert data.created is not None and data.created.date().isoformat() == "2009-03-24"
    pt = parse_text("example.pt", "Data de expiração / Expiration Date (dd/mm/yyyy): 28/02/2015\n"
                    "Estado / Status: ACTIVE\n")
    assert pt.expires is not None and pt.expires.date().isoformat() == "2015-02-28"
    quoted = parse_text("example.fr", 'name: example.fr\ncreated: "2011-01-13T15:45:18+01:00"\n')
    assert quoted.created is not None and quoted.created.year == 2011
