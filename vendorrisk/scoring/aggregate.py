"""Scores for every domain, vendor, client and client–vendor engagement: ``compute_all``.

Aggregation leans on the weakest members. Inside one score, factors combine as independent
risks (see ``factors``): ``S = 100 · (1 − e^(−H))`` with ``H`` the summed hazards. A group of
members (a vendor's domains, a client's vendors) is ranked worst first and contributes

    H_group = Σ_k  decay^(k−1) · H_(k)        (k = 1 for the member with the largest H)

an ordered weighted sum — a weakest-link mean: the worst member counts fully, the second
``decay`` (0.25 by default) of its hazard, the third ``decay²``, … So a group's score is never
below its worst member's, a thousand clean domains cannot hide one hijackable one, and many
bad members still raise it (bounded: at most ``1/(1−decay)`` times the worst hazard).

Which factors each subject has (own + aggregated groups):
- domain      = its own lock-in (technical exit) and compliance (probe findings) factors;
- engagement  (client c uses vendor v) = vendor-wide factors of v + contract terms,
  clauses, residency, concentration for c + group(c's domains at v);
- vendor      = vendor-wide factors + group(its engagements' client-specific factors)
  + group(all its domains);
- client      = group(its engagements without domains) + group(its domains).
Coverage = known weight / total weight, where a group contributes its members' mean.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vendorrisk.portfolio.facts import PortfolioFacts, clients_of_vendors
from vendorrisk.scoring.compliance import (
    domain_compliance,
    engagement_compliance,
    vendor_compliance,
)
from vendorrisk.scoring.context import ScoringContext
from vendorrisk.scoring.factors import Part, Score, Tally, finish
from vendorrisk.scoring.lockin import domain_lockin, engagement_lockin
from vendorrisk.scoring.weights import Weights

NEGLIGIBLE = 1e-3
"""Members whose rank weight falls below this (the 6th worst on, at decay 0.25) are summed
into one residual factor instead of being listed factor by factor."""


@dataclass(frozen=True)
class ScoreBook:
    domains: Mapping[str, Score]
    vendors: Mapping[str, Score]
    clients: Mapping[str, Score]
    engagements: Mapping[tuple[str, str], Score]
    """(client, vendor) → the client's use of the vendor."""
    computed_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "computed_at": self.computed_at.isoformat() if self.computed_at else None,
            "domains": {k: s.to_json() for k, s in self.domains.items()},
            "vendors": {k: s.to_json() for k, s in self.vendors.items()},
            "clients": {k: s.to_json() for k, s in self.clients.items()},
            "engagements": [{"client": c, "vendor": v, **s.to_json()}
                            for (c, v), s in self.engagements.items()],
        }


Member = tuple[str, frozenset[str]]
"""A domain name and the roles (``dns``, ``registrar``) a vendor plays for it."""
Pair = tuple[Tally, Tally]
"""(lock-in, compliance)."""


def aggregate(members: Iterable[Tally], decay: float, *, group: str = "members") -> Tally:
    """The weakest-link group of ``members`` as one tally (see the module docstring)."""
    ranked = sorted(members, key=lambda t: t.hazard, reverse=True)
    out = Tally()
    if not ranked:
        return out
    unknown: dict[str, list[Part]] = defaultdict(list)
    rank_weight = 1.0
    n = len(ranked)
    for m in ranked:
        out.known_weight += m.known_weight / n
        out.total_weight += m.total_weight / n
        if rank_weight < NEGLIGIBLE:
            out.add_residual(rank_weight * m.hazard, 1)
        else:
            out.add_residual(rank_weight * m.residual, m.residual_members)
            for p in m.parts:
                if not p.known:
                    unknown[p.spec.id].append(p)
                elif p.hazard > 0:
                    out.add_hazard(Part(p.spec, p.subject, p.hazard * rank_weight, True,
                                        p.evidence, p.title))
        rank_weight *= decay
    for parts in unknown.values():
        subjects = sorted({p.subject for p in parts})
        out.add_hazard(Part(parts[0].spec, f"{len(subjects)} {group}", 0.0, False,
                            {"subjects": subjects[:10], "count": len(subjects)}))
    return out


