"""Record types the DNS probe keeps: type codes only, from the answers it already gets; the
observation JSON carries them as an optional key that old observations lack."""

from __future__ import annotations

from datetime import UTC, datetime

import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from vendorrisk.probes.dns.rrtypes import answer_types
from vendorrisk.probes.dns.transfer import classify_transfer
from vendorrisk.probes.dns.types import DnsObservation, NameserverObservation, ServerAnswer

T = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SOA = "ns1.x.test. hostmaster.x.test. 7 3600 600 86400 300"


def _axfr_first_message(*records: tuple[str, str, str]) -> dns.message.Message:
    """The first message of an allowed AXFR: the SOA, then zone records (generic types too)."""
    query = dns.message.make_query("x.test", dns.rdatatype.AXFR)
    msg = dns.message.make_response(query)
    for name, rdtype, text in (("x.test.", "SOA", SOA), *records):
        rrset = dns.rrset.RRset(dns.name.from_text(name), dns.rdataclass.IN,
                                dns.rdatatype.from_text(rdtype))
        rrset.add(dns.rdata.from_text(dns.rdataclass.IN, rrset.rdtype, text), 300)
        msg.answer.append(rrset)
    return msg


def test_answer_types_are_the_distinct_codes_of_the_answer_sections() -> None:
    lua = ("www.x.test.", "TYPE65402", r"\# 4 01020304")
    first = _axfr_first_message(("x.test.", "A", "192.0.2.1"), lua,
                                ("mail.x.test.", "A", "192.0.2.2"))
    assert answer_types([first, None]) == (1, 6, 65402)
    assert answer_types([]) == ()


def test_an_allowed_transfer_keeps_its_record_types_a_denied_one_none() -> None:
    first = _axfr_first_message(("x.test.", "TYPE65401", r"\# 0"))
    verdict = classify_transfer(first)
    assert verdict.result == "open" and verdict.record_types == (6, 65401)
    refused = dns.message.make_response(dns.message.make_query("x.test", dns.rdatatype.AXFR))
    refused.set_rcode(dns.rcode.REFUSED)
    assert classify_transfer(refused).record_types == ()


def test_record_types_round_trip_and_old_json_still_reads() -> None:
    a = ServerAnswer("192.0.2.53", True, "NOERROR", 7, ("ns1.x.test",), "open", "not_tested",
                     record_types=(2, 6, 65402))
    assert a.to_json()["record_types"] == [2, 6, 65402]
    assert ServerAnswer.from_json(a.to_json()) == a
    old = {k: v for k, v in a.to_json().items() if k != "record_types"}
    assert ServerAnswer.from_json(old).record_types is None


def test_observation_unites_the_types_of_every_answer_and_says_none_when_unrecorded() -> None:
    def obs(*answers: ServerAnswer) -> DnsObservation:
        ns = NameserverObservation("ns1.x.test", tuple(a.address for a in answers), "x", (),
                                   True, True, answers)
        return DnsObservation("x.test", T, nameservers=(ns,))

    recorded = obs(ServerAnswer("1", record_types=(2, 6)), ServerAnswer("2", error="timeout"),
                   ServerAnswer("3", record_types=(6, 65402)))
    assert recorded.record_types == (2, 6, 65402)
    assert obs(ServerAnswer("1", error="timeout")).record_types is None
    assert DnsObservation.from_json(recorded.to_json()).record_types == (2, 6, 65402)
