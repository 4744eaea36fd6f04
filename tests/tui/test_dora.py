"""The DORA readiness screen: reached from a client on the dashboard, built in a worker; its
functions added and edited through the function service, as on the command line."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import settle
from vendorrisk.tui.screens.dora import DoraScreen

CLIENT = "Baltic Pay UAB"


async def _open(app: Any, pilot: Any) -> DoraScreen:
    await settle(pilot)
    table = app.screen.query_one("#clients")
    keys = [r.key for r in table.source.rows]
    table.data_table.move_cursor(row=keys.index(CLIENT))
    await pilot.press("D")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, DoraScreen) and screen.client == CLIENT
    return screen


async def test_readiness_names_cells_commands_and_screens(demo_services: Any,
                                                          make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        detail = screen.detail
        assert detail is not None and detail.key == CLIENT
        templates, gaps, functions = detail.sections
        assert "blocking" in detail.subtitle
        status = {r.key: r.cells[1].text for r in templates.table.rows}
        assert status["B_01.01"] == "complete" and status["B_02.02"].endswith("blocking")
        assert status["B_01.03"].startswith("not reported")
        cells = {(r.cells[1].text, r.cells[5].text.split(" --")[0]) for r in gaps.table.rows}
        assert ("B_02.02.c0160", 'vendorrisk vendor edit "Akamai Edge DNS"') in cells
        assert any(r.cells[6].text.startswith("Vendors") for r in gaps.table.rows)
        assert functions.table.rows == ()


async def test_add_and_edit_a_function(demo_services: Any, make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "FormScreen"
        form.query_one("#f-identifier").value = "F-PAY"
        form.query_one("#f-name").value = "Payment APIs"
        form.query_one("#f-rto_hours").value = "-4"
        await pilot.pause()
        assert form.query_one("#save").disabled  # RTO below 0 is refused inline
        form.query_one("#f-rto_hours").value = "4"
        form.query_one("#f-criticality").value = "yes"
        form.query_one("#f-contracts").value = "AKAM-BP-EDNS-2025"
        await pilot.pause()
        assert not form.query_one("#save").disabled
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert app.screen is screen
        functions = screen.detail.sections[2].table
        assert [r.key for r in functions.rows] == ["F-PAY"]
        screen.query_one("#tabs").active = "s2"
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#f-rto_hours").value == "4"
        form.query_one("#f-rpo_hours").value = "1"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
    (record,) = demo_services.functions.list(CLIENT)
    assert (record["rto_hours"], record["rpo_hours"], record["contracts"]) == (
        4, 1, ["AKAM-BP-EDNS-2025"])
    event = demo_services.audit_log(entity_kind="dora_function", limit=1)[0]
    assert event["action"] == "update" and set(event["after"]) == {"rpo_hours"}
