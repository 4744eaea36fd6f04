"""DORA register: codes and QNames, the supply-chain tree, missing data listed not invented,
the validator's blocking rules, and bad input named by record and field."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from vendorrisk.io import dora_package as P
from vendorrisk.io import dora_register as D
from vendorrisk.io import dora_validate as V
from vendorrisk.io.atomic import OutputExistsError
from vendorrisk.io.dora_spec import TEMPLATES, columns

LEI = "529900T8BM49AURSDO55"
CLIENT = {"name": "Bank", "lei": LEI, "country": "LT", "entity_type": "credit_institution",
          "competent_authority": "Bank of Lithuania"}
VENDORS: dict[str, dict[str, Any]] = {
    "DNSCo": {"name": "DNSCo", "lei": "5493001KJTIIGC8Y1R12", "euid": "DEB1234.HRB1",
              "legal_name": "=DNS Co GmbH", "hq_country": "DE", "ultimate_parent": "",
              "data_locations": ["EU", "DE"], "processing_locations": ["IE"],
              "subcontractors": [{"name": "Edge", "rank": 1}, {"name": "Anycast", "rank": 2}]},
    "Edge": {"name": "Edge", "euid": "NLKVK.123", "legal_name": "Edge BV", "hq_country": "NL",
             "subcontractors": [{"name": "Leaf", "rank": 1}]},
    "Anycast": {"name": "Anycast", "euid": "NLKVK.456", "legal_name": "Anycast BV",
                "hq_country": "NL", "subcontractors": []},
    "Leaf": {"name": "Leaf", "euid": "NLKVK.789", "legal_name": "Leaf BV", "hq_country": "NL",
             "subcontractors": []},
}
CONTRACT = {"vendor": "DNSCo", "reference": "-C-1", "contract_type": "standalone",
            "currency": "EUR", "past_year_expense": 900, "annual_value": 1000,
            "start_date": "2024-01-01", "end_date": None, "auto_renew": True,
            "notice_days_customer": 90, "notice_days_vendor": 180, "governing_law": "US-NY",
            "country_of_provision": "DE", "supported_function": "Authoritative DNS",
            "function_criticality": "critical_or_important", "data_sensitivity": "medium",
            "reliance_level": "material", "substitutability": "highly_complex",
            "substitutability_reason": "both", "exit_plan": True, "ict_service_type": "s19",
            "reintegration": "difficult", "discontinuing_impact": "high",
            "alternatives_identified": "not_assessed", "last_audit_date": "2025-06-01",
            "data_storage": True}
TODAY = date(2026, 6, 1)


def _build(client: dict[str, Any] | None = None, contract: dict[str, Any] | None = None,
           vendors: dict[str, dict[str, Any]] | None = None) -> D.Register:
    return D.build_register(client or CLIENT, [contract or CONTRACT], vendors or VENDORS, TODAY)


def test_all_fifteen_templates_with_layout_codes() -> None:
    assert len(TEMPLATES) == 15 and TEMPLATES[0] == "B_01.01" and TEMPLATES[-1] == "B_99.01"
    assert columns("B_02.02") == [f"c{n:04d}" for n in range(10, 190, 10)]
    assert columns("B_03.03") == ["c0010", "c0020", "c0031"]
    assert len(columns("B_06.01")) == 10 and len(columns("B_99.01")) == 19


def test_values_are_qnames() -> None:
    reg = _build()
    (b0201,) = reg.tables["B_02.01"]
    assert b0201 == {"c0010": "-C-1", "c0020": "eba_CO:x1", "c0040": "eba_CU:EUR",
                     "c0050": "900.00"}  # past-year expense, not the annual value
    (row,) = reg.tables["B_02.02"]
    assert (row["c0020"], row["c0030"], row["c0040"]) == (LEI, "5493001KJTIIGC8Y1R12",
                                                          "eba_qCO:qx2000")
    assert row["c0050"] == "F1" and row["c0060"] == "eba_TA:S19"
    assert row["c0080"] == "9999-12-31" and row["c0120"] == "eba_GA:US"
    assert (row["c0140"], row["c0150"], row["c0160"]) == ("eba_BT:x28", "eba_GA:DE", "eba_GA:IE")
    (b0701,) = reg.tables["B_07.01"]
    assert (b0701["c0040"], b0701["c0060"], b0701["c0090"], b0701["c0100"], b0701["c0110"]) == (
        "eba_TA:S19", "eba_ZZ:x965", "eba_ZZ:x966", "eba_ZZ:x793", "eba_BT:x21")
    b0501 = {r["c0050"]: r for r in reg.tables["B_05.01"]}
    assert b0501["=DNS Co GmbH"]["c0110"] == "5493001KJTIIGC8Y1R12"  # its own parent
    (f1,) = reg.tables["B_06.01"]
    assert (f1["c0010"], f1["c0030"], f1["c0040"], f1["c0050"]) == (
        "F1", "Authoritative DNS", LEI, "eba_BT:x28")


def test_supply_chain_is_a_tree() -> None:
    chain = [(r["c0030"], r["c0050"], r["c0060"]) for r in _build().tables["B_05.02"]]
    assert chain == [("5493001KJTIIGC8Y1R12", 1, LEI),
                     ("NLKVK.123", 2, "5493001KJTIIGC8Y1R12"), ("NLKVK.789", 3, "NLKVK.123"),
                     ("NLKVK.456", 2, "5493001KJTIIGC8Y1R12")]  # siblings share rank 2


def test_one_row_per_location_country_regions_beside_countries_dropped() -> None:
    vendors = {**VENDORS, "DNSCo": {**VENDORS["DNSCo"], "data_locations": ["EU", "DE", "NL"],
                                    "processing_locations": ["IE", "EEA"]}}
    reg = _build(vendors=vendors)
    assert [(r["c0150"], r["c0160"]) for r in reg.tables["B_02.02"]] == [
        ("eba_GA:DE", "eba_GA:IE"), ("eba_GA:NL", "eba_GA:IE")]
    assert reg.problems == [] and not [b for b in V.validate(reg) if b.blocking]


def test_region_only_location_leaves_the_key_to_fill() -> None:
    vendors = {**VENDORS, "DNSCo": {**VENDORS["DNSCo"], "processing_locations": ["GLOBAL"]}}
    reg = _build(vendors=vendors)
    (row,) = reg.tables["B_02.02"]
    assert row["c0160"] is None
    texts = [str(b) for b in V.validate(reg) if b.blocking]
    assert any(t.startswith("B_02.02.c0160 row 1 (contract -C-1): data processing location "
                            "as a country") and "--processing-locations" in t for t in texts)


def test_data_storage_no() -> None:
    reg = _build(contract={**CONTRACT, "data_storage": False})
    (row,) = reg.tables["B_02.02"]
    assert row["c0140"] == "eba_BT:x29" and row.get("c0150") is None
    assert not [b for b in V.validate(reg) if b.blocking]


def test_complete_register_has_no_blocking_breach() -> None:
    reg = _build()
    assert reg.problems == []
    assert [str(b) for b in V.validate(reg) if b.blocking] == []


def test_missing_key_is_805_with_where_to_enter_it() -> None:
    reg = _build(contract={**CONTRACT, "ict_service_type": None})
    assert [str(p) for p in reg.problems] == [
        "contract -C-1, field ict_service_type: has no type of ICT service (S01-S19; "
        "`vendorrisk contract edit -C-1 --ict-service-type ...`)"]
    texts = [str(b) for b in V.validate(reg) if b.blocking]
    assert "B_02.02.c0060 row 1 (contract -C-1): type of ICT service (S01-S19), " \
        "vendorrisk contract edit -C-1 --ict-service-type ... [rule 805]" in texts
    assert any(t.startswith("B_05.02.c0020 row 4") for t in texts)


def test_duplicate_and_foreign_keys_and_indicators() -> None:
    reg = _build()
    reg.tables["B_02.01"].append(dict(reg.tables["B_02.01"][0]))
    reg.labels["B_02.01"].append("copy")
    reg.tables["B_06.01"].clear()
    rules = {(b.rule, b.template, b.column) for b in V.validate(reg)}
    assert ("806", "B_02.01", "c0010") in rules
    assert ("807", "B_02.02", "c0050") in rules
    assert ("808", "B_99.01", "-") not in rules
    indicators = {**V.filing_indicators(reg), "B_02.01": False}
    assert ("808", "B_02.01", "-") in {(b.rule, b.template, b.column)
                                       for b in V.validate(reg, indicators)}


@pytest.mark.parametrize(("client", "contract", "vendors", "expected"), [
    ({**CLIENT, "lei": None}, None, None, "client Bank, field lei: has no LEI"),
    ({**CLIENT, "lei": "nope"}, None, None, "client Bank, field lei: 'nope' is not an LEI"),
    (None, {**CONTRACT, "country_of_provision": "EU"}, None,
     "contract -C-1, field country_of_provision: 'EU' is not a country"),
    ({**CLIENT, "country": "Mars"}, None, None, "client Bank, field country: 'Mars' is not"),
    (None, None, {**VENDORS, "Leaf": {**VENDORS["Leaf"], "subcontractors": [{"name": "Edge"}]}},
     "vendor Leaf, field subcontractors: subcontracting cycle: Edge -> Leaf -> Edge"),
    (None, None, {**VENDORS, "DNSCo": {**VENDORS["DNSCo"], "processing_locations": ["GLOBAL"]}},
     "vendor DNSCo, field processing_locations: GLOBAL is a region, not a country"),
    (None, None, {**VENDORS, "DNSCo": {**VENDORS["DNSCo"], "data_locations": ["Mars"]}},
     "vendor DNSCo, field data_locations: 'Mars' is not a country"),
])
def test_bad_input_names_record_and_field(client: Any, contract: Any, vendors: Any,
                                          expected: str) -> None:
    problems = [str(p) for p in _build(client, contract, vendors).problems]
    assert any(p.startswith(expected) for p in problems), problems


def test_package_layout_no_formula_guard(tmp_path: Path) -> None:
    reg = _build()
    stamp = datetime(2026, 6, 1, 12, 0, 0, 123000, tzinfo=UTC)
    files = P.write_package(reg, V.validate(reg), tmp_path / "reg", stamp)
    name = f"{LEI}.IND_LT_DORA010100_DORA_2025-12-31_20260601120000123"
    assert [f.name for f in files] == [f"{name}.zip", "missing-data.csv", "validation.csv"]
    with zipfile.ZipFile(files[0]) as zf:
        names = zf.namelist()
        assert f"{name}/META-INF/reportPackage.json" in names
        assert f"{name}/reports/b_99.01.csv" in names and len(names) == 19
        b0201 = zf.read(f"{name}/reports/b_02.01.csv").decode()
    assert b0201.startswith("c0010,c0020,c0030,c0040,c0050\r\n-C-1,")  # no ' prefix
    with pytest.raises(OutputExistsError):
        P.write_package(reg, [], tmp_path / "reg", stamp)
    P.write_package(reg, [], tmp_path / "reg", stamp, force=True)
