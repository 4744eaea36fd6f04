"""Certification types, their validity rules and who requires them (``data/certifications.yaml``).

Pure helpers for the inventory findings: :meth:`CertificationRules.status` says whether one
certification is valid, stale or expired on a given day (``cert.expired`` / ``cert.stale``),
and :meth:`CertificationRules.missing` which requirements a vendor's held certifications
leave unmet (``cert.missing_required``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from vendorrisk.compliance.clauses import CONDITIONS
from vendorrisk.datafiles import MarkedDict, Problems, line_of, load_yaml
from vendorrisk.dates import add_months, months_before
from vendorrisk.filecache import parse_once
from vendorrisk.paths import data_file
from vendorrisk.vocab import CERTIFICATION_TYPES, Criticality, Regime, VendorKind

BASES = ("certificate", "report", "attestation")
_NUMBERS = {
    "certificate": ("max_validity_months", "expiring_within_days"),
    "attestation": ("max_validity_months", "expiring_within_days"),
    "report": ("stale_after_months", "bridge_letter_max_age_months", "bridge_covers_until_months"),
}


@dataclass(frozen=True)
class CertType:
    id: str
    name: str
    basis: str
    numbers: dict[str, int]

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True)
class CertStatus:
    state: str
    """``valid``, ``stale``, ``expired`` or ``unknown`` (dates missing)."""
    reason: str
    valid_until: date | None = None


@dataclass(frozen=True)
class CertRequirement:
    id: str
    any_of: tuple[str, ...]
    reference: str
    why: str
    regimes: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()
    vendor_kinds: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()

    def applies(self, regimes: Collection[str], tier: str | None, vendor_kind: str | None,
                conditions: Collection[str] = ()) -> bool:
        return ((not self.regimes or bool(self.regimes & set(regimes)))
                and (not self.tiers or tier in self.tiers)
                and (not self.vendor_kinds or vendor_kind in self.vendor_kinds)
                and self.conditions <= set(conditions))


@dataclass(frozen=True)
class CertificationRules:
    types: dict[str, CertType]
    requirements: tuple[CertRequirement, ...]

    def required(self, regimes: Collection[str], tier: str | None, vendor_kind: str | None,
                 conditions: Collection[str] = ()) -> tuple[CertRequirement, ...]:
        return tuple(r for r in self.requirements
                     if r.applies(regimes, tier, vendor_kind, conditions))

    def missing(self, held: Iterable[str], regimes: Collection[str], tier: str | None,
                vendor_kind: str | None, conditions: Collection[str] = ()
                ) -> tuple[CertRequirement, ...]:
        """Requirements none of whose ``any_of`` types is in ``held`` (pass only valid ones)."""
        have = set(held)
        return tuple(r for r in self.required(regimes, tier, vendor_kind, conditions)
                     if not have & set(r.any_of))

    def status(self, cert_type: str, *, as_of: date, issued: date | None = None,
               valid_until: date | None = None, period_end: date | None = None,
               bridge_letter: date | None = None) -> CertStatus:
        t = self.types[cert_type]
        if t.basis == "report":
            return _report_status(t, as_of, period_end or valid_until, bridge_letter)
        end = valid_until or (add_months(issued, t.numbers["max_validity_months"])
                              if issued else None)
        if end is None:
            return CertStatus("unknown", f"{t.name}: no validity or issue date recorded")
        if as_of > end:
            return CertStatus("expired", f"{t.name} expired on {end.isoformat()}", end)
        if as_of >= end - timedelta(days=t.numbers["expiring_within_days"]):
            return CertStatus("stale", f"{t.name} expires on {end.isoformat()}", end)
        return CertStatus("valid", f"{t.name} valid until {end.isoformat()}", end)


def _report_status(t: CertType, as_of: date, period_end: date | None,
                   bridge: date | None) -> CertStatus:
    if period_end is None:
        return CertStatus("unknown", f"{t.name}: no period end recorded")
    fresh_until = add_months(period_end, t.numbers["stale_after_months"])
    if as_of <= fresh_until:
        return CertStatus("valid", f"{t.name} period ended {period_end.isoformat()}", fresh_until)
    covered_until = add_months(period_end, t.numbers["bridge_covers_until_months"])
    bridge_ok = bridge is not None and bridge >= months_before(
        as_of, t.numbers["bridge_letter_max_age_months"]) and as_of <= covered_until
    if bridge_ok:
        return CertStatus("valid", f"{t.name} period ended {period_end.isoformat()}; bridge "
                          f"letter of {bridge.isoformat() if bridge else ''}", covered_until)
    return CertStatus("stale", f"{t.name} period ended {period_end.isoformat()}, more than "
                      f"{t.numbers['stale_after_months']} months ago", fresh_until)


def _cert_type(problems: Problems, key: Any, node: Any, line: int) -> CertType | None:
    if key not in CERTIFICATION_TYPES:
        problems.add(line, f"unknown certification type {key!r} "
                     f"(valid: {', '.join(CERTIFICATION_TYPES)})")
        return None
    if not isinstance(node, MarkedDict) or node.get("basis") not in BASES:
        problems.add(line, f"{key}: needs 'name' and 'basis' ({', '.join(BASES)})")
        return None
    basis = str(node["basis"])
    allowed = {"name", "basis", *_NUMBERS[basis]}
    for extra in set(node) - allowed:
        problems.add(node.line_of(extra), f"{key}: {extra!r} does not fit basis {basis}")
    numbers: dict[str, int] = {}
    for name in _NUMBERS[basis]:
        value = node.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.add(node.line_of(name), f"{key}: {name!r} must be a whole number ≥ 0")
        else:
            numbers[name] = value
    return CertType(str(key), str(node.get("name", key)), basis, numbers)


def _vocab_set(problems: Problems, node: MarkedDict, key: str, valid: Collection[str],
               where: str) -> frozenset[str]:
    value = node.get(key, [])
    if not isinstance(value, list) or set(value) - set(valid):
        problems.add(node.line_of(key), f"{where}: {key} must list values from "
                     f"{', '.join(sorted(valid))}")
        return frozenset()
    return frozenset(value)


def _requirement(problems: Problems, node: Any, types: dict[str, CertType]) -> CertRequirement | None:
    if not isinstance(node, MarkedDict) or not isinstance(node.get("id"), str):
        problems.add(line_of(node), "a requirement needs an 'id'")
        return None
    where = f"requirement {node['id']}"
    when = node.get("when", MarkedDict())
    any_of = node.get("any_of")
    if not isinstance(when, MarkedDict):
        problems.add(node.line_of("when"), f"{where}: 'when' must be a mapping")
        return None
    if not isinstance(any_of, list) or not any_of or set(any_of) - set(types):
        problems.add(node.line_of("any_of"), f"{where}: any_of must list known certification types")
        return None
    return CertRequirement(
        id=node["id"], any_of=tuple(any_of), reference=str(node.get("reference", "")),
        why=str(node.get("why", "")),
        regimes=_vocab_set(problems, when, "regimes", [r.value for r in Regime], where),
        tiers=_vocab_set(problems, when, "tiers", [c.value for c in Criticality], where),
        vendor_kinds=_vocab_set(problems, when, "vendor_kinds", [k.value for k in VendorKind],
                                where),
        conditions=_vocab_set(problems, when, "conditions", CONDITIONS, where))


def load_certification_rules(path: Path | None = None) -> CertificationRules:
    """Load and validate ``data/certifications.yaml`` (or ``path``)."""
    return parse_once(path or data_file("certifications.yaml"), _parse_certification_rules)


def _parse_certification_rules(path: Path) -> CertificationRules:
    data = load_yaml(path)
    problems = Problems(path)
    types_node = data.get("types") if isinstance(data, MarkedDict) else None
    reqs_node = data.get("requirements", []) if isinstance(data, MarkedDict) else None
    if not isinstance(types_node, MarkedDict) or not isinstance(reqs_node, list):
        problems.add(line_of(data), "expected 'types' (mapping) and 'requirements' (list)")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    parsed = [_cert_type(problems, k, v, types_node.line_of(k)) for k, v in types_node.items()]
    types = {t.id: t for t in parsed if t is not None}
    reqs = [_requirement(problems, n, types) for n in reqs_node]
    ids = [r.id for r in reqs if r is not None]
    for dup in {i for i in ids if ids.count(i) > 1}:
        problems.add(line_of(reqs_node), f"duplicate requirement id {dup!r}")
    problems.raise_if_any()
    return CertificationRules(types, tuple(r for r in reqs if r is not None))
