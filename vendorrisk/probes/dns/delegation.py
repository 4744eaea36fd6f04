"""Pure readers of delegation-related responses: zone cuts, referrals, glue, SOA/NS answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

MAX_NS_HOSTS = 32
"""Most NS targets read from one answer (real zones have 2 to 13); the rest are ignored, so
a message with thousands of NS records costs no more than one with 32."""
MAX_HOST_ADDRESSES = 16
"""Most A/AAAA addresses kept per host from one message."""
_IN = dns.rdataclass.IN
"""Only class IN records are read: a CH or ANY record of the same type has other fields."""


def _is_address(rrset: dns.rrset.RRset) -> bool:
    return rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA) and rrset.rdclass == _IN


def name_text(name: dns.name.Name | str) -> str:
    """Lower-case, no trailing dot (``.`` for the root)."""
    text = name.to_text() if isinstance(name, dns.name.Name) else name
    text = text.lower()
    return text if text == "." else text.rstrip(".")


def parent_name(domain: str) -> str:
    labels = domain.rstrip(".").split(".")
    return ".".join(labels[1:]) or "."


def find_rrset(section: list[dns.rrset.RRset], name: str, rdtype: int
               ) -> dns.rrset.RRset | None:
    want = dns.name.from_text(name)
    for rrset in section:
        if rrset.rdtype == rdtype and rrset.rdclass == _IN and rrset.name == want:
            return rrset
    return None


def find_sigs(section: list[dns.rrset.RRset], name: str, covers: int
              ) -> dns.rrset.RRset | None:
    want = dns.name.from_text(name)
    for rrset in section:
        if (rrset.rdtype == dns.rdatatype.RRSIG and rrset.covers == covers
                and rrset.rdclass == _IN and rrset.name == want):
            return rrset
    return None


def enclosing_zone(msg: dns.message.Message, qname: str) -> str | None:
    """The zone holding ``qname``, from a recursive SOA answer (answer or authority SOA)."""
    if msg.rcode() not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        return None
    for section in (msg.answer, msg.authority):
        for rrset in section:
            if rrset.rdtype == dns.rdatatype.SOA:
                owner = name_text(rrset.name)
                if owner == "." or qname == owner or qname.endswith("." + owner):
                    return owner
    return None


def ns_names(msg: dns.message.Message, zone: str) -> tuple[str, ...] | None:
    """NS target names for ``zone`` from the answer section, sorted; None if absent."""
    rrset = find_rrset(msg.answer, zone, dns.rdatatype.NS)
    if rrset is None:
        return None
    return _targets(rrset)


def _targets(rrset: dns.rrset.RRset) -> tuple[str, ...]:
    """The first ``MAX_NS_HOSTS`` NS target names (sorted) of ``rrset``."""
    return tuple(sorted({name_text(rd.target) for rd in rrset}))[:MAX_NS_HOSTS]


def addresses(msg: dns.message.Message, host: str) -> tuple[str, ...]:
    """A and AAAA addresses of ``host`` in any section (follows nothing)."""
    out: list[str] = []
    want = dns.name.from_text(host)
    for section in (msg.answer, msg.additional):
        for rrset in section:  # the type first: comparing names costs more than integers
            if _is_address(rrset) and rrset.name == want:
                out.extend(rd.address for rd in rrset)
    return tuple(dict.fromkeys(out))[:MAX_HOST_ADDRESSES]


def _address_index(msg: dns.message.Message) -> dict[dns.name.Name, tuple[str, ...]]:
    """Every owner's A and AAAA addresses in the answer and additional sections, in one pass
    (at most ``MAX_HOST_ADDRESSES`` each)."""
    found: dict[dns.name.Name, list[str]] = {}
    for section in (msg.answer, msg.additional):
        for rrset in section:
            if _is_address(rrset):
                found.setdefault(rrset.name, []).extend(rd.address for rd in rrset)
    return {name: tuple(dict.fromkeys(addrs))[:MAX_HOST_ADDRESSES]
            for name, addrs in found.items()}


@dataclass(frozen=True)
class Delegation:
    """The parent's view of a child zone."""

    kind: Literal["referral", "nxdomain", "not_delegated", "answer", "error"]
    ns: tuple[str, ...] = ()
    glue: dict[str, tuple[str, ...]] = field(default_factory=dict)
    detail: str = ""


def parse_referral(msg: dns.message.Message, domain: str) -> Delegation:
    """Read the parent's answer to ``domain NS`` asked without recursion."""
    rcode = msg.rcode()
    if rcode == dns.rcode.NXDOMAIN:
        return Delegation("nxdomain", detail=f"{domain} does not exist at the parent")
    if rcode != dns.rcode.NOERROR:
        return Delegation("error", detail=f"parent answered {dns.rcode.to_text(rcode)}")
    rrset = find_rrset(msg.authority, domain, dns.rdatatype.NS)
    kind: Literal["referral", "answer"] = "referral"
    if rrset is None:
        rrset = find_rrset(msg.answer, domain, dns.rdatatype.NS)
        kind = "answer"
    if rrset is None:
        other = [name_text(r.name) for r in msg.authority if r.rdtype == dns.rdatatype.NS]
        if other:
            return Delegation("not_delegated", detail=f"the parent refers to {other[0]}, so "
                              f"{domain} is not a zone apex")
        return Delegation("not_delegated", detail=f"{domain} is not delegated by the parent")
    ns = _targets(rrset)
    index = _address_index(msg)
    glue = {host: index.get(dns.name.from_text(host), ()) for host in ns}
    return Delegation(kind, ns, {h: a for h, a in glue.items() if a})


@dataclass(frozen=True)
class SoaAnswer:
    authoritative: bool
    serial: int | None
    rcode: str


def parse_soa(msg: dns.message.Message, zone: str) -> SoaAnswer:
    """AA flag and serial of a direct ``zone SOA`` answer; lame servers give AA false."""
    rrset = find_rrset(msg.answer, zone, dns.rdatatype.SOA)
    aa = bool(msg.flags & dns.flags.AA) and msg.rcode() == dns.rcode.NOERROR and rrset is not None
    serial = int(rrset[0].serial) if rrset is not None and len(rrset) else None
    return SoaAnswer(aa, serial if aa else None, dns.rcode.to_text(msg.rcode()))
