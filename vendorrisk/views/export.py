"""One screen's view (its filtered, sorted rows) as a workbook, the way the TUI's `e` key wants.

The sheet holds the columns the user sees, in the order shown; counts and dates become real
numbers and dates, everything else stays text and goes through the workbook writer's
formula-injection guard. An About sheet says what the view was (filter, client, when).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from vendorrisk import __version__
from vendorrisk.io import filenames
from vendorrisk.io import xlsx_export as X
from vendorrisk.views.dto import Cell, Table

_INTEGER = re.compile(r"-?\d{1,15}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def cell_value(cell: Cell) -> Any:
    """What the spreadsheet cell holds: a count or a date where the view made one (a name
    that happens to look like a number stays text), else the text as shown."""
    text = cell.text
    if text == "-" and cell.tone == "muted":
        return None  # the view's "nothing here"
    if cell.sort is None:
        return text
    if isinstance(cell.sort, int) and _INTEGER.fullmatch(text):
        return int(text)
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    return _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "View"


def write_view(table: Table, keys: Sequence[str], directory: Path, *,
               filter_text: str = "", client: str | None = None,
               now: datetime | None = None, file_part: str | None = None) -> Path:
    """Write the rows ``keys`` of ``table``, in that order, to a new workbook in ``directory``."""
    now = now or datetime.now(UTC)
    by_key = {row.key: row for row in table.rows}
    rows = [by_key[k] for k in keys if k in by_key]
    names = [f"c{i}" for i in range(len(table.columns))]
    widths = [max([len(h)] + [len(r.cells[i].text) for r in rows[:500]]) + 2
              for i, h in enumerate(table.columns)]
    columns = [X.Column(header, name, "text", min(60, width))
               for header, name, width in zip(table.columns, names, widths, strict=True)]
    records = [{name: cell_value(cell) for name, cell in zip(names, row.cells, strict=True)}
               for row in rows]
    about = [
        {"item": "View", "value": table.title},
        {"item": "Rows", "value": f"{len(rows)} of {len(table.rows)}"},
        {"item": "Filter", "value": filter_text or "none"},
        {"item": "Client", "value": client or "all clients"},
        {"item": "Note", "value": table.note or "-"},
        {"item": "Generated at (UTC)", "value": now.replace(microsecond=0).isoformat()},
        {"item": "vendorrisk version", "value": __version__},
    ]
    path = filenames.free_path(directory / filenames.view_name(table.title, client, now, part=file_part))
    X.write_workbook(path, [X.Sheet(sheet_title(table.title), columns, records),
                            X.Sheet("About", X.ABOUT_COLUMNS, about, table=False)])
    return path
