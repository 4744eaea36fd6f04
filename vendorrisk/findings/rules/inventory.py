"""What the inventory rules share: their injectable rule data and the finding they raise.

The rules (``certifications``, ``contracts``, ``questionnaires``, ``residency``; listed by
``findings.evaluate.evaluate_inventory``) read ``vendorrisk.portfolio.facts`` directly and are
pure. Every rule collects every reason; none stops early.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from vendorrisk.compliance.certifications import CertificationRules, load_certification_rules
from vendorrisk.compliance.clauses import ClauseRules, load_clause_rules
from vendorrisk.datafiles import MarkedDict, Problems, line_of, load_yaml
from vendorrisk.filecache import parse_once
from vendorrisk.findings.codes import Finding, make_finding, spec
from vendorrisk.paths import data_file
from vendorrisk.portfolio.facts import ContractFacts
from vendorrisk.portfolio.facts import clients_of_vendors as clients_of_vendors  # re-exported


@dataclass(frozen=True)
class Regions:
    """Country and region codes (data/regions.yaml): what each code may mean, as countries.

    A data location or a residency requirement names a country (ISO 3166-1 alpha-2) or a
    region (``EU``, ``EEA``, ``GLOBAL`` …); :meth:`countries_of` turns either into the set of
    countries it may mean, or ``None`` for a code that is neither (unknown, not a violation).
    """

    countries: frozenset[str]
    groups: Mapping[str, frozenset[str]]
    """Region code → member countries; ``GLOBAL`` → every country."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Other spellings of a code (``UK`` → ``GB``, ``EL`` → ``GR``)."""

    def countries_of(self, code: str) -> frozenset[str] | None:
        token = code.strip().upper()
        token = self.aliases.get(token, token)
        if token in self.groups:
            return self.groups[token]
        return frozenset({token}) if token in self.countries else None

    def everywhere(self, countries: frozenset[str]) -> bool:
        """``countries`` is every country (a ``GLOBAL`` requirement)."""
        return countries >= self.countries


def load_regions(path: Path | None = None) -> Regions:
    """Load and validate ``data/regions.yaml`` (or ``path``)."""
    return parse_once(path or data_file("regions.yaml"), _parse_regions)


_CODE = re.compile(r"^[A-Z]{2}$")
_REGION = re.compile(r"^[A-Z][A-Z0-9_]+$")


def _parse_regions(path: Path) -> Regions:
    data = load_yaml(path, what="region file", invalid="not valid YAML")
    problems = Problems(path)
    if not isinstance(data, MarkedDict) or not isinstance(data.get("countries"), list) \
            or not isinstance(data.get("regions"), MarkedDict):
        problems.add(line_of(data), "expected 'countries' (list) and 'regions' (mapping)")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    for key in data:
        if key not in ("version", "countries", "aliases", "regions"):
            problems.add(data.line_of(key), f"{key}: unknown key (valid: aliases, countries, "
                         "regions, version)")
    countries = frozenset(str(c) for c in data["countries"])
    for bad in sorted(c for c in countries if not _CODE.match(c)):
        problems.add(line_of(data["countries"]), f"countries: {bad!r} is not a two-letter code")
    aliases_node = data.get("aliases") or {}
    if not isinstance(aliases_node, dict):
        problems.add(data.line_of("aliases"), "aliases: must be a mapping of code to country")
        aliases_node = {}
    aliases = {str(k): str(v) for k, v in aliases_node.items()}
    for alias, target in aliases.items():
        if target not in countries or alias in countries:
            problems.add(line_of(aliases_node, alias),
                         f"aliases.{alias}: must name a listed country and not be one")
    groups = _groups(problems, data["regions"], countries)
    problems.raise_if_any()
    return Regions(countries, groups, aliases)


def _groups(problems: Problems, node: MarkedDict, countries: frozenset[str]
            ) -> dict[str, frozenset[str]]:
    raw: dict[str, Any] = {}
    for key, entry in node.items():
        members = entry.get("members") if isinstance(entry, MarkedDict) else None
        extra = set(entry) - {"name", "members", "source", "note"} \
            if isinstance(entry, MarkedDict) else set()
        if not _REGION.match(str(key)) or str(key) in countries:
            problems.add(node.line_of(key), f"regions.{key}: a region code is upper case and "
                         "not a country code")
        elif extra or (members != "all" and not isinstance(members, list)):
            problems.add(node.line_of(key), f"regions.{key}: needs 'members' (a list or 'all') "
                         "and may have 'name', 'source', 'note'")
        else:
            raw[str(key)] = members
    out: dict[str, frozenset[str]] = {}

    def expand(code: str, seen: tuple[str, ...]) -> frozenset[str]:
        if code in out:
            return out[code]
        members = raw[code]
        found: set[str] = set(countries) if members == "all" else set()
        for m in [] if members == "all" else [str(x) for x in members]:
            if m in countries:
                found.add(m)
            elif m in raw and m not in seen:
                found |= expand(m, (*seen, m))
            else:
                problems.add(node.line_of(code), f"regions.{code}: {m!r} is not a listed "
                             "country or another region (or the regions include each other)")
        out[code] = frozenset(found)
        return out[code]

    for code in raw:
        expand(code, (code,))
    return out


@dataclass(frozen=True)
class InventoryRules:
    """The injectable rule data: data/clauses.yaml, data/certifications.yaml, thresholds."""

    clauses: ClauseRules = field(default_factory=lambda: ClauseRules({}, {}))
    certifications: CertificationRules = field(
        default_factory=lambda: CertificationRules({}, ()))
    questionnaire_max_age_days: int = 365
    notice_window_days: int = 90
    regions: Regions = field(default_factory=load_regions)
    """What residency requirements and data locations mean (data/regions.yaml)."""


def load_inventory_rules() -> InventoryRules:
    """The shipped rules (every file validated; ConfigError names file and line)."""
    return InventoryRules(load_clause_rules(), load_certification_rules(),
                          regions=load_regions())


@dataclass(frozen=True)
class SubjectFinding:
    """A finding with the subject it is about: a vendor or a contract, and a client if any."""

    subject: str
    """``vendor`` or ``contract``."""
    key: str
    client: str | None
    finding: Finding

    @property
    def ref(self) -> str | None:
        """What the finding is about within its subject (cert type, clause, question …)."""
        return spec(self.finding.code).about(self.finding.evidence)

    @property
    def identity(self) -> str:
        """What tells it from the other findings of its code on its subject."""
        return spec(self.finding.code).identity_of(self.finding.evidence)

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "key": self.key, "client": self.client,
                "ref": self.ref, **self.finding.to_json()}


def vendor_finding(vendor: str, code: str, evidence: Mapping[str, Any], client: str | None = None,
                   **kw: Any) -> SubjectFinding:
    return SubjectFinding("vendor", vendor, client, make_finding(code, evidence, **kw))


def contract_conditions(c: ContractFacts) -> set[str]:
    """What makes a clause or certification required: the contract's conditions, and
    ``critical_function`` when it supports one."""
    return set(c.conditions) | ({"critical_function"} if c.supports_critical_function else set())


def iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()
