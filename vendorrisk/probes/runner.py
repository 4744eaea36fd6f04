"""The one batch probe driver: DNS and registration side by side, results as they land.

The CLI, the TUI (both through services/probing.py), the lab tests and the benchmarks all
probe many domains through :func:`probe_many`; the probers themselves only know one domain.
asyncio throughout; the registration prober keeps its blocking libraries in a thread pool.
One bad domain never stops the batch: every fault is a reason on that domain's observation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.probes.dns.prober import DnsProber
from vendorrisk.probes.dns.types import DnsObservation
from vendorrisk.probes.nsdomains import NameserverDomainChecker, NameserverDomainsObservation
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.prober import RegistrationProber
from vendorrisk.probes.registration.types import RegistrationObservation

OnResult = Callable[[DomainObservation], Awaitable[None] | None]


@dataclass(frozen=True)
class ProbePlan:
    dns: bool = True
    registration: bool = True
    refresh: bool = False
    """Bypass the registration cache."""
    cache_dir: Path | None = None
    """Registration cache folder; None = no cache at all."""


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
    """Probe ``domains`` (A-labels), ``settings.concurrency`` at once.

    ``on_result`` is called as each one finishes; the returned list is in input order
    (domains skipped because ``cancelled()`` turned true are left out). Only the probers the
    plan uses are opened, and cached registration answers are read in one bulk query first.
    """
    semaphore = asyncio.Semaphore(settings.concurrency)
    results: list[DomainObservation | None] = [None] * len(domains)
    skipped = tuple(part for part, on in (("dns", plan.dns), ("registration", plan.registration))
                    if not on)
    async with AsyncExitStack() as stack:
        dns_prober = (await stack.enter_async_context(DnsProber(settings, catalog))
                      if plan.dns else None)
        reg_prober = (await stack.enter_async_context(RegistrationProber(
            settings, cache_dir=plan.cache_dir, refresh=plan.refresh,
            use_cache=plan.cache_dir is not None)) if plan.registration else None)
        if reg_prober is not None:
            reg_prober.preload(domains)
        checker = NameserverDomainChecker(reg_prober) if reg_prober is not None else None

        async def dns_part(domain: str, started: list[datetime]) -> DnsObservation | None:
            if dns_prober is None:
                return None
            async with semaphore:
                started.append(datetime.now(UTC))
                return None if cancelled() else await dns_prober.probe(domain)

        async def reg_part(domain: str, started: list[datetime]
                           ) -> RegistrationObservation | None:
            # Not in the global pool: a per-registry turn, so a throttled registry's queue
            # never holds the places other registries' domains need.
            if reg_prober is None:
                return None
            async with reg_prober.admission.turn(domain):
                started.append(datetime.now(UTC))
                return None if cancelled() else await reg_prober.probe(domain)

        async def one(index: int, domain: str) -> None:
            if cancelled():
                return
            started: list[datetime] = []
            dns_obs, reg_obs = await asyncio.gather(dns_part(domain, started),
                                                    reg_part(domain, started))
            if cancelled() and ((plan.dns and dns_obs is None)
                                or (plan.registration and reg_obs is None)):
                return
            probed_at = min(started, default=datetime.now(UTC))
            ns_obs = None if cancelled() else await _ns_domains(checker, domain, dns_obs)
            observation = DomainObservation(domain, probed_at, reg_obs, dns_obs, skipped,
                                            ns_obs)
            results[index] = observation
            if on_result is not None:
                maybe = on_result(observation)
                if maybe is not None:
                    await maybe

        await asyncio.gather(*(one(i, d) for i, d in enumerate(domains)))
    return [r for r in results if r is not None]


async def _none() -> None:
    return None


async def _ns_domains(checker: NameserverDomainChecker | None, domain: str,
                      dns: DnsObservation | None) -> NameserverDomainsObservation | None:
    """The nameserver-domain check; it needs both the DNS and the registration probe."""
    if checker is None or dns is None:
        return None
    return await checker.check(domain, dns)
