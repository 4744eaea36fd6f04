"""Which rules exist, in one place: the domain rules over one observation, the inventory rules
over the portfolio facts, and which stored findings a probe run may resolve.

:func:`recorded` is the pure twin of ``store.findings_sync`` (the portfolio as the store holds
it once the raised inventory findings are recorded), for callers without a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.catalog.registrars import RegistrarCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import CATALOG, Area, Finding, SubjectKind, area_of
from vendorrisk.findings.context import DomainContext
from vendorrisk.findings.rules import certifications, contracts, questionnaires, residency
from vendorrisk.findings.rules import dns as dns_rules
from vendorrisk.findings.rules import nsdomains as nsdomain_rules
from vendorrisk.findings.rules import registration as registration_rules
from vendorrisk.findings.rules.inventory import InventoryRules, SubjectFinding
from vendorrisk.portfolio.facts import PortfolioFacts, RecordedFinding, clients_of_vendors
from vendorrisk.probes.nsdomains import PART as NS_DOMAIN_PART
from vendorrisk.probes.observation import DomainObservation

DOMAIN_CODES = frozenset(code for code, spec in CATALOG.items()
                         if spec.subject is SubjectKind.DOMAIN)
NS_DOMAIN_CODES = frozenset({"registration.ns_domain_unregistered",
                             "registration.ns_domain_expiring"})
INVENTORY_CODES = frozenset(code for code, spec in CATALOG.items()
                            if spec.area is Area.INVENTORY)


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
    if observation.nameserver_domains is not None:
        findings += nsdomain_rules.evaluate(observation.nameserver_domains, observation.domain,
                                            settings, now)
    return findings


def scope_of(observation: DomainObservation) -> Callable[[str, Mapping[str, Any]], bool]:
    """Which stored findings a run may resolve: only those of the parts that actually ran."""
    ran = {area for area, part in ((Area.DNS, observation.dns),
                                   (Area.REGISTRATION, observation.registration)) if part}

    def in_scope(code: str, evidence: Mapping[str, Any]) -> bool:
        if observation.nameserver_domains is None and (
                code in NS_DOMAIN_CODES or evidence.get("part") == NS_DOMAIN_PART):
            return False  # the nameserver-domain check did not run (e.g. --no-dns)
        return code in DOMAIN_CODES and area_of(code, evidence) in ran

    return in_scope


def evaluate_inventory(portfolio: PortfolioFacts, rules: InventoryRules, now: datetime
                       ) -> list[SubjectFinding]:
    """Every inventory finding of the portfolio, in a stable order."""
    today = now.date()
    users = clients_of_vendors(portfolio)
    out: list[SubjectFinding] = []
    out += certifications.evaluate(portfolio, rules, today, users)
    out += contracts.evaluate(portfolio, rules, today, users)
    out += questionnaires.evaluate(portfolio, rules, today)
    out += residency.evaluate(portfolio, rules, users)
    return out


def recorded(portfolio: PortfolioFacts, raised: Iterable[SubjectFinding]) -> PortfolioFacts:
    """``portfolio`` as the store holds it once ``raised`` is recorded, as the store does it:
    each vendor's and contract's inventory findings are the raised ones (one per identity); a
    raised finding keeps the status and acceptance of the recorded one with its identity;
    recorded inventory findings no longer raised are resolved (gone). Other findings stay."""
    by_subject: dict[tuple[str, str], list[SubjectFinding]] = defaultdict(list)
    for f in raised:
        by_subject[(f.subject, f.key)].append(f)
    vendors = {k: replace(v, findings=_merge(v.findings, by_subject.get(("vendor", k), ())))
               for k, v in portfolio.vendors.items()}
    contracts_ = tuple(replace(c, findings=_merge(c.findings, by_subject.get(("contract", c.key),
                                                                             ())))
                       for c in portfolio.contracts)
    return replace(portfolio, vendors=vendors, contracts=contracts_)


def with_inventory_findings(portfolio: PortfolioFacts, rules: InventoryRules, now: datetime
                            ) -> PortfolioFacts:
    """Evaluate the inventory findings and record them (see :func:`recorded`)."""
    return recorded(portfolio, evaluate_inventory(portfolio, rules, now))


def _merge(records: Sequence[RecordedFinding], raised: Sequence[SubjectFinding]
           ) -> tuple[RecordedFinding, ...]:
    kept = [r for r in records if r.code not in INVENTORY_CODES]
    before = {(r.code, CATALOG[r.code].identity_of(r.evidence)): r
              for r in records if r.code in INVENTORY_CODES}
    seen: set[tuple[str, str]] = set()
    for f in raised:
        key = (f.finding.code, f.identity)
        if key in seen:
            continue
        seen.add(key)
        prev = before.get(key)
        status, until = ("open", None) if prev is None or prev.status == "resolved" \
            else (prev.status, prev.accepted_until)
        kept.append(RecordedFinding(f.finding.code, f.finding.severity, status, until,
                                    f.finding.title, dict(f.finding.evidence), f.client))
    return tuple(kept)
