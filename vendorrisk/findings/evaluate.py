"""All domain-level rules over one observation: the single place that knows which rules exist."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.catalog.registrars import RegistrarCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import CATALOG, Finding, SubjectKind
from vendorrisk.findings.context import DomainContext
from vendorrisk.findings.rules import dns as dns_rules
from vendorrisk.findings.rules import registration as registration_rules
from vendorrisk.probes.observation import DomainObservation

DOMAIN_CODES = frozenset(code for code, spec in CATALOG.items()
                         if spec.subject is SubjectKind.DOMAIN)


def evaluate_domain(
    observation: DomainObservation,
    ctx: DomainContext,
    *,
    providers: ProviderCatalog,
    registrars: RegistrarCatalog,
    settings: ProbeSettings,
    now: datetime,
) -> list[Finding]:
    findings: list[Finding] = []
    if observation.dns is not None:
        findings += dns_rules.evaluate_dns(observation.dns, ctx, providers, settings, now)
    if observation.registration is not None:
        findings += registration_rules.evaluate(observation.registration, ctx, registrars,
                                                settings, now)
    return findings


_AREA_OF_PREFIX = {"dnssec.": "dns", "exit.": "dns", "dns.": "dns", "ddns.": "dns",
                   "lock.": "registration", "registration.": "registration",
                   "whois.": "registration"}


def finding_area(code: str, evidence: Mapping[str, Any]) -> str | None:
    """Which probe part (``dns`` or ``registration``) a domain finding comes from."""
    for prefix, area in _AREA_OF_PREFIX.items():
        if code.startswith(prefix):
            return area
    if code == "inventory.drift":
        return "registration" if evidence.get("kind") == "registrar" else "dns"
    if code == "probe.incomplete":
        parts = evidence.get("parts") or [evidence.get("part") or ""]
        return str(parts[0]).split(".", 1)[0] or None
    return None


def scope_of(observation: DomainObservation) -> Callable[[str, Mapping[str, Any]], bool]:
    """Which stored findings a run may resolve: only those of the parts that actually ran."""
    ran = {area for area, part in (("dns", observation.dns),
                                   ("registration", observation.registration)) if part}

    def in_scope(code: str, evidence: Mapping[str, Any]) -> bool:
        return code in DOMAIN_CODES and finding_area(code, evidence) in ran

    return in_scope
