"""Registration probe throughput on loopback: interleaving under a throttling server, and
the warm-cache cost of a 5,000-domain portfolio.

Three servers: RDAP ``alpha`` (127.0.0.1), WHOIS ``beta`` (127.0.0.2), and RDAP ``gamma``
(127.0.0.3), which allows 4 requests/s and answers 429 + Retry-After: 1 beyond that. The
prober's per-host limit is 25/s. alpha and beta must finish at their own rate, not gamma's.
Batches run through ``probe_many``, the driver ``vendorrisk probe --no-dns`` runs.

Then politeness: published per-registry limits (a registry-limits file naming the loopback
hosts) with one slow, throttling registry listed FIRST in the portfolio and several fast ones
after it. Per registry: queries sent, the most sent in any one second against its limit,
429s, domains complete / rate-limited, and when its last answer came.

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


POLITE_LIMITS = [
    {"name": "slow NIC (RDAP, 2/s published, 429 above 3/s)", "hosts": ["127.0.0.13"],
     "per_second": 2},
    {"name": "fast NIC A (RDAP, 50/s)", "hosts": ["127.0.0.11"], "per_second": 50},
    {"name": "fast NIC B (WHOIS, 20/s)", "hosts": ["127.0.0.12"], "per_second": 20},
    {"name": "fast NIC C (RDAP, 10/s, 300/hour)", "hosts": ["127.0.0.14"], "per_second": 10,
     "per_hour": 300},
]
POLITE_TLDS = ("slow", "fasta", "fastb", "fastc")


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    return max((sum(1 for t in times[i:] if t - s < 1.0) for i, s in enumerate(times)),
               default=0)


PoliteLabs = tuple[RdapLab, RdapLab, WhoisLab, RdapLab]


def polite_labs(throttle: Throttle) -> PoliteLabs:
    slow, fast_a, fast_c = RdapLab("127.0.0.13"), RdapLab("127.0.0.11"), RdapLab("127.0.0.14")
    fast_b = WhoisLab("127.0.0.12")
    slow.table.default = throttle
    fast_a.table.default = fast_c.table.default = rdap_default
    fast_b.table.default = lambda q: Reply(body=WHOIS_TEXT.format(d=q.upper()).encode())
    labs = (slow, fast_a, fast_b, fast_c)
    for lab in labs:
        lab.start()
    return labs


def polite_settings(labs: PoliteLabs, folder: Path,
                    concurrency: int) -> ProbeSettings:
    slow, fast_a, fast_b, fast_c = labs
    boot, limits = folder / "polite.json", folder / "limits.yaml"
    boot.write_text(json.dumps({"services": [
        [["slow"], [slow.base]], [["fasta"], [fast_a.base]], [["fastc"], [fast_c.base]]]}))
    limits.write_text(json.dumps({"registries": POLITE_LIMITS}))
    return ProbeSettings(rdap_bootstrap=str(boot), whois_server=fast_b.address,
                         timeout=2.0, retries=8, rdap_rate_limit=100.0, whois_rate_limit=100.0,
                         registry_limits=str(limits), concurrency=concurrency)


async def politeness(folder: Path, per_registry: int, concurrency: int) -> None:
    """The slow registry's domains come first and outnumber ``concurrency``."""
    throttle = Throttle(3)
    labs = polite_labs(throttle)
    try:
        cfg = polite_settings(labs, folder, concurrency)
        names = [f"p{i}.{tld}" for tld in POLITE_TLDS for i in range(per_registry)]
        finished: dict[str, float] = {}
        start = time.monotonic()

        def progress(obs: DomainObservation) -> None:
            finished[obs.domain] = time.monotonic() - start

        results = await probe(names, cfg, folder / "cache-p", refresh=True, progress=progress)
        report(labs, results, finished, throttle, per_registry, concurrency)
    finally:
        for lab in labs:
            lab.stop()


def report(labs: PoliteLabs, results: dict[str, RegistrationObservation],
           finished: dict[str, float], throttle: Throttle, per_registry: int,
           concurrency: int) -> None:
    print(f"politeness: {per_registry} domains per registry, the slow registry's listed "
          f"first, {concurrency} domains at once (probe_many)")
    print(f"  {'registry':46s} {'queries':>7s} {'max/1s':>6s} {'limit':>5s} {'429':>4s} "
          f"{'complete':>8s} {'rate-ltd':>8s} {'last answer':>11s}")
    servers: list[RdapLab | WhoisLab] = list(labs)
    for tld, lab, limit in zip(POLITE_TLDS, servers, POLITE_LIMITS, strict=True):
        times = [t for _, t in lab.table.times]
        mine = [o for n, o in results.items() if n.endswith("." + tld)]
        last = max(t for n, t in finished.items() if n.endswith("." + tld))
        rejected = throttle.rejected if tld == "slow" else 0
        print(f"  {limit['name']!s:46s} {len(times):7d} {busiest_second(times):6d} "
              f"{limit['per_second']:5g} {rejected:4d} {sum(o.complete for o in mine):8d} "
              f"{sum(o.rate_limited for o in mine):8d} {last:9.2f} s")


def main() -> None:
    throttle = Throttle(4)
    alpha, beta, gamma = start_servers(throttle)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            asyncio.run(interleaving(settings(alpha, beta, gamma, folder, 25.0), folder, 50))
            print(f"  gamma answered 429 {throttle.rejected} times")
            asyncio.run(warm_cache(settings(alpha, beta, gamma, folder, 2000.0), folder, 5000))
            asyncio.run(politeness(folder, 40, 16))
    finally:
        for server in (alpha, beta, gamma):
            server.stop()


if __name__ == "__main__":
    main()
