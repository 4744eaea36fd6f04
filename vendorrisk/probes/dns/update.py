"""Unauthenticated dynamic-update exposure (opt-in): one UPDATE that cannot change anything.

Its only change deletes the TXT RRset at a random absent name, with the prerequisite that
this RRset does not exist. NOERROR = open; REFUSED/NOTAUTH = denied; NOTIMP/FORMERR =
unsupported. A prerequisite-only UPDATE is not used: BIND's TSIG-only ``update-policy``
answers NOERROR to it (research/probes.md §6.2).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import dns.message
import dns.rcode
import dns.rdatatype
import dns.update

from vendorrisk.probes.dns.transport import Transport
from vendorrisk.probes.dns.types import UpdateResult

PROBE_LABEL = "_vendorrisk-probe"


@dataclass(frozen=True)
class UpdateVerdict:
    result: UpdateResult | None
    detail: str


def make_probe_update(zone: str, token: str | None = None) -> dns.update.UpdateMessage:
    """The no-op UPDATE: prerequisite 'TXT RRset absent' + delete that TXT RRset."""
    label = f"{PROBE_LABEL}-{token or secrets.token_hex(8)}"
    upd = dns.update.UpdateMessage(zone)
    upd.absent(label, dns.rdatatype.TXT)
    upd.delete(label, dns.rdatatype.TXT)
    return upd


def classify_update(msg: dns.message.Message | None, error: str | None = None
                    ) -> UpdateVerdict:
    """Pure: the verdict of one UPDATE response."""
    if msg is None:
        return UpdateVerdict(None, error or "no answer")
    rcode = msg.rcode()
    text = dns.rcode.to_text(rcode)
    if rcode == dns.rcode.NOERROR:
        return UpdateVerdict("open", "NOERROR to an unsigned UPDATE")
    if rcode in (dns.rcode.REFUSED, dns.rcode.NOTAUTH):
        return UpdateVerdict("denied", text)
    if rcode in (dns.rcode.NOTIMP, dns.rcode.FORMERR):
        return UpdateVerdict("unsupported", text)
    return UpdateVerdict(None, f"answered {text}")


async def probe_update(transport: Transport, address: str, zone: str) -> UpdateVerdict:
    ex = await transport.send(address, make_probe_update(zone), tcp=True)
    return classify_update(ex.response, ex.error)
