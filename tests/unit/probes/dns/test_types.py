"""Observation aggregation and the DESIGN §3 JSON round trip."""

from __future__ import annotations

from datetime import UTC, datetime

from vendorrisk.probes.dns.types import (
    DnsObservation,
    DnssecObservation,
    DnssecProblem,
    NameserverObservation,
    ServerAnswer,
    SignatureInfo,
)
from vendorrisk.probes.types import Reason

T = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def ns(*answers: ServerAnswer) -> NameserverObservation:
    return NameserverObservation("ns1.x.net", tuple(a.address for a in answers), "x", (),
                                 True, True, answers)


def test_unknown_stays_unknown() -> None:
    a = ServerAnswer("1", authoritative=True, soa_serial=5, transfer="denied",
                     update="not_tested")
    b = ServerAnswer("2", error="timeout")
    n = ns(a, b)
    assert n.authoritative is None and n.axfr_open is None and n.update_open is None
    assert n.soa_serial == 5
    assert ns(a).authoritative is True and ns(a).axfr_open is False
    lame = ServerAnswer("3", authoritative=False, rcode="REFUSED")
    assert ns(a, b, lame).authoritative is False
    assert ns(b, ServerAnswer("4", transfer="open")).axfr_open is True


def test_round_trip_and_contract_keys() -> None:
    obs = DnsObservation(
        "x.test", T, "test", ("ns1.x.net",), ("ns1.x.net",),
        (ns(ServerAnswer("1", True, "NOERROR", 5, ("ns1.x.net",), "open", "denied")),),
        ("x",),
        DnssecObservation("bogus", (13,), (2,), T, ("r",),
                          (DnssecProblem("bad_signature", "m", "x.test. SOA", 1, 13, "1"),),
                          ({"key_tag": 1, "algorithm": 13, "digest_type": 2, "matched": True},),
                          ({"key_tag": 1, "algorithm": 13, "flags": 257},),
                          {"algorithm": 1, "flags": 0, "iterations": 0, "salt": "-"},
                          SignatureInfo("x.test. SOA", 1, 13, T, "1")),
        True, (Reason("dns.server", "timeout"),), 12)
    data = obs.to_json()
    assert DnsObservation.from_json(data) == obs
    assert data["dnssec"]["earliest_signature_expiry"] == "2026-11-23T12:00:00Z"
    assert data["nameservers"][0]["axfr_open"] is True
    assert data["complete"] is False
    assert DnsObservation.from_json(DnsObservation("y.test", T).to_json()).dnssec.status is None
