"""TUI responsiveness at 10,000 domains / 300 vendors, measured with Textual's Pilot.

Creates the portfolio through InventoryService.create_many (as benchmarks/bulk_inventory.py
does), then, in a fresh Python process so that start-up costs count, times:

- first screen usable: from launching the process to the dashboard painted with its clients
  (target < 1.5 s);
- a filter keystroke: from the key event to the Domains table repainted with the new matches
  (target < 150 ms), for each key of a 9-letter filter;
- opening a domain detail: from Enter to the detail screen painted (target < 300 ms), the
  first opening and five later ones.

Latencies run from handing the key to the app (as Pilot does) to the first screen refresh
after the change is visible, so they include every handler, layout and paint but not Pilot's
own idle-waiting between keys (shown separately). Garbage-collection pauses during the run are
recorded and the longest is printed: a pause that landed on a keystroke is in its figure.

    .venv/bin/python benchmarks/tui_responsiveness.py [--domains N] [--vendors N] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

KINDS = ("dns_provider", "registrar", "msp", "dns_security", "dynamic_dns", "other")
FILTER = "client007"


def populate(services: Any, domains: int, clients: int, vendors: int) -> None:
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


class GcPauses:
    """The duration of every automatic collection while installed. Collections the app asks
    for itself (``gc.collect``, right after a large table is painted) are counted apart."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self.phase = "start-up"
        self.longest: dict[str, float] = {}
        self.deliberate: list[float] = []
        self._start = 0.0
        self._asked = False
        self._collect = gc.collect

    def install(self) -> None:
        def collect(*args: Any) -> int:
            self._asked = True
            try:
                return self._collect(*args)
            finally:
                self._asked = False
        gc.collect = collect  # type: ignore[assignment]
        gc.callbacks.append(self)

    def remove(self) -> None:
        gc.collect = self._collect  # type: ignore[assignment]
        gc.callbacks.remove(self)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            took = time.perf_counter() - self._start
            if self._asked:
                self.deliberate.append(took)
            else:
                self.pauses.append(took)
                self.longest[self.phase] = max(took, self.longest.get(self.phase, 0.0))


