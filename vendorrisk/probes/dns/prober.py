"""Per-domain DNS probe: delegation at the parent, every address of every nameserver, DNSSEC
chain, transfer and (opt-in) update exposure. Faults become :class:`Reason` s, never raises.

The configured recursive resolver (``settings.resolver``, default the system's) is used only
to find zone cuts, the parent's servers and nameserver addresses; everything the verdicts
rest on is asked of authoritative servers directly, without recursion.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import dns.rcode
import dns.rdataset
import dns.rdatatype
import dns.resolver
from dns.rdtypes.ANY.NSEC3PARAM import NSEC3PARAM

from vendorrisk import paths
from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.datafiles import read_text
from vendorrisk.errors import ConfigError, InputError
from vendorrisk.names import normalise_domain
from vendorrisk.probes.dns import delegation as dl
from vendorrisk.probes.dns.dnssec import KeyResult, ServerKeys, analyse_zone, parse_trust_anchor
from vendorrisk.probes.dns.lookup import Lookup, LookupFault
from vendorrisk.probes.dns.rrtypes import answer_types
from vendorrisk.probes.dns.transfer import probe_transfer
from vendorrisk.probes.dns.transport import QUERY_COUNTER, Exchange, Transport
from vendorrisk.probes.dns.types import (
    DnsObservation,
    NameserverObservation,
    ServerAnswer,
    TransferResult,
    UpdateResult,
)
from vendorrisk.probes.dns.update import probe_update
from vendorrisk.probes.netpolicy import NetworkPolicy
from vendorrisk.probes.types import Reason

log = logging.getLogger(__name__)


def parse_resolver(text: str | None) -> tuple[str, int]:
    """``IP[:PORT]`` (``[v6]:PORT`` for IPv6) or, when None, the system's first resolver."""
    if not text:
        servers = dns.resolver.Resolver().nameservers
        if not servers:
            raise ConfigError("no system resolver configured; set probe.resolver")
        return str(servers[0]), 53
    host, port = text, "53"
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.lstrip(":") or "53"
    elif text.count(":") == 1:
        host, port = text.split(":")
    try:
        ipaddress.ip_address(host)
        number = int(port)
        if not 0 < number < 65536:
            raise ValueError(port)
    except ValueError:
        raise ConfigError(f"probe.resolver: {text!r} is not IP[:PORT]",
                          "e.g. 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53") from None
    return host, number


MAX_ANCHOR_BYTES = 100_000
"""Largest trust-anchor file read (the shipped one, two DS and two DNSKEY records, is 1.5 kB)."""


def load_anchor(settings: ProbeSettings) -> dns.rdataset.Rdataset:
    """The root trust anchor of ``probe.trust_anchor`` (default: data/root-anchors.zone);
    every problem with the file is a one-line ConfigError naming it."""
    path = Path(settings.trust_anchor) if settings.trust_anchor else \
        paths.data_file("root-anchors.zone")
    text = read_text(path, what="trust anchor", limit=MAX_ANCHOR_BYTES)
    return parse_trust_anchor(text, str(path))


@dataclass
class _Run:
    """Mutable state of one domain's probe."""

    domain: str
    reasons: list[Reason] = field(default_factory=list)

    def fault(self, part: str, message: str) -> None:
        self.reasons.append(Reason(part, message))


@dataclass
class _Addr:
    answer: ServerAnswer
    keys: ServerKeys
    nsec3_ok: bool = False
    nsec3: NSEC3PARAM | None = None
    untested: bool = False
    """No route to this address family from here (IPv6 on an IPv4-only host): not a fault."""


