"""Nameserver-set findings: non-routable addresses, too few servers, one network, glue that
disagrees with the zone. Pure.

Network diversity counts only addresses a probe may use (globally routable, or in a network
``probe.allow_networks`` opens): documentation and private addresses say nothing about where
a server really is, and have their own finding when the probe met them.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict

from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import Finding, make_finding
from vendorrisk.probes.dns.types import DnsObservation
from vendorrisk.probes.netpolicy import NetworkPolicy, kind_of, parse_address

PREFIX = {4: 24, 6: 48}
"""The network a nameserver address is counted in, per IP version (RFC 2182 §3.1)."""
ANYCAST_NOTE = ("anycast can hide diversity: one prefix may be announced from many sites, "
                "and several prefixes from one")


def evaluate(obs: DnsObservation, settings: ProbeSettings) -> list[Finding]:
    policy = NetworkPolicy.of(settings.allow_networks)
    return [*_nonroutable(obs), *_few(obs), *_single_network(obs, policy), *_glue(obs)]


def _glue(obs: DnsObservation) -> list[Finding]:
    """The parent's glue is a copy of the zone's own address records: they must agree."""
    return [make_finding("dns.glue_mismatch", {
        "domain": obs.domain, "server": ns.name, "glue": sorted(ns.glue),
        "zone": list(ns.zone_addresses), "parent_zone": obs.parent_zone,
        "only_in_glue": sorted(set(ns.glue) - set(ns.zone_addresses)),
        "only_in_zone": sorted(set(ns.zone_addresses) - set(ns.glue))})
        for ns in obs.nameservers
        if ns.glue and ns.zone_addresses is not None and set(ns.glue) != set(ns.zone_addresses)]


def _nonroutable(obs: DnsObservation) -> list[Finding]:
    out: list[Finding] = []
    for ns in obs.nameservers:
        for a in ns.answers:
            addr = parse_address(a.address)
            if a.not_queried and addr is not None:
                out.append(make_finding("dns.nonroutable_address", {
                    "domain": obs.domain, "server": ns.name, "address": a.address,
                    "kind": kind_of(addr), "in_parent": ns.in_parent, "in_child": ns.in_child,
                    "reason": a.error}))
    return out


def _addresses_known(obs: DnsObservation) -> bool:
    return bool(obs.nameservers) and all(ns.addresses for ns in obs.nameservers)


def _few(obs: DnsObservation) -> list[Finding]:
    if obs.parent_ns is None:
        return []  # the delegation was not seen
    names = sorted(set(obs.parent_ns) | set(obs.child_ns or ()))
    addresses = sorted({a for ns in obs.nameservers for a in ns.addresses})
    few_addresses = _addresses_known(obs) and len(addresses) < 2
    if len(names) >= 2 and not few_addresses:
        return []
    return [make_finding("dns.few_nameservers", {
        "domain": obs.domain, "nameservers": names, "addresses": addresses,
        "minimum": 2})]


def _single_network(obs: DnsObservation, policy: NetworkPolicy) -> list[Finding]:
    if not _addresses_known(obs):
        return []  # a server without a known address could be the diverse one
    by_family: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for address in sorted({a for ns in obs.nameservers for a in ns.addresses}):
        addr = parse_address(address)
        if addr is None or not policy.counts(address):
            continue
        net = ipaddress.ip_network(f"{addr}/{PREFIX[addr.version]}", strict=False)
        by_family[addr.version][str(net)].append(address)
    out: list[Finding] = []
    for version, nets in sorted(by_family.items()):
        counted = [a for addrs in nets.values() for a in addrs]
        if len(nets) == 1 and len(counted) >= 2:
            (prefix, addrs), = nets.items()
            out.append(make_finding("dns.single_network", {
                "domain": obs.domain, "family": f"IPv{version}", "prefix": prefix,
                "prefix_length": PREFIX[version], "addresses": addrs,
                "note": ANYCAST_NOTE}))
    return out
