"""All domain-level rules over one observation: the single place that knows which rules exist."""

from __future__ import annotations

from datetime import datetime

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


def codes_in_scope(observation: DomainObservation) -> frozenset[str]:
    """Codes a run may resolve for this domain: only those of the parts that actually ran."""
    if not observation.skipped:
        return DOMAIN_CODES
    prefixes: set[str] = set()
    if "dns" in observation.skipped:
        prefixes |= {"dnssec.", "exit.", "dns.", "ddns."}
    if "registration" in observation.skipped:
        prefixes |= {"lock.", "registration.", "whois."}
    return frozenset(c for c in DOMAIN_CODES
                     if not any(c.startswith(p) for p in prefixes)
                     and c not in ("inventory.drift", "probe.incomplete"))
