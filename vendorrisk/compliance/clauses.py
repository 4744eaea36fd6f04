"""Regime-required contract clauses (``data/clauses.yaml``) and which contract terms satisfy them.

Pure: a contract is passed as a mapping of Contract field names to values, plus ``clauses``
(the ids of further clauses the contract contains). Scoring raises ``contract.clause_missing``
for each rule :meth:`ClauseRules.missing` returns.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vendorrisk.datafiles import MarkedDict, Problems, line_of, load_yaml
from vendorrisk.filecache import parse_once
from vendorrisk.paths import data_file
from vendorrisk.vocab import Regime

BOOL_FIELDS = frozenset({"termination_for_convenience", "data_return", "zone_export",
                         "data_location_clause", "subprocessor_notice", "audit_rights",
                         "exit_plan"})
NUMBER_FIELDS = frozenset({"exit_assistance_days", "sla_uptime", "breach_notification_hours",
                           "liability_cap"})
OTHER_FIELDS = frozenset({"sla_credits", "governing_law"})
CONTRACT_FIELDS = BOOL_FIELDS | NUMBER_FIELDS | OTHER_FIELDS
CONDITIONS = frozenset({"critical_function", "personal_data", "ephi", "account_data"})
"""Facts about a contract that make a clause required; the services layer derives them."""
CLAUSE_SEVERITIES = ("medium", "high")


@dataclass(frozen=True)
class FieldCondition:
    field: str
    op: str
    """``true``, ``present``, ``min`` or ``max``."""
    value: float | None = None

    def holds(self, contract: Mapping[str, Any]) -> bool:
        v = contract.get(self.field)
        if self.op == "true":
            return v is True
        if self.op == "present":
            return v is not None and v is not False and v != ""
        if isinstance(v, bool) or not isinstance(v, int | float) or self.value is None:
            return False
        return v >= self.value if self.op == "min" else v <= self.value


@dataclass(frozen=True)
class Alternative:
    """One way to satisfy a clause: every field condition and every named clause."""

    fields: tuple[FieldCondition, ...] = ()
    clauses: tuple[str, ...] = ()

    def holds(self, contract: Mapping[str, Any]) -> bool:
        present = set(contract.get("clauses") or ())
        return all(f.holds(contract) for f in self.fields) and all(
            c in present for c in self.clauses)


@dataclass(frozen=True)
class ClauseRule:
    regime: str
    id: str
    title: str
    reference: str
    severity: str
    when: frozenset[str]
    satisfied_by: tuple[Alternative, ...]

    def applies(self, conditions: Collection[str]) -> bool:
        return self.when <= set(conditions)

    def is_satisfied(self, contract: Mapping[str, Any]) -> bool:
        """Named in the contract's ``clauses``, or any alternative holds."""
        if self.id in set(contract.get("clauses") or ()):
            return True
        return any(alt.holds(contract) for alt in self.satisfied_by)


@dataclass(frozen=True)
class ClauseRules:
    regimes: Mapping[str, tuple[ClauseRule, ...]]
    titles: Mapping[str, str]

    @property
    def clause_ids(self) -> frozenset[str]:
        """Every clause id a contract's ``clauses`` may name: the rules' ids and the further
        clauses their alternatives name (e.g. ``dpa``)."""
        rules = [rule for regime in self.regimes.values() for rule in regime]
        return frozenset({rule.id for rule in rules}
                         | {c for rule in rules for alt in rule.satisfied_by for c in alt.clauses})

    def required(self, regimes: Iterable[str],
                 conditions: Collection[str] = ()) -> tuple[ClauseRule, ...]:
        """Rules the client's ``regimes`` impose on a contract with these ``conditions``."""
        return tuple(rule for regime in dict.fromkeys(regimes)
                     for rule in self.regimes.get(regime, ()) if rule.applies(conditions))

    def missing(self, contract: Mapping[str, Any], regimes: Iterable[str],
                conditions: Collection[str] = ()) -> tuple[ClauseRule, ...]:
        return tuple(r for r in self.required(regimes, conditions) if not r.is_satisfied(contract))


def _field_condition(problems: Problems, node: MarkedDict, name: Any, spec: Any,
                     where: str) -> FieldCondition | None:
    line = node.line_of(name)
    if name not in CONTRACT_FIELDS:
        problems.add(line, f"{where}: unknown Contract field {name!r} "
                     f"(valid: {', '.join(sorted(CONTRACT_FIELDS))})")
        return None
    if spec is True:
        if name not in BOOL_FIELDS:
            problems.add(line, f"{where}: {name} is not a yes/no field; use present, min or max")
            return None
        return FieldCondition(name, "true")
    if spec == "present":
        return FieldCondition(name, "present")
    if isinstance(spec, MarkedDict) and len(spec) == 1 and next(iter(spec)) in ("min", "max"):
        op, value = next(iter(spec.items()))
        if name not in NUMBER_FIELDS or isinstance(value, bool) \
                or not isinstance(value, int | float):
            problems.add(line, f"{where}: {op} needs a number field and a number")
            return None
        return FieldCondition(name, op, float(value))
    problems.add(line, f"{where}: condition for {name} must be true, present, "
                 "{min: N} or {max: N}")
    return None


