"""Nameserver-domain findings (SSAC SAC125, "Risky BIZness"): a nameserver host's registrable
domain that is unregistered (critical) or expires within the window (high).

Pure: the observation, settings and ``now`` in; findings out. One finding per registrable
domain, listing the hosts under it. ``unknown`` raises no finding of fault, only
``probe.incomplete`` naming the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import Finding, make_finding
from vendorrisk.probes.nsdomains import PART, NameserverDomain, NameserverDomainsObservation


def evaluate(obs: NameserverDomainsObservation, domain: str, settings: ProbeSettings,
             now: datetime) -> list[Finding]:
    """Every nameserver-domain finding of ``domain``."""
    findings: list[Finding] = []
    for name, entries in _by_domain(obs.domains).items():
        findings += _judge(domain, name, entries, settings, now)
    if obs.reasons:
        findings.append(make_finding("probe.incomplete", {
            "domain": domain, "part": PART, "reasons": [r.to_json() for r in obs.reasons]},
            title="Part of the probe could not finish: nameserver domains"))
    return findings


def _by_domain(entries: Sequence[NameserverDomain]) -> dict[str, list[NameserverDomain]]:
    out: dict[str, list[NameserverDomain]] = {}
    for e in entries:
        if e.registrable_domain is not None and e.status != "unknown":
            out.setdefault(e.registrable_domain, []).append(e)
    return out


def _judge(domain: str, name: str, entries: list[NameserverDomain], settings: ProbeSettings,
           now: datetime) -> list[Finding]:
    first = entries[0]
    evidence: dict[str, Any] = {
        "domain": domain, "registrable_domain": name, "hosts": sorted(e.host for e in entries),
        "source": first.source, "server": first.server, "checked_at": _iso(now)}
    if first.status == "unregistered":
        return [make_finding("registration.ns_domain_unregistered",
                             {**evidence, "registry_answer": first.reason},
                             title=f"Nameserver domain {name} is not registered")]
    if first.expires is None:
        return []  # registered, expiry not published: nothing to judge
    left = first.expires - now
    if left.days >= settings.registration_expiry_days:
        return []
    return [make_finding("registration.ns_domain_expiring", {
        **evidence, "expires": _iso(first.expires), "days_left": left.days,
        "window_days": settings.registration_expiry_days},
        title=f"Nameserver domain {name} expires in {max(left.days, 0)} days"
        if left.days >= 0 else f"Nameserver domain {name} has expired")]


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
