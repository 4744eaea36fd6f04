"""What an account manager notices in the first minute (issue #14): forms take typing at once,
the dashboard's due list says what is overdue and for whom, cut cells end in "…", score
factors read as text with their subject, and help lists each key once."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult

from tests.tui.conftest import cell, settle
from vendorrisk.tui.widgets.filtered_table import FilteredTable, column_widths, fit
from vendorrisk.views.dto import Cell, Row, Table


@pytest.mark.parametrize("keys", [("5", "n"), ("6", "n"), ("1", "n")])
async def test_a_form_opens_with_its_first_field_focused(sqlite_demo: Any, make_app: Any,
                                                         keys: tuple[str, ...]) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "FormScreen"
        first = form.query_one(f"#f-{form.fields[0].name}")
        assert app.focused is first
        await pilot.press("a", "b")  # typed straight away: not lost
        assert first.value.endswith("ab")


async def test_dashboard_separates_overdue_and_names_the_clients(sqlite_demo: Any,
                                                                  make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        up = app.screen.query_one("#upcoming", FilteredTable).source
        assert up.columns[:4] == ("Due", "What", "Client", "Subject")
        keys = [r.key for r in up.rows]
        assert len(keys) == len(set(keys)), "one row per item, not one per client"
        late = [r.cells[0].sort < 0 for r in up.rows]
        assert any(late) and not all(late)
        assert late == sorted(late, reverse=True), "overdue first, then what falls due"
        for row in up.rows:
            due = cell(up, row, "Due")
            assert (due == "overdue" or due.endswith("d late")) == (row.cells[0].sort < 0)
            assert cell(up, row, "Client") not in ("", "-")
        assert "Overdue (" in up.title and "next 90 days" in up.title
        stale = [r for r in up.rows if cell(up, r, "Subject").startswith("Namecheap soc2")]
        assert len(stale) == 1 and cell(up, stale[0], "Client") == "Fjord, Granite, Harbor"
        assert all(w in stale[0].search for w in ("fjord logistics as", "harbor pharmacy llc"))
        # Due, What and Client leave the Subject at least 20 columns of an 80-column screen.
        assert sum(column_widths(up)[:3]) + 1 <= 80 - 20
        await pilot.press("enter")  # narrowed to the first client: its name, or MSP-wide
        await settle(pilot)
        narrowed = app.screen.query_one("#upcoming", FilteredTable).source
        assert narrowed.title.endswith(f"— {app.client}")
        assert {cell(narrowed, r, "Client") for r in narrowed.rows} <= {
            app.client, "MSP-wide", "all clients"}


def test_fit_keeps_a_separator_and_marks_the_cut() -> None:
    assert fit("Fjord Logistics AS", 19).plain == "Fjord Logistics AS"
    cut = fit("the notice period is over 1 year", 12)
    assert cut.plain == "the notice…" and cell_len(cut.plain) == 11
    assert fit("Fjord Logistics AS", 12, "bold", " ").plain == " Fjord Log…"


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield FilteredTable(id="t")


async def test_a_truncated_cell_never_runs_into_the_next_column() -> None:
    long = "an exit clause that says the notice period is over " + "1 year " * 10
    table = Table("T", ("Why", "Client"), (
        Row("a", (Cell(long), Cell("Fjord Logistics AS"))),
        Row("b", (Cell("short"), Cell("Harbor Pharmacy LLC")))))
    app = _Host()
    async with app.run_test(size=(120, 10)) as pilot:
        widget = app.query_one(FilteredTable)
        widget.show(table)
        await pilot.pause()
        dt = widget.data_table
        widths = column_widths(table)
        for i in range(dt.row_count):
            for text, width in zip(dt.get_row_at(i), widths, strict=True):
                assert cell_len(text.plain) <= width - 1, "the last cell stays a separator"
        first = dt.get_row_at(0)[0].plain
        assert first.endswith("…") and "1Fjord" not in first


async def test_score_factors_read_as_text_with_their_subject(sqlite_demo: Any,
                                                             make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        sections = {s.title: s for s in app.screen.detail.sections}
        factors = sections["Score factors"].table
        assert factors is not None and factors.rows
        assert "Subject" in factors.columns
        for row in factors.rows:
            assert cell(factors, row, "Subject") not in ("", "-")
            evidence = cell(factors, row, "Evidence")
            assert "{'" not in evidence and "':" not in evidence, evidence
        assert any("=" in cell(factors, r, "Evidence") for r in factors.rows)
        points = {cell(factors, r, "Points") for r in factors.rows}
        assert points & {"pass", "unknown"} and "0" not in points and "0.0" not in points


HEADER_KEYS = {"1", "2", "3", "4", "5", "6", "7", "8", "q", "?", "^p", "c", "P", "W", "/", "s",
               "e", "[", "]"}


def _listed_keys(lines: list[str]) -> list[str]:
    start = lines.index("This screen:")
    return [line[2:12].strip() for line in lines[start + 1:]
            if line.startswith("  ") and line[2:12].strip()]


@pytest.mark.parametrize("keys", [("1",), ("2",), ("3",), ("4",), ("5",), ("6",), ("7",),
                                  ("8",), ("2", "enter"), ("3", "enter")])
async def test_help_lists_no_key_twice(sqlite_demo: Any, make_app: Any,
                                       keys: tuple[str, ...]) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        lines = app.screen.lines
        listed = _listed_keys(lines)
        assert listed, lines
        assert len(listed) == len(set(listed)), listed
        header = HEADER_KEYS | ({"⏎"} if any("Enter open" in line for line in lines) else set())
        assert not set(listed) & header, listed
        assert not any("," in key for key in listed), "one key per line, not 'c,super+^c'"
