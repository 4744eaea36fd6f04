"""Create 10,000 domains across 200 clients and 300 vendors through the services, then time
`vendorrisk domain list --json` at that size. Target: the listing in under 2 s on SQLite.

    .venv/bin/python benchmarks/bulk_inventory.py [--domains N] [--db URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vendorrisk.config import Settings
from vendorrisk.services.app import open_services

KINDS = ("dns_provider", "registrar", "msp", "dns_security", "dynamic_dns", "other")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domains", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--vendors", type=int, default=300)
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="vendorrisk-bench-")
    url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
    services = open_services(Settings(db=url, user="bench"))
    inv = services.inventory

    started = time.perf_counter()
    inv.create_many("client", [{"name": f"Client {i:03d}", "regimes": "gdpr"}
                               for i in range(args.clients)])
    inv.create_many("vendor", [{"name": f"Vendor {i:03d}", "kind": KINDS[i % len(KINDS)]}
                               for i in range(args.vendors)])
    registrars = [f"Vendor {i:03d}" for i in range(args.vendors) if i % len(KINDS) == 1]
    providers = [f"Vendor {i:03d}" for i in range(args.vendors) if i % len(KINDS) == 0]
    batch: list[dict[str, str]] = []
    for i in range(args.domains):
        batch.append({"name": f"d{i:05d}.client{i % args.clients:03d}.example",
                      "client": f"Client {i % args.clients:03d}",
                      "registrar": registrars[i % len(registrars)],
                      "dns_providers": ",".join({providers[i % len(providers)],
                                                 providers[(i * 7) % len(providers)]})})
        if len(batch) == 1000:
            inv.create_many("domain", batch)
            batch.clear()
    if batch:
        inv.create_many("domain", batch)
    created = time.perf_counter() - started
    services.close()

    cli = Path(sys.executable).with_name("vendorrisk")
    env = {**os.environ, "VENDORRISK_DB": url}
    started = time.perf_counter()
    out = subprocess.run([str(cli), "domain", "list", "--json"], env=env, check=True,
                         capture_output=True).stdout
    listed = time.perf_counter() - started
    print(f"created {args.clients} clients, {args.vendors} vendors, {args.domains} domains "
          f"through the services (audited) in {created:.1f} s "
          f"({args.domains / created:.0f} domains/s)")
    print(f"`vendorrisk domain list --json` over {args.domains} domains: {listed:.2f} s "
          f"({len(out) / 1e6:.1f} MB of JSON)  target < 2 s: {'met' if listed < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
