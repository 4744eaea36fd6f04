"""Read inventory rows from a workbook, tolerantly, and write the import template.

Reading is pure: sheets are matched to entities by name, headers to fields by a forgiving
key (case, spaces, punctuation and known synonyms), and each data row comes back as raw
values with its sheet and row number. Nothing is validated against the database here; the
service validates every row with :func:`vendorrisk.portfolio.fields.clean`. Problems that make a whole
file or sheet unusable (not a spreadsheet, merged cells, formulas in input cells, a missing
required column, too many rows) are collected as :class:`RowProblem` with sheet, row, column.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vendorrisk.errors import InputError
from vendorrisk.io.atomic import write_stream_atomic
from vendorrisk.io.safe_cells import restore_text
from vendorrisk.io.xlsx_export import INVENTORY_SHEETS, header_label
from vendorrisk.io.xlsx_guard import MAX_COLUMNS, one_line, open_workbook, reading_sheet
from vendorrisk.portfolio.fields import ENTITY_FIELDS, FieldSpec

MAX_ROWS = 50_000
"""Data rows accepted per file; larger files must be split (memory and one transaction)."""

ENTITY_ORDER: tuple[str, ...] = ("client", "vendor", "domain", "contract", "certification")
"""Import order, so a row can refer to a client or vendor created earlier in the same file."""

_SHEET_SYNONYMS: dict[str, str] = {
    "clients": "client", "client": "client", "customers": "client", "tenants": "client",
    "vendors": "vendor", "vendor": "vendor", "suppliers": "vendor", "providers": "vendor",
    "domains": "domain", "domain": "domain", "zones": "domain",
    "contracts": "contract", "contract": "contract",
    "certifications": "certification", "certification": "certification", "certs": "certification",
    "certificates": "certification",
}
_SYNONYMS: dict[str, dict[str, str]] = {
    "*": {"id": "id", "comment": "notes", "comments": "notes", "note": "notes"},
    "client": {"client": "name", "client_name": "name", "regulations": "regimes",
               "regime": "regimes", "data_residency": "residency", "am": "account_manager"},
    "vendor": {"vendor": "name", "vendor_name": "name", "type": "kind", "vendor_kind": "kind",
               "country": "hq_country", "hq": "hq_country", "headquarters": "hq_country",
               "headquarters_country": "hq_country", "criticality_tier": "tier",
               "parent": "ultimate_parent", "storage_locations": "data_locations"},
    "domain": {"domain": "name", "domain_name": "name", "zone": "name", "client_name": "client",
               "customer": "client", "registrar_vendor": "registrar",
               "declared_registrar": "registrar", "dns_provider": "dns_providers",
               "dns": "dns_providers", "providers": "dns_providers",
               "declared_dns_providers": "dns_providers"},
    "contract": {"contract_reference": "reference", "ref": "reference",
                 "contract_ref": "reference", "start": "start_date", "end": "end_date",
                 "type": "contract_type", "renewal_term": "renewal_term_months",
                 "notice_days": "notice_days_customer", "notice_period_days": "notice_days_customer",
                 "value": "annual_value", "annual_cost": "annual_value"},
    "certification": {"type": "cert_type", "certification": "cert_type", "standard": "cert_type",
                      "valid_to": "valid_until", "expires": "valid_until",
                      "expiry": "valid_until", "issued_on": "issued", "evidence": "evidence_ref"},
}
EXPORT_ONLY_HEADERS: frozenset[str] = frozenset({
    "name_unicode", "domains_registrar", "domains_dns", "contracts",
    "lock_in_score", "lock_in_band", "compliance_score", "compliance_band", "observed_registrar",
    "operators", "nameservers", "dnssec", "registrar_lock", "registry_lock",
    "registrant_redacted", "pii_exposed", "axfr_open", "expires", "last_probed",
    "probe_complete", "open_findings", "next_renewal", "notice_deadline", "days_left", "status",
    "status_reason",
})
"""Computed columns of the export: ignored on import without a warning."""
SUBCONTRACTORS = "_subcontractors"
"""Key of a vendor row's subcontracting chain (not a field: set through its own service call)."""
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet + (f" row {self.row}" if self.row else "")
        return f"{where}" + (f" column {self.column}" if self.column else "") + f": {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message}


