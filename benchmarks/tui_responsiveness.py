"""TUI responsiveness at 10,000 domains / 300 vendors, measured with Textual's Pilot.

Creates the portfolio through InventoryService.create_many (as benchmarks/bulk_inventory.py
does), then times: the first screen usable after start (target < 1.5 s), the Domains table
loaded, one filter keystroke on the Domains table (target < 150 ms), and opening a domain
detail (target < 300 ms).

    .venv/bin/python benchmarks/tui_responsiveness.py [--domains N] [--vendors N] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from vendorrisk.config import Settings
from vendorrisk.services.app import Services, open_services

KINDS = ("dns_provider", "registrar", "msp", "dns_security", "dynamic_dns", "other")


def populate(services: Services, domains: int, clients: int, vendors: int) -> None:
    inv = services.inventory
    inv.create_many("client", [{"name": f"Client {i:03d}", "regimes": "gdpr"}
                               for i in range(clients)])
    inv.create_many("vendor", [{"name": f"Vendor {i:03d}", "kind": KINDS[i % len(KINDS)]}
                               for i in range(vendors)])
    registrars = [f"Vendor {i:03d}" for i in range(vendors) if i % len(KINDS) == 1]
    providers = [f"Vendor {i:03d}" for i in range(vendors) if i % len(KINDS) == 0]
    batch: list[dict[str, str]] = []
    for i in range(domains):
        batch.append({"name": f"d{i:05d}.client{i % clients:03d}.example",
                      "client": f"Client {i % clients:03d}",
                      "registrar": registrars[i % len(registrars)],
                      "dns_providers": ",".join({providers[i % len(providers)],
                                                 providers[(i * 7) % len(providers)]})})
        if len(batch) == 1000:
            inv.create_many("domain", batch)
            batch.clear()
    if batch:
        inv.create_many("domain", batch)


async def until(pilot: Any, ready: Any, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not ready():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never became ready")
        await pilot.pause(0.005)


async def measure(services: Services) -> dict[str, Any]:
    from vendorrisk.tui.app import build_app

    out: dict[str, Any] = {}
    started = time.perf_counter()
    app = build_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        def dashboard_ready() -> bool:
            tables = app.screen.query("#clients")
            return bool(tables) and tables.first().data_table.row_count > 0
        await until(pilot, dashboard_ready)
        out["first_screen"] = time.perf_counter() - started

        t0 = time.perf_counter()
        await pilot.press("3")
        def domains_ready() -> bool:
            found = app.screen.query("#table")
            return bool(found) and found.first().data_table.row_count > 0
        await until(pilot, domains_ready)
        out["domains_screen"] = time.perf_counter() - t0

        table = app.screen.query_one("#table")
        baseline = []
        for _ in range(5):  # Pilot's own round trip for a key nothing handles
            t0 = time.perf_counter()
            await pilot.press("z")
            await pilot.pause()
            baseline.append(time.perf_counter() - t0)
        out["baseline"] = statistics.median(baseline)
        await pilot.press("slash")
        keystrokes = []
        for ch in "client007":
            t0 = time.perf_counter()
            await pilot.press(ch)
            await pilot.pause()  # let the table repaint
            keystrokes.append(time.perf_counter() - t0)
        out["filter_keystrokes"] = keystrokes
        out["filter_matches"] = len(table.matches)
        await pilot.press("escape")

        t0 = time.perf_counter()
        await pilot.press("enter")
        def detail_ready() -> bool:
            return getattr(app.screen, "detail", None) is not None
        await until(pilot, detail_ready)
        await pilot.pause()
        out["domain_detail"] = time.perf_counter() - t0
        await pilot.press("escape")
        await pilot.pause()
        again = []
        for _ in range(3):  # later openings (screen CSS already loaded)
            await pilot.press("down")
            t0 = time.perf_counter()
            await pilot.press("enter")
            await until(pilot, detail_ready)
            await pilot.pause()
            again.append(time.perf_counter() - t0)
            await pilot.press("escape")
            await pilot.pause()
        out["domain_detail_again"] = statistics.median(again)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domains", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--vendors", type=int, default=300)
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='vr-tui-bench-')) / 'b.db'}"
    services = open_services(Settings(db=url, user="bench"))
    t0 = time.perf_counter()
    if not services.inventory.list("client"):  # --db may name an already populated database
        populate(services, args.domains, args.clients, args.vendors)
    print(f"portfolio: {args.domains} domains, {args.vendors} vendors, {args.clients} clients "
          f"(created in {time.perf_counter() - t0:.1f} s)")
    r = asyncio.run(measure(services))
    services.close()
    keys = r["filter_keystrokes"]

    def verdict(value: float, target: float) -> str:
        return "met" if value < target else "MISSED"

    print(f"first screen usable:   {r['first_screen'] * 1000:7.0f} ms  (target < 1500 ms: "
          f"{verdict(r['first_screen'], 1.5)})")
    print(f"domains table loaded:  {r['domains_screen'] * 1000:7.0f} ms")
    print(f"filter keystroke:      median {statistics.median(keys) * 1000:.0f} ms, "
          f"max {max(keys) * 1000:.0f} ms over {len(keys)} keys (target < 150 ms: "
          f"{verdict(max(keys), 0.15)}); {r['filter_matches']} rows match the final filter")
    base = r["baseline"]
    print(f"  (Pilot's round trip for a key nothing handles: {base * 1000:.0f} ms; filter net of "
          f"it: median {(statistics.median(keys) - base) * 1000:.0f} ms, "
          f"max {(max(keys) - base) * 1000:.0f} ms)")
    print(f"domain detail opened:  {r['domain_detail'] * 1000:7.0f} ms  (target < 300 ms: "
          f"{verdict(r['domain_detail'], 0.3)}; net of Pilot's round trip "
          f"{(r['domain_detail'] - base) * 1000:.0f} ms)")
    print(f"domain detail, later:  {r['domain_detail_again'] * 1000:7.0f} ms median of 3 "
          f"(target < 300 ms: {verdict(r['domain_detail_again'], 0.3)})")


if __name__ == "__main__":
    main()
