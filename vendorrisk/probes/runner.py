"""Probe many domains concurrently: DNS and registration side by side, results as they land.

asyncio throughout; the registration prober keeps its blocking libraries in a thread pool.
One bad domain never stops the batch: every fault is a reason on that domain's observation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.probes.dns.prober import DnsProber
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.prober import RegistrationProber

OnResult = Callable[[DomainObservation], Awaitable[None] | None]


@dataclass(frozen=True)
class ProbePlan:
    dns: bool = True
    registration: bool = True
    refresh: bool = False
    """Bypass the registration cache."""
    cache_dir: Path | None = None


DEFAULT_PLAN = ProbePlan()


async def probe_many(
    domains: Sequence[str],
    settings: ProbeSettings,
    catalog: ProviderCatalog,
    *,
    plan: ProbePlan = DEFAULT_PLAN,
    on_result: OnResult | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[DomainObservation]:
    """Probe ``domains`` (A-labels); ``on_result`` is called as each one finishes."""
    semaphore = asyncio.Semaphore(settings.concurrency)
    results: list[DomainObservation] = []
    async with DnsProber(settings, catalog) as dns_prober, RegistrationProber(
        settings, cache_dir=plan.cache_dir, refresh=plan.refresh,
        use_cache=plan.cache_dir is not None,
    ) as reg_prober:

        async def one(domain: str) -> None:
            async with semaphore:
                if cancelled():
                    return
                probed_at = datetime.now(UTC)
                dns_obs, reg_obs = await asyncio.gather(
                    dns_prober.probe(domain) if plan.dns else _none(),
                    reg_prober.probe(domain) if plan.registration else _none(),
                )
            skipped = tuple(part for part, on in (("dns", plan.dns),
                                                  ("registration", plan.registration)) if not on)
            observation = DomainObservation(domain, probed_at, reg_obs, dns_obs, skipped)
            results.append(observation)
            if on_result is not None:
                maybe = on_result(observation)
                if maybe is not None:
                    await maybe

        await asyncio.gather(*(one(d) for d in domains))
    return results


async def _none() -> None:
    return None
