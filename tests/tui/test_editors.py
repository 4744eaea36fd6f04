"""Client, vendor and domain editors: the shared field rules validate inline, the inventory
service saves and audits, and the screens follow what was saved."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import settle
from vendorrisk.tui.screens.detail import DomainDetailScreen, VendorDetailScreen


def _last_event(services: Any, kind: str) -> dict[str, Any]:
    return services.audit_log(entity_kind=kind, limit=1)[0]


async def test_new_vendor_from_the_vendors_screen(demo_services: Any, make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2", "n")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "FormScreen" and form.query_one("#save").disabled
        form.query_one("#f-name").value = "Hurricane Electric"
        form.query_one("#f-kind").value = "carrier pigeon"
        await pilot.pause()
        assert form.query_one("#save").disabled
        assert "kind" in str(form.query_one("#err-kind").render()).lower() or \
            str(form.query_one("#err-kind").render())
        await pilot.press("ctrl+s")  # refused while invalid
        await settle(pilot)
        assert "Hurricane Electric" not in {v["name"] for v in demo_services.inventory.list("vendor")}
        form.query_one("#f-kind").value = "dns_provider"
        form.query_one("#f-tier").value = "2"
        form.query_one("#f-data_locations").value = "US,EU"
        await pilot.pause()
        assert not form.query_one("#save").disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "VendorsScreen"
        assert "Hurricane Electric" in {r.key for r in app.screen.table.source.rows}
    vendor = demo_services.inventory.get("vendor", "Hurricane Electric")
    assert vendor["kind"] == "dns_provider" and vendor["tier"] == 2
    event = _last_event(demo_services, "vendor")
    assert event["action"] == "create" and event["entity_label"] == "Hurricane Electric"


async def test_rename_vendor_from_its_detail(demo_services: Any, make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(VendorDetailScreen("Quad9"))
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#f-name").value == "Quad9"
        form.query_one("#f-name").value = "Quad9 Foundation"
        form.query_one("#f-tier").value = "1"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        detail = app.screen
        assert isinstance(detail, VendorDetailScreen)
        assert detail.vendor == "Quad9 Foundation" and detail.detail.title == "Quad9 Foundation"
    event = _last_event(demo_services, "vendor")
    assert event["action"] == "update" and set(event["after"]) == {"name", "tier"}
    assert demo_services.inventory.get("vendor", "Quad9 Foundation")["tier"] == 1


async def test_new_idn_domain_and_edit_from_detail(demo_services: Any, make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3", "n")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-name").value = "bad..name"
        form.query_one("#f-client").value = "Baltic Pay UAB"
        await pilot.pause()
        assert form.query_one("#save").disabled and str(form.query_one("#err-name").render())
        form.query_one("#f-name").value = "Mokėjimas-Naujas.example"
        form.query_one("#f-dns_providers").value = "NS1, Cloudflare"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        added = demo_services.inventory.get("domain", "mokėjimas-naujas.example")
        assert added["name"].startswith("xn--") and added["client"] == "Baltic Pay UAB"
        assert added["dns_providers"] == ["Cloudflare", "NS1"]

        app.push_screen(DomainDetailScreen(added["id"]))
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#f-name").value == "mokėjimas-naujas.example"  # shown as typed
        form.query_one("#f-criticality").value = "critical"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, DomainDetailScreen)
        assert "criticality         critical" in app.screen.detail.sections[0].lines
    event = _last_event(demo_services, "domain")
    assert event["action"] == "update" and set(event["after"]) == {"criticality"}
    assert demo_services.verify_audit().ok


async def test_rename_the_client_shown_keeps_the_scope(demo_services: Any,
                                                       make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # narrow to the first client
        await settle(pilot)
        first = app.client
        assert first is not None
        await pilot.press("E")
        await settle(pilot)
        app.screen.query_one("#f-name").value = first + " (renamed)"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert app.client == first + " (renamed)"
        shown = app.screen.query_one("#clients").source
        assert first + " (renamed)" in {r.key for r in shown.rows}
        assert app.screen.query_one("#upcoming").source.rows  # still loads for the new name
    assert _last_event(demo_services, "client")["action"] == "update"


async def test_palette_new_domain_opens_the_form_on_the_domains_screen(
        demo_services: Any, make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "New domain")
        command.callback()
        await settle(pilot)
        assert app.current_mode == "domains"
        form = app.screen
        assert type(form).__name__ == "FormScreen" and form.form_title == "New domain"
        form.query_one("#f-name").value = "palette-added.example"
        form.query_one("#f-client").value = "Fjord Logistics AS"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "DomainsScreen"
        names = {r.cells[0].text for r in app.screen.table.source.rows}
        assert "palette-added.example" in names
    assert _last_event(demo_services, "domain")["entity_label"] == "palette-added.example"


async def test_edit_the_subcontracting_chain(demo_services: Any, make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(VendorDetailScreen("Quad9"))
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#f-chain").value == ""
        form.query_one("#f-chain").value = "1. Cloudflare (anycast); 2. No Such Carrier"
        await pilot.pause()
        assert form.query_one("#save").disabled
        assert "No Such Carrier" in str(form.query_one("#err-chain").render())
        form.query_one("#f-chain").value = "1. Cloudflare (anycast); 2. Akamai Edge DNS"
        await pilot.pause()
        assert not form.query_one("#save").disabled
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        detail = app.screen
        assert isinstance(detail, VendorDetailScreen)
        subs = next(s for s in detail.detail.sections if s.title == "Subcontractors").table
        assert [(r.cells[1].text, r.cells[2].text) for r in subs.rows] == [
            ("Cloudflare", "anycast"), ("Akamai Edge DNS", "-")]
    event = _last_event(demo_services, "vendor")
    assert event["action"] == "update" and set(event["after"]) == {"subcontractors"}
