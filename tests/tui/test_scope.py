"""The client switcher (c, anywhere) narrows every screen; the findings queue filters by code
and vendor through pickers; the procurement workbook follows the client shown."""

from __future__ import annotations

from typing import Any

import openpyxl

from tests.tui.conftest import cell, settle

BALTIC = "Baltic Pay UAB"


async def _pick(pilot: Any, key: str, typed: str) -> None:
    await pilot.press(key)
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "PickerScreen"
    await pilot.press(*typed, "enter")
    await settle(pilot)


async def test_switching_client_narrows_every_screen(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        everything = len(app.screen.table.source.rows)
        await _pick(pilot, "c", "baltic")
        assert app.client == BALTIC
        assert f"client: {BALTIC}" in str(app.screen.query_one("NavBar").render())
        domains = app.screen.table.source
        assert 0 < len(domains.rows) < everything
        assert {cell(domains, r, "Client") for r in domains.rows} == {BALTIC}

        await pilot.press("2")
        await settle(pilot)
        vendors = app.screen.table.source
        scoped = app.backend.views.vendors(BALTIC)
        assert [r.key for r in vendors.rows] == [r.key for r in scoped.rows]
        assert len(vendors.rows) < len(app.backend.views.vendors().rows)
        # the scores shown are Baltic's engagement with each vendor, not the portfolio's
        engagement = app.backend.services.scoring.engagements_of(BALTIC)
        for row in vendors.rows:
            assert cell(vendors, row, "Lock-in").startswith(
                f"{engagement[row.key].lockin:.0f} "), row.key
        portfolio = {r.key: cell(app.backend.views.vendors(), r, "Compliance")
                     for r in app.backend.views.vendors().rows}
        assert any(cell(vendors, r, "Compliance") != portfolio[r.key] for r in vendors.rows)

        await pilot.press("4")
        await settle(pilot)
        findings = app.screen.table.source
        assert findings.rows and {cell(findings, r, "Client") for r in findings.rows} == {BALTIC}
        assert f"client {BALTIC}" in str(app.screen.query_one("#scope").render())

        await pilot.press("5")
        await settle(pilot)
        contracts = app.screen.table.source
        assert {cell(contracts, r, "Client") for r in contracts.rows} <= {BALTIC, "MSP-wide"}
        assert BALTIC in {cell(contracts, r, "Client") for r in contracts.rows}

        await pilot.press("c", "escape")  # a cancelled picker changes nothing
        await settle(pilot)
        assert app.client == BALTIC
        await _pick(pilot, "c", "all")
        assert app.client is None
        await pilot.press("3")
        await settle(pilot)
        assert len(app.screen.table.source.rows) == everything


async def test_findings_filter_by_code_and_vendor(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4", "t", "t", "t")  # status: all
        await settle(pilot)
        table = app.screen.table
        everything = len(table.source.rows)
        await _pick(pilot, "k", "contract.clause")
        rows = table.source.rows
        assert rows and {cell(table.source, r, "Code") for r in rows} == {"contract.clause_missing"}
        await _pick(pilot, "w", "cloudflare")
        rows = table.source.rows
        assert rows and {cell(table.source, r, "Vendor") for r in rows} == {"Cloudflare"}
        assert {cell(table.source, r, "Code") for r in rows} == {"contract.clause_missing"}
        scope = str(app.screen.query_one("#scope").render())
        assert "code contract.clause_missing" in scope and "vendor Cloudflare" in scope
        await _pick(pilot, "k", "all codes")
        await _pick(pilot, "w", "all vendors")
        assert len(table.source.rows) == everything


async def test_procurement_workbook_follows_the_client(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _pick(pilot, "c", "baltic")
        await pilot.press("W")
        await settle(pilot)
        await pilot.press("W")  # a second one the same day keeps the first
        await settle(pilot)
    files = sorted(sqlite_demo.settings.exports_path.glob("vendorrisk-*.xlsx"))
    day = sqlite_demo.today().isoformat()
    assert [f.name for f in files] == [f"vendorrisk-baltic-pay-uab-{day}-2.xlsx",
                                       f"vendorrisk-baltic-pay-uab-{day}.xlsx"]
    book = openpyxl.load_workbook(files[0], read_only=True)
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    rows = list(book["Domains"].iter_rows(values_only=True))
    book.close()
    sheet = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    expected = {d["name"] for d in sqlite_demo.inventory.list("domain") if d["client"] == BALTIC}
    assert about["Client filter"] == BALTIC
    assert {r["Client"] for r in sheet} == {BALTIC}
    assert {r["Name"] for r in sheet} == expected


async def test_palette_offers_every_action(sqlite_demo: Any, make_app: Any) -> None:
    app = make_app(sqlite_demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for label in ("Show one client", "New client", "New vendor", "New domain",
                      "Export procurement workbook", "Code (FindingsScreen)",
                      "Vendor (FindingsScreen)", "Severity (FindingsScreen)",
                      "Export (FindingsScreen)", "Filter (FindingsScreen)"):
            assert label in titles, label
