"""Lock-in factors: how hard and slow leaving would be (DESIGN §4).

Technical exit readiness per domain (catalog + probe), contract terms per client–vendor
engagement, and concentration of a client's domains at one vendor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from vendorrisk.portfolio.facts import ContractFacts, DomainFacts, ProviderFacts
from vendorrisk.scoring.context import ScoringContext
from vendorrisk.scoring.factors import Part, Tally, part

Flag = bool | None


def operators(ctx: ScoringContext, d: DomainFacts) -> list[str]:
    """Catalog keys of the domain's DNS operators: observed ones, else the declared ones'."""
    if d.observed_operators:
        return sorted(set(d.observed_operators))
    keys = {ctx.portfolio.vendors[v].catalog_key for v in d.dns_providers
            if v in ctx.portfolio.vendors}
    return sorted(k for k in keys if k)


def domain_lockin(ctx: ScoringContext, d: DomainFacts) -> Tally:
    w = ctx.weights.factors
    subject = f"domain:{d.name}"
    ops = operators(ctx, d)
    provs = [ctx.portfolio.providers.get(k) for k in ops]
    t = Tally()
    dns = [
        _catalog(w["lockin.no_outbound_transfer"], subject, ops, provs,
                 lambda p: p.outbound_transfer),
        _catalog(w["lockin.apex_ns_not_customer"], subject, ops, provs,
                 lambda p: p.customer_controls_apex_ns),
        _single_operator(ctx, d, subject),
        _dnssec_keys(ctx, d, subject, ops, provs),
        _proprietary(ctx, d, subject, ops, provs),
    ]
    for p in dns:
        p.role = "dns"
        t.add(p)
    reg = _registrar_ns(ctx, d, subject)
    reg.role = "registrar"
    t.add(reg)
    return t


def _catalog(spec: Any, subject: str, ops: list[str], provs: Sequence[ProviderFacts | None],
             get: Callable[[ProviderFacts], Flag]) -> Part:
    """An exit path exists if any of the domain's operators offers it (with two operators the
    zone already lives at both); the factor fails only if every operator lacks it."""
    values = [None if p is None else get(p) for p in provs]
    ev = {"operators": ops,
          "offering": [o for o, v in zip(ops, values, strict=True) if v is True],
          "lacking": [o for o, v in zip(ops, values, strict=True) if v is False],
          "unknown": [o for o, v in zip(ops, values, strict=True) if v is None]}
    if any(v is True for v in values):
        return part(spec, subject, 0.0, ev)
    if ops and all(v is False for v in values):
        return part(spec, subject, 1.0, ev)
    return part(spec, subject, None, ev | {"reason": "no operator known" if not ops
                                           else "catalog does not say"})


def _single_operator(ctx: ScoringContext, d: DomainFacts, subject: str) -> Part:
    spec = ctx.weights.factors["lockin.single_operator"]
    seen = sorted(set(d.observed_operators or ()))
    ev: dict[str, Any] = {"observed_operators": seen}
    if not seen:
        return part(spec, subject, None, ev | {"reason": "no probe observation"})
    return part(spec, subject, 1.0 if len(seen) == 1 else 0.0, ev)


def _dnssec_keys(ctx: ScoringContext, d: DomainFacts, subject: str, ops: list[str],
                 provs: Sequence[ProviderFacts | None]) -> Part:
    spec = ctx.weights.factors["lockin.dnssec_keys_held"]
    ev: dict[str, Any] = {"signed": d.signed, "operators": ops}
    if d.signed is False:
        return part(spec, subject, 0.0, ev | {"reason": "zone is unsigned"})
    held = [o for o, p in zip(ops, provs, strict=True)
            if p is not None and p.dnssec_keys_held_by_provider and p.multi_signer is False]
    unclear = [o for o, p in zip(ops, provs, strict=True)
               if p is None or p.dnssec_keys_held_by_provider is None
               or (p.dnssec_keys_held_by_provider and p.multi_signer is None)]
    ev |= {"keys_held_without_multi_signer": held, "unknown": unclear}
    if held and d.signed:
        return part(spec, subject, 1.0, ev)
    if d.signed is None or unclear or not ops:
        return part(spec, subject, None, ev)
    return part(spec, subject, 0.0, ev)


def _proprietary(ctx: ScoringContext, d: DomainFacts, subject: str, ops: list[str],
                 provs: Sequence[ProviderFacts | None]) -> Part:
    spec = ctx.weights.factors["lockin.proprietary_features"]
    offers = [o for o, p in zip(ops, provs, strict=True) if p is not None and p.proprietary]
    ev: dict[str, Any] = {"in_use": d.proprietary_in_use, "operators_offering": offers}
    if d.proprietary_sources:
        ev |= {"sources": list(d.proprietary_sources), **d.proprietary_evidence}
    if d.proprietary_in_use is not None:
        return part(spec, subject, 1.0 if d.proprietary_in_use else 0.0, ev)
    if ops and all(p is not None and p.proprietary is False for p in provs):
        return part(spec, subject, 0.0, ev)
    return part(spec, subject, None, ev)


def _registrar_ns(ctx: ScoringContext, d: DomainFacts, subject: str) -> Part:
    spec = ctx.weights.factors["lockin.registrar_own_ns"]
    vendor = ctx.portfolio.vendors.get(d.registrar) if d.registrar else None
    prov = ctx.portfolio.providers.get(vendor.catalog_key) if vendor and vendor.catalog_key \
        else None
    ev = {"registrar": d.registrar}
    flag = None if prov is None else prov.requires_own_nameservers
    return part(spec, subject, None if flag is None else float(flag), ev)


# --- contracts ----------------------------------------------------------------------------------

def engagement_lockin(ctx: ScoringContext, vendor: str, client: str) -> Tally:
    """Contract terms and concentration for ``client``'s use of ``vendor``."""
    current, every = ctx.engagement_contracts(vendor, client)
    subject = "contract:" + ",".join(c.key for c in current) if current else \
        f"vendor:{vendor}@{client}"
    th = ctx.weights.thresholds
    kind = ctx.portfolio.vendors[vendor].kind if vendor in ctx.portfolio.vendors else "other"

    def fact(c: ContractFacts, name: str) -> Flag:
        return getattr(c, name)  # type: ignore[no-any-return]

    checks: list[tuple[str, Callable[[ContractFacts], Flag]]] = [
        ("lockin.no_termination_for_convenience", lambda c: _neg(c.termination_for_convenience)),
        ("lockin.long_notice", lambda c: None if c.notice_days_customer is None
         else c.notice_days_customer > th["notice_days_max"]),
        ("lockin.auto_renewal", lambda c: fact(c, "auto_renew")),
        ("lockin.no_exit_assistance", lambda c: None if c.exit_assistance_days is None
         else c.exit_assistance_days < th["exit_assistance_min_days"]),
        ("lockin.no_export_clause", lambda c: _no_export(c, kind)),
        ("lockin.early_termination_fee", lambda c: fact(c, "early_termination_fee")),
    ]
    t = Tally()
    for fid, check in checks:
        t.add(_contract_part(ctx, fid, subject, current, every, check))
    t.add(_notice_deadline(ctx, subject, current))
    t.add(concentration(ctx, vendor, client))
    return t


