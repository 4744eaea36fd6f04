"""Refuse a hostile .xlsx before openpyxl expands any of it; turn openpyxl's failures into
one-line :class:`~vendorrisk.errors.InputError` messages.

An .xlsx is a ZIP of XML parts. :func:`check_workbook` looks at the ZIP directory first
(member count, declared sizes, compression ratio, compression method, encryption), so a zip
bomb is refused before a byte is inflated; ``zipfile`` stops every member at its declared size
and checks its CRC, so a lying directory cannot smuggle more. Then every part is read once
(bounded by those sizes) and checked: well-formed XML without a DTD (no entity expansion) and
at most so many rows, cells and shared strings. Both workbook readers (inventory and
questionnaire) call it.

Limits (module constants, one place to raise them):

- :data:`MAX_MEMBERS` parts in the archive;
- :data:`MAX_MEMBER_BYTES` uncompressed bytes per part, :data:`MAX_TOTAL_BYTES` in all;
- :data:`MAX_RATIO` uncompressed/compressed for a part over :data:`RATIO_FLOOR` bytes;
- :data:`MAX_SHEET_ROWS` ``<row>`` and :data:`MAX_CELLS` ``<c>`` elements over all sheets,
  :data:`MAX_SHARED_STRINGS` ``<si>`` entries;
- :data:`MAX_COLUMNS` columns a reader looks at (openpyxl pads every row to its width).
"""

from __future__ import annotations

import re
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from vendorrisk.errors import InputError

MAX_MEMBERS = 1_000
"""Parts in one archive; a workbook has a few per sheet."""
MAX_MEMBER_BYTES = 64 * 2**20
"""Uncompressed bytes of one part (a 50,000-row sheet is about 20 MB)."""
MAX_TOTAL_BYTES = 128 * 2**20
"""Uncompressed bytes of all parts together."""
MAX_RATIO = 200
"""Uncompressed/compressed size of one part; real sheets compress 5-30 times, a zip bomb
about 1,000 times."""
RATIO_FLOOR = 2**20
"""Parts smaller than this are not held to :data:`MAX_RATIO` (small XML compresses well)."""
MAX_SHEET_ROWS = 200_000
"""``<row>`` elements over all sheets."""
MAX_CELLS = 2_000_000
"""``<c>`` (cell) elements over all sheets: 50,000 rows of 40 columns."""
MAX_SHARED_STRINGS = 1_000_000
"""``<si>`` entries of the shared-string table (openpyxl loads it whole)."""
MAX_COLUMNS = 200
"""Columns read per row; an import sheet has at most a few dozen."""
MAX_SHOWN = 160
"""Characters of an underlying error shown in a message."""

_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
"""Compression methods Excel and openpyxl write; others are refused, not tried."""
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_SHARED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

DAMAGED: tuple[type[BaseException], ...] = (
    SyntaxError,  # ElementTree's ParseError
    ValueError, TypeError, KeyError, IndexError, AttributeError, LookupError,
    ArithmeticError,  # OverflowError of a date or number out of range
    NotImplementedError, RuntimeError,  # RecursionError of deeply nested XML, too
    EOFError, OSError, zlib.error, zipfile.BadZipFile, InvalidFileException,
)
"""What openpyxl and zipfile raise on a damaged or mutated workbook (none of it means a bug
of ours, so each becomes an :class:`InputError`)."""


class WorkbookError(InputError):
    """A workbook refused or unreadable: ``where`` (a part, a sheet and line or row; may be
    empty) and ``problem``, so a reader can restate them in its own report."""

    def __init__(self, path: Path, where: str, problem: str, hint: str | None = None) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{one_line(path.name)}: " + (f"{where}: " if where else "") + problem,
                         hint)


