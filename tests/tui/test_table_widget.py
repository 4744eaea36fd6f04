"""The table widget with a large table: paging, fixed widths, and collection off keystrokes."""

from __future__ import annotations

import gc

from textual.app import App, ComposeResult

from vendorrisk.tui.memory import LARGE_TABLE
from vendorrisk.tui.widgets.filtered_table import PAGE, FilteredTable, column_widths
from vendorrisk.views.dto import Cell, Row, Table


def _table(n: int) -> Table:
    return Table("Big", ("Name", "Count"), tuple(
        Row(str(i), (Cell(f"domain-{i:05d}.example"), Cell(str(i % 7), None, i % 7)))
        for i in range(n)))


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield FilteredTable(id="t")


async def test_large_table_pages_and_settles_garbage_once_painted() -> None:
    gc.unfreeze()
    app = _Host()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            table = app.query_one(FilteredTable)
            table.show(_table(LARGE_TABLE + 500))
            assert table.data_table.row_count == PAGE
            await pilot.pause()
            await pilot.pause()
            assert gc.get_freeze_count() > 0, "survivors were frozen after the paint"
            table.needle = "domain-012"
            table.refilter()
            assert [r.key for r in table.matches] == [str(i) for i in range(1200, 1300)]
            assert table.data_table.row_count == PAGE
            table.turn_page(1)
            assert table.page == 1 and table.data_table.row_count == PAGE
    finally:
        gc.unfreeze()


async def test_small_tables_leave_the_collector_alone() -> None:
    gc.unfreeze()
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(FilteredTable).show(_table(50))
        await pilot.pause()
        await pilot.pause()
        assert gc.get_freeze_count() == 0


def test_widths_fit_the_widest_cell_plus_one_space() -> None:
    widths = column_widths(_table(3), extra_first=2)
    assert widths == [len(" domain-00000.example") + 2 + 1, len("Count") + 1]


def test_widths_are_capped() -> None:
    wide = Table("W", ("A",), (Row("1", (Cell("x" * 200),)),))
    assert column_widths(wide) == [60]