@dataclass
class SheetRows:
    """The rows of one sheet for one entity: raw values keyed by field name."""

    sheet: str
    entity: str
    columns: dict[str, str] = field(default_factory=dict)
    """field name -> header as written in the file (for messages)."""
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    """Headers not recognised (reported as warnings)."""


@dataclass
class ReadResult:
    sheets: list[SheetRows] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)


def header_key(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_")


def entity_for_sheet(title: str) -> str | None:
    return _SHEET_SYNONYMS.get(header_key(title))


def match_headers(entity: str, headers: Sequence[Any], sheet: str
                  ) -> tuple[dict[int, str], SheetRows, list[RowProblem]]:
    """Map column positions to field names; unknown headers are ignored (and reported)."""
    names = {s.name for s in ENTITY_FIELDS[entity]}
    synonyms = {**_SYNONYMS["*"], **_SYNONYMS[entity]}
    out = SheetRows(sheet, entity)
    positions: dict[int, str] = {}
    problems: list[RowProblem] = []
    for index, raw in enumerate(headers):
        if raw is None or str(raw).strip() == "":
            continue
        key = header_key(raw)
        name = key if key in names or key == "id" else synonyms.get(key)
        if entity == "vendor" and key in ("subcontractors", "subcontracting_chain"):
            name = SUBCONTRACTORS
        if name is None:
            if key not in EXPORT_ONLY_HEADERS:
                out.ignored.append(str(raw))
            continue
        if name in out.columns:
            problems.append(RowProblem(sheet, 1, str(raw), f"duplicate column: {out.columns[name]!r}"
                                       f" and {raw!r} both mean {name!r}"))
            continue
        if name == "id" and entity not in ("contract", "certification"):
            continue
        out.columns[name] = str(raw)
        positions[index] = name
    for spec in ENTITY_FIELDS[entity]:
        if spec.required and spec.name not in out.columns:
            problems.append(RowProblem(sheet, 1, header_label(spec.name),
                                       f"required column {header_label(spec.name)!r} is missing"))
    return positions, out, problems


def cell_input(value: Any) -> Any:
    """A raw cell value as the validator expects it (exported text restored, dates kept)."""
    if isinstance(value, str):
        value = restore_text(value).strip()
        return value or None
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def read_workbook(path: Path, *, max_rows: int = MAX_ROWS) -> ReadResult:
    """Read every inventory sheet of ``path``; unrelated sheets are skipped by name.

    The archive is checked first (:func:`~vendorrisk.io.xlsx_guard.check_workbook`); any
    failure to read it is an :class:`InputError` naming the file and the sheet and row."""
    wb = open_workbook(path)
    result = ReadResult()
    try:
        total = 0
        for ws in wb.worksheets:
            entity = entity_for_sheet(ws.title)
            if entity is None:
                result.skipped_sheets.append(ws.title)
                continue
            _check_merged(path, ws, result.problems)
            last_row = [0]
            with reading_sheet(path, ws.title, last_row):
                sheet = _read_sheet(ws, entity, result.problems, max_rows - total, max_rows,
                                    last_row)
            if sheet is not None:
                total += len(sheet.rows)
                result.sheets.append(sheet)
    finally:
        wb.close()
    if not result.sheets and not result.problems:
        raise InputError(f"{one_line(path.name)} has no inventory sheet",
                         "name sheets Clients, Vendors, Domains, Contracts or Certifications")
    return result


def _check_merged(path: Path, ws: Any, problems: list[RowProblem]) -> None:
    source = getattr(ws, "_worksheet_path", None)
    if not source:
        return
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(source.lstrip("/"))
    merged = [m.decode() for m in _MERGE.findall(xml)]
    if merged:
        problems.append(RowProblem(ws.title, None, None, "merged cells are not allowed in an "
                                   f"import sheet ({', '.join(merged[:5])}); unmerge them"))


def _header_width(cells: Sequence[Any]) -> int:
    """Columns up to the last non-empty header: data beyond it is never read."""
    filled = [i for i, c in enumerate(cells) if c.value not in (None, "")]
    return filled[-1] + 1 if filled else 0


def _blank(cells: Sequence[Any]) -> bool:
    return all(c.value is None or (isinstance(c.value, str) and not c.value.strip())
               for c in cells)


def _read_sheet(ws: Any, entity: str, problems: list[RowProblem], budget: int,
                limit: int, last_row: list[int]) -> SheetRows | None:
    """Rows of one sheet; ``last_row[0]`` follows the rows read (for error messages).

    Rows are counted as openpyxl yields them, blank ones (it fills gaps) included, so a
    lone cell at row 1,048,576 costs no more than :data:`MAX_ROWS` blank rows."""
    header_cells = next(ws.iter_rows(max_row=1, max_col=MAX_COLUMNS), None)
    if header_cells is None or _blank(header_cells):
        problems.append(RowProblem(ws.title, None, None, "the sheet is empty (no header row)"))
        return None
    last_row[0] = 1
    width = _header_width(header_cells)
    positions, sheet, header_problems = match_headers(
        entity, [c.value for c in header_cells[:width]], ws.title)
    problems.extend(header_problems)
    for row_number, cells in enumerate(ws.iter_rows(min_row=2, max_col=width), start=2):
        if row_number - 1 > max(limit, budget):
            problems.append(RowProblem(ws.title, None, None, f"more than {limit:,} rows "
                                       "in one sheet; split it into smaller files"))
            return sheet
        last_row[0] = row_number
        if _blank(cells):
            continue
        if len(sheet.rows) >= budget:
            problems.append(RowProblem(ws.title, None, None, f"more than {limit:,} data rows "
                                       "in one file; split it into smaller files"))
            return sheet
        sheet.rows.append((row_number, _row_values(ws.title, row_number, cells, positions,
                                                   sheet, problems)))
    return sheet


def _row_values(title: str, row_number: int, cells: Sequence[Any], positions: dict[int, str],
                sheet: SheetRows, problems: list[RowProblem]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for index, cell in enumerate(cells):
        name = positions.get(index)
        if name is None:
            continue
        if getattr(cell, "data_type", None) == "f":
            problems.append(RowProblem(title, row_number, sheet.columns[name],
                                       f"contains a formula ({one_line(cell.value, 40)}); "
                                       "enter the value itself"))
            continue
        if getattr(cell, "data_type", None) == "e":
            problems.append(RowProblem(title, row_number, sheet.columns[name],
                                       f"holds a spreadsheet error ({one_line(cell.value, 40)}); "
                                       "enter the value itself"))
            continue
        if isinstance(cell.value, float) and not math.isfinite(cell.value):
            problems.append(RowProblem(title, row_number, sheet.columns[name],
                                       f"is not a finite number ({cell.value})"))
            continue
        values[name] = cell_input(cell.value)
    return values


# --- the template --------------------------------------------------------------------------

_INSTRUCTIONS: tuple[str, ...] = (
    "vendorrisk import template: fill the Clients, Vendors, Domains, Contracts and "
    "Certifications sheets, then run: vendorrisk import FILE.xlsx --dry-run",
    "Row 1 of each sheet is the header; keep it. Column order does not matter, and headers "
    "are matched ignoring case and spaces.",
    "Columns marked * are required. Dropdowns list the allowed values of closed lists.",
    "Dates as real dates or YYYY-MM-DD. Lists (regimes, locations, DNS providers) are "
    "comma-separated.",
    "Domains refer to clients and vendors by name; those may be in this file (sheets are "
    "imported in the order Clients, Vendors, Domains, Contracts, Certifications).",
    "A row whose key exists already is updated (clients, vendors and domains by name, "
    "contracts by vendor + reference, certifications by ID or vendor + type + issued date); "
    "re-importing the same file changes nothing.",
    "By default nothing is written if any row is invalid; --skip-invalid imports the valid "
    "rows and lists the others. Do not merge cells or enter formulas.",
)
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def _choices(spec: FieldSpec) -> list[str]:
    if spec.enum is not None:
        return [m.value for m in spec.enum]
    if spec.kind == "choice":
        return list(spec.choices)
    if spec.kind == "bool":
        return ["yes", "no"]
    return []


def write_template(path: Path, *, force: bool = False) -> Path:
    """A workbook with an Instructions sheet and one sheet per entity, with dropdowns; written
    atomically, an existing ``path`` replaced only with ``force``."""
    wb = Workbook()
    info = wb.active
    assert isinstance(info, Worksheet), "a new workbook starts with one worksheet"
    info.title = "Instructions"
    info.column_dimensions["A"].width = 110
    info.append(["How to fill this workbook"])
    info["A1"].font = Font(bold=True, size=14)
    for line in _INSTRUCTIONS:
        info.append([line])
    info.append([])
    info.append(["Field reference (sheet, column, meaning)"])
    info.cell(info.max_row, 1).font = Font(bold=True)
    for entity in ENTITY_ORDER:
        for spec in ENTITY_FIELDS[entity]:
            choices = _choices(spec)
            text = f"{INVENTORY_SHEETS[entity]} / {header_label(spec.name)}" + (
                " (required)" if spec.required else "") + f": {spec.help or spec.kind}"
            info.append([text + (f" [{', '.join(choices)}]" if choices else "")])
    for row in info.iter_rows():
        row[0].alignment = Alignment(wrap_text=True)
    for entity in ENTITY_ORDER:
        _template_sheet(wb, entity)
    write_stream_atomic(path, wb.save, force=force)
    return path


def _template_sheet(wb: Workbook, entity: str) -> None:
    ws = wb.create_sheet(INVENTORY_SHEETS[entity])
    specs = ENTITY_FIELDS[entity]
    ws.append([header_label(s.name) + (" *" if s.required else "") for s in specs])
    ws.freeze_panes = "A2"
    for index, spec in enumerate(specs, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(14, len(spec.name) + 4)
        cell = ws.cell(1, index)
        cell.font = Font(bold=True)
        if spec.required:
            cell.fill = _REQUIRED_FILL
        choices = _choices(spec)
        if choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                allow_blank=not spec.required, showErrorMessage=True,
                                errorTitle="Not allowed", error=f"Pick one of: {', '.join(choices)}")
            dv.add(f"{letter}2:{letter}5000")
            ws.add_data_validation(dv)
        elif spec.kind == "date":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1",
                                allow_blank=True, showErrorMessage=True,
                                error="Enter a date (YYYY-MM-DD)")
            dv.add(f"{letter}2:{letter}5000")
            ws.add_data_validation(dv)


def rows_from_mapping(entity: str, sheet: str, header: Sequence[Any],
                      records: Iterable[Sequence[Any]], problems: list[RowProblem],
                      first_row: int = 2) -> SheetRows:
    """Build :class:`SheetRows` from a header and value rows (used by the CSV reader)."""
    positions, out, header_problems = match_headers(entity, header, sheet)
    problems.extend(header_problems)
    for offset, values in enumerate(records):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row: dict[str, Any] = {}
        for index, name in positions.items():
            row[name] = cell_input(values[index]) if index < len(values) else None
        out.rows.append((first_row + offset, row))
    return out


def describe_columns(columns: Mapping[str, str]) -> str:
    return ", ".join(f"{h!r}->{n}" for n, h in columns.items())
