"""Contract and certification editors: inline validation, nothing saved while invalid, audited."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import settle


async def test_new_contract_is_validated_inline_and_saved(demo_services: Any,
                                                          make_app: Any) -> None:
    before = len(demo_services.inventory.list("contract"))
    app = make_app(demo_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#save").disabled
        assert "required" in str(form.query_one("#err-reference").render())
        form.query_one("#f-vendor").value = "Cloudflare"
        form.query_one("#f-reference").value = "CF-TUI-1"
        form.query_one("#f-start_date").value = "2026-13-01"
        await pilot.pause()
        assert form.query_one("#save").disabled
        assert str(form.query_one("#err-start_date").render())
        await pilot.press("ctrl+s")  # refused while invalid
        await settle(pilot)
        assert len(demo_services.inventory.list("contract")) == before
        form.query_one("#f-start_date").value = "2026-01-01"
        form.query_one("#f-end_date").value = "2025-01-01"
        await pilot.pause()
        assert "before start_date" in str(form.query_one("#err-end_date").render())
        form.query_one("#f-end_date").value = "2027-12-31"
        form.query_one("#f-auto_renew").value = "yes"
        form.query_one("#f-notice_days_customer").value = "60"
        await pilot.pause()
        assert not form.query_one("#save").disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ContractsScreen"
        assert "CF-TUI-1" in {r.cells[1].text for r in app.screen.table.source.rows}
    saved = [c for c in demo_services.inventory.list("contract") if c["reference"] == "CF-TUI-1"]
    assert saved and saved[0]["auto_renew"] is True and saved[0]["notice_days_customer"] == 60
    log = demo_services.audit_log(entity_kind="contract", limit=1)
    assert log[0]["action"] == "create" and log[0]["entity_label"] == "Cloudflare CF-TUI-1"


async def test_service_refusal_is_shown_and_nothing_saved(demo_services: Any,
                                                          make_app: Any) -> None:
    before = len(demo_services.inventory.list("certification"))
    app = make_app(demo_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6", "n")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-vendor").value = "No Such Vendor"
        form.query_one("#f-cert_type").value = "iso27001"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Not saved" in str(form.query_one("#form-error").render())
        assert app.screen is form
    assert len(demo_services.inventory.list("certification")) == before


async def test_edit_certification_saves_only_the_change(demo_services: Any,
                                                        make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        key = app.screen.table.current_key
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-auditor").value = "Audit House GmbH"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
    cert = demo_services.inventory.get("certification", key)
    assert cert["auditor"] == "Audit House GmbH"
    event = demo_services.audit_log(entity_kind="certification", limit=1)[0]
    assert event["action"] == "update" and set(event["after"]) == {"auditor"}