def _alternatives(problems: Problems, node: MarkedDict, where: str) -> tuple[Alternative, ...]:
    raw = node.get("satisfied_by", [])
    if not isinstance(raw, list):
        problems.add(node.line_of("satisfied_by"), f"{where}: satisfied_by must be a list")
        return ()
    out: list[Alternative] = []
    for alt in raw:
        if not isinstance(alt, MarkedDict) or not alt or set(alt) - {"fields", "clauses"}:
            problems.add(line_of(alt) or line_of(raw),
                         f"{where}: an alternative has only 'fields' and/or 'clauses'")
            continue
        fields_node = alt.get("fields", MarkedDict())
        clauses = alt.get("clauses", [])
        if not isinstance(fields_node, MarkedDict) or not isinstance(clauses, list):
            problems.add(alt.line, f"{where}: 'fields' must be a mapping, 'clauses' a list")
            continue
        conds = [_field_condition(problems, fields_node, k, v, where)
                 for k, v in fields_node.items()]
        out.append(Alternative(tuple(c for c in conds if c is not None),
                               tuple(str(c) for c in clauses)))
    return tuple(out)


def _rule(problems: Problems, regime: str, node: Any, seen: set[str]) -> ClauseRule | None:
    if not isinstance(node, MarkedDict):
        problems.add(line_of(node), f"{regime}: a clause must be a mapping")
        return None
    allowed = {"id", "title", "reference", "severity", "when", "satisfied_by"}
    for key in set(node) - allowed:
        problems.add(node.line_of(key), f"{regime}: unknown key {key!r}")
    cid = node.get("id")
    where = f"{regime}.{cid}"
    if not isinstance(cid, str) or not cid.isidentifier():
        problems.add(node.line_of("id"), f"{regime}: clause id {cid!r} must be a snake_case name")
        return None
    if cid in seen:
        problems.add(node.line_of("id"), f"{where}: duplicate clause id")
    seen.add(cid)
    for key in ("title", "reference"):
        if not isinstance(node.get(key), str) or not node[key].strip():
            problems.add(node.line_of(key), f"{where}: {key!r} must be non-empty text")
    if node.get("severity") not in CLAUSE_SEVERITIES:
        problems.add(node.line_of("severity"), f"{where}: severity must be medium or high")
    when = node.get("when", [])
    if not isinstance(when, list) or set(when) - CONDITIONS:
        problems.add(node.line_of("when"),
                     f"{where}: 'when' must list conditions from {', '.join(sorted(CONDITIONS))}")
        when = []
    return ClauseRule(regime, cid, str(node.get("title", "")), str(node.get("reference", "")),
                      str(node.get("severity")), frozenset(when),
                      _alternatives(problems, node, where))


def load_clause_rules(path: Path | None = None) -> ClauseRules:
    """Load and validate ``data/clauses.yaml`` (or ``path``); ConfigError cites file and line."""
    return parse_once(path or data_file("clauses.yaml"), _parse_clause_rules)


def _parse_clause_rules(path: Path) -> ClauseRules:
    data = load_yaml(path)
    problems = Problems(path)
    regimes_node = data.get("regimes") if isinstance(data, MarkedDict) else None
    if not isinstance(regimes_node, MarkedDict):
        problems.add(line_of(data), "expected a mapping 'regimes'")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    valid = {r.value for r in Regime}
    rules: dict[str, tuple[ClauseRule, ...]] = {}
    titles: dict[str, str] = {}
    for regime, body in regimes_node.items():
        if regime not in valid:
            problems.add(regimes_node.line_of(regime),
                         f"unknown regime {regime!r} (valid: {', '.join(sorted(valid))})")
            continue
        if not isinstance(body, MarkedDict) or not isinstance(body.get("clauses"), list):
            problems.add(regimes_node.line_of(regime), f"{regime}: needs 'title' and 'clauses'")
            continue
        seen: set[str] = set()
        parsed = [_rule(problems, regime, n, seen) for n in body["clauses"]]
        rules[regime] = tuple(r for r in parsed if r is not None)
        titles[regime] = str(body.get("title", regime))
    problems.raise_if_any()
    return ClauseRules(rules, titles)
