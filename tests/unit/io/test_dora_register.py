"""DORA register CSVs: official column codes, closed-list codes, missing data listed not invented."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from vendorrisk.io import dora_register as D

CLIENT = {"name": "Bank", "lei": "529900T8BM49AURSDO55"}
VENDORS: dict[str, dict[str, Any]] = {
    "DNSCo": {"name": "DNSCo", "lei": "5493001KJTIIGC8Y1R12", "euid": "DEB1234.HRB1",
              "legal_name": "=DNS Co GmbH", "hq_country": "DE", "ultimate_parent": "Parent AG",
              "data_locations": ["EU", "DE"], "processing_locations": ["IE"],
              "subcontractors": [{"name": "Edge", "rank": 1, "service": "anycast"}]},
    "Edge": {"name": "Edge", "euid": "NLKVK.123", "legal_name": "Edge BV", "hq_country": "NL",
             "data_locations": [], "processing_locations": [], "subcontractors": []},
}
CONTRACTS = [
    {"vendor": "DNSCo", "reference": "C-1", "contract_type": "standalone", "currency": "EUR",
     "annual_value": 1000, "start_date": "2024-01-01", "end_date": None, "auto_renew": True,
     "notice_days_customer": 90, "notice_days_vendor": 180, "governing_law": "DE",
     "country_of_provision": "DE", "supported_function": "Authoritative DNS",
     "function_criticality": "critical_or_important", "data_sensitivity": "medium",
     "reliance_level": "material", "substitutability": "highly_complex", "exit_plan": True},
    {"vendor": "Edge", "reference": "C-2", "contract_type": "dpa", "start_date": "2020-01-01",
     "end_date": "2025-01-01", "auto_renew": False, "function_criticality": "not_critical"},
]


def _build() -> D.Register:
    return D.build_register(CLIENT, CONTRACTS, VENDORS, date(2026, 6, 1))


def test_yaml_column_codes() -> None:
    assert D.columns("B_02.02") == [f"c{n:04d}" for n in range(10, 190, 10)]
    assert len(D.columns("B_05.01")) == 12 and len(D.columns("B_07.01")) == 12
    assert D.columns("B_02.01") == ["c0010", "c0020", "c0030", "c0040", "c0050"]


def test_values_use_official_codes() -> None:
    reg = _build()
    b0201 = {r["c0010"]: r for r in reg.tables["B_02.01"]}
    assert b0201["C-1"] == {"c0010": "C-1", "c0020": "eba_CO:x1", "c0040": "eba_CU:EUR",
                            "c0050": "1000.00"}
    row = reg.tables["B_02.02"][0]
    assert row["c0020"] == CLIENT["lei"] and row["c0030"] == VENDORS["DNSCo"]["lei"]
    assert row["c0040"] == "eba_qCO:qx2000" and row["c0050"] == "F1"
    assert row["c0080"] == "9999-12-31" and row["c0130"] == "eba_GA:DE"
    assert (row["c0140"], row["c0150"], row["c0160"]) == ("eba_BT:x28", "eba_GA:DE", "eba_GA:IE")
    assert (row["c0170"], row["c0180"]) == ("eba_ZZ:x792", "eba_ZZ:x796")
    assert reg.functions == {"F1": "Authoritative DNS"}
    chain = [r for r in reg.tables["B_05.02"] if r["c0010"] == "C-1"]
    assert [(r["c0030"], r["c0050"], r.get("c0060")) for r in chain] == [
        ("5493001KJTIIGC8Y1R12", 1, None), ("NLKVK.123", 2, "5493001KJTIIGC8Y1R12")]
    assert chain[1]["c0040"] == "eba_qCO:qx2002"
    (b0701,) = reg.tables["B_07.01"]  # the not-critical contract has no assessment row
    assert b0701["c0050"] == "eba_ZZ:x960" and b0701["c0080"] == "eba_BT:x28"
    b0501 = {r["c0050"]: r for r in reg.tables["B_05.01"]}
    assert b0501["=DNS Co GmbH"]["c0030"] == "DEB1234.HRB1"
    assert b0501["=DNS Co GmbH"]["c0070"] == "eba_CT:x212"


def test_missing_data_is_listed_not_invented() -> None:
    reg = _build()
    missing = {(m.template, m.record, m.column) for m in reg.missing}
    assert ("B_02.02", "C-1", "c0060") in missing  # ICT service type is never guessed
    assert ("B_02.01", "C-2", "c0020") in missing  # a DPA is no arrangement type
    assert ("B_02.02", "C-2", "c0090") in missing  # ended: the reason is not recorded
    assert ("B_05.01", "DNSCo", "c0110") in missing  # parent recorded by name only
    assert ("B_07.01", "C-1", "c0060") in missing
    assert next(r for r in reg.tables["B_02.01"] if r["c0010"] == "C-2")["c0020"] is None


def test_write_register_files(tmp_path: Path) -> None:
    files = D.write_register(_build(), tmp_path / "reg")
    assert [f.name for f in files] == ["b_02.01.csv", "b_02.02.csv", "b_05.01.csv",
                                       "b_05.02.csv", "b_07.01.csv", "missing-data.csv",
                                       "functions.csv"]
    with (tmp_path / "reg" / "b_05.01.csv").open() as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == D.columns("B_05.01")
    assert "'=DNS Co GmbH" in rows[1] + rows[2]  # text made inert for spreadsheet programs
    with (tmp_path / "reg" / "missing-data.csv").open() as fh:
        missing = list(csv.DictReader(fh))
    assert any(m["column"] == "B_02.02.0060" and m["column_name"] == "Type of ICT services"
               for m in missing)
    assert [p.name for p in tmp_path.iterdir()] == ["reg"]