class DnsProber:
    """``async with DnsProber(settings, catalog) as p: obs = await p.probe("example.com")``."""

    def __init__(self, settings: ProbeSettings, catalog: ProviderCatalog) -> None:
        self.settings = settings
        self.catalog = catalog
        resolver = parse_resolver(settings.resolver)
        self.policy = NetworkPolicy.of(settings.allow_networks, named=(resolver[0],))
        self.transport = Transport(settings.timeout, settings.retries, settings.dns_rate_limit,
                                   self.policy)
        self.lookup = Lookup(self.transport, resolver, load_anchor(settings))

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, et: type[BaseException] | None, e: BaseException | None,
                        tb: TracebackType | None) -> None:
        return None

    async def probe(self, domain_a_label: str) -> DnsObservation:
        """Probe one domain; every fault becomes a Reason on the returned observation."""
        now = datetime.now(UTC).replace(microsecond=0)
        try:
            domain = normalise_domain(domain_a_label)
        except InputError as exc:
            return DnsObservation(domain_a_label, now,
                                  reasons=(Reason("dns.input", exc.message),))
        run = _Run(domain)
        counter = [0]
        token = QUERY_COUNTER.set(counter)
        try:
            obs = await self._probe(run, now)
        except LookupFault as exc:
            run.fault(exc.part, exc.message)
            obs = DnsObservation(domain, now)
        except Exception as exc:  # the batch boundary: a bug for one domain becomes a reason
            log.exception("DNS probe of %s failed", domain)
            run.fault("dns", f"internal error: {type(exc).__name__}: {exc}")
            obs = DnsObservation(domain, now)
        finally:
            QUERY_COUNTER.reset(token)
        return DnsObservation(
            obs.domain, obs.probed_at, obs.parent_zone, obs.parent_ns, obs.child_ns,
            obs.nameservers, obs.providers, obs.dnssec, obs.update_tested,
            tuple(dict.fromkeys(run.reasons)), counter[0])

    async def _probe(self, run: _Run, now: datetime) -> DnsObservation:
        domain = run.domain
        parent = await self.lookup.zone_of(dl.parent_name(domain))
        ref_ex, ds_ex = await asyncio.gather(self.lookup.ask_zone(parent, domain, "NS"),
                                             self.lookup.ask_zone(parent, domain, "DS"))
        assert ref_ex.response is not None and ds_ex.response is not None
        ref = dl.parse_referral(ref_ex.response, domain)
        if ref.kind not in ("referral", "answer"):
            run.fault("dns.delegation", ref.detail)
            return DnsObservation(domain, now, parent_zone=parent)
        ds = dl.find_rrset(ds_ex.response.answer, domain, dns.rdatatype.DS)
        ds_sigs = dl.find_sigs(ds_ex.response.answer, domain, dns.rdatatype.DS)
        hosts: dict[str, tuple[str, ...]] = {}
        results: dict[str, list[_Addr]] = {}
        await self._probe_hosts(run, ref.ns, ref.glue, hosts, results)
        child_sets = [a.answer.ns for rs in results.values() for a in rs
                      if a.answer.authoritative and a.answer.ns is not None]
        child_ns = tuple(sorted({n for s in child_sets for n in s})) if child_sets else None
        extra = [h for h in (child_ns or ()) if h not in hosts]
        await self._probe_hosts(run, tuple(extra), {}, hosts, results)
        if child_ns is None:
            run.fault("dns.child_ns", "no nameserver gave an authoritative NS set")
        chain = await self._parent_chain(run, parent)
        addrs = [a for rs in results.values() for a in rs]
        nsec3 = next((a for a in addrs if a.nsec3_ok), None)
        dnssec = analyse_zone(domain, chain, ds, ds_sigs, True, [a.keys for a in addrs],
                              nsec3.nsec3 if nsec3 else None, now)
        if dnssec.status is None:
            run.fault("dns.dnssec", "; ".join(dnssec.reasons) or "DNSSEC status unknown")
        served = await self._zone_addresses(run, ref.glue, addrs)
        nameservers, providers = self._nameservers(ref.ns, child_ns or (), hosts, results,
                                                   ref.glue, served)
        return DnsObservation(domain, now, parent, ref.ns, child_ns, nameservers, providers,
                              dnssec, self.settings.probe_updates)

    async def _parent_chain(self, run: _Run, parent: str) -> KeyResult | None:
        try:
            return await self.lookup.chain(parent)
        except LookupFault as exc:
            run.fault("dns.dnssec", f"chain of trust above {run.domain}: {exc.message}")
            return None

    async def _probe_hosts(self, run: _Run, names: Sequence[str],
                           glue: dict[str, tuple[str, ...]], hosts: dict[str, tuple[str, ...]],
                           results: dict[str, list[_Addr]]) -> None:
        async def one(host: str) -> None:
            addrs = glue.get(host)
            if not addrs:
                try:
                    addrs = await self.lookup.host_addresses(host)
                except LookupFault as exc:
                    run.fault(exc.part, exc.message)
                    addrs = ()
            if not addrs:
                run.fault("dns.addresses", f"nameserver {host} has no address")
            hosts[host] = addrs
            results[host] = list(await asyncio.gather(*(self._probe_address(run, host, a)
                                                        for a in addrs)))
            if addrs and all(r.untested for r in results[host]):
                run.fault("dns.server", f"{host}: no address reachable from this machine")
        await asyncio.gather(*(one(h) for h in names))

    async def _ask(self, run: _Run, addr: str, qname: str, rdtype: str) -> Exchange:
        return await self.transport.query(addr, qname, rdtype, dnssec=True)

    async def _probe_address(self, run: _Run, host: str, addr: str) -> _Addr:
        zone = run.domain
        soa_ex, ns_ex, key_ex = await asyncio.gather(
            self._ask(run, addr, zone, "SOA"), self._ask(run, addr, zone, "NS"),
            self._ask(run, addr, zone, "DNSKEY"))
        where = f"{host} ({addr})"
        if soa_ex.refused:  # the zone named an internal address: reported, never queried
            return _Addr(ServerAnswer(addr, error=soa_ex.error, not_queried=True),
                         ServerKeys(addr, None, None, None, None))
        if soa_ex.response is None and soa_ex.no_route:
            note = "not tested: no route to this address family from this machine"
            return _Addr(ServerAnswer(addr, error=note), ServerKeys(addr, None, None, None, None),
                         untested=True)
        if soa_ex.response is None:
            run.fault("dns.server", f"{where}: SOA: {soa_ex.error}")
            return _Addr(ServerAnswer(addr, error=soa_ex.error),
                         ServerKeys(addr, None, None, None, None))
        soa = dl.parse_soa(soa_ex.response, zone)
        ns = dl.ns_names(ns_ex.response, zone) if ns_ex.response is not None else None
        if soa.authoritative and ns_ex.response is None:
            run.fault("dns.server", f"{where}: NS: {ns_ex.error}")
        keys = ServerKeys(addr, None, None, None, None)
        transfer = update = None
        nsec3_ok, nsec3 = False, None
        types: tuple[int, ...] | None = None  # kept only from an authoritative server
        if soa.authoritative:
            keys = self._keys(soa_ex, key_ex, zone, run, where)
            transfer, update, xfr_types = await self._exposure(run, addr, where, soa.serial)
            types = tuple(sorted({*answer_types([soa_ex.response, ns_ex.response,
                                                 key_ex.response]), *xfr_types}))
            if keys.dnskey is not None:  # every signed address: they must agree
                n_ex = await self._ask(run, addr, zone, "NSEC3PARAM")
                if n_ex.response is not None:
                    nsec3_ok = True
                    rr = dl.find_rrset(n_ex.response.answer, zone, dns.rdatatype.NSEC3PARAM)
                    nsec3 = rr[0] if rr is not None and len(rr) else None
                else:
                    run.fault("dns.dnssec", f"{where}: NSEC3PARAM: {n_ex.error}")
        param = (None if not nsec3_ok else "" if nsec3 is None
                 else f"{nsec3.algorithm} {nsec3.flags} {nsec3.iterations} "
                      f"{nsec3.salt.hex() or '-'}")
        answer = ServerAnswer(addr, soa.authoritative, soa.rcode, soa.serial, ns,
                              transfer, update, record_types=types, nsec3param=param)
        return _Addr(answer, keys, nsec3_ok, nsec3)

    def _keys(self, soa_ex: Exchange, key_ex: Exchange, zone: str, run: _Run,
              where: str) -> ServerKeys:
        assert soa_ex.response is not None
        soa = dl.find_rrset(soa_ex.response.answer, zone, dns.rdatatype.SOA)
        soa_sig = dl.find_sigs(soa_ex.response.answer, zone, dns.rdatatype.SOA)
        if key_ex.response is None:
            run.fault("dns.dnssec", f"{where}: DNSKEY: {key_ex.error}")
            return ServerKeys(soa_ex.server, None, None, soa, soa_sig)
        key = dl.find_rrset(key_ex.response.answer, zone, dns.rdatatype.DNSKEY)
        key_sig = dl.find_sigs(key_ex.response.answer, zone, dns.rdatatype.DNSKEY)
        return ServerKeys(soa_ex.server, key, key_sig, soa, soa_sig)

    async def _exposure(self, run: _Run, addr: str, where: str, serial: int | None
                        ) -> tuple[TransferResult | None, UpdateResult | None, tuple[int, ...]]:
        """Transfer and update exposure, and the record types of an allowed transfer."""
        transfer: TransferResult | None = None
        xfr_types: tuple[int, ...] = ()
        if serial is None:
            run.fault("dns.transfer", f"{where}: no SOA serial to test transfer with")
        else:
            tv = await probe_transfer(self.transport, addr, run.domain, serial)
            transfer, xfr_types = tv.result, tv.record_types
            if tv.result is None:
                run.fault("dns.transfer", f"{where}: {tv.detail}")
        update: UpdateResult | None = "not_tested"
        if self.settings.probe_updates:
            uv = await probe_update(self.transport, addr, run.domain)
            update = uv.result
            if uv.result is None:
                run.fault("dns.update", f"{where}: {uv.detail}")
        return transfer, update, xfr_types

    async def _zone_addresses(self, run: _Run, glue: dict[str, tuple[str, ...]],
                              addrs: Sequence[_Addr]) -> dict[str, tuple[str, ...]]:
        """What the zone itself serves for each host the parent gave glue for, asked of one
        of its authoritative addresses (RFC 1034 §4.2.2: glue is a copy of these)."""
        server = next((a.answer.address for a in addrs if a.answer.authoritative), None)
        if server is None or not glue:
            return {}
        out: dict[str, tuple[str, ...]] = {}
        inside = (h for h in glue if h == run.domain or h.endswith("." + run.domain))
        for host in sorted(inside):
            found: list[str] = []
            for rdtype in ("A", "AAAA"):
                ex = await self._ask(run, server, host, rdtype)
                if ex.response is None or ex.response.rcode() not in (
                        dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                    run.fault("dns.glue", f"{host} {rdtype} at {server}: {ex.error or ex.rcode}")
                    break
                found.extend(dl.addresses(ex.response, host))
            else:
                out[host] = tuple(sorted(set(found)))
        return out

    def _nameservers(self, parent_ns: Sequence[str], child_ns: Sequence[str],
                     hosts: dict[str, tuple[str, ...]], results: dict[str, list[_Addr]],
                     glue: dict[str, tuple[str, ...]], served: dict[str, tuple[str, ...]]
                     ) -> tuple[tuple[NameserverObservation, ...], tuple[str, ...]]:
        out: list[NameserverObservation] = []
        providers: list[str] = []
        for host in sorted(hosts):
            m = self.catalog.match(host)
            if m.operator:
                providers.append(m.operator)
            out.append(NameserverObservation(
                host, hosts[host], m.operator, m.keys if m.ambiguous else (),
                host in parent_ns, host in child_ns,
                tuple(a.answer for a in results.get(host, ())), tuple(glue.get(host, ())),
                served.get(host)))
        return tuple(out), tuple(dict.fromkeys(sorted(providers)))
