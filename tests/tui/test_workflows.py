"""Questionnaire answering, probing from the UI, and the welcome screen (reviews: test_reviews)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from tests.tui.conftest import cell, settle
from vendorrisk.tui.screens.detail import VendorDetailScreen


async def test_answer_a_questionnaire_question_by_question(demo_services: Any,
                                                           make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        vendors = app.screen.table.source
        vendor = next(r.key for r in vendors.rows if cell(vendors, r, "Kind") == "dns_provider")
        app.push_screen(VendorDetailScreen(vendor))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "QuestionnaireScreen"
        qid = screen.form.questions[0].id
        await pilot.press("enter")
        screen.query_one("#answer").value = "no"
        await pilot.press("enter")
        await settle(pilot)
        q = next(q for q in screen.form.questions if q.id == qid)
        assert q.answer == "no"
        assert screen.query_one("#questions").current_key == screen.form.questions[1].id
    responses = demo_services.questionnaires.responses(vendor)
    assert any(r["answers"].get(qid) in (False, "no") for r in responses)


class FakeProbing:
    """Stands in for ProbingService: no network; reports progress and honours cancellation."""

    def __init__(self, total: int = 50) -> None:
        self.total = total
        self.seen_cancel = False

    def targets(self, request: Any) -> list[str]:
        return [f"d{i}.example" for i in range(self.total)]

    async def run(self, targets: list[str], request: Any = None, *,
                  on_progress: Callable[..., None], cancelled: Callable[[], bool]) -> Any:
        from vendorrisk.services.probing import RunSummary

        summary = RunSummary()
        for i, name in enumerate(targets, start=1):
            if cancelled():
                self.seen_cancel = True
                break
            await asyncio.sleep(0.01)
            summary.probed = i
            on_progress(i, len(targets), type("R", (), {"observation": type(
                "O", (), {"domain": name})()})())
        summary.cancelled = cancelled()
        return summary


async def test_probe_shows_progress_and_cancels(sqlite_demo: Any, make_app: Any,
                                                message_log: Any) -> None:
    fake = FakeProbing(total=500)
    sqlite_demo.probing = fake
    app = make_app(sqlite_demo)
    async with app.run_test(size=(80, 24), message_hook=message_log) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await pilot.pause(0.3)
        screen = app.screen
        assert type(screen).__name__ == "ProbeScreen"
        await pilot.press("escape")  # cancel while running
        await settle(pilot)
        assert fake.seen_cancel
        assert "Cancelled" in str(screen.query_one("#probe-count").render())
        await pilot.press("escape")
        assert type(app.screen).__name__ == "DashboardScreen"
    names = message_log.names()
    assert "ProbeProgress" in names and names.index("ProbeFinished") > names.index("ProbeProgress")
    assert "DataChanged" in names


async def test_welcome_on_empty_database_then_demo(services: Any, make_app: Any) -> None:
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "WelcomeScreen"
        await pilot.press("d")
        await settle(pilot, rounds=5)
        assert type(app.screen).__name__ == "DashboardScreen"
        assert len(app.screen.query_one("#clients").source.rows) == 8
    assert services.inventory.list("client")


async def test_several_templates_ask_which_one(demo_services: Any, make_app: Any) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # the shipped templates give each kind one; pretend a second one applies
        app.backend.views.templates_for = lambda vendor: ["dns-provider", "dns-security"]
        app.push_screen(VendorDetailScreen("Cloudflare"))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ == "PickerScreen"
        await pilot.press(*"security", "enter")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "QuestionnaireScreen"
        assert screen.template_id == "dns-security" and screen.form is not None
