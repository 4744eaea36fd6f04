"""Write a styled, formula-safe workbook from plain records (no database here).

Every sheet gets a frozen header row, an Excel table (with its filter buttons), column
widths, typed cells (real dates and numbers with formats), and conditional fills for score
bands. Rows are streamed through openpyxl's write-only mode, so a 10,000-domain workbook
stays small in memory. Text goes through :func:`safe_text`, so nothing a vendor, a WHOIS
server or a user typed can become a formula. The file is written next to its target and
renamed into place, so a failure never leaves half a workbook behind.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from vendorrisk.io.atomic import write_stream_atomic
from vendorrisk.io.safe_cells import safe_text
from vendorrisk.io.staging import staging_path

MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell."""

BAND_FILLS: dict[str, str] = {"low": "C6EFCE", "medium": "FFEB9C", "high": "F8CBAD",
                              "critical": "FF7C80"}
HIGHLIGHT_FILL = "FFC7CE"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_FORMATS = {"percent": "0%", "money": "#,##0.00"}
"""Kinds needing a styled cell. Dates and date-times get openpyxl's default date formats
(plain values are much cheaper to stream than styled cells); scores are rounded instead."""


@dataclass(frozen=True)
class Column:
    """One column: its header, the record key it shows, its kind and its width."""

    header: str
    key: str
    kind: str = "text"
    """text, list, json, int, float, money, score, percent, bool, date, datetime, band."""
    width: int = 14


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Mapping[str, Any]]
    highlight_within_days: tuple[str, int] | None = None
    """(key of a days-left column, N): fill rows' cells in that column when 0 <= days <= N."""
    table: bool = True


@dataclass(frozen=True)
class ChartSpec:
    """A bar chart on ``on_sheet`` of ``value_keys`` by ``label_key`` from ``data_sheet``."""

    on_sheet: str
    data_sheet: str
    label_key: str
    value_keys: tuple[str, ...]
    title: str
    anchor: str = "L2"
    max_bars: int = 60


@dataclass
class WrittenWorkbook:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)


def cell_value(kind: str, value: Any) -> Any:
    """Turn one record value into what the cell holds (typed, and text made inert)."""
    if value is None:
        return None
    if kind in ("list",) and isinstance(value, (list, tuple, set)):
        value = ", ".join(str(v) for v in value)
    elif kind == "json" or isinstance(value, (dict, list, tuple)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, Decimal):
        return float(value)
    if kind == "score" and isinstance(value, float):
        return round(value, 1)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, (bool, int, float, date)):
        return value
    text = str(value)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return safe_text(text)


