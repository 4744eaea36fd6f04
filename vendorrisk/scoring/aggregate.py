"""Scores for every domain, vendor, client and client–vendor engagement: ``compute_all``.

Inside one score, problems combine as ``scoring.combine`` says (worst problem plus a
noisy-OR share of the gap to a ceiling one band up). A group of members (a vendor's domains,
a client's vendors) leans on its weakest members: members are ranked worst first and each
becomes one problem of the group, the k-th worst scoring ``decay^(k−1)`` of its own score at
the level of its own worst problem. So a group is never better than its worst member, a
thousand clean domains cannot hide one hijackable one, more bad members still raise it, and
members whose worst problem is medium cannot make the group critical by their number.

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
from vendorrisk.scoring.combine import Problem, Resolution
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


def aggregate(members: Iterable[Tally], weights: Weights, *, group: str = "members") -> Tally:
    """The weakest-link group of ``members`` as one tally (see the module docstring)."""
    resolved = sorted(((m, m.resolve(weights)) for m in members), key=lambda mr: -mr[1].value)
    out = Tally()
    if not resolved:
        return out
    unknown: dict[str, list[Part]] = defaultdict(list)
    n = len(resolved)
    rank_weight = 1.0
    residual, residual_level, residual_members = 0.0, -1, 0
    for m, r in resolved:
        out.known_weight += m.known_weight / n
        out.total_weight += m.total_weight / n
        for p in m.parts:
            if not p.known:
                unknown[p.spec.id].append(p)
        if r.value > 0:
            if rank_weight < NEGLIGIBLE:
                residual += rank_weight * r.value
                residual_level = max(residual_level, r.level)
                residual_members += 1
            else:
                out.add_problem(_member_problem(out, m, r, rank_weight))
        rank_weight *= weights.decay
    if residual > 0:
        out.add_problem(Problem(residual, residual_level, (), residual_members))
    for parts in unknown.values():
        subjects = sorted({p.subject for p in parts})
        out.add_listed(Part(parts[0].spec, f"{len(subjects)} {group}", False,
                            {"subjects": subjects[:10], "count": len(subjects)}))
    return out


def _member_problem(out: Tally, member: Tally, r: Resolution, rank_weight: float) -> Problem:
    """One member as one problem of the group: its score (scaled by its rank), the level of
    its worst problem, and its points credited to copies of its own factors."""
    credit: dict[int, float] = {}
    for share, problem in zip(r.shares, member.problems, strict=True):
        for p, fraction in problem.parts:
            if p is not None:
                credit[id(p)] = credit.get(id(p), 0.0) + share * fraction
    shares: list[tuple[Part | None, float]] = []
    for p in member.parts:
        pts = credit.get(id(p), 0.0)
        if p.known and pts > 0:
            copy = Part(p.spec, p.subject, True, p.evidence, p.title, p.role)
            out.add_listed(copy)
            shares.append((copy, pts / r.value))
    leftover = 1.0 - sum(f for _, f in shares)
    if leftover > 1e-9:  # the member's own residual of smaller members
        shares.append((None, leftover))
    return Problem(r.value * rank_weight, r.level, tuple(shares))


def combine(*tallies: Tally) -> Tally:
    out = Tally()
    for t in tallies:
        out.extend(t)
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
        return aggregate((dom[n][i].only(roles) for n, roles in members), weights,
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
            combine(wl, aggregate((specific[p][0] for p in pairs), weights, group="clients"),
                    group(doms_of_vendor.get(v, ()), 0)),
            combine(wc, aggregate((specific[p][1] for p in pairs), weights, group="clients"),
                    group(doms_of_vendor.get(v, ()), 1)), weights, keep_passes=True)

    clients = {}
    everything = frozenset({"dns", "registrar"})
    for c in portfolio.clients:
        pairs = by_client.get(c, [])
        members = [(d.name, everything) for d in ctx.domains_of_client.get(c, ())]
        lock, comp = (
            combine(aggregate((combine(vendor_wide[v][i], specific[(c, v)][i]) for _, v in pairs),
                              weights, group="vendors"), group(members, i))
            for i in (0, 1))
        clients[c] = finish(f"client:{c}", lock, comp, weights, keep_passes=False)

    domains = {n: finish(f"domain:{n}", lt, ct, weights) for n, (lt, ct) in dom.items()}
    return ScoreBook(domains, vendors, clients, engagements, now)
