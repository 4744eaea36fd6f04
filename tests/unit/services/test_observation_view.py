"""The domain detail's layout of an observation: key tags, expiry, per-address answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from vendorrisk.probes.dns.types import (
    DnsObservation,
    DnssecObservation,
    DnssecProblem,
    NameserverObservation,
    ServerAnswer,
    SignatureInfo,
)
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.views import observation as O

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def _obs(**dns: Any) -> DomainObservation:
    registration = RegistrationObservation(
        "d.example", source="rdap", registrar="Example Registrar", registrar_iana_id=9999,
        created=datetime(2019, 1, 1, tzinfo=UTC), expires=datetime(2026, 12, 3, tzinfo=UTC),
        epp_status=("clientTransferProhibited", "serverDeleteProhibited"),
        registrar_locked=True, registry_locked=False)
    return DomainObservation("d.example", NOW, registration, DnsObservation("d.example", NOW, **dns))


def test_registration_says_who_locks_what_and_when_it_expires() -> None:
    lines = O.registration(_obs(), TODAY).lines
    assert "expires         2026-12-03 (in 10 days)" in lines
    assert "registrar       Example Registrar (IANA 9999)" in lines
    assert "transfer        prohibited by registrar" in lines
    assert "update          allowed" in lines
    assert "delete          prohibited by registry" in lines
    assert "registrant      unknown" in lines and "PII exposed     unknown" in lines


def test_registration_unknown_epp_status_is_not_allowed() -> None:
    obs = _obs()
    assert obs.registration is not None
    obs = replace(obs, registration=replace(obs.registration, epp_status=()))
    lines = O.registration(obs, TODAY).lines
    assert "transfer        unknown" in lines and "EPP status      unknown" in lines


def test_registration_not_probed_reads_unknown() -> None:
    obs = replace(_obs(), registration=None, skipped=("registration",))
    lines = O.registration(obs, TODAY).lines
    assert "source          unknown" in lines and "registration was not probed" in lines


def test_dnssec_chain_shows_key_tags_roles_and_the_first_expiry() -> None:
    obs = _obs(dnssec=DnssecObservation(
        status="bogus", algorithms=(13, 5), ds_digest_types=(1,),
        ds=({"key_tag": 40112, "algorithm": 13, "digest_type": 1, "matched": False},),
        dnskeys=({"key_tag": 28211, "algorithm": 13, "flags": 257},
                 {"key_tag": 5190, "algorithm": 5, "flags": 256}),
        earliest_signature=SignatureInfo("d.example. SOA", 5190, 5,
                                         datetime(2026, 11, 21, 6, 30, tzinfo=UTC)),
        nsec3={"iterations": 10, "salt": "ab12"},
        reasons=("no DNSKEY matches DS key tag 40112",),
        problems=(DnssecProblem("expired_signature", "RRSIG SOA expired"),)))
    lines = O.dnssec(obs, TODAY).lines
    text = "\n".join(lines)
    assert "algorithms       ECDSAP256SHA256 (13), RSASHA1 (5)" in lines
    assert "DS digest types  SHA1 (1)" in lines
    assert "key 40112 · ECDSAP256SHA256 (13) · SHA1 (1) · NO DNSKEY MATCHES" in text
    assert "key 28211 · KSK · ECDSAP256SHA256 (13)" in text
    assert "key 5190 · ZSK · RSASHA1 (5)" in text
    assert ("earliest expiry  2026-11-21 06:30 UTC (2 days ago) · RRSIG SOA by key 5190"
            in lines)
    assert "NSEC3            iterations 10, salt ab12" in lines
    assert "no DNSKEY matches DS key tag 40112" in text and "RRSIG SOA expired" in text


def test_unknown_algorithm_numbers_stay_numbers() -> None:
    assert O.algorithm(253) == "PRIVATEDNS (253)"
    assert O.algorithm(200) == "200"
    assert O.algorithm("x") == "x"


def test_nameservers_one_row_per_address_with_its_answer() -> None:
    obs = _obs(parent_ns=("a.ns.test",), child_ns=("a.ns.test", "b.ns.test"),
               providers=("alpha",), nameservers=(
                   NameserverObservation("a.ns.test", ("127.0.0.1", "::1"), "alpha", answers=(
                       ServerAnswer("127.0.0.1", True, "NOERROR", 7, transfer="open",
                                    update="denied"),
                       ServerAnswer("::1", error="timeout"))),
                   NameserverObservation("b.ns.test", ("127.0.0.2",), None, ("x", "y"))))
    table = O.nameservers(obs).table
    assert table is not None
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows == [
        ["a.ns.test", "127.0.0.1", "alpha", "yes", "7", "open", "denied", "NOERROR"],
        ["a.ns.test", "::1", "alpha", "unknown", "-", "unknown", "unknown", "timeout"],
        ["b.ns.test", "127.0.0.2", "x or y", "unknown", "-", "unknown", "unknown", "-"],
    ]
    assert table.rows[0].cells[5].tone == "critical"
    assert "zone NS:   a.ns.test, b.ns.test" in table.note


def test_exposure_names_the_open_servers() -> None:
    open_a = NameserverObservation("a.ns.test", ("127.0.0.1",), answers=(
        ServerAnswer("127.0.0.1", True, transfer="open", update="open"),))
    closed_b = NameserverObservation("b.ns.test", ("127.0.0.2",), answers=(
        ServerAnswer("127.0.0.2", True, transfer="denied", update="denied"),))
    obs = _obs(update_tested=True, nameservers=(open_a, closed_b))
    assert O.exposure(obs) == ("zone transfer OPEN at a.ns.test; "
                               "unsigned UPDATE accepted at a.ns.test")
    quiet = _obs(nameservers=(NameserverObservation("a.ns.test", ("127.0.0.1",), answers=(
        ServerAnswer("127.0.0.1", True, transfer="denied", update="not_tested"),)),))
    assert O.exposure(quiet) == "no open transfer (updates not tested)"
