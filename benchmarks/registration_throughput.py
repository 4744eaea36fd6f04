"""Registration probe throughput on loopback: interleaving under a throttling server, and
the warm-cache cost of a 5,000-domain portfolio.

Three servers: RDAP ``alpha`` (127.0.0.1), WHOIS ``beta`` (127.0.0.2), and RDAP ``gamma``
(127.0.0.3), which allows 4 requests/s and answers 429 + Retry-After: 1 beyond that. The
prober's per-host limit is 25/s. alpha and beta must finish at their own rate, not gamma's.
Batches run through ``probe_many``, the driver ``vendorrisk probe --no-dns`` runs.

Run: ``.venv/bin/python benchmarks/registration_throughput.py``
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lab.registration.cases import thick  # noqa: E402
from tests.lab.registration.servers import RdapLab, Reply, WhoisLab, json_reply  # noqa: E402
from vendorrisk.catalog.providers import load_provider_catalog  # noqa: E402
from vendorrisk.config import ProbeSettings  # noqa: E402
from vendorrisk.probes.observation import DomainObservation  # noqa: E402
from vendorrisk.probes.registration.prober import RegistrationProber  # noqa: E402
from vendorrisk.probes.registration.types import RegistrationObservation  # noqa: E402
from vendorrisk.probes.runner import ProbePlan, probe_many  # noqa: E402

STATUS = ["client transfer prohibited", "client update prohibited", "client delete prohibited"]
WHOIS_TEXT = ("Domain Name: {d}\nRegistrar: Gandi SAS\nRegistrar IANA ID: 81\n"
              "Registry Expiry Date: 2028-01-01T00:00:00Z\n"
              "Domain Status: clientTransferProhibited https://icann.org/epp#x\n")


async def probe(names: list[str], cfg: ProbeSettings, cache: Path, *, refresh: bool = False,
                progress: Callable[[DomainObservation], None] | None = None,
                ) -> dict[str, RegistrationObservation]:
    """Registration only, through the product's batch driver."""
    plan = ProbePlan(dns=False, refresh=refresh, cache_dir=cache)
    results = await probe_many(names, cfg, load_provider_catalog(), plan=plan,
                               on_result=progress)
    return {o.domain: o.registration for o in results if o.registration is not None}


def rdap_default(key: str) -> Reply | None:
    name = key.rsplit("/", 1)[-1]
    return json_reply(thick(name, status=STATUS))


class Throttle:
    """Server-side limit: ``rate`` requests per second, 429 + Retry-After beyond it."""

    def __init__(self, rate: float) -> None:
        self.rate, self.window, self.count = rate, time.monotonic(), 0
        self.rejected = 0
        self.lock = threading.Lock()

    def __call__(self, key: str) -> Reply | None:
        with self.lock:
            now = time.monotonic()
            if now - self.window >= 1.0:
                self.window, self.count = now, 0
            self.count += 1
            if self.count > self.rate:
                self.rejected += 1
                return Reply(status=429, headers={"Retry-After": "1"})
        return rdap_default(key)


def start_servers(throttle: Throttle) -> tuple[RdapLab, WhoisLab, RdapLab]:
    alpha, gamma = RdapLab("127.0.0.1"), RdapLab("127.0.0.3")
    beta = WhoisLab("127.0.0.2")
    alpha.table.default = rdap_default
    gamma.table.default = throttle
    beta.table.default = lambda q: Reply(body=WHOIS_TEXT.format(d=q.upper()).encode())
    for server in (alpha, beta, gamma):
        server.start()
    return alpha, beta, gamma


def settings(alpha: RdapLab, beta: WhoisLab, gamma: RdapLab, folder: Path,
             rate: float) -> ProbeSettings:
    boot = folder / "dns.json"
    boot.write_text(json.dumps({"services": [[["alpha"], [alpha.base]],
                                             [["gamma"], [gamma.base]]]}))
    return ProbeSettings(rdap_bootstrap=str(boot), whois_server=beta.address, timeout=2.0,
                         retries=8, rdap_rate_limit=rate, whois_rate_limit=rate)


async def interleaving(cfg: ProbeSettings, folder: Path, per_server: int) -> None:
    names = [f"d{i}.{tld}" for i in range(per_server) for tld in ("alpha", "beta", "gamma")]
    finished: dict[str, float] = {}
    start = time.monotonic()

    def progress(obs: DomainObservation) -> None:
        finished[obs.domain] = time.monotonic() - start

    results = await probe(names, cfg, folder / "cache-a", refresh=True, progress=progress)
    print(f"interleaving: {per_server} domains per server, per-host limit "
          f"{cfg.rdap_rate_limit:g}/s")
    for tld, label in (("alpha", "RDAP alpha"), ("beta", "WHOIS beta"),
                       ("gamma", "RDAP gamma, 429 above 4/s")):
        times = sorted(t for n, t in finished.items() if n.endswith("." + tld))
        ok = sum(1 for n, o in results.items() if n.endswith("." + tld) and o.complete)
        print(f"  {label:28s} last answer {times[-1]:6.2f} s   "
              f"{len(times) / times[-1]:6.1f} domains/s   complete {ok}/{len(times)}")


async def warm_cache(cfg: ProbeSettings, folder: Path, count: int) -> None:
    names = [f"w{i}.{'alpha' if i % 2 else 'beta'}" for i in range(count)]
    cache = folder / "cache-b"
    t0 = time.monotonic()
    cold = await probe(names, cfg, cache)
    t1 = time.monotonic()
    warm = await probe(names, cfg, cache)
    t2 = time.monotonic()
    assert all(o.cached for o in warm.values()), "warm run asked a server"
    async with RegistrationProber(cfg, cache_dir=cache) as prober:
        t3 = time.monotonic()
        one_by_one = [await prober.probe(n) for n in names]
        t4 = time.monotonic()
    assert all(o.cached for o in one_by_one)
    print(f"cache: {count} domains  cold {t1 - t0:6.2f} s "
          f"({sum(o.complete for o in cold.values())} complete)")
    print(f"  warm, probe_many bulk read     {t2 - t1:6.3f} s  (target < 5 s)")
    print(f"  warm, probe() one at a time    {t4 - t3:6.3f} s  (target < 5 s)")


def main() -> None:
    throttle = Throttle(4)
    alpha, beta, gamma = start_servers(throttle)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            asyncio.run(interleaving(settings(alpha, beta, gamma, folder, 25.0), folder, 50))
            print(f"  gamma answered 429 {throttle.rejected} times")
            asyncio.run(warm_cache(settings(alpha, beta, gamma, folder, 2000.0), folder, 5000))
    finally:
        for server in (alpha, beta, gamma):
            server.stop()


if __name__ == "__main__":
    main()
