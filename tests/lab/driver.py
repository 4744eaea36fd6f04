"""The lab tests probe many domains through the product's one batch driver, ``probe_many``."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from vendorrisk.catalog.providers import ProviderCatalog, load_provider_catalog
from vendorrisk.config import ProbeSettings
from vendorrisk.probes.dns.types import DnsObservation
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.runner import ProbePlan, probe_many


def probe_dns(domains: Sequence[str], settings: ProbeSettings,
              catalog: ProviderCatalog) -> list[DnsObservation]:
    """DNS observations of ``domains``, in input order (``--no-registration``)."""
    results = asyncio.run(probe_many(domains, settings, catalog,
                                     plan=ProbePlan(registration=False)))
    out = [o.dns for o in results]
    assert all(o is not None for o in out)
    return [o for o in out if o is not None]


def probe_registration(domains: Sequence[str], settings: ProbeSettings, *, cache_dir: Path,
                       refresh: bool = False) -> dict[str, RegistrationObservation]:
    """Registration observations by domain (``--no-dns``), through the registration cache."""
    plan = ProbePlan(dns=False, refresh=refresh, cache_dir=cache_dir)
    results = asyncio.run(probe_many(domains, settings, load_provider_catalog(), plan=plan))
    out = {o.domain: o.registration for o in results}
    assert all(o is not None for o in out.values())
    return {name: o for name, o in out.items() if o is not None}
