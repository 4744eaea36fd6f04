"""Every main screen loads the demo through its worker; filter, sort, page, export, help."""

from __future__ import annotations

from typing import Any

import openpyxl

from tests.tui.conftest import TODAY, cell, settle


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
        everyone = {cell(upcoming, r, "Client") for r in upcoming.rows}
        await pilot.press("enter")  # Enter on a client narrows the app to it
        await settle(pilot)
        first = clients.rows[0].key
        assert app.client == first
        narrowed = screen.query_one("#upcoming").source
        shown = {cell(narrowed, r, "Client") for r in narrowed.rows}
        assert shown <= {first, "MSP-wide", "all clients"} and shown != everyone
        await pilot.press("enter")  # again: every client
        await settle(pilot)
        assert app.client is None
        again = screen.query_one("#upcoming").source
        assert {cell(again, r, "Client") for r in again.rows} == everyone


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
        assert all("baltic" in (cell(table.source, r, "Domain") + cell(table.source, r, "Client"))
                   .lower() for r in table.matches)
        await pilot.press("escape")
        assert app.focused is table.data_table
        await pilot.press("s", "s")  # sort by the first column, then reverse it
        names = [r.cells[0].text for r in table.matches]
        assert names == sorted(names, reverse=True)
        await pilot.press("e")
        await settle(pilot)
        files = list(sqlite_demo.settings.exports_path.glob("*.xlsx"))
        assert len(files) == 1
        book = openpyxl.load_workbook(files[0], read_only=True)
        rows = [list(r) for r in book[table.source.title].iter_rows(values_only=True)]
        about = dict(book["About"].iter_rows(min_row=2, values_only=True))
        book.close()
        assert rows[0] == list(table.source.columns)
        assert len(rows) == len(table.matches) + 1  # the filtered view, not the whole table
        assert [r[0] for r in rows[1:]] == names  # in the order shown
        assert about["Filter"] == "baltic" and about["Client"] == "all clients"
        assert about["Rows"] == f"{len(table.matches)} of {total}"


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


async def test_domain_detail_lays_out_the_dnssec_chain(sqlite_demo: Any, make_app: Any) -> None:
    from vendorrisk.tui.screens.detail import DomainDetailScreen

    docs = sqlite_demo.inventory.get("domain", "balticpay-docs.example")
    app = make_app(sqlite_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(DomainDetailScreen(docs["id"]))
        await settle(pilot)
        sections = {s.title: s for s in app.screen.detail.sections}
        dnssec = "\n".join(sections["DNSSEC"].lines)
        assert "status           bogus" in dnssec
        assert "key 40112 · ECDSAP256SHA256 (13) · SHA256 (2) · NO DNSKEY MATCHES" in dnssec
        assert "key 28211 · KSK" in dnssec and "key 5190 · ZSK" in dnssec
        # the chain stops at the unmatched DS, so no signature is validated or dated
        assert "earliest expiry  unknown" in dnssec
        assert "no DNSKEY of balticpay-docs.example. matches any DS (tags [40112])" in dnssec
        overview = "\n".join(sections["Overview"].lines)
        assert "DNSSEC bogus" in overview and "exposure: no open transfer" in overview
        await pilot.press("right", "right", "right")  # Nameservers tab, mounted on first show
        await settle(pilot)
        table = app.screen.query_one("#t3")
        assert [cell(table.source, r, "Server") for r in table.source.rows] == [
            "dns1.p05.nsone.net", "dns2.p05.nsone.net"]
        assert table.data_table.row_count == 2


def test_every_screen_stylesheet_is_read_at_start(sqlite_demo: Any, make_app: Any) -> None:
    """A stylesheet first read when its screen opens re-styles the whole app (slow)."""
    import inspect
    from pathlib import Path

    from textual.screen import Screen

    import vendorrisk.tui.screens as package

    app = make_app(sqlite_demo)
    loaded = {Path(p).resolve() for p in app.css_path}
    screens = set()
    for module in Path(package.__file__).parent.glob("*.py"):
        mod = __import__(f"vendorrisk.tui.screens.{module.stem}", fromlist=["_"])
        screens |= {c for c in vars(mod).values()
                    if inspect.isclass(c) and issubclass(c, Screen) and c.CSS_PATH}
    assert len(screens) >= 4
    for screen in screens:
        path = (Path(inspect.getfile(screen)).parent / str(screen.CSS_PATH)).resolve()
        assert path in loaded, f"{screen.__name__}: {path.name} is not read at start"
