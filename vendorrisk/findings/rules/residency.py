"""Residency findings: ``residency.violation`` (pure)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from vendorrisk.findings.codes import make_finding
from vendorrisk.findings.rules.inventory import EU_EEA as EU_EEA  # re-exported
from vendorrisk.findings.rules.inventory import InventoryRules, SubjectFinding
from vendorrisk.portfolio.facts import PortfolioFacts


def allowed_locations(requirement: str, rules: InventoryRules) -> frozenset[str]:
    """``EU`` → EU/EEA member codes; ``DE,AT`` → those codes."""
    allowed: set[str] = set()
    for part in requirement.replace(";", ",").split(","):
        token = part.strip().upper()
        if token:
            allowed |= rules.residency_groups.get(token, {token})
    return frozenset(allowed)


def evaluate(p: PortfolioFacts, rules: InventoryRules, users: Mapping[str, set[str]]
             ) -> Iterator[SubjectFinding]:
    for key in sorted(p.vendors):
        locations = p.vendors[key].data_locations
        if not locations:
            continue
        for client in sorted(users.get(key, ())):
            facts = p.clients.get(client)
            if facts is None or not facts.residency:
                continue
            outside = sorted(loc for loc in locations
                             if loc.upper() not in allowed_locations(facts.residency, rules))
            if outside:
                yield SubjectFinding("vendor", key, client, make_finding("residency.violation", {
                    "vendor": key, "client": client, "required": facts.residency,
                    "outside": outside, "locations": sorted(locations)}))
