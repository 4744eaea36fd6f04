"""DNSSEC findings from a :class:`DnssecObservation` (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import Finding, make_finding
from vendorrisk.findings.context import DomainContext
from vendorrisk.probes.dns.types import DnsObservation, iso

WEAK_ALGORITHMS = {1: "RSAMD5", 3: "DSA", 5: "RSASHA1", 6: "DSA-NSEC3-SHA1",
                   7: "RSASHA1-NSEC3-SHA1", 12: "ECC-GOST"}


def evaluate(obs: DnsObservation, ctx: DomainContext, catalog: ProviderCatalog,
             settings: ProbeSettings, now: datetime) -> list[Finding]:
    d = obs.dnssec
    dom = {"domain": obs.domain}
    out: list[Finding] = []
    if d.status == "insecure" and not d.ds:
        out.append(make_finding("dnssec.unsigned", {**dom, "parent_zone": obs.parent_zone,
                                                    "reasons": list(d.reasons)}))
    if d.status == "bogus":
        out.append(make_finding("dnssec.bogus", {**dom, "problems": [p.to_json()
                                                                     for p in d.problems]}))
    for kind, code in (("ds_mismatch", "dnssec.ds_mismatch"),
                       ("expired_signature", "dnssec.expired_signatures")):
        hits = [p.to_json() for p in d.problems if p.kind == kind]
        if hits:
            first = hits[0]
            out.append(make_finding(code, {**dom, "record": first["record"],
                                           "key_tag": first["key_tag"],
                                           "algorithm": first["algorithm"],
                                           "server": first["server"], "problems": hits}))
    sig = d.earliest_signature
    window = timedelta(days=settings.signature_expiry_days)
    if sig is not None and now <= sig.expiration <= now + window:
        out.append(make_finding("dnssec.signatures_expiring", {
            **dom, "record": sig.record, "key_tag": sig.key_tag, "algorithm": sig.algorithm,
            "server": sig.server, "expiration": iso(sig.expiration),
            "window_days": settings.signature_expiry_days}))
    weak = _weak_keys(d.dnskeys, d.ds)
    if weak:
        out.append(make_finding("dnssec.weak_algorithm", {
            **dom, "algorithm": weak[0]["algorithm"], "key_tag": weak[0]["key_tag"],
            "record": f"{obs.domain}. DNSKEY", "keys": weak}))
    if d.ds_digest_types == (1,):
        out.append(make_finding("dnssec.weak_ds_digest", {
            **dom, "record": f"{obs.domain}. DS", "digest_types": [1],
            "ds": [dict(x) for x in d.ds]}))
    n3 = d.nsec3
    if n3 is not None and (n3.get("iterations", 0) > 0 or n3.get("salt", "-") != "-"):
        out.append(make_finding("dnssec.nsec3_iterations", {
            **dom, "record": f"{obs.domain}. NSEC3PARAM", "iterations": n3.get("iterations"),
            "salt": n3.get("salt"), "flags": n3.get("flags")}))
    out.extend(_nsec3_consistency(obs))
    return out


def _nsec3_consistency(obs: DnsObservation) -> list[Finding]:
    """Every signed address was asked for NSEC3PARAM: one parameter set (or NSEC) for all."""
    seen: dict[str, list[str]] = {}
    for ns in obs.nameservers:
        for a in ns.answers:
            if a.nsec3param is not None:
                seen.setdefault(a.nsec3param or "none (NSEC)", []).append(
                    f"{ns.name} ({a.address})")
    if len(seen) < 2:
        return []
    return [make_finding("dnssec.nsec3_inconsistent", {
        "domain": obs.domain, "record": f"{obs.domain}. NSEC3PARAM",
        "parameters": dict(sorted(seen.items()))})]


def _weak_keys(dnskeys: tuple[dict[str, Any], ...], ds: tuple[dict[str, Any], ...]
               ) -> list[dict[str, Any]]:
    items = [*dnskeys, *ds]
    seen: dict[tuple[int, int], dict[str, Any]] = {}
    for it in items:
        alg = int(it["algorithm"])
        if alg in WEAK_ALGORITHMS:
            seen.setdefault((it["key_tag"], alg), {"key_tag": it["key_tag"], "algorithm": alg,
                                                   "mnemonic": WEAK_ALGORITHMS[alg]})
    return list(seen.values())
