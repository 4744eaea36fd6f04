"""Certification validity rules and requirements."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vendorrisk.compliance.certifications import CertificationRules, load_certification_rules
from vendorrisk.dates import add_months
from vendorrisk.errors import ConfigError
from vendorrisk.vocab import CERTIFICATION_TYPES

AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def rules() -> CertificationRules:
    return load_certification_rules()


def test_every_vocabulary_type_has_rules(rules: CertificationRules) -> None:
    assert set(rules.types) == set(CERTIFICATION_TYPES)
    assert rules.types["iso27001"].numbers["max_validity_months"] == 36
    assert rules.types["soc2_type2"].numbers["stale_after_months"] == 12


@pytest.mark.parametrize(("until", "state"), [
    (date(2026, 11, 22), "expired"), (date(2026, 11, 23), "stale"),
    (date(2027, 1, 22), "stale"), (date(2027, 1, 23), "valid")])
def test_certificate_valid_until(rules: CertificationRules, until: date, state: str) -> None:
    assert rules.status("iso27001", as_of=AS_OF, valid_until=until).state == state


def test_certificate_from_issue_date(rules: CertificationRules) -> None:
    s = rules.status("iso27001", as_of=AS_OF, issued=date(2023, 11, 1))
    assert s.state == "expired" and s.valid_until == date(2026, 11, 1)
    assert rules.status("iso27001", as_of=AS_OF).state == "unknown"
    assert rules.status("pci_dss", as_of=AS_OF, issued=date(2025, 12, 1)).state == "stale"


@pytest.mark.parametrize(("period_end", "bridge", "state"), [
    (date(2025, 12, 31), None, "valid"),
    (date(2025, 10, 31), None, "stale"),
    (date(2025, 10, 31), date(2026, 9, 1), "valid"),      # bridge letter under 3 months old
    (date(2025, 10, 31), date(2026, 8, 1), "stale"),      # bridge letter too old
    (date(2025, 8, 1), date(2026, 11, 1), "stale"),       # beyond 15 months even with a bridge
    (None, None, "unknown"),
])
def test_soc2_staleness(rules: CertificationRules, period_end: date | None,
                        bridge: date | None, state: str) -> None:
    s = rules.status("soc2_type2", as_of=AS_OF, period_end=period_end, bridge_letter=bridge)
    assert s.state == state, s.reason


def test_requirements(rules: CertificationRules) -> None:
    req = {r.id for r in rules.required(["dora"], "critical", "dns_provider")}
    assert {"dora_critical_assurance", "critical_vendor_baseline"} <= req
    assert rules.missing(["soc2_type2"], ["dora"], "critical", "dns_provider") == ()
    missing = rules.missing([], ["pci"], "normal", "registrar", {"account_data"})
    assert [r.id for r in missing] == ["pci_tpsp_aoc"]
    assert rules.missing([], ["pci"], "normal", "registrar") == ()
    assert rules.missing([], [], "low", "registrar") == ()


def test_add_months() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


@pytest.mark.parametrize(("body", "line", "problem"), [
    ("types:\n  iso9001:\n    name: X\n    basis: certificate\nrequirements: []\n", 2,
     "unknown certification type 'iso9001'"),
    ("types:\n  iso27001:\n    name: X\n    basis: certificate\n    max_validity_months: -1\n"
     "    expiring_within_days: 60\nrequirements: []\n", 5, "'max_validity_months' must be"),
    ("types:\n  iso27001:\n    name: X\n    basis: forever\nrequirements: []\n", 2,
     "needs 'name' and 'basis'"),
    ("types: {}\nrequirements:\n  - id: r\n    any_of: [iso27001]\n", 4,
     "any_of must list known certification types"),
    ("types:\n  iso27001:\n    name: X\n    basis: certificate\n    max_validity_months: 36\n"
     "    expiring_within_days: 60\nrequirements:\n  - id: r\n    when: {tiers: [gold]}\n"
     "    any_of: [iso27001]\n", 9, "tiers must list values"),
])
def test_bad_certification_files(tmp_path: Path, body: str, line: int, problem: str) -> None:
    path = tmp_path / "certifications.yaml"
    path.write_text(body, "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_certification_rules(path)
    assert caught.value.message.startswith(f"{path}:{line}: "), caught.value.message
    assert problem in caught.value.message
