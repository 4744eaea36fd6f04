"""Reading inventory workbooks: tolerant headers, and broken input named by sheet/row/column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from vendorrisk.errors import InputError
from vendorrisk.io import xlsx_import as R

FIXTURES = Path(__file__).parents[2] / "fixtures" / "xlsx"


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize(("header", "field"), [
    ("Domain", "name"), (" DNS Providers ", "dns_providers"), ("client_name", "client"),
    ("Declared registrar", "registrar"), ("CRITICALITY", "criticality"), ("Notes", "notes"),
])
def test_domain_headers_are_matched_tolerantly(header: str, field: str) -> None:
    positions, _sheet, _problems = R.match_headers("domain", ["name", "client", header], "D")
    assert field in positions.values()


def test_unknown_headers_are_reported_and_export_only_ones_ignored() -> None:
    _, sheet, problems = R.match_headers(
        "domain", ["Name", "Client", "Lock-in score", "Colour"], "Domains")
    assert sheet.ignored == ["Colour"] and not problems


def test_missing_required_column_and_duplicate_column() -> None:
    _, _, problems = R.match_headers("contract", ["Vendor", "Ref", "Reference"], "Contracts")
    messages = [str(p) for p in problems]
    assert any("duplicate column" in m for m in messages)
    assert any("required column 'Start date' is missing" in m for m in messages)


def test_reads_rows_restoring_exported_text(tmp_path: Path) -> None:
    path = _book(tmp_path / "in.xlsx", {
        "Notes": [["anything"]],
        "vendors": [["Name", "Kind"], ["'=HYPERLINK(\"x\")", "registrar"], [None, None],
                    ["Acme", "dns_provider"]],
    })
    result = R.read_workbook(path)
    assert result.skipped_sheets == ["Notes"] and not result.problems
    (sheet,) = result.sheets
    assert sheet.entity == "vendor"
    assert sheet.rows == [(2, {"name": "=HYPERLINK(\"x\")", "kind": "registrar"}),
                          (4, {"name": "Acme", "kind": "dns_provider"})]


def test_formula_in_an_input_cell_is_an_error(tmp_path: Path) -> None:
    path = _book(tmp_path / "f.xlsx", {"Vendors": [["Name", "Kind"], ["=1+1", "registrar"]]})
    result = R.read_workbook(path)
    (problem,) = result.problems
    assert (problem.sheet, problem.row, problem.column) == ("Vendors", 2, "Name")
    assert "formula" in problem.message


def test_merged_cells_are_an_error(tmp_path: Path) -> None:
    path = _book(tmp_path / "m.xlsx", {"Clients": [["Name", "Notes"], ["A", "x"], ["B", "y"]]})
    wb = load_workbook(path)
    wb["Clients"].merge_cells("A2:A3")
    wb.save(path)
    result = R.read_workbook(path)
    assert any("merged cells" in p.message and "A2:A3" in p.message for p in result.problems)


def test_empty_sheet_is_an_error(tmp_path: Path) -> None:
    path = _book(tmp_path / "e.xlsx", {"Domains": []})
    result = R.read_workbook(path)
    assert [p.message for p in result.problems] == ["the sheet is empty (no header row)"]


def test_no_inventory_sheet(tmp_path: Path) -> None:
    path = _book(tmp_path / "x.xlsx", {"Budget": [["a"]]})
    with pytest.raises(InputError, match="no inventory sheet"):
        R.read_workbook(path)


@pytest.mark.parametrize("name", ["broken-not-a-spreadsheet.xlsx", "broken-truncated-zip.xlsx"])
def test_not_a_spreadsheet(name: str) -> None:
    with pytest.raises(InputError, match=r"not an \.xlsx spreadsheet"):
        R.read_workbook(FIXTURES / name)


def test_row_limit(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Name"]] + [[f"c{i}"] for i in range(30)]
    path = _book(tmp_path / "big.xlsx", {"Clients": rows})
    result = R.read_workbook(path, max_rows=10)
    assert len(result.sheets[0].rows) == 10
    assert "split it" in result.problems[-1].message


def test_template_has_instructions_and_dropdowns(tmp_path: Path) -> None:
    path = R.write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Clients", "Vendors", "Domains", "Contracts",
                             "Certifications"]
    assert "vendorrisk import" in wb["Instructions"]["A2"].value
    vendors = wb["Vendors"]
    assert vendors["A1"].value == "Name *" and vendors.freeze_panes == "A2"
    lists = {dv.formula1 for dv in vendors.data_validations.dataValidation}
    assert any("dns_provider" in f for f in lists)
    # the template reads back as empty inventory sheets, with no problems
    result = R.read_workbook(path)
    assert not result.problems and all(not s.rows for s in result.sheets)