def combine(*tallies: Tally) -> Tally:
    out = Tally()
    for t in tallies:
        out.parts.extend(t.parts)
        out.known_weight += t.known_weight
        out.total_weight += t.total_weight
        out.residual += t.residual
        out.residual_members += t.residual_members
        out.hazard += t.hazard
    return out


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC: a recomputation allocates ~10⁶ short-lived acyclic objects and
    repeated full collections over them cost more than the scoring itself. Restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute_all(portfolio: PortfolioFacts, weights: Weights, now: datetime) -> ScoreBook:
    """Every score of the portfolio at ``now``. Pure and deterministic.

    Reads the facts and the findings recorded on them (the inventory findings included:
    evaluate and store them first, see ``findings.evaluate``); raises no finding itself.
    """
    with _gc_paused():
        return _compute_all(portfolio, weights, now)


def _compute_all(portfolio: PortfolioFacts, weights: Weights, now: datetime) -> ScoreBook:
    ctx = ScoringContext.build(portfolio, weights, now)
    decay = weights.decay
    dom: dict[str, Pair] = {d.name: (domain_lockin(ctx, d), domain_compliance(ctx, d))
                            for d in portfolio.domains}
    vendor_wide: dict[str, Pair] = {k: (Tally(), vendor_compliance(ctx, v))
                                    for k, v in portfolio.vendors.items()}
    users = clients_of_vendors(portfolio)  # MSP-wide contracts reach clients via domains
    doms_at: dict[tuple[str, str], list[Member]] = defaultdict(list)
    doms_of_vendor: dict[str, list[Member]] = defaultdict(list)
    for d in portfolio.domains:
        for v in dict.fromkeys(x for x in (d.registrar, *d.dns_providers) if x):
            roles = frozenset({"registrar"} if v == d.registrar else set()) | (
                frozenset({"dns"}) if v in d.dns_providers else frozenset())
            doms_at[(d.client, v)].append((d.name, roles))
            doms_of_vendor[v].append((d.name, roles))

    specific: dict[tuple[str, str], Pair] = {}
    for v in sorted(users):
        if v not in portfolio.vendors:
            continue
        for c in sorted(users[v]):
            if c in portfolio.clients:
                specific[(c, v)] = (engagement_lockin(ctx, v, c), engagement_compliance(ctx, v, c))

    def group(members: Iterable[Member], i: int) -> Tally:
        return aggregate((dom[n][i].only(roles) for n, roles in members), decay,
                         group="domains")

    engagements: dict[tuple[str, str], Score] = {}
    by_client: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_vendor: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (c, v), (sl, sc) in specific.items():
        by_client[c].append((c, v))
        by_vendor[v].append((c, v))
        wl, wc = vendor_wide[v]
        engagements[(c, v)] = finish(
            f"engagement:{c}/{v}",
            combine(wl, sl, group(doms_at[(c, v)], 0)),
            combine(wc, sc, group(doms_at[(c, v)], 1)), weights, keep_passes=True)

    vendors = {}
    for v in portfolio.vendors:
        wl, wc = vendor_wide[v]
        pairs = by_vendor.get(v, [])
        vendors[v] = finish(
            f"vendor:{v}",
            combine(wl, aggregate((specific[p][0] for p in pairs), decay, group="clients"),
                    group(doms_of_vendor.get(v, ()), 0)),
            combine(wc, aggregate((specific[p][1] for p in pairs), decay, group="clients"),
                    group(doms_of_vendor.get(v, ()), 1)), weights, keep_passes=True)

    clients = {}
    everything = frozenset({"dns", "registrar"})
    for c in portfolio.clients:
        pairs = by_client.get(c, [])
        members = [(d.name, everything) for d in ctx.domains_of_client.get(c, ())]
        lock, comp = (
            combine(aggregate((combine(vendor_wide[v][i], specific[(c, v)][i]) for _, v in pairs),
                              decay, group="vendors"), group(members, i))
            for i in (0, 1))
        clients[c] = finish(f"client:{c}", lock, comp, weights, keep_passes=False)

    domains = {n: finish(f"domain:{n}", lt, ct, weights) for n, (lt, ct) in dom.items()}
    return ScoreBook(domains, vendors, clients, engagements, now)