def header_label(name: str) -> str:
    """``notice_days_customer`` -> ``Notice days customer`` (the import reads it back)."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def write_workbook(path: Path, sheets: Sequence[Sheet], chart: ChartSpec | None = None, *,
                   force: bool = False) -> WrittenWorkbook:
    """Write ``sheets`` in order to ``path`` atomically (:mod:`vendorrisk.io.atomic`; an
    existing ``path`` only with ``force``); returns the row count per sheet."""
    written = write_stream_atomic(path, lambda out: _write(out, path, sheets, chart),
                                  force=force)
    return written


def _write(out: BinaryIO, target: Path, sheets: Sequence[Sheet],
           chart: ChartSpec | None) -> WrittenWorkbook:
    wb = Workbook(write_only=True)
    written = WrittenWorkbook(target)
    worksheets: dict[str, Any] = {}
    used_names: set[str] = set()
    try:
        for sheet in sheets:
            ws = wb.create_sheet(sheet.title)
            worksheets[sheet.title] = ws
            written.rows[sheet.title] = _write_sheet(ws, sheet, used_names, target)
    except BaseException:
        _discard(wb)
        raise
    if chart is not None and written.rows.get(chart.data_sheet):
        _add_chart(worksheets[chart.on_sheet], worksheets[chart.data_sheet],
                   _sheet_of(sheets, chart.data_sheet), chart, written.rows[chart.data_sheet])
    try:
        wb.save(out)
    except BaseException:  # the sheets not yet saved still hold open temporary files
        _discard(wb)
        raise
    return written


def _stream_beside(ws: Any, target: Path) -> None:
    """Stream a write-only sheet (its widths and panes set) into a staging file beside the
    output instead of openpyxl's file in the system temporary folder, so that a killed export
    leaves its rows only where the next write to that folder sweeps them
    (:mod:`vendorrisk.io.staging`)."""
    path = staging_path(target)
    try:
        writer = sheet_writer.WorksheetWriter(ws, out=str(path))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    sheet_writer.ALL_TEMP_FILES.append(str(path))  # openpyxl's cleanup() takes it off this list
    ws._writer = writer  # before anything is written: a failure is then _discard's to clean
    writer.write_top()


def _discard(wb: Workbook) -> None:
    """Finish and delete the streamed sheets' temporary files after a failure (before or
    during the save). Each sheet's row stream is closed before its file, else the garbage
    collector may close them the other way round and print an "Exception ignored" traceback.
    A step that fails again (the disk is still full) is skipped: the first error is the one
    reported, and every sheet is still closed and removed."""
    for ws in wb.worksheets:
        rows = getattr(ws, "_rows", None)  # write-only sheets only; not in openpyxl's stubs
        writer = getattr(ws, "_writer", None)
        steps = [rows.close] if rows is not None else []
        if writer is not None:
            steps += [writer.close] if not ws.closed else []  # not reached by the save yet
            steps.append(lambda w=writer: Path(w.out).exists() and w.cleanup())
        for step in steps:
            try:
                step()
            except (OSError, ValueError):  # ValueError: a write to a file already closed
                continue


def _sheet_of(sheets: Sequence[Sheet], title: str) -> Sheet:
    return next(s for s in sheets if s.title == title)


def _write_sheet(ws: Any, sheet: Sheet, used_names: set[str], target: Path) -> int:
    columns = list(sheet.columns)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, column.header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        header.append(cell)
    _stream_beside(ws, target)  # where openpyxl would open its stream: at the first row
    ws.append(header)
    count = 0
    formats = [_FORMATS.get(c.kind) for c in columns]
    for record in sheet.rows:
        row: list[Any] = []
        for column, number_format in zip(columns, formats, strict=True):
            value = cell_value(column.kind, record.get(column.key))
            if number_format and value is not None and not isinstance(value, str):
                cell = WriteOnlyCell(ws, value)
                cell.number_format = number_format
                row.append(cell)
            else:
                row.append(value)
        ws.append(row)
        count += 1
    last_col = get_column_letter(max(1, len(columns)))
    if count:
        _format_rules(ws, sheet, columns, count)
        if sheet.table:
            table = _table(sheet.title, columns, f"A1:{last_col}{count + 1}", used_names)
            with warnings.catch_warnings():
                # openpyxl always warns in write-only mode; _table names the columns itself.
                warnings.filterwarnings("ignore", message="In write-only mode you must add table")
                ws.add_table(table)
    return count


def _table(title: str, columns: Sequence[Column], ref: str, used: set[str]) -> Table:
    base = "t_" + re.sub(r"[^A-Za-z0-9_]", "_", title)
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}_{n}"
    used.add(name)
    table = Table(displayName=name, ref=ref)
    # Write-only sheets cannot be read back, so name the table's columns explicitly; they
    # must equal the header cells or Excel "repairs" the file.
    table.tableColumns = [TableColumn(id=i, name=c.header) for i, c in enumerate(columns, 1)]
    table.autoFilter = AutoFilter(ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    return table


def _format_rules(ws: Any, sheet: Sheet, columns: Sequence[Column], count: int) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{count + 1}"
        if column.kind == "band":
            for band, colour in BAND_FILLS.items():
                # CellIsRule and FormulaRule are unannotated in types-openpyxl.
                ws.conditional_formatting.add(cells, CellIsRule(  # type: ignore[no-untyped-call]
                    operator="equal", formula=[f'"{band}"'],
                    fill=PatternFill("solid", start_color=colour, end_color=colour)))
        if sheet.highlight_within_days and column.key == sheet.highlight_within_days[0]:
            limit = sheet.highlight_within_days[1]
            ws.conditional_formatting.add(cells, FormulaRule(  # type: ignore[no-untyped-call]
                formula=[f"AND(ISNUMBER({letter}2),{letter}2>=0,{letter}2<={limit})"],
                fill=PatternFill("solid", start_color=HIGHLIGHT_FILL, end_color=HIGHLIGHT_FILL),
                font=Font(bold=True)))


def _add_chart(on_ws: Any, data_ws: Any, data_sheet: Sheet, spec: ChartSpec, rows: int) -> None:
    keys = [c.key for c in data_sheet.columns]
    last = min(rows, spec.max_bars) + 1
    chart = BarChart()
    chart.type = "bar"
    chart.title = spec.title
    chart.y_axis.title = "score (0-100, higher is riskier)"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.height, chart.width = max(8.0, 0.45 * (last - 1)), 18  # cm; the stubs type width as int
    for key in spec.value_keys:
        col = keys.index(key) + 1
        chart.add_data(Reference(data_ws, min_col=col, min_row=1, max_row=last),
                       titles_from_data=True)
    label_col = keys.index(spec.label_key) + 1
    chart.set_categories(Reference(data_ws, min_col=label_col, min_row=2, max_row=last))
    on_ws.add_chart(chart, spec.anchor)


def sheet_ref(title: str, cell: str) -> str:
    return f"{quote_sheetname(title)}!{cell}"


# --- the procurement workbook's layout ---------------------------------------------------------

_FIELD_KINDS = {"date": "date", "datetime": "datetime", "int": "int", "decimal": "float",
                "bool": "bool", "list": "list", "location_list": "list", "reflist": "list"}
_WIDE = {"name": 30, "legal_name": 30, "notes": 40, "scope": 40, "supported_function": 26,
         "reference": 20, "vendor": 26, "client": 24, "dns_providers": 30, "registrar": 24,
         "liability_cap": 22, "evidence_ref": 30, "data_locations": 18}
ID_COLUMN = Column("ID", "id", "int", 8)


def inventory_columns(entity: str) -> list[Column]:
    """The columns of an inventory sheet: every field the import reads, in field order."""
    from vendorrisk.portfolio.fields import ENTITY_FIELDS

    columns = [ID_COLUMN] if entity in ("contract", "certification") else []
    for spec in ENTITY_FIELDS[entity]:
        kind = _FIELD_KINDS.get(spec.kind, "text")
        if spec.name in ("annual_value",):
            kind = "money"
        columns.append(Column(header_label(spec.name), spec.name, kind,
                              _WIDE.get(spec.name, 12 if kind in ("bool", "int") else 16)))
    return columns


DORA_READINESS_COLUMNS: tuple[Column, ...] = (
    Column("Template", "template", "text", 10), Column("Status", "status", "text", 22),
    Column("Cell", "cell", "text", 16), Column("Column", "column_name", "text", 34),
    Column("Row", "row", "int", 6), Column("Record", "record", "text", 30),
    Column("What is missing", "what", "text", 44), Column("Command", "where", "text", 50),
    Column("TUI screen", "screen", "text", 30),
)
"""A client's DORA readiness: one row per template, then one per cell still to fill."""

