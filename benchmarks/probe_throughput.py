"""DNS probe throughput on a generated BIND lab.

    .venv/bin/python benchmarks/probe_throughput.py 5000 [--prefix 127.54] [--keep DIR]

Builds a loopback lab (root; 4 TLDs with 4 servers each; 3 providers with 16 servers each;
N client zones, every other one signed), probes all N with default ProbeSettings (only
the resolver and trust anchor point at the lab) through ``probe_many``, the batch driver
``vendorrisk probe --no-store --no-registration`` runs, and prints domains/s, queries/s and
the probing phase's peak RSS. Needs root (lab addresses on lo).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.lab.dns.bindlab import BindLab, Sign, Zone
from vendorrisk.catalog.providers import load_provider_catalog
from vendorrisk.config import ProbeSettings
from vendorrisk.probes.runner import ProbePlan, probe_many

TLDS, TLD_SERVERS, PROVIDERS, PROVIDER_SERVERS = 4, 4, 3, 16
CATALOG = """\
version: 1
providers:
""" + "".join(f"""  prov{p}:
    name: Provider {p}
    kind: dns_provider
    ns_patterns: ["*.prov{p}dns.net"]
""" for p in range(PROVIDERS))


def build_lab(workdir: Path, n: int, prefix: str) -> tuple[BindLab, list[str]]:
    lab = BindLab(workdir, prefix)
    lab.view("root", f"{prefix}.0.1")
    lab.host("a.rootlab", f"{prefix}.0.1")
    lab.zone(Zone(".", ["a.rootlab"], ["root"], sign=Sign(tool="dnspython")))
    lab.view("tldnet", f"{prefix}.0.20")
    lab.host("a.nic.net", f"{prefix}.0.20")
    lab.zone(Zone("net", ["a.nic.net"], ["tldnet"]))
    for t in range(TLDS):
        hosts, views = [], []
        for i in range(TLD_SERVERS):
            v, h = f"t{t}s{i}", f"ns{i}.nic.t{t}"
            lab.view(v, f"{prefix}.10.{t * TLD_SERVERS + i + 1}")
            lab.host(h, lab.views[v])
            hosts.append(h)
            views.append(v)
        lab.zone(Zone(f"t{t}", hosts, views, sign=Sign(tool="dnspython")))
    servers: list[list[tuple[str, str]]] = []
    for p in range(PROVIDERS):
        row = []
        for i in range(PROVIDER_SERVERS):
            v, h = f"p{p}s{i}", f"ns{i}.prov{p}dns.net"
            lab.view(v, f"{prefix}.{20 + p}.{i + 1}")
            lab.host(h, lab.views[v])
            row.append((h, v))
        servers.append(row)
        lab.zone(Zone(f"prov{p}dns.net", [h for h, _ in row[:2]], [v for _, v in row]))
    domains = []
    half = PROVIDER_SERVERS // 2
    for i in range(n):
        p, j = i % PROVIDERS, (i // PROVIDERS) % half
        pair = [servers[p][j], servers[p][j + half]]
        name = f"d{i}.t{i % TLDS}"
        sign = Sign(tool="dnspython") if i % 2 == 0 else None
        lab.zone(Zone(name, [h for h, _ in pair], [v for _, v in pair], sign=sign,
                      records="www A 192.0.2.1\n"))
        domains.append(name)
    return lab, domains


def _reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--prefix", default="127.54")
    ap.add_argument("--keep", type=Path, help="build the lab in DIR and keep it")
    args = ap.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="vr-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    lab, domains = build_lab(workdir, args.n, args.prefix)
    lab.build()
    lab.start(timeout=300)
    print(f"lab: {len(lab.views)} server addresses, {len(lab.zones)} zones, "
          f"built and started in {time.monotonic() - t0:.1f}s", file=sys.stderr)
    try:
        (workdir / "catalog.yaml").write_text(CATALOG)
        catalog = load_provider_catalog(workdir / "catalog.yaml")
        settings = ProbeSettings(resolver=lab.resolver, trust_anchor=str(lab.trust_anchor),
                                 allow_networks=("127.0.0.0/8",))
        lab.zones.clear()
        gc.collect()
        _reset_peak_rss()
        t1 = time.monotonic()
        results = asyncio.run(probe_many(domains, settings, catalog,
                                         plan=ProbePlan(registration=False)))
        elapsed = time.monotonic() - t1
        peak = _peak_rss_mb()
    finally:
        lab.stop()
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    obs = [r.dns for r in results if r.dns is not None]
    queries = sum(o.queries for o in obs)
    status = Counter(o.dnssec.status for o in obs)
    incomplete = [o for o in obs if not o.complete]
    print(f"domains: {len(obs)} in {elapsed:.1f}s = {len(obs) / elapsed:.0f} domains/s")
    print(f"queries: {queries} = {queries / elapsed:.0f} queries/s")
    print(f"peak RSS (probing): {peak:.0f} MB")
    print(f"dnssec: {dict(status)}; incomplete: {len(incomplete)}")
    for o in incomplete[:5]:
        print(f"  {o.domain}: {'; '.join(map(str, o.reasons))[:200]}")
    return 0 if not incomplete else 1


if __name__ == "__main__":
    sys.exit(main())
