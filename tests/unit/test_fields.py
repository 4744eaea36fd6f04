from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from vendorrisk.fields import ValidationError, clean


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
