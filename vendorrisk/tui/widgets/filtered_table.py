"""A DataTable fed from a :class:`vendorrisk.views.dto.Table`: filter as you type, sort, page, select.

No widget per row, and at most :data:`PAGE` rows in the DataTable at once, so filtering
10,000 rows stays well under the 150 ms a keystroke may take.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from vendorrisk.tui.memory import LARGE_TABLE, settle_garbage
from vendorrisk.views.dto import Row, Table

PAGE = 50
MAX_WIDTH = 60


def tone_styles(dark: bool, error: str | None, warning: str | None,
                success: str | None) -> dict[str, str]:
    """Rich styles for cell tones, from the active theme's colours."""
    err = error or "red"
    warn = warning or ("yellow" if dark else "dark_orange3")
    ok = success or "green"
    return {"critical": f"bold {err}", "high": err, "medium": warn, "low": ok, "ok": ok,
            "info": "dim", "muted": "dim"}


def column_widths(table: Table, *, extra_first: int = 0, cap: int = MAX_WIDTH) -> list[int]:
    """Fixed widths from all rows (not just the page): stable while paging and filtering, and
    never dependent on when the DataTable gets round to measuring. One space separates the
    columns, and the first has one before it."""
    widths = [cell_len(c) for c in table.columns]
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            n = cell_len(cell.text)
            if n > widths[i]:
                widths[i] = n
    if widths:
        widths[0] += 1 + extra_first
    return [min(w + 1, cap) for w in widths]


def fit(text: str, width: int, style: str = "", prefix: str = "") -> Text:
    """``prefix`` (unstyled) and ``text`` in a column ``width`` cells wide, the last cell kept
    as the separator: a cut cell ends in "…" and never runs into the next column."""
    room = max(width - 1 - cell_len(prefix), 1)
    out = Text(text, style=style)
    if cell_len(text) > room:
        out.truncate(room, overflow="ellipsis")
    return Text(prefix) + out if prefix else out


