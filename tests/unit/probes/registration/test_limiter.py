"""Per-host scheduling: rate per host, pauses, and no cross-host blocking."""

from __future__ import annotations

import asyncio
import time

from vendorrisk.probes.registration.limiter import HostLimiter


async def _starts(limiter: HostLimiter, hosts: list[str]) -> dict[str, list[float]]:
    t0 = time.monotonic()
    out: dict[str, list[float]] = {}

    async def one(host: str) -> None:
        async with limiter.slot(host):
            out.setdefault(host, []).append(time.monotonic() - t0)

    await asyncio.gather(*(one(h) for h in hosts))
    return out


def test_rate_per_host_and_hosts_independent() -> None:
    limiter = HostLimiter(20.0)  # one start per 50 ms per host
    starts = asyncio.run(_starts(limiter, ["a"] * 5 + ["b"] * 5))
    for host in ("a", "b"):
        gaps = [y - x for x, y in zip(starts[host], starts[host][1:], strict=False)]
        assert all(g >= 0.04 for g in gaps), gaps  # the limiter's floor, never flaky
    assert starts["b"][0] < starts["a"][1] and starts["a"][0] < starts["b"][1]  # no waiting


def test_pause_delays_only_that_host() -> None:
    async def run() -> dict[str, list[float]]:
        limiter = HostLimiter(100.0)
        limiter.pause("slow", 0.3)
        return await _starts(limiter, ["slow", "fast", "fast"])

    starts = asyncio.run(run())
    assert starts["slow"][0] >= 0.28
    assert starts["fast"][-1] < starts["slow"][0]  # the pause held "slow" only
