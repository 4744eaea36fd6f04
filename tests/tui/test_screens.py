"""Every main screen loads the demo through its worker; filter, sort, page, export, help."""

from __future__ import annotations

import csv
from typing import Any

from tests.tui.conftest import TODAY, settle


async def test_dashboard_lists_clients_and_what_falls_due(sqlite_demo: Any, make_app: Any,
                                                          message_log: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(80, 24), message_hook=message_log) as pilot:
        await settle(pilot)
        screen = app.screen
        clients = screen.query_one("#clients").source
        assert [r.key for r in clients.rows] == sorted(r.key for r in clients.rows)
        assert len(clients.rows) == 8
        upcoming = screen.query_one("#upcoming").source
        assert upcoming.rows, "the demo has deadlines within 90 days"
        assert "Loaded" in message_log.names()
        await pilot.press("c")  # next client: upcoming narrows to it
        await settle(pilot)
        first = clients.rows[0].key
        narrowed = screen.query_one("#upcoming").source
        assert {r.cells[3].text for r in narrowed.rows} <= {first, "MSP-wide", "all clients"}


async def test_each_screen_loads_its_table(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    expected = {"2": "Vendors", "3": "Domains", "4": "Findings (open)", "5": "Contracts",
                "6": "Certifications", "7": "Reviews", "8": "Audit log"}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, title in expected.items():
            await pilot.press(key)
            await settle(pilot)
            table = app.screen.query_one("#table")
            assert table.source is not None and table.source.title == title
        assert "chain verified" in app.screen.query_one("#table").source.note


async def test_filter_as_you_type_sort_and_export(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.table
        total = len(table.source.rows)
        await pilot.press("slash", *"baltic")
        assert 0 < len(table.matches) < total
        assert all("baltic" in r.cells[0].text + r.cells[1].text.lower() for r in table.matches)
        await pilot.press("escape")
        assert app.focused is table.data_table
        await pilot.press("s", "s")  # sort by the first column, then reverse it
        names = [r.cells[0].text for r in table.matches]
        assert names == sorted(names, reverse=True)
        await pilot.press("e")
        await settle(pilot)
        files = list(sqlite_demo.settings.exports_path.glob("*.csv"))
        assert len(files) == 1
        with files[0].open(encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert rows[0][0] == "Domain" and len(rows) == len(table.matches) + 1
        assert rows[1][0] == names[0]


async def test_domain_detail_shows_the_latest_observation(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        name = app.screen.table.matches[0].cells[0].text
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen.detail
        assert detail.title == name
        titles = [s.title for s in detail.sections]
        assert titles[:4] == ["Overview", "Registration", "DNSSEC", "Nameservers"]
        assert {"Findings", "Probe history", "Scores"} <= set(titles)
        await pilot.press("right", "right", "right")
        assert app.screen.query_one("#tabs").active == "s3"
        await pilot.press("escape")
        assert type(app.screen).__name__ == "DomainsScreen"


async def test_vendor_detail_has_every_tab(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        titles = [s.title for s in app.screen.detail.sections]
        assert titles == ["Overview", "Contracts", "Certifications", "Questionnaires", "Domains",
                          "Findings", "Score factors", "Subcontractors", "Audit"]


async def test_help_and_palette_commands(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "TextScreen"
        assert any("Accept" in line for line in app.screen.lines)
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for label in ("Go to Dashboard", "Go to Vendors", "Go to Domains", "Go to Findings",
                      "Go to Contracts", "Go to Certs", "Go to Reviews", "Go to Audit",
                      "Probe everything", "New contract", "New certification",
                      "Verify audit chain"):
            assert label in titles
        assert any(t.startswith("Accept") for t in titles)


async def test_fixed_clock_reaches_the_views(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    assert app.backend.clock() == TODAY