def one_line(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` on one line, at most ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def describe(exc: BaseException) -> str:
    """``ParseError: no element found: line 1, column 0``, on one line."""
    detail = one_line(exc)
    return type(exc).__name__ + (f": {detail}" if detail else "")


def check_workbook(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` is a ZIP within every limit above."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_directory(path, infos)
            titles = _sheet_titles(archive)
            counts = {"rows": 0, "cells": 0, "shared strings": 0}
            for info in infos:
                _check_part(path, archive, info, titles, counts)
    except FileNotFoundError as exc:
        raise WorkbookError(path, "", "file not found") from exc
    except InputError:
        raise
    except DAMAGED as exc:
        raise WorkbookError(path, "", f"not an .xlsx spreadsheet ({describe(exc)})",
                            "save it as Excel .xlsx, or import CSV") from exc


def _check_directory(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise WorkbookError(path, "", f"{len(infos):,} parts in the archive (at most "
                            f"{MAX_MEMBERS:,}); not a workbook vendorrisk reads")
    total = 0
    for info in infos:
        part = f"part {one_line(info.filename, 80)}"
        if info.flag_bits & 0x1:
            raise WorkbookError(path, part, "encrypted", "remove the password")
        if info.compress_type not in _METHODS:
            raise WorkbookError(path, part, "unsupported compression method "
                                f"{info.compress_type}", "save it again as Excel .xlsx")
        if info.file_size > MAX_MEMBER_BYTES:
            raise WorkbookError(path, part, f"inflates to {info.file_size:,} bytes (at most "
                                f"{MAX_MEMBER_BYTES:,}); refused unread")
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise WorkbookError(path, part, f"inflates {ratio:,} times (at most {MAX_RATIO}); "
                                "refused unread as a zip bomb")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise WorkbookError(path, "", f"the parts inflate to {total:,} bytes (at most "
                            f"{MAX_TOTAL_BYTES:,}); refused unread")


def _check_part(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                titles: dict[str, str], counts: dict[str, int]) -> None:
    if info.is_dir() or not info.filename.lower().endswith((".xml", ".rels")):
        return
    where = _place(info.filename, titles)
    try:
        data = archive.read(info)
    except DAMAGED as exc:
        raise WorkbookError(path, where, f"damaged spreadsheet ({describe(exc)})") from exc
    _well_formed(path, where, data)
    if info.filename.startswith("xl/worksheets/"):
        _count(path, counts, "rows", len(_ROW.findall(data)), MAX_SHEET_ROWS)
        _count(path, counts, "cells", len(_CELL.findall(data)), MAX_CELLS)
    elif info.filename.lower().endswith("sharedstrings.xml"):
        _count(path, counts, "shared strings", len(_SHARED.findall(data)), MAX_SHARED_STRINGS)


def _count(path: Path, counts: dict[str, int], what: str, found: int, limit: int) -> None:
    counts[what] += found
    if counts[what] > limit:
        raise WorkbookError(path, "", f"more than {limit:,} {what} in the workbook; split it "
                            "into smaller files")


def _refuse_dtd(*_: Any) -> None:
    raise ValueError("a DTD is not allowed in a workbook part")


def _well_formed(path: Path, where: str, data: bytes) -> None:
    """Parse ``data`` with expat, building nothing; a DTD (entity expansion) is refused."""
    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        reason = one_line(xml.parsers.expat.ErrorString(exc.code))
        raise WorkbookError(path, f"{where} line {exc.lineno}, column {exc.offset}",
                            f"damaged spreadsheet XML ({reason})") from exc
    except ValueError as exc:
        raise WorkbookError(path, f"{where} line {parser.CurrentLineNumber}",
                            str(exc)) from exc


def _place(member: str, titles: dict[str, str]) -> str:
    title = titles.get(member)
    return f"sheet {one_line(title, 40)!r} ({one_line(member, 80)})" if title \
        else f"part {one_line(member, 80)}"


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet title, from xl/workbook.xml and its relationships (best effort:
    only for messages)."""
    try:
        book = ElementTree.fromstring(_small(archive, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_small(archive, "xl/_rels/workbook.xml.rels"))
    except DAMAGED:
        return {}
    targets = {r.get("Id"): str(r.get("Target", "")) for r in rels.iter(f"{_NS_PKG}Relationship")}
    titles: dict[str, str] = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"))
        if target:
            member = target.lstrip("/") if target.startswith("/") else "xl/" + target
            titles[member] = str(sheet.get("name", ""))
    return titles


def _small(archive: zipfile.ZipFile, member: str) -> bytes:
    info = archive.getinfo(member)
    if info.file_size > 4 * 2**20:
        raise ValueError(f"{member} is too large")
    data = archive.read(info)
    if b"<!DOCTYPE" in data:
        raise ValueError(f"{member} has a DTD")
    return data


def open_workbook(path: Path) -> Any:
    """:func:`check_workbook`, then openpyxl's read-only workbook (lazy sheets)."""
    check_workbook(path)
    try:
        return load_workbook(path, read_only=True, data_only=False)
    except DAMAGED as exc:
        raise WorkbookError(path, "", f"not an .xlsx spreadsheet ({describe(exc)})",
                            "save it again as Excel .xlsx") from exc


@contextmanager
def reading_sheet(path: Path, title: str, last_row: list[int]) -> Iterator[None]:
    """Turn a failure while openpyxl parses a sheet into a :class:`WorkbookError` naming the
    sheet and the last row read (``last_row[0]``, kept up to date by the caller)."""
    try:
        yield
    except DAMAGED as exc:
        row = last_row[0]
        where = f"sheet {one_line(title, 40)!r} " + (f"after row {row}" if row
                                                      else "header row")
        raise WorkbookError(path, where, f"damaged spreadsheet, unreadable cell data "
                            f"({describe(exc)})") from exc
