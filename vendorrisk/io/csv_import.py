"""Read one entity's rows from a CSV file (UTF-8, comma or semicolon separated).

The entity comes from the caller or from the file name (``domains.csv``,
``vendorrisk-contracts-2026.csv``). Headers are matched as in the workbook import.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from vendorrisk.errors import InputError
from vendorrisk.io.xlsx_guard import one_line
from vendorrisk.io.xlsx_import import (
    MAX_ROWS,
    ReadResult,
    RowProblem,
    entity_for_sheet,
    header_key,
    rows_from_mapping,
)

MAX_BYTES = 200 * 1024 * 1024


def entity_from_name(path: Path) -> str | None:
    for part in header_key(path.stem).split("_"):
        entity = entity_for_sheet(part)
        if entity is not None:
            return entity
    return None


def read_csv(path: Path, entity: str | None = None, *, max_rows: int = MAX_ROWS) -> ReadResult:
    entity = entity or entity_from_name(path)
    if entity is None:
        raise InputError(f"cannot tell what {one_line(path.name)} holds",
                         "name the file clients/vendors/domains/contracts/certifications.csv "
                         "or pass --kind")
    text = _decode(path)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    sheet = path.name
    result = ReadResult()
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise InputError(f"{one_line(path.name)} is empty (no header row)")
        rows: list[list[str]] = []
        for values in reader:
            if len(rows) >= max_rows:
                result.problems.append(RowProblem(sheet, None, None,
                                                  f"more than {max_rows:,} data rows in one "
                                                  "file; split it into smaller files"))
                break
            rows.append(values)
    except csv.Error as exc:
        raise InputError(f"{one_line(path.name)} line {reader.line_num}: not valid CSV "
                         f"({one_line(exc)})") from exc
    result.sheets.append(rows_from_mapping(entity, sheet, header, rows, result.problems))
    return result


def _decode(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{one_line(path.name)} is larger than {MAX_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {one_line(path)}: {one_line(exc.strerror or exc)}") from exc
    name = one_line(path.name)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(f"{name} line 1: UTF-16 text, not UTF-8", "save it as CSV UTF-8")
    if b"\x00" in data[:4096] or data[:2] == b"PK":
        raise InputError(f"{name} is not a CSV text file",
                         "for a workbook use the .xlsx extension")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{name} line {line}: not UTF-8 text (byte {exc.start})",
                         "save it as CSV UTF-8") from exc
