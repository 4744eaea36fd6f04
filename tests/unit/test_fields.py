from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from vendorrisk.errors import did_you_mean, nearest
from vendorrisk.portfolio.fields import ENTITY_FIELDS, FieldSpec, KnownIds, ValidationError, _f, clean


def test_contract_values_are_typed() -> None:
    values = clean("contract", {"vendor": "V", "reference": "R", "start_date": "2025-01-31",
                                "auto_renew": "Yes", "sla_uptime": "99.95", "currency": "eur",
                                "notice_days_customer": "60"})
    assert values["start_date"] == date(2025, 1, 31)
    assert values["auto_renew"] is True
    assert values["sla_uptime"] == Decimal("99.95")
    assert values["currency"] == "EUR"
    assert values["notice_days_customer"] == 60


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as err:
        clean("contract", {"vendor": "V", "start_date": "31/01/2025", "auto_renew": "maybe",
                           "sla_uptime": "101", "colour": "red"})
    fields = {p.field for p in err.value.problems}
    assert fields == {"reference", "start_date", "auto_renew", "sla_uptime", "colour"}
    assert "\n" not in str(err.value)


def test_end_before_start_is_rejected() -> None:
    with pytest.raises(ValidationError, match="before start_date"):
        clean("contract", {"vendor": "V", "reference": "R", "start_date": "2025-02-01",
                           "end_date": "2025-01-01"})


def test_enums_and_lists() -> None:
    values = clean("client", {"name": "A", "regimes": "GDPR, dora,gdpr", "residency": "eu"})
    assert values["regimes"] == ["dora", "gdpr"]
    assert values["residency"] == "EU"
    with pytest.raises(ValidationError, match="unknown value"):
        clean("client", {"name": "A", "regimes": "gdpr,sox"})
    with pytest.raises(ValidationError, match="kind: must be one of"):
        clean("vendor", {"name": "V", "kind": "isp"})


def test_partial_clean_allows_missing_required_and_clearing() -> None:
    assert clean("vendor", {"notes": ""}, partial=True) == {"notes": None}
    with pytest.raises(ValidationError, match="name: is required"):
        clean("vendor", {"name": ""}, partial=True)


def test_domain_names_are_normalised() -> None:
    assert clean("domain", {"name": "Bücher.Example", "client": "C"})["name"] == (
        "xn--bcher-kva.example")
    with pytest.raises(ValidationError, match="underscore"):
        clean("domain", {"name": "a_b.example", "client": "C"})


NUMBER_SPECS = [(entity, spec) for entity, specs in ENTITY_FIELDS.items() for spec in specs
                if spec.kind in ("int", "decimal")]
REQUIRED = {"contract": {"vendor": "V", "reference": "R", "start_date": "2025-01-01"},
            "vendor": {"name": "V", "kind": "registrar"},
            "dora_function": {"client": "C", "identifier": "F1", "name": "Payments"}}


def _problem(entity: str, name: str, value: object) -> str:
    with pytest.raises(ValidationError) as err:
        clean(entity, {**REQUIRED[entity], name: value})
    (problem,) = err.value.problems
    assert problem.field == name
    return problem.message


def test_every_number_field_has_a_finite_range() -> None:
    assert {spec.name for _, spec in NUMBER_SPECS} >= {
        "tier", "renewal_term_months", "notice_days_customer", "notice_days_vendor",
        "exit_assistance_days", "sla_uptime", "annual_value", "breach_notification_hours"}
    for _, spec in NUMBER_SPECS:
        assert spec.minimum is not None and spec.maximum is not None, spec.name
        assert Decimal(spec.minimum).is_finite() and Decimal(spec.maximum).is_finite()
        assert spec.minimum <= spec.maximum


def test_a_number_field_without_range_cannot_be_defined() -> None:
    with pytest.raises(TypeError, match="needs a minimum and a maximum"):
        _f("price", "decimal", minimum=0)


@pytest.mark.parametrize(("entity", "spec"), NUMBER_SPECS, ids=lambda x: getattr(x, "name", x))
@pytest.mark.parametrize("bad", ["nan", "NaN", "inf", "-Infinity", "1e400", "-1e400", "sNaN",
                                 float("nan"), float("inf"), float("-inf"), 1e300, "9" * 5000,
                                 "above", "below"])
