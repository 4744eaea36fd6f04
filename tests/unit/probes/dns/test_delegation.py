"""Delegation parsers on recorded responses, and fuzzing with garbage wire data."""

from __future__ import annotations

import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.probes.dns.fixtures import wire
from vendorrisk.probes.dns import delegation as dl
from vendorrisk.probes.dns.transfer import classify_transfer
from vendorrisk.probes.dns.update import classify_update


def test_referral_with_glue_and_ds() -> None:
    ref = dl.parse_referral(wire("good", "ns.bin"), "good.test")
    assert ref.kind == "referral"
    assert ref.ns == ("ns1.alphadns.net", "ns1.betadns.net", "ns2.alphadns.net",
                      "ns2.betadns.net")
    assert ref.glue == {}  # out-of-bailiwick hosts carry no glue
    ds = dl.find_rrset(wire("good", "ds.bin").answer, "good.test", dns.rdatatype.DS)
    assert ds is not None and len(ds) == 1


def test_nxdomain_and_lame() -> None:
    assert dl.parse_referral(wire("exposure", "referral_missing.bin"),
                             "missing.test").kind == "nxdomain"
    soa = dl.parse_soa(wire("exposure", "soa_lame.bin"), "lame.test")
    assert not soa.authoritative and soa.rcode == "REFUSED" and soa.serial is None
    good = dl.parse_soa(wire("good", "soa.bin"), "good.test")
    assert good.authoritative and good.serial == 1


def test_enclosing_zone_from_resolver() -> None:
    assert dl.enclosing_zone(wire("exposure", "resolver_soa_test.bin"), "test") == "test"
    msg = wire("exposure", "referral_missing.bin")  # NXDOMAIN, authority SOA test.
    assert dl.enclosing_zone(msg, "missing.test") == "test"


def test_parent_name_and_text() -> None:
    assert dl.parent_name("a.b.test") == "b.test"
    assert dl.parent_name("test") == "."
    assert dl.name_text(dns.name.from_text("A.Test.")) == "a.test"


def test_exposure_classification() -> None:
    assert classify_transfer(wire("exposure", "ixfr_open.bin")).result == "open"
    assert classify_transfer(wire("exposure", "ixfr_refused.bin")).result == "denied"
    assert classify_transfer(None, "timeout").result is None
    assert classify_update(wire("exposure", "update_open.bin")).result == "open"
    tsig_only = classify_update(wire("exposure", "update_tsig_only.bin"))
    assert tsig_only.result == "denied" and tsig_only.detail == "REFUSED"


def _rcode_msg(rcode: int) -> dns.message.Message:
    m = dns.message.make_response(dns.message.make_query("x.test", "SOA"))
    m.set_rcode(rcode)
    return m


def test_update_rcodes() -> None:
    for rcode, verdict in ((dns.rcode.NOTAUTH, "denied"), (dns.rcode.NOTIMP, "unsupported"),
                           (dns.rcode.FORMERR, "unsupported"), (dns.rcode.SERVFAIL, None)):
        assert classify_update(_rcode_msg(rcode)).result == verdict
    assert classify_transfer(_rcode_msg(dns.rcode.NOTAUTH)).result == "denied"
    assert classify_transfer(_rcode_msg(dns.rcode.SERVFAIL)).result is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_garbage_wire_never_crashes_parsers(data: bytes) -> None:
    try:
        msg = dns.message.from_wire(data)
    except (dns.exception.DNSException, ValueError, EOFError, UnicodeError):
        return
    dl.parse_referral(msg, "good.test")
    dl.parse_soa(msg, "good.test")
    dl.enclosing_zone(msg, "good.test")
    dl.ns_names(msg, "good.test")
    classify_transfer(msg)
    classify_update(msg)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=12, max_value=400), st.data())
def test_mutated_recorded_responses(cut: int, data: st.DataObject) -> None:
    raw = bytearray((wire("good", "ns.bin")).to_wire())
    pos = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    raw[pos] = data.draw(st.integers(min_value=0, max_value=255))
    try:
        msg = dns.message.from_wire(bytes(raw[:cut]))
    except (dns.exception.DNSException, ValueError, EOFError, UnicodeError):
        return
    dl.parse_referral(msg, "good.test")
    dl.parse_soa(msg, "good.test")


def test_records_of_other_classes_are_not_read_as_addresses() -> None:
    msg = dns.message.make_response(dns.message.make_query("ex.test", "NS"))
    msg.authority.append(dns.rrset.from_text("ex.test.", 60, "IN", "NS", "ns1.ex.test."))
    msg.additional.append(dns.rrset.from_text("ns1.ex.test.", 60, "CLASS42", "A",
                                             r"\# 4 c0000201"))
    msg.additional.append(dns.rrset.from_text("ns1.ex.test.", 60, "IN", "A", "192.0.2.1"))
    parsed = dns.message.from_wire(msg.to_wire())
    assert dl.parse_referral(parsed, "ex.test").glue == {"ns1.ex.test": ("192.0.2.1",)}
    assert dl.addresses(parsed, "ns1.ex.test") == ("192.0.2.1",)
