"""Zone-transfer exposure: an IXFR at the current serial over TCP, reading one message only.

Allowed -> the server answers one SOA (or, in AXFR style, the first message of the zone,
which we read and drop). REFUSED/NOTAUTH -> denied. Nothing of the zone is kept but the type
codes of the records in that first message (``record_types``).
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.SOA
import dns.rrset

from vendorrisk.probes.dns.rrtypes import answer_types
from vendorrisk.probes.dns.transport import Transport
from vendorrisk.probes.dns.types import TransferResult

_DENIED = (dns.rcode.REFUSED, dns.rcode.NOTAUTH)


@dataclass(frozen=True)
class TransferVerdict:
    result: TransferResult | None
    detail: str
    record_types: tuple[int, ...] = ()
    """RR type codes in the first message of an allowed transfer."""


def make_ixfr(zone: str, serial: int) -> dns.message.QueryMessage:
    """IXFR query carrying ``serial`` in a placeholder SOA (RFC 1995 §3)."""
    q = dns.message.make_query(zone, dns.rdatatype.IXFR)
    # dnspython leaves SOA.__init__ unannotated.
    soa = dns.rdtypes.ANY.SOA.SOA(  # type: ignore[no-untyped-call]
        dns.rdataclass.IN, dns.rdatatype.SOA, dns.name.root, dns.name.root, serial, 0, 0, 0, 0)
    rrset = dns.rrset.RRset(dns.name.from_text(zone), dns.rdataclass.IN, dns.rdatatype.SOA)
    rrset.add(soa, 0)
    q.authority.append(rrset)
    return q


def classify_transfer(msg: dns.message.Message | None, error: str | None = None
                      ) -> TransferVerdict:
    """Pure: what one IXFR/AXFR first message says about transfer permission."""
    if msg is None:
        return TransferVerdict(None, error or "no answer")
    rcode = msg.rcode()
    if rcode in _DENIED:
        return TransferVerdict("denied", dns.rcode.to_text(rcode))
    if rcode != dns.rcode.NOERROR:
        return TransferVerdict(None, f"answered {dns.rcode.to_text(rcode)}")
    if msg.answer and msg.answer[0].rdtype == dns.rdatatype.SOA:
        records = sum(len(r) for r in msg.answer)
        return TransferVerdict("open", f"first message held {records} record(s), discarded",
                               answer_types([msg]))
    return TransferVerdict(None, "answer does not start with the zone's SOA")


async def probe_transfer(transport: Transport, address: str, zone: str,
                         serial: int) -> TransferVerdict:
    """IXFR at ``serial``; if the server does not know IXFR, the first AXFR message."""
    ex = await transport.send(address, make_ixfr(zone, serial), tcp=True)
    verdict = classify_transfer(ex.response, ex.error)
    if ex.response is not None and ex.response.rcode() in (dns.rcode.NOTIMP,
                                                           dns.rcode.FORMERR):
        axfr = dns.message.make_query(zone, dns.rdatatype.AXFR)
        ex = await transport.send(address, axfr, tcp=True)
        verdict = classify_transfer(ex.response, ex.error)
    return verdict
