"""Residency findings: ``residency.violation`` (pure), and :func:`residency_verdict`, the one
rule for whether data locations meet a residency requirement (the scores call it too).

Codes are countries (ISO 3166-1 alpha-2) or regions (data/regions.yaml): country ⊂ EU ⊂ EEA ⊂
GLOBAL. A location passes when every country it may mean lies inside the required area. A
location no code names is *unknown*: never a violation, reported so a score can mark it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from vendorrisk.findings.codes import make_finding
from vendorrisk.findings.rules.inventory import InventoryRules, Regions, SubjectFinding, load_regions
from vendorrisk.portfolio.facts import PortfolioFacts

_SEPARATORS = re.compile(r"[,;\s]+")


class ResidencyVerdict(NamedTuple):
    """Which locations fall outside the requirement, and which cannot be judged."""

    outside: tuple[str, ...]
    unknown: tuple[str, ...]
    """Locations that name no known country or region, or that a requirement with an
    unknown code might cover."""


def requirement_codes(requirement: str) -> tuple[str, ...]:
    """``"DE, at;EU"`` → ``("DE", "AT", "EU")``."""
    return tuple(t.upper() for t in _SEPARATORS.split(requirement.strip()) if t)


def residency_verdict(requirement: str | None, locations: Iterable[str],
                      regions: Regions | None = None) -> ResidencyVerdict:
    """Judge ``locations`` against ``requirement`` (``None`` or empty = no requirement).

    ``DE`` passes ``EU``; ``EU`` passes ``EU``, ``EEA`` and ``GLOBAL``; ``EEA`` does not pass
    ``EU`` (it may mean Norway); ``EU`` does not pass ``DE,AT``; anything passes ``GLOBAL``.
    """
    regions = regions or load_regions()
    required: set[str] = set()
    requirement_unknown = False
    for code in requirement_codes(requirement or ""):
        members = regions.countries_of(code)
        if members is None:
            requirement_unknown = True
        else:
            required |= members
    if (not required and not requirement_unknown) or regions.everywhere(frozenset(required)):
        return ResidencyVerdict((), ())
    outside: list[str] = []
    unknown: list[str] = []
    for loc in sorted({x.strip() for x in locations if x.strip()}):
        means = regions.countries_of(loc)
        if means is not None and means <= required:
            continue
        (unknown if means is None or requirement_unknown else outside).append(loc)
    return ResidencyVerdict(tuple(outside), tuple(unknown))


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
            verdict = residency_verdict(facts.residency, locations, rules.regions)
            if verdict.outside:
                unknown = {"unknown": list(verdict.unknown)} if verdict.unknown else {}
                yield SubjectFinding("vendor", key, client, make_finding("residency.violation", {
                    "vendor": key, "client": client, "required": facts.residency,
                    "outside": list(verdict.outside), "locations": sorted(locations),
                    **unknown}))