SCORE_COLUMNS: tuple[Column, ...] = (
    Column("Lock-in score", "lockin", "score", 12),
    Column("Lock-in band", "lockin_band", "band", 12),
    Column("Compliance score", "compliance", "score", 13),
    Column("Compliance band", "compliance_band", "band", 13),
)
COVERAGE_COLUMNS: tuple[Column, ...] = (
    Column("Lock-in coverage", "lockin_coverage", "percent", 12),
    Column("Compliance coverage", "compliance_coverage", "percent", 13),
    Column("Scored at", "computed_at", "datetime", 17),
)
SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column("Kind", "kind", "text", 9), Column("Name", "name", "text", 30),
    Column("Detail", "detail", "text", 22), *SCORE_COLUMNS, *COVERAGE_COLUMNS,
    Column("Open findings", "open_findings", "int", 12),
)
VENDOR_EXTRA: tuple[Column, ...] = (
    Column("Subcontractors", "subcontractors_text", "text", 30),
    Column("Domains (registrar)", "domains_registrar", "int", 12),
    Column("Domains (DNS)", "domains_dns", "int", 12),
    Column("Contracts", "contract_count", "int", 10),
    *SCORE_COLUMNS,
)
DOMAIN_EXTRA: tuple[Column, ...] = (
    Column("Name (Unicode)", "name_unicode", "text", 30),
    Column("Observed registrar", "observed_registrar", "text", 26),
    Column("Operators", "operators", "list", 30),
    Column("Nameservers", "nameservers", "list", 36),
    Column("DNSSEC", "dnssec", "text", 10),
    Column("Registrar lock", "registrar_locked", "bool", 11),
    Column("Registry lock", "registry_locked", "bool", 11),
    Column("Registrant redacted", "registrant_redacted", "bool", 12),
    Column("PII exposed", "pii_exposed", "list", 18),
    Column("AXFR open", "axfr_open", "bool", 10),
    Column("Expires", "expires", "date", 12),
    Column("Last probed", "probed_at", "datetime", 17),
    Column("Probe complete", "complete", "bool", 11),
    Column("Open findings", "open_findings", "int", 11),
    *SCORE_COLUMNS,
)
CONTRACT_EXTRA: tuple[Column, ...] = (
    Column("Next renewal", "next_renewal", "date", 12),
    Column("Notice deadline", "notice_deadline", "date", 13),
    Column("Days left", "days_left", "int", 10),
)
CERT_EXTRA: tuple[Column, ...] = (
    Column("Status", "cert_status", "text", 10),
    Column("Status reason", "cert_status_reason", "text", 36),
)
FINDING_COLUMNS: tuple[Column, ...] = (
    Column("ID", "id", "int", 7), Column("Client", "client", "text", 22),
    Column("Subject kind", "subject_kind", "text", 10), Column("Subject", "subject", "text", 30),
    Column("Code", "code", "text", 26), Column("Severity", "severity", "band", 10),
    Column("Title", "title", "text", 44), Column("Evidence", "evidence", "json", 50),
    Column("Status", "counted_status", "text", 10),
    Column("Acceptance lapsed", "lapsed", "bool", 10),
    Column("First seen", "first_seen", "datetime", 17),
    Column("Last seen", "last_seen", "datetime", 17),
    Column("Accepted by", "accepted_by", "text", 16),
    Column("Acceptance reason", "accepted_reason", "text", 30),
    Column("Accepted until", "accepted_until", "date", 12),
    Column("Resolved at", "resolved_at", "datetime", 17),
)
QUESTIONNAIRE_COLUMNS: tuple[Column, ...] = (
    Column("Vendor", "vendor", "text", 26), Column("Template", "template", "text", 20),
    Column("Version", "version", "text", 8), Column("Status", "status", "text", 10),
    Column("Question ID", "question_id", "text", 24), Column("Question", "question", "text", 50),
    Column("Answer", "answer", "text", 30), Column("Risky", "risky", "bool", 8),
    Column("Risk severity", "risk_severity", "band", 11),
    Column("Evidence", "evidence", "text", 30), Column("Reviewed at", "reviewed_at", "datetime", 17),
)
FACTOR_COLUMNS: tuple[Column, ...] = (
    Column("Subject kind", "subject_kind", "text", 10), Column("Subject", "subject", "text", 30),
    Column("Factor", "factor_id", "text", 28), Column("Title", "title", "text", 40),
    Column("Points", "points", "score", 9), Column("Weight", "weight", "float", 9),
    Column("Source", "source", "text", 12), Column("Evidence", "evidence", "json", 50),
    Column("Remedy", "remedy", "text", 40), Column("Scored at", "computed_at", "datetime", 17),
)
ABOUT_COLUMNS: tuple[Column, ...] = (Column("Item", "item", "text", 26),
                                     Column("Value", "value", "text", 70))

INVENTORY_SHEETS: dict[str, str] = {"client": "Clients", "vendor": "Vendors", "domain": "Domains",
                                    "contract": "Contracts", "certification": "Certifications"}
