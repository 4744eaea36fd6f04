"""`e` in the TUI: the rows shown, in their order, typed where the view made a number or a
date, formula-safe, with an About sheet describing the view."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl

from vendorrisk.views import cells as C
from vendorrisk.views import export
from vendorrisk.views.dto import Cell, Row, Table

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_cells_keep_their_type_only_where_the_view_made_one() -> None:
    assert export.cell_value(C.number(12)) == 12
    assert export.cell_value(C.when(date(2026, 1, 2))) == date(2026, 1, 2)
    assert export.cell_value(Cell("2024")) == "2024"  # a client named 2024 stays text
    assert export.cell_value(C.text(None)) is None
    assert export.cell_value(C.score(63.0, "high", 0.8)) == "63 high 80%"
    assert export.cell_value(Cell("2026-13-45", None, "x")) == "2026-13-45"


def test_sheet_titles_follow_excel_rules() -> None:
    assert export.sheet_title("Findings (open/accepted)") == "Findings (open accepted)"
    assert len(export.sheet_title("x" * 40)) == 31
    assert export.sheet_title("[]:*?") == "View"


def test_write_view_rows_in_order_and_formula_safe(tmp_path: Path) -> None:
    rows = tuple(Row(str(i), (Cell(name), C.number(n))) for i, (name, n) in enumerate(
        [("=HYPERLINK(\"http://x\")", 3), ("plain", 1), ("@SUM(A1)", 2)]))
    table = Table("Vendors — Acme", ("Vendor", "Open"), rows, note="a note")
    first = export.write_view(table, ["2", "0"], tmp_path, filter_text="a", client="Acme",
                              now=NOW)
    second = export.write_view(table, ["1"], tmp_path, now=NOW)  # same second: a new file
    assert first != second and first.exists() and second.exists()
    book = openpyxl.load_workbook(first)
    sheet = book["Vendors — Acme"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    about = {r[0].value: r[1].value for r in book["About"].iter_rows(min_row=2)}
    assert values == [["Vendor", "Open"], ["'@SUM(A1)", 2], ["'=HYPERLINK(\"http://x\")", 3]]
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    assert about["Rows"] == "2 of 3" and about["Filter"] == "a" and about["Client"] == "Acme"
    assert about["Note"] == "a note"
