"""Shared lookups of one probe run: zone cuts, server addresses (via the configured recursive
resolver) and the validated DNSKEY sets of ancestor zones (asked of their own servers).

Results are memoised per :class:`Lookup` instance (never module-wide); failures are not
memoised so a transient timeout does not poison the rest of the run.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import dns.rcode
import dns.rdataset
import dns.rdatatype

from vendorrisk.probes.dns import delegation as dl
from vendorrisk.probes.dns.dnssec import KeyResult, zone_keys
from vendorrisk.probes.dns.transport import Exchange, Transport

T = TypeVar("T")
Servers = tuple[tuple[str, tuple[str, ...]], ...]


class LookupFault(Exception):
    """A lookup could not finish; ``part`` names the probe part for the Reason."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(message)
        self.part = part
        self.message = message


class Lookup:
    def __init__(self, transport: Transport, resolver: tuple[str, int],
                 anchor: dns.rdataset.Rdataset) -> None:
        self.transport = transport
        self.resolver = resolver
        self.anchor = anchor
        self._memo: dict[tuple[str, str], asyncio.Future[Any]] = {}

    async def _cached(self, kind: str, key: str, make: Callable[[], Awaitable[T]]) -> T:
        slot = (kind, key)
        fut = self._memo.get(slot)
        if fut is None:
            fut = asyncio.ensure_future(make())
            self._memo[slot] = fut
        try:
            return await asyncio.shield(fut)
        except LookupFault:
            if self._memo.get(slot) is fut:
                del self._memo[slot]
            raise

    async def recurse(self, qname: str, rdtype: str) -> Exchange:
        host, port = self.resolver
        return await self.transport.query(host, qname, rdtype, port=port, recursion=True,
                                          limited=False)

    async def zone_of(self, name: str) -> str:
        """The zone that holds ``name`` (its closest enclosing zone cut)."""
        async def go() -> str:
            ex = await self.recurse(name, "SOA")
            zone = dl.enclosing_zone(ex.response, name) if ex.response is not None else None
            if zone is None:
                raise LookupFault("dns.delegation", f"resolver could not find the zone of "
                                  f"{name}: {ex.error or ex.rcode}")
            return zone
        return await self._cached("zone", name, go)

    async def host_addresses(self, host: str) -> tuple[str, ...]:
        async def go() -> tuple[str, ...]:
            found: list[str] = []
            errors: list[str] = []
            for rdtype in ("A", "AAAA"):
                ex = await self.recurse(host, rdtype)
                if ex.response is None or ex.response.rcode() not in (dns.rcode.NOERROR,
                                                                      dns.rcode.NXDOMAIN):
                    errors.append(f"{rdtype}: {ex.error or ex.rcode}")
                    continue
                found.extend(_follow_addresses(ex, host))
            if not found and errors:
                raise LookupFault("dns.addresses", f"no address for {host} ({'; '.join(errors)})")
            return tuple(dict.fromkeys(found))
        return await self._cached("addr", host, go)

    async def zone_servers(self, zone: str) -> Servers:
        """NS hosts of ``zone`` and their addresses, via the resolver."""
        async def go() -> Servers:
            ex = await self.recurse(zone if zone != "." else ".", "NS")
            hosts = dl.ns_names(ex.response, zone) if ex.response is not None else None
            if not hosts:
                raise LookupFault("dns.delegation", f"resolver gave no NS for {zone}: "
                                  f"{ex.error or ex.rcode}")
            addrs = await asyncio.gather(*(self.host_addresses(h) for h in hosts),
                                         return_exceptions=True)
            out = tuple((h, a) for h, a in zip(hosts, addrs, strict=True)
                        if isinstance(a, tuple) and a)
            if not out:
                raise LookupFault("dns.delegation", f"no address for any server of {zone}")
            return out
        return await self._cached("servers", zone, go)

    async def ask_zone(self, zone: str, qname: str, rdtype: str, *, dnssec: bool = True
                       ) -> Exchange:
        """Ask ``zone``'s own servers (no recursion) until one gives NOERROR/NXDOMAIN."""
        servers = [a for _, addrs in await self.zone_servers(zone) for a in addrs]
        start = zlib.crc32(qname.encode()) % len(servers)
        errors: list[str] = []
        for addr in servers[start:] + servers[:start]:
            ex = await self.transport.query(addr, qname, rdtype, dnssec=dnssec)
            if ex.response is not None and ex.response.rcode() in (dns.rcode.NOERROR,
                                                                   dns.rcode.NXDOMAIN):
                return ex
            errors.append(f"{addr}: {ex.error or ex.rcode}")
        raise LookupFault("dns.delegation", f"no server of {zone} answered {qname} {rdtype} "
                          f"({'; '.join(errors[:4])})")

    async def chain(self, zone: str) -> KeyResult:
        """Validated DNSKEY set of an ancestor zone, from the trust anchor down."""
        async def go() -> KeyResult:
            now = datetime.now(UTC)
            if zone == ".":
                ex = await self.ask_zone(".", ".", "DNSKEY")
                key, sig = _rr(ex, ".", dns.rdatatype.DNSKEY)
                return zone_keys(".", None, None, None, key, sig, now, ex.server, self.anchor)
            parent = await self.zone_of(dl.parent_name(zone))
            pk = await self.chain(parent)
            if pk.status != "secure":
                return KeyResult(zone, pk.status, problems=pk.problems)
            ds_ex, key_ex = await asyncio.gather(self.ask_zone(parent, zone, "DS"),
                                                 self.ask_zone(zone, zone, "DNSKEY"))
            ds, ds_sig = _rr(ds_ex, zone, dns.rdatatype.DS)
            key, key_sig = _rr(key_ex, zone, dns.rdatatype.DNSKEY)
            return zone_keys(zone, pk, ds, ds_sig, key, key_sig, now, key_ex.server)
        return await self._cached("chain", zone, go)


def _rr(ex: Exchange, name: str, rdtype: int) -> tuple[Any, Any]:
    msg = ex.response
    if msg is None:
        return None, None
    return dl.find_rrset(msg.answer, name, rdtype), dl.find_sigs(msg.answer, name, rdtype)


def _follow_addresses(ex: Exchange, host: str) -> list[str]:
    """Addresses for ``host`` in a recursive answer, following a CNAME chain."""
    msg = ex.response
    assert msg is not None
    target = host
    for _ in range(8):
        out = list(dl.addresses(msg, target))
        if out:
            return out
        cname = dl.find_rrset(msg.answer, target, dns.rdatatype.CNAME)
        if cname is None:
            return []
        target = dl.name_text(cname[0].target)
    return []
