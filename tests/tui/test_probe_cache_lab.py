"""Against the loopback RDAP/WHOIS lab: a probe from the TUI fills and reads the registration
cache that `vendorrisk probe` reads, so a re-probe within the TTL asks no server."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.lab.conftest import registration_lab  # noqa: F401 - the session lab fixture
from tests.lab.registration.lab import Lab
from tests.tui.conftest import settle
from vendorrisk.config import Settings
from vendorrisk.services.app import open_services
from vendorrisk.tui.screens.probe import ProbeScreen

pytestmark = pytest.mark.lab

DOMAIN = "thick-locked.org"
RDAP_PATH = f"/registry/domain/{DOMAIN}"
DEAD_RESOLVER = "127.0.0.1:9"
"""Nothing answers here: the DNS half ends incomplete at once, on loopback."""


@pytest.fixture
def lab_services(registration_lab: Lab, sqlite_template: Path,  # noqa: F811
                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    probe = registration_lab.settings(resolver=DEAD_RESOLVER, retries=0)
    for key, value in {"rdap_bootstrap": probe.rdap_bootstrap, "whois_server": probe.whois_server,
                       "timeout": probe.timeout, "retries": probe.retries,
                       "resolver": DEAD_RESOLVER, "whois_rate_limit": probe.whois_rate_limit,
                       "rdap_rate_limit": probe.rdap_rate_limit,
                       "max_response_bytes": probe.max_response_bytes}.items():
        monkeypatch.setenv(f"VENDORRISK_PROBE_{key.upper()}", str(value))
    target = tmp_path / "lab.db"
    shutil.copy(sqlite_template, target)
    services = open_services(Settings(db=f"sqlite:///{target}", user="tester", probe=probe))
    services.inventory.create("client", {"name": "Acme"})
    services.inventory.create("domain", {"name": DOMAIN, "client": "Acme"})
    yield services
    services.close()


def _probe_in_tui(services: Any, make_app: Any) -> str:
    async def run() -> str:
        app = make_app(services)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(ProbeScreen(names=[DOMAIN]))
            await settle(pilot, timeout=30)
            return str(app.screen.query_one("#probe-count").render())

    return asyncio.run(run())


def test_tui_probes_share_the_registration_cache_with_the_cli(
        registration_lab: Lab, lab_services: Any, make_app: Any, cli: Any) -> None:  # noqa: F811
    hits = registration_lab.rdap.table.hits
    before = hits[RDAP_PATH]
    assert _probe_in_tui(lab_services, make_app).startswith("Done: 1 probed")
    assert hits[RDAP_PATH] == before + 1
    assert _probe_in_tui(lab_services, make_app).startswith("Done: 1 probed")
    assert hits[RDAP_PATH] == before + 1, "the second TUI probe is served from the cache"

    url = lab_services.db.url
    result = cli("--db", url, "probe", DOMAIN, "--no-dns")
    assert result.code == 0, result.err
    assert hits[RDAP_PATH] == before + 1, "the CLI reads the cache the TUI wrote"
    result = cli("--db", url, "probe", DOMAIN, "--no-dns", "--refresh")
    assert result.code == 0, result.err
    assert hits[RDAP_PATH] == before + 2
