"""Findings queue: accept (justification + expiry required), resolve, reopen, bulk; audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.tui.conftest import TODAY, settle


def _status(app: Any, ids: list[int]) -> dict[int, str]:
    table = app.backend.views.findings(statuses=())
    return {int(r.key): r.cells[5].text for r in table.rows if int(r.key) in ids}


def _audit_actions(services: Any) -> list[str]:
    return [e["action"] for e in services.audit_log(entity_kind="finding")]


async def test_accept_requires_reason_and_expiry_then_saves(demo_services: Any,
                                                            make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        first = int(app.screen.table.current_key)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#save").disabled  # both fields empty: nothing can be saved
        form.query_one("#f-reason").value = "compensating control: registry lock requested"
        await pilot.pause()
        assert form.query_one("#save").disabled
        form.query_one("#f-until").value = (TODAY - timedelta(days=1)).isoformat()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Not saved" in str(form.query_one("#form-error").render())  # the service refuses
        assert _status(app, [first])[first] == "open"
        form.query_one("#f-until").value = (TODAY + timedelta(days=90)).isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "FindingsScreen"
        assert _status(app, [first])[first] == f"accepted to {TODAY + timedelta(days=90)}"
        assert first not in {int(r.key) for r in app.screen.table.source.rows}  # queue reloaded
    assert _audit_actions(demo_services) == ["accept"]
    assert demo_services.verify_audit().ok


async def test_bulk_resolve_then_reopen(demo_services: Any, make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.table
        await pilot.press("space", "space", "space")
        ids = sorted(int(k) for k in table.selected)
        assert len(ids) == 3
        await pilot.press("x")
        await settle(pilot)
        assert set(_status(app, ids).values()) == {"resolved"}
        assert not table.selected
        await pilot.press("t", "t")  # status filter: open -> accepted -> resolved
        await settle(pilot)
        assert {int(r.key) for r in table.source.rows} >= set(ids)
        table.selected.update(str(i) for i in ids)
        await pilot.press("o")
        await settle(pilot)
        assert set(_status(app, ids).values()) == {"open"}
    assert _audit_actions(demo_services) == ["reopen"] * 3 + ["resolve"] * 3


async def test_severity_filter_and_evidence(demo_services: Any, make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("v")  # critical only
        await settle(pilot)
        severities = {r.cells[0].text for r in app.screen.table.source.rows}
        assert severities == {"critical"}
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "TextScreen"
        assert any(line.startswith("evidence:") for line in app.screen.lines)