def test_number_fields_reject_non_finite_and_out_of_range(entity: str, spec: FieldSpec,
                                                         bad: object) -> None:
    assert spec.minimum is not None and spec.maximum is not None
    if bad == "above":
        bad = str(spec.maximum + 1)
    elif bad == "below":
        bad = str(spec.minimum - 1)
    message = _problem(entity, spec.name, bad)
    kind = "a whole number" if spec.kind == "int" else "a finite number"
    assert message.startswith(f"must be {kind} between {spec.minimum} and {spec.maximum}, got ")
    assert len(message) < 120  # a huge input is shortened, not echoed


@pytest.mark.parametrize(("entity", "spec"), NUMBER_SPECS, ids=lambda x: getattr(x, "name", x))
def test_number_fields_accept_their_bounds(entity: str, spec: FieldSpec) -> None:
    for bound in (spec.minimum, spec.maximum):
        assert clean(entity, {**REQUIRED[entity], spec.name: str(bound)})[spec.name] == bound


def test_annual_value_message_names_the_range() -> None:
    assert _problem("contract", "annual_value", "1e400") == (
        "must be a finite number between 0 and 999999999999.99, got '1e400'")


def test_huge_digit_strings_fail_fast() -> None:
    started = time.perf_counter()
    for name in ("notice_days_customer", "annual_value"):
        assert "between" in _problem("contract", name, "9" * 1_000_000)
    assert time.perf_counter() - started < 1.0


def test_whole_numbers_from_spreadsheets_and_floats() -> None:
    values = clean("contract", {**REQUIRED["contract"], "notice_days_customer": 90.0,
                                "renewal_term_months": " 12 ", "annual_value": 1200.5})
    assert values["notice_days_customer"] == 90 and values["renewal_term_months"] == 12
    assert values["annual_value"] == Decimal("1200.5")
    assert "whole number" in _problem("contract", "notice_days_customer", 90.5)
    assert "whole number" in _problem("vendor", "tier", True)


def test_unknown_clause_suggests_the_nearest() -> None:
    assert _problem("contract", "clauses", "dpa, exit_stratgy") == (
        "unknown clause 'exit_stratgy', did you mean 'exit_strategy'?")


def test_unknown_clause_without_close_match_lists_the_valid_ids_once() -> None:
    message = _problem("contract", "clauses", "foo_bar, qqqq")
    assert message.startswith("unknown clause 'foo_bar'; unknown clause 'qqqq'; valid: ")
    assert message.count("exit_strategy") == 1 and "dpa" in message


def test_known_clauses_include_those_alternatives_name() -> None:
    values = clean("contract", {**REQUIRED["contract"], "clauses": "dpa,scc,exit_strategy"})
    assert values["clauses"] == ["dpa", "scc", "exit_strategy"]


def test_unknown_catalog_key_suggests_the_nearest() -> None:
    assert _problem("vendor", "catalog_key", "cloudflair") == (
        "unknown catalog key 'cloudflair', did you mean 'cloudflare'?")
    assert clean("vendor", {**REQUIRED["vendor"], "catalog_key": "markmonitor"})[
        "catalog_key"] == "markmonitor"  # a registrar key
    assert clean("vendor", {"catalog_key": ""}, partial=True) == {"catalog_key": None}


def test_catalog_keys_come_from_the_catalogs_in_use(tmp_path: Path) -> None:
    catalog = tmp_path / "providers.yaml"
    catalog.write_text("version: 1\nproviders:\n  alphadns:\n    name: Alpha DNS\n"
                       "    kind: dns_provider\n    ns_patterns: ['ns*.alpha.test']\n")
    own = KnownIds(providers_file=str(catalog))
    raw = {**REQUIRED["vendor"], "catalog_key": "alphadns"}
    assert clean("vendor", raw, known=own)["catalog_key"] == "alphadns"
    with pytest.raises(ValidationError, match="unknown catalog key 'alphadns'"):
        clean("vendor", raw)
    with pytest.raises(ValidationError, match="did you mean 'godaddy'"):
        clean("vendor", {**raw, "catalog_key": "godady"}, known=own)  # registrars still count


def test_nearest_and_did_you_mean() -> None:
    assert nearest("timout", ["timeout", "retries"]) == "timeout"
    assert nearest("zzz", ["timeout", "retries"]) is None
    assert did_you_mean("timout", ["timeout"], prefix="probe.") == "did you mean 'probe.timeout'?"
    assert did_you_mean("zzz", ["b", "a", "a"], listing="valid settings") == (
        "valid settings: a, b")


def test_ip_addresses_are_not_domain_names() -> None:
    with pytest.raises(ValidationError) as err:
        clean("domain", {"name": "192.0.2.1", "client": "C"})
    assert str(err.value) == "invalid domain: name: 192.0.2.1 is an IP address, not a domain name"