class FilteredTable(Vertical):
    DEFAULT_CSS = """
    FilteredTable { height: 1fr; }
    FilteredTable > Input { height: 3; }
    FilteredTable > DataTable { height: 1fr; }
    FilteredTable > .table-status { height: 1; color: $text-muted; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close_filter", "Close filter", show=False, id="table.close_filter"),
    ]

    @dataclass
    class Opened(Message):
        """Enter on a row."""

        table: FilteredTable
        key: str

        @property
        def control(self) -> FilteredTable:
            return self.table

    def __init__(self, *, selectable: bool = False, id: str | None = None,
                 initial: Table | None = None) -> None:
        super().__init__(id=id)
        self.selectable = selectable
        self.initial = initial
        self.source: Table | None = None
        self.matches: list[Row] = []
        self._haystack: list[tuple[Row, str]] = []
        self._page_keys: list[str] = []
        self._widths: list[int] = []
        self.selected: set[str] = set()
        self.needle = ""
        self.page = 0
        self.sort_column: int | None = None
        self.sort_reverse = False

    def compose(self) -> ComposeResult:
        box = Input(placeholder="filter: words to match, Esc to close", id="filter")
        box.display = False
        yield box
        yield DataTable(cursor_type="row", zebra_stripes=True, cell_padding=0, fixed_columns=1)
        yield Static("", classes="table-status")

    def on_mount(self) -> None:
        if self.initial is not None:
            self.show(self.initial)
            self.initial = None

    @property
    def data_table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    # -- data -----------------------------------------------------------------------------
    def show(self, table: Table) -> None:
        """Replace the data, keeping the filter, sort and (where it still exists) the cursor."""
        keep = self.current_key
        widths = column_widths(table, extra_first=2 if self.selectable else 0)
        columns_changed = (self.source is None or self.source.columns != table.columns
                           or widths != self._widths)
        self._widths = widths
        self.source = table
        self._page_keys = []
        self._haystack = [(r, r.search or " ".join(c.text for c in r.cells).lower())
                          for r in table.rows]
        self.selected &= {r.key for r in table.rows}
        dt = self.data_table
        if columns_changed:
            dt.clear(columns=True)
            for label, width in zip(table.columns, widths, strict=True):
                dt.add_column(f" {label}" if not dt.columns else label, width=width)
        self.refilter(keep=keep)
        if len(table.rows) >= LARGE_TABLE:
            self.call_after_refresh(settle_garbage)

    def refilter(self, *, keep: str | None = None, page: int = 0) -> None:
        if self.source is None:
            return
        if self.needle:
            words = self.needle.split()
            rows = [r for r, hay in self._haystack if all(w in hay for w in words)]
        else:
            rows = list(self.source.rows)
        if self.sort_column is not None:
            col = self.sort_column
            rows.sort(key=lambda r: r.cells[col].sort_key, reverse=self.sort_reverse)
        self.matches = rows
        self.page = max(0, min(page, (len(rows) - 1) // PAGE if rows else 0))
        start = self.page * PAGE
        page_keys = [r.key for r in rows[start:start + PAGE]]
        if keep is None and page_keys == self._page_keys:
            self._status()  # same rows on screen: no repaint needed
            return
        self._page_keys = page_keys
        self._fill(keep)

    def _fill(self, keep: str | None) -> None:
        assert self.source is not None
        dt = self.data_table
        dt.clear()
        theme = self.app.current_theme
        styles = tone_styles(theme.dark, theme.error, theme.warning, theme.success)
        start = self.page * PAGE
        for row in self.matches[start:start + PAGE]:
            mark = "● " if self.selectable and row.key in self.selected else ""
            cells = [fit(c.text, width, styles.get(c.tone or "", ""), "" if i else " " + mark)
                     for i, (c, width) in enumerate(zip(row.cells, self._widths, strict=True))]
            dt.add_row(*cells, key=row.key)
        if keep is not None and keep in dt.rows:
            dt.move_cursor(row=dt.get_row_index(keep))
        self._status()

    def _status(self) -> None:
        assert self.source is not None
        total, shown = len(self.source.rows), len(self.matches)
        parts = [f"{shown} of {total}" if self.needle else f"{total} rows"]
        if self.needle:
            parts.append(f"filter “{self.needle}”")
        pages = max(1, (shown + PAGE - 1) // PAGE)
        if pages > 1:
            parts.append(f"page {self.page + 1}/{pages} ([ ])")
        if self.sort_column is not None:
            arrow = "↓" if self.sort_reverse else "↑"
            parts.append(f"sorted by {self.source.columns[self.sort_column]} {arrow}")
        if self.selected:
            parts.append(f"{len(self.selected)} selected")
        if not total:
            parts = [self.source.empty]
        self.query_one(".table-status", Static).update(" · ".join(parts))

    # -- actions --------------------------------------------------------------------------
    @property
    def current_key(self) -> str | None:
        dt = self.data_table
        if not dt.row_count:
            return None
        return str(dt.coordinate_to_cell_key(dt.cursor_coordinate).row_key.value)

    def open_filter(self) -> None:
        self.add_class("-filtering")
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def close_filter(self) -> None:
        self.remove_class("-filtering")
        self.query_one("#filter", Input).display = False
        self.data_table.focus()

    def cycle_sort(self) -> None:
        if self.source is None:
            return
        col = self.data_table.cursor_column if self.data_table.cursor_type == "cell" else None
        if self.sort_column is None:
            self.sort_column, self.sort_reverse = col or 0, False
        elif not self.sort_reverse:
            self.sort_reverse = True
        else:
            self.sort_column = (self.sort_column + 1) % len(self.source.columns)
            self.sort_reverse = False
        self.refilter(keep=self.current_key)

    def turn_page(self, delta: int) -> None:
        self.refilter(page=self.page + delta)

    def toggle_selected(self) -> None:
        key = self.current_key
        if key is None or not self.selectable:
            return
        self.selected ^= {key}
        row = self.data_table.cursor_row
        self._fill(key)
        self.data_table.move_cursor(row=min(row + 1, self.data_table.row_count - 1))

    def chosen(self) -> list[str]:
        """The selection, or the row under the cursor when nothing is selected."""
        if self.selected:
            return sorted(self.selected)
        key = self.current_key
        return [key] if key else []

    # -- events ---------------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.needle = event.value.strip().lower()
        self.refilter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.data_table.focus()

    def action_close_filter(self) -> None:
        if not self.has_class("-filtering"):
            raise SkipAction()
        self.close_filter()

    @on(DataTable.RowSelected)
    def _opened(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Opened(self, str(event.row_key.value)))
