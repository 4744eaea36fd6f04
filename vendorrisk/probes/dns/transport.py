"""The only caller of ``dns.asyncquery``: one query to one server, with a per-server rate
limit, timeouts and retries, TCP on truncation, a no-EDNS retry on FORMERR, and faults
returned as data (:class:`Exchange.error`) instead of raised. It sends nothing to an address
its :class:`~vendorrisk.probes.netpolicy.NetworkPolicy` forbids.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype

from vendorrisk.probes.netpolicy import NetworkPolicy

log = logging.getLogger(__name__)

EDNS_PAYLOAD = 1232
QUERY_COUNTER: ContextVar[list[int] | None] = ContextVar("dns_query_counter", default=None)
"""Per-probe query count: a probe sets a fresh ``[0]``; tasks it starts share the list."""


class RateLimiter:
    """Spaces queries to one ``(address, port)`` at most ``rate`` per second (no bursts)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next: dict[tuple[str, int], float] = {}

    async def wait(self, key: tuple[str, int]) -> None:
        if not self._interval:
            return
        now = time.monotonic()
        slot = max(now, self._next.get(key, 0.0))
        self._next[key] = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)


_NO_ROUTE = frozenset({errno.ENETUNREACH, errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT})


@dataclass(frozen=True)
class Exchange:
    """One finished exchange: the response, or why there is none."""

    server: str
    response: dns.message.Message | None
    error: str | None = None
    tcp: bool = False
    no_route: bool = False
    """The host has no route to this address family (typically IPv6 on an IPv4-only host)."""
    refused: bool = False
    """Not sent: the address policy forbids it (``error`` says why)."""

    @property
    def rcode(self) -> str | None:
        return None if self.response is None else dns.rcode.to_text(self.response.rcode())


def make_query(qname: str | dns.name.Name, rdtype: dns.rdatatype.RdataType | str, *, dnssec: bool = False,
               recursion: bool = False, edns: bool = True) -> dns.message.QueryMessage:
    q = dns.message.make_query(qname, rdtype, want_dnssec=dnssec,
                               use_edns=0 if edns else False, payload=EDNS_PAYLOAD)
    if not recursion:
        q.flags &= ~dns.flags.RD
    return q


class Transport:
    """Shared by every probe of a run; counts queries; rate-limits per server address."""

    def __init__(self, timeout: float, retries: int, rate: float,
                 policy: NetworkPolicy | None = None) -> None:
        self.timeout = timeout
        self.retries = retries
        self.limiter = RateLimiter(rate)
        self.policy = policy or NetworkPolicy()
        self.queries = 0

    async def query(self, server: str, qname: str | dns.name.Name,
                    rdtype: dns.rdatatype.RdataType | str, *,
                    port: int = 53, dnssec: bool = False, recursion: bool = False,
                    tcp: bool = False, limited: bool = True) -> Exchange:
        """Ask ``server`` one question; never raises for network or protocol faults."""
        q = make_query(qname, rdtype, dnssec=dnssec, recursion=recursion)
        ex = await self.send(server, q, port=port, tcp=tcp, limited=limited)
        if ex.response is not None and ex.response.rcode() == dns.rcode.FORMERR and q.edns >= 0:
            plain = make_query(qname, rdtype, recursion=recursion, edns=False)
            ex = await self.send(server, plain, port=port, tcp=tcp, limited=limited)
        return ex

    async def send(self, server: str, q: dns.message.Message, *, port: int = 53,
                   tcp: bool = False, limited: bool = True) -> Exchange:
        """Send a prepared message (query or UPDATE); retry timeouts; TCP on truncation.
        Nothing is sent to an address the policy forbids (see :mod:`netpolicy`)."""
        refusal = self.policy.refusal(server)
        if refusal is not None:
            return Exchange(server, None, refusal, tcp, refused=True)
        error = "no attempt"
        for _attempt in range(self.retries + 1):
            if limited:
                await self.limiter.wait((server, port))
            self.queries += 1
            counter = QUERY_COUNTER.get()
            if counter is not None:
                counter[0] += 1
            try:
                if tcp:
                    r = await dns.asyncquery.tcp(q, server, timeout=self.timeout, port=port)
                    return Exchange(server, r, tcp=True)
                r = await dns.asyncquery.udp(q, server, timeout=self.timeout, port=port,
                                             ignore_unexpected=True)
                if r.flags & dns.flags.TC:
                    log.debug("truncated answer from %s, retrying over TCP", server)
                    return await self.send(server, q, port=port, tcp=True, limited=limited)
                return Exchange(server, r, tcp=False)
            except dns.exception.Timeout:
                error = f"timeout after {self.timeout:g}s"
                continue
            except (ConnectionError, OSError) as exc:
                no_route = exc.errno in _NO_ROUTE
                return Exchange(server, None, f"unreachable: {exc.strerror or exc}", tcp,
                                no_route=no_route)
            except (dns.exception.DNSException, EOFError, ValueError) as exc:
                return Exchange(server, None, f"garbage response: {type(exc).__name__}", tcp)
        return Exchange(server, None, error, tcp)
