"""The workbook writer: typed cells, inert text, frozen headers, tables, bands, chart, atomicity."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from vendorrisk.errors import StorageError
from vendorrisk.io import xlsx_export as X

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2-2", "@SUM(A1)", "\t=1", "\r=1"]
COLUMNS = [X.Column("Name", "name", "text", 20), X.Column("When", "when", "date"),
           X.Column("At", "at", "datetime"), X.Column("Value", "value", "money"),
           X.Column("Score", "score", "score"), X.Column("Band", "band", "band"),
           X.Column("Tags", "tags", "list"), X.Column("Data", "data", "json"),
           X.Column("Flag", "flag", "bool"), X.Column("Days", "days", "int")]


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"name": text, "when": date(2026, 1, 2), "at": datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
         "value": Decimal("12.50"), "score": 41.26, "band": "medium", "tags": ["a", "=b"],
         "data": {"k": "=1"}, "flag": True, "days": 30} for text in HOSTILE]
    rows.append({"name": "Plain", "band": "critical", "days": 200})
    return rows


def test_cells_are_typed_and_text_is_inert(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    sheet = X.Sheet("Data", COLUMNS, _rows(), highlight_within_days=("days", 90))
    written = X.write_workbook(out, [sheet])
    assert written.rows == {"Data": len(HOSTILE) + 1}
    wb = load_workbook(out)
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    for index, text in enumerate(HOSTILE, start=2):
        cell = ws.cell(index, 1)
        # XML readers turn a stored CR into LF; what matters is the leading quote.
        assert cell.data_type == "s" and cell.value == "'" + text.replace("\r", "\n")
    assert ws["B2"].value == datetime(2026, 1, 2) and ws["B2"].is_date
    assert ws["C2"].value == datetime(2026, 1, 2, 3, 4)
    assert ws["D2"].value == 12.5 and ws["D2"].number_format == "#,##0.00"
    assert ws["E2"].value == 41.3
    assert ws["G2"].value == "a, =b"  # does not start with a trigger
    assert ws["H2"].value == '{"k": "=1"}'
    assert ws["I2"].value is True and ws["J2"].value == 30
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_frozen_header_table_widths_and_formatting(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    X.write_workbook(out, [X.Sheet("Data", COLUMNS, _rows(), highlight_within_days=("days", 90))])
    ws = load_workbook(out)["Data"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 20
    (table,) = ws.tables.values()
    assert table.ref == f"A1:J{len(HOSTILE) + 2}"
    assert [c.name for c in table.tableColumns] == [c.header for c in COLUMNS]
    rules = {str(r.sqref): [x.formula for x in r.rules] for r in ws.conditional_formatting}
    assert rules[f"F2:F{len(HOSTILE) + 2}"] == [['"low"'], ['"medium"'], ['"high"'],
                                                 ['"critical"']]
    assert rules[f"J2:J{len(HOSTILE) + 2}"] == [["AND(ISNUMBER(J2),J2>=0,J2<=90)"]]


def test_empty_sheet_has_header_and_no_table(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    X.write_workbook(out, [X.Sheet("Empty", COLUMNS, [])])
    ws = load_workbook(out)["Empty"]
    assert ws.max_row == 1 and not ws.tables


def test_chart_on_summary(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    rows = [{"kind": "vendor", "name": f"V{i}", "lockin": i * 10.0, "compliance": 5.0}
            for i in range(5)]
    spec = X.ChartSpec("Summary", "Summary", "name", ("lockin", "compliance"), "Scores",
                       max_bars=3)
    X.write_workbook(out, [X.Sheet("Summary", X.SUMMARY_COLUMNS, rows)], spec)
    ws = load_workbook(out)["Summary"]
    (chart,) = ws._charts
    assert len(chart.series) == 2
    assert chart.series[0].val.numRef.f == "'Summary'!$D$2:$D$4"


def test_long_text_is_truncated_to_excel_limit() -> None:
    value = X.cell_value("text", "x" * 40_000)
    assert isinstance(value, str) and len(value) == X.MAX_CELL_TEXT


def test_failure_leaves_nothing_behind(tmp_path: Path) -> None:
    def rows() -> object:
        yield {"name": "ok"}
        raise RuntimeError("boom")

    out = tmp_path / "w.xlsx"
    with pytest.raises(RuntimeError):
        X.write_workbook(out, [X.Sheet("Data", COLUMNS, rows())])  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_unwritable_target_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError):
        X.write_workbook(blocker / "sub" / "w.xlsx", [X.Sheet("Data", COLUMNS, [])])


def test_inventory_columns_cover_every_field() -> None:
    from vendorrisk.portfolio.fields import ENTITY_FIELDS

    for entity, specs in ENTITY_FIELDS.items():
        keys = [c.key for c in X.inventory_columns(entity)]
        assert [s.name for s in specs] == [k for k in keys if k != "id"]
