"""Exposure findings: open zone transfer and unauthenticated dynamic update (pure)."""

from __future__ import annotations

from datetime import datetime

from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import Finding, make_finding
from vendorrisk.findings.context import DomainContext
from vendorrisk.probes.dns.types import DnsObservation


def evaluate(obs: DnsObservation, ctx: DomainContext, catalog: ProviderCatalog,
             settings: ProbeSettings, now: datetime) -> list[Finding]:
    out: list[Finding] = []
    for ns in obs.nameservers:
        xfr = [a.address for a in ns.answers if a.transfer == "open"]
        if xfr:
            out.append(make_finding("exit.axfr_open", {
                "domain": obs.domain, "server": ns.name, "addresses": xfr,
                "provider": ns.provider, "test": "IXFR at the current serial over TCP"}))
        upd = [a.address for a in ns.answers if a.update == "open"]
        if upd:
            out.append(make_finding("ddns.unauthenticated_update", {
                "domain": obs.domain, "server": ns.name, "addresses": upd,
                "provider": ns.provider,
                "test": "unsigned UPDATE deleting an absent TXT RRset (prerequisite: absent)"}))
    return out