async def until(ready: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not ready():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never became ready")
        await asyncio.sleep(0.001)


async def painted(app: Any) -> None:
    """Wait for the next screen refresh (what the user sees has caught up)."""
    done = asyncio.Event()
    app.screen.call_after_refresh(done.set)
    await done.wait()


async def key_to_paint(app: Any, key: str, ready: Callable[[], bool]) -> float:
    """Seconds from handing ``key`` to the app until ``ready()`` holds and it is painted."""
    from textual import events

    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    t0 = time.perf_counter()
    app._driver.send_message(event)  # what Pilot.press does, without its idle waits
    await until(ready)
    await painted(app)
    return time.perf_counter() - t0


async def measure(db_url: str, launched: float) -> dict[str, Any]:
    from vendorrisk.config import Settings
    from vendorrisk.services.app import open_services
    from vendorrisk.tui.app import build_app

    services = open_services(Settings(db=db_url, user="bench"))
    gc_pauses = GcPauses()
    gc_pauses.install()
    out: dict[str, Any] = {}
    app = build_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        def dashboard_ready() -> bool:
            tables = app.screen.query("#clients")
            return bool(tables) and tables.first().data_table.row_count > 0
        await until(dashboard_ready)
        await painted(app)
        out["first_screen"] = time.time() - launched

        gc_pauses.phase = "loading domains"
        t0 = time.perf_counter()
        await pilot.press("3")
        def domains_ready() -> bool:
            found = app.screen.query("#table")
            return bool(found) and found.first().data_table.row_count > 0
        await until(domains_ready)
        await painted(app)
        out["domains_screen"] = time.perf_counter() - t0
        await pilot.pause(0.5)  # the user reads the table before typing

        table = app.screen.query_one("#table")
        round_trips = []
        for _ in range(5):  # Pilot's own round trip for a key nothing handles, for reference
            t0 = time.perf_counter()
            await pilot.press("z")
            round_trips.append(time.perf_counter() - t0)
        out["pilot_round_trip"] = statistics.median(round_trips)
        await pilot.press("slash")
        gc_pauses.phase = "typing"
        keystrokes = []
        for n in range(1, len(FILTER) + 1):
            typed = FILTER[:n]
            keystrokes.append(await key_to_paint(app, FILTER[n - 1],
                                                 lambda typed=typed: table.needle == typed))
        out["filter_keystrokes"] = keystrokes
        out["filter_matches"] = len(table.matches)
        await pilot.press("escape")
        await pilot.pause(0.2)

        gc_pauses.phase = "opening details"
        opens = []
        for _ in range(6):
            wanted = table.current_key  # the detail must show this domain, not the last one

            def detail_ready(wanted: str | None = wanted) -> bool:
                shown = getattr(app.screen, "detail", None)
                return shown is not None and shown.key == wanted
            opens.append(await key_to_paint(app, "enter", detail_ready))
            await pilot.press("escape")
            await pilot.pause(0.2)
            await pilot.press("down")
        out["domain_detail_first"] = opens[0]
        out["domain_detail_later"] = opens[1:]
    gc_pauses.remove()
    out["gc_longest"] = gc_pauses.longest
    out["gc_count"] = len(gc_pauses.pauses)
    out["gc_deliberate"] = gc_pauses.deliberate
    services.close()
    return out


def report(r: dict[str, Any]) -> None:
    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    def verdict(value: float, target: float) -> str:
        return "met" if value < target else "MISSED"

    keys, later = r["filter_keystrokes"], r["domain_detail_later"]
    print(f"first screen usable:  {ms(r['first_screen'])} from process launch "
          f"(target < 1500 ms: {verdict(r['first_screen'], 1.5)})")
    print(f"domains table loaded: {ms(r['domains_screen'])} (10,000 rows; key 3 to painted)")
    print(f"filter keystroke:     median {ms(statistics.median(keys))}, max {ms(max(keys))} over "
          f"{len(keys)} keys (target < 150 ms: {verdict(max(keys), 0.15)}); "
          f"{r['filter_matches']} rows match {FILTER!r}")
    print(f"domain detail:        first {ms(r['domain_detail_first'])}, later median "
          f"{ms(statistics.median(later))}, max {ms(max(later))} "
          f"(target < 300 ms: {verdict(max(r['domain_detail_first'], *later), 0.3)})")
    print(f"  keystrokes: {', '.join(ms(k) for k in keys)}")
    longest = ", ".join(f"{phase} {ms(p)}" for phase, p in r["gc_longest"].items())
    print(f"garbage collection:   {r['gc_count']} automatic collections; longest pause while "
          f"{longest}; {len(r['gc_deliberate'])} deliberate, after a large table was painted: "
          + ", ".join(ms(p) for p in r["gc_deliberate"]))
    print(f"  (Pilot's own press round trip, not in the figures above: "
          f"{ms(r['pilot_round_trip'])})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domains", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--vendors", type=int, default=300)
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--measure", type=float, metavar="LAUNCHED", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:  # the child: measure and hand the figures back as JSON
        print(json.dumps(asyncio.run(measure(args.db, args.measure))))
        return

    from vendorrisk.config import Settings
    from vendorrisk.services.app import open_services

    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='vr-tui-bench-')) / 'b.db'}"
    services = open_services(Settings(db=url, user="bench"))
    t0 = time.perf_counter()
    if not services.inventory.list("client"):  # --db may name an already populated database
        populate(services, args.domains, args.clients, args.vendors)
    services.close()
    print(f"portfolio: {args.domains} domains, {args.vendors} vendors, {args.clients} clients "
          f"(ready in {time.perf_counter() - t0:.1f} s)")
    launched = time.time()
    child = subprocess.run([sys.executable, __file__, "--db", url, "--measure", str(launched)],
                           capture_output=True, text=True, check=False)
    if child.returncode:
        sys.exit(f"measuring failed:\n{child.stderr}")
    report(json.loads(child.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
