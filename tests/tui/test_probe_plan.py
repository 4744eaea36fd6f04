"""A probe from the TUI is planned by the probing service exactly as `vendorrisk probe` is:
both halves, with the registration cache. The front ends only say which domains."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.tui.conftest import settle
from vendorrisk.probes.runner import ProbePlan
from vendorrisk.services.probing import registration_cache_dir
from vendorrisk.tui.screens.probe import ProbeScreen


def _probe_in_tui(services: Any, make_app: Any, **scope: Any) -> None:
    async def run() -> None:
        app = make_app(services)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(ProbeScreen(**scope))
            await settle(pilot)
            assert str(app.screen.query_one("#probe-count").render()).startswith("Done")

    asyncio.run(run())


def test_a_tui_probe_uses_the_registration_cache_like_the_cli(
        sqlite_demo: Any, make_app: Any, cli: Any, planned: Any, tmp_path: Path) -> None:
    domain = sqlite_demo.inventory.list("domain")[0]["name"]
    _probe_in_tui(sqlite_demo, make_app, names=[domain])
    result = cli("--db", sqlite_demo.db.url, "probe", domain)
    assert result.code == 0, result.err
    (tui_domains, tui_plan), (cli_domains, cli_plan) = planned
    assert tui_domains == cli_domains == (domain,)
    cache = tmp_path / "cache" / "vendorrisk" / "registration"
    assert registration_cache_dir() == cache
    assert tui_plan == cli_plan == ProbePlan(dns=True, registration=True, refresh=False,
                                             cache_dir=cache)


def test_probe_all_from_the_tui_is_planned_like_probe_all(
        sqlite_demo: Any, make_app: Any, cli: Any, planned: Any) -> None:
    _probe_in_tui(sqlite_demo, make_app, everything=True)
    assert cli("--db", sqlite_demo.db.url, "probe", "--all").code == 0
    (tui_domains, tui_plan), (cli_domains, cli_plan) = planned
    assert tui_domains == cli_domains and len(tui_domains) > 1
    assert tui_plan == cli_plan and tui_plan.cache_dir == registration_cache_dir()
