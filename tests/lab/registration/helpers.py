"""Run the prober against the lab and evaluate findings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.lab.driver import probe_registration
from tests.lab.registration.lab import Lab
from vendorrisk.catalog.registrars import load_registrar_catalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.context import DeclaredVendor, DomainContext
from vendorrisk.findings.rules.registration import evaluate
from vendorrisk.probes.registration.types import RegistrationObservation

CATALOG = load_registrar_catalog()
DEFAULTS = ProbeSettings()


def probe(lab: Lab, cache: Path, *domains: str, refresh: bool = False,
          **settings: Any) -> dict[str, RegistrationObservation]:
    return probe_registration(domains, lab.settings(**settings), cache_dir=cache,
                              refresh=refresh)


def codes(obs: RegistrationObservation, *, critical: bool = False,
          declared: str | None = None) -> set[str]:
    ctx = DomainContext(obs.domain, critical=critical,
                        declared_registrar=DeclaredVendor(declared) if declared else None)
    return {f.code for f in evaluate(obs, ctx, CATALOG, DEFAULTS, datetime.now(UTC))}