def _neg(flag: Flag) -> Flag:
    return None if flag is None else not flag


def _no_export(c: ContractFacts, kind: str) -> Flag:
    flags = [c.data_return] + ([c.zone_export] if kind == "dns_provider" else [])
    if any(f is False for f in flags):
        return True
    return None if any(f is None for f in flags) else False


def _contract_part(ctx: ScoringContext, fid: str, subject: str, current: list[ContractFacts],
                   every: list[ContractFacts], check: Callable[[ContractFacts], Flag]) -> Part:
    spec = ctx.weights.factors[fid]
    if not current:
        return part(spec, subject, None, {"reason": "no current contract recorded",
                                          "ended": [c.key for c in every]})
    values = {c.key: check(c) for c in current}
    ev: dict[str, Any] = {"contracts": {k: v for k, v in values.items()}}
    if any(v for v in values.values()):
        return part(spec, subject, 1.0, ev)
    if any(v is None for v in values.values()):
        return part(spec, subject, None, ev | {"reason": "term not recorded"})
    return part(spec, subject, 0.0, ev)


def _notice_deadline(ctx: ScoringContext, subject: str, current: list[ContractFacts]) -> Part:
    spec = ctx.weights.factors["lockin.notice_deadline"]
    if not current:
        return part(spec, subject, None, {"reason": "no current contract recorded"})
    due = [dict(f.evidence) for c in current
           for f in ctx.findings("contract", c.key, c.client, "contract.notice_deadline")]
    accepted = [c.key for c in current
                if ctx.accepted_of("contract", c.key, c.client, "contract.notice_deadline")]
    ev: dict[str, Any] = {"deadlines": due} | ({"accepted": accepted} if accepted else {})
    return part(spec, subject, 1.0 if due else 0.0, ev)


def concentration(ctx: ScoringContext, vendor: str, client: str) -> Part:
    """Share of the client's domains that depend on ``vendor`` (see ``_depends_on``); the
    ramp starts at the configured share and reaches the full weight at 100 %."""
    spec = ctx.weights.factors["lockin.concentration"]
    domains = ctx.domains_of_client.get(client, [])
    subject = f"vendor:{vendor}@{client}"
    if not domains:
        return part(spec, subject, 0.0, {"domains": 0, "reason": "client has no domains"})
    at = sum(1 for d in domains if _depends_on(d, vendor))
    share = at / len(domains)
    start = ctx.weights.thresholds["concentration_share"]
    x = 0.0 if share <= start else (share - start) / (1.0 - start) if start < 1 else 0.0
    return part(spec, subject, x, {"vendor": vendor, "client": client, "domains_at_vendor": at,
                                   "client_domains": len(domains), "share": round(share, 3),
                                   "ramp_starts_at": start,
                                   "counted": "registrar, or sole DNS provider"})


def _depends_on(d: DomainFacts, vendor: str) -> bool:
    """The domain cannot do without ``vendor``: its registrar, or its only DNS provider (a
    zone already served by a second provider can move without a gap)."""
    return vendor == d.registrar or d.dns_providers == (vendor,) or (
        vendor in d.dns_providers and len(set(d.dns_providers)) == 1)
