"""DNS findings (delegation, operators, inventory drift, incomplete probes) and
:func:`evaluate_dns`, which also runs the DNSSEC and exposure rules. All pure."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import Finding, make_finding
from vendorrisk.findings.context import DomainContext
from vendorrisk.findings.operators import host_operator, host_operators, operator_groups
from vendorrisk.findings.rules import dnssec as dnssec_rules
from vendorrisk.findings.rules import exposure as exposure_rules
from vendorrisk.findings.rules import nameservers as nameserver_rules
from vendorrisk.probes.dns.types import DnsObservation


def evaluate_dns(obs: DnsObservation, ctx: DomainContext, catalog: ProviderCatalog,
                 settings: ProbeSettings, now: datetime) -> list[Finding]:
    """Every DNS-probe finding for one domain."""
    return [*evaluate(obs, ctx, catalog, settings, now),
            *dnssec_rules.evaluate(obs, ctx, catalog, settings, now),
            *exposure_rules.evaluate(obs, ctx, catalog, settings, now),
            *nameserver_rules.evaluate(obs, settings)]


def evaluate(obs: DnsObservation, ctx: DomainContext, catalog: ProviderCatalog,
             settings: ProbeSettings, now: datetime) -> list[Finding]:
    out = [*_delegation(obs), *_operators(obs, catalog), *_drift(obs, ctx, catalog)]
    out.extend(_incomplete(obs))
    return out


def _delegation(obs: DnsObservation) -> list[Finding]:
    out: list[Finding] = []
    dom = obs.domain
    for ns in obs.nameservers:
        lame = [a for a in ns.answers if a.authoritative is False]
        if lame:
            out.append(make_finding("dns.lame_nameserver", {
                "domain": dom, "server": ns.name, "in_parent": ns.in_parent,
                "in_child": ns.in_child,
                "answers": [{"address": a.address, "rcode": a.rcode} for a in lame]}))
    if obs.parent_ns is not None and obs.child_ns is not None \
            and set(obs.parent_ns) != set(obs.child_ns):
        out.append(make_finding("dns.ns_mismatch", {
            "domain": dom, "parent_zone": obs.parent_zone, "parent_ns": list(obs.parent_ns),
            "child_ns": list(obs.child_ns),
            "only_at_parent": sorted(set(obs.parent_ns) - set(obs.child_ns)),
            "only_in_zone": sorted(set(obs.child_ns) - set(obs.parent_ns))}))
    serials: dict[int, list[str]] = defaultdict(list)
    for ns in obs.nameservers:
        for a in ns.answers:
            if a.authoritative and a.soa_serial is not None:
                serials[a.soa_serial].append(f"{ns.name} ({a.address})")
    if len(serials) > 1:
        out.append(make_finding("dns.soa_serial_mismatch", {
            "domain": dom, "record": f"{dom}. SOA",
            "serials": {str(s): servers for s, servers in sorted(serials.items())}}))
    return out


def _operators(obs: DnsObservation, catalog: ProviderCatalog) -> list[Finding]:
    """One operator by names, shared addresses or one network (``findings.operators``)."""
    out: list[Finding] = []
    groups = operator_groups(obs.nameservers, catalog)
    if len(groups) == 1 and groups[0].operator is not None:
        g = groups[0]
        out.append(make_finding("exit.single_provider", {
            "domain": obs.domain, "provider": g.operator,
            "nameservers": [ns.name for ns in obs.nameservers],
            "ambiguous_candidates": list(g.candidates), "basis": g.basis,
            "operators": list(g.operators), "hosts": list(g.hosts),
            "addresses": list(g.addresses), "shared": list(g.shared)}))
    ops = [host_operator(ns, catalog) for ns in obs.nameservers]
    for op in dict.fromkeys(o for o in ops if o):
        p = catalog.get(op)
        if p is None or p.fact("outbound_transfer") is not False:
            continue
        export = p.fact("zone_export")
        if export is None or "zone_file" in export:
            continue
        out.append(make_finding("exit.no_outbound_transfer", {
            "domain": obs.domain, "provider": op, "provider_name": p.name,
            "outbound_transfer": False, "zone_export": export,
            "sources": {f: p.facts[f].source for f in ("outbound_transfer", "zone_export")},
            "nameservers": [ns.name for ns, o in zip(obs.nameservers, ops, strict=True)
                            if o == op]}))
    return out


def _drift(obs: DnsObservation, ctx: DomainContext, catalog: ProviderCatalog
           ) -> list[Finding]:
    """An operator serves that the inventory does not declare, or a declared provider (with
    a catalog key) is gone from the delegation, which only a complete probe can tell."""
    declared = ctx.declared_dns_providers
    if not declared:
        return []
    keys = {d.catalog_key for d in declared if d.catalog_key}
    names = {d.name.strip().lower() for d in declared}
    unknown: dict[str, list[str]] = defaultdict(list)
    for ns in obs.nameservers:
        op = host_operator(ns, catalog)
        if op is None:
            continue
        if not any(_declared(c, keys, names, catalog) for c in host_operators(ns, catalog)):
            unknown[op].append(ns.name)
    missing = _missing_declared(obs, ctx, catalog)
    if not unknown and not missing:
        return []
    title = None if unknown else "A declared DNS provider is gone from the delegation"
    return [make_finding("inventory.drift", {
        "domain": obs.domain, "kind": "dns_provider",
        "observed": [{"provider": p, "nameservers": hosts} for p, hosts in unknown.items()],
        "declared": [{"name": d.name, "catalog_key": d.catalog_key} for d in declared],
        "undeclared": list(unknown), "missing_declared": missing}, title=title)]


def _missing_declared(obs: DnsObservation, ctx: DomainContext, catalog: ProviderCatalog
                      ) -> list[dict[str, str | None]]:
    """Declared providers with a provider-catalog key that no host of the parent's delegation
    is operated by (by key or name); nothing unless the probe is complete and saw the
    delegation. A declared vendor the catalog does not know cannot be looked for."""
    delegated = [ns for ns in obs.nameservers if ns.in_parent]
    if not obs.complete or not obs.parent_ns or not delegated:
        return []
    seen = {op for ns in delegated for op in host_operators(ns, catalog)}
    return [{"name": d.name, "catalog_key": d.catalog_key}
            for d in ctx.declared_dns_providers
            if d.catalog_key and catalog.get(d.catalog_key) is not None
            and not any(_declared(op, {d.catalog_key}, {d.name.strip().lower()}, catalog)
                        for op in seen)]


def _declared(op: str, keys: set[str], names: set[str], catalog: ProviderCatalog) -> bool:
    if op in keys:
        return True
    p = catalog.get(op)
    return (p.name.lower() if p else op.lower()) in names


def _incomplete(obs: DnsObservation) -> list[Finding]:
    parts: dict[str, list[str]] = defaultdict(list)
    for r in obs.reasons:
        parts[r.part].append(r.message)
    out: list[Finding] = []
    for part, msgs in parts.items():
        ev: dict[str, Any] = {"domain": obs.domain, "part": part, "reasons": msgs}
        out.append(make_finding("probe.incomplete", ev,
                                title=f"Part of the probe could not finish: {part}"))
    return out
