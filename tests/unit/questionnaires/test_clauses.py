"""Regime-required clauses: the shipped file, satisfaction by fields or clause ids, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorrisk.compliance.clauses import CONTRACT_FIELDS, ClauseRules, load_clause_rules
from vendorrisk.errors import ConfigError


@pytest.fixture(scope="module")
def rules() -> ClauseRules:
    return load_clause_rules()


def test_shipped_rules_cover_the_regimes(rules: ClauseRules) -> None:
    assert {"dora", "gdpr", "nis2", "hipaa", "pci", "soc2"} <= set(rules.regimes)
    ids = {(r.regime, r.id) for rs in rules.regimes.values() for r in rs}
    for expected in [("dora", "exit_strategy"), ("dora", "termination_rights"),
                     ("dora", "data_return"), ("dora", "audit_rights"), ("dora", "data_location"),
                     ("dora", "service_levels"), ("gdpr", "subprocessor_notice"),
                     ("gdpr", "breach_notification"), ("nis2", "breach_notification"),
                     ("hipaa", "baa"), ("pci", "tpsp_responsibility")]:
        assert expected in ids
    for rs in rules.regimes.values():
        for r in rs:
            assert r.severity in ("medium", "high") and r.reference and r.title
            for alt in r.satisfied_by:
                assert {f.field for f in alt.fields} <= CONTRACT_FIELDS


def test_references(rules: ClauseRules) -> None:
    by = {(r.regime, r.id): r for rs in rules.regimes.values() for r in rs}
    assert by[("dora", "data_return")].reference == "DORA Art. 30(2)(d)"
    assert "28(3)" in by[("gdpr", "processor_terms")].reference
    assert "2024/2690" in by[("nis2", "breach_notification")].reference
    assert "164.504(e)" in by[("hipaa", "baa")].reference
    assert "12.8.2" in by[("pci", "tpsp_responsibility")].reference


def test_conditions_limit_required_clauses(rules: ClauseRules) -> None:
    plain = {r.id for r in rules.required(["dora"])}
    cif = {r.id for r in rules.required(["dora"], {"critical_function"})}
    assert "exit_strategy" not in plain and "exit_strategy" in cif
    assert rules.required(["gdpr"]) == ()
    assert rules.required(["hipaa"], {"ephi"})[0].id == "baa"
    assert rules.required(["unknown-regime"]) == ()


def _missing(rules: ClauseRules, contract: dict[str, object], *regimes: str,
             conditions: set[str] | None = None) -> set[str]:
    return {r.id for r in rules.missing(contract, regimes, conditions or set())}


def test_fields_satisfy_clauses(rules: ClauseRules) -> None:
    cif = {"critical_function"}
    assert "exit_strategy" in _missing(rules, {}, "dora", conditions=cif)
    assert "exit_strategy" in _missing(rules, {"exit_plan": True, "exit_assistance_days": 10},
                                       "dora", conditions=cif)
    assert "exit_strategy" not in _missing(
        rules, {"exit_plan": True, "exit_assistance_days": 30}, "dora", conditions=cif)
    assert "termination_rights" not in _missing(rules, {"termination_for_convenience": True},
                                                "dora")
    assert "service_levels" not in _missing(rules, {"sla_uptime": 99.99}, "dora")


def test_breach_hours_thresholds(rules: ClauseRules) -> None:
    assert "breach_notification" in _missing(rules, {"breach_notification_hours": 48}, "nis2")
    assert "breach_notification" not in _missing(rules, {"breach_notification_hours": 24}, "nis2")
    pd = {"personal_data"}
    assert "breach_notification" not in _missing(rules, {"breach_notification_hours": 48},
                                                 "gdpr", conditions=pd)
    assert "breach_notification" in _missing(rules, {"breach_notification_hours": True},
                                             "gdpr", conditions=pd)


def test_clause_ids_satisfy(rules: ClauseRules) -> None:
    assert "baa" in _missing(rules, {}, "hipaa", conditions={"ephi"})
    assert "baa" not in _missing(rules, {"clauses": ["baa"]}, "hipaa", conditions={"ephi"})
    assert "processor_terms" not in _missing(rules, {"clauses": ["dpa"]}, "gdpr",
                                             conditions={"personal_data"})
    assert "transfer_mechanism" not in _missing(rules, {"clauses": ["scc"]}, "gdpr",
                                                conditions={"personal_data"})


def test_full_contract_satisfies_everything(rules: ClauseRules) -> None:
    every_id = sorted({r.id for rs in rules.regimes.values() for r in rs} | {"dpa"})
    contract = {"clauses": every_id}
    conditions = {"critical_function", "personal_data", "ephi", "account_data"}
    assert rules.missing(contract, list(rules.regimes), conditions) == ()


@pytest.mark.parametrize(("body", "line", "problem"), [
    ("regimes:\n  sox:\n    title: X\n    clauses: []\n", 2, "unknown regime 'sox'"),
    ("regimes:\n  dora:\n    title: X\n    clauses:\n      - id: a\n        title: T\n"
     "        reference: R\n        severity: low\n", 8, "severity must be medium or high"),
    ("regimes:\n  dora:\n    title: X\n    clauses:\n      - id: a\n        title: T\n"
     "        reference: R\n        severity: high\n        satisfied_by:\n"
     "          - fields: {exit_plans: true}\n", 10, "unknown Contract field 'exit_plans'"),
    ("regimes:\n  dora:\n    title: X\n    clauses:\n      - id: a\n        title: T\n"
     "        reference: R\n        severity: high\n        satisfied_by:\n"
     "          - fields: {sla_uptime: true}\n", 10, "sla_uptime is not a yes/no field"),
    ("regimes:\n  dora:\n    title: X\n    clauses:\n      - id: a\n        title: T\n"
     "        reference: R\n        severity: high\n        when: [always]\n", 9,
     "'when' must list conditions"),
    ("nothing: here\n", 1, "expected a mapping 'regimes'"),
])
def test_bad_clause_files(tmp_path: Path, body: str, line: int, problem: str) -> None:
    path = tmp_path / "clauses.yaml"
    path.write_text(body, "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_clause_rules(path)
    assert caught.value.message.startswith(f"{path}:{line}: ")
    assert problem in caught.value.message
