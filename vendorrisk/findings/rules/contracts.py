"""Contract findings: ``contract.clause_missing``, ``contract.notice_deadline``,
``contract.expired``, ``contract.missing`` (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from vendorrisk.compliance.clauses import ClauseRule
from vendorrisk.findings.codes import Severity, make_finding
from vendorrisk.findings.rules.inventory import InventoryRules, SubjectFinding, contract_conditions
from vendorrisk.portfolio.facts import ClientFacts, ContractFacts, PortfolioFacts
from vendorrisk.portfolio.schedules import next_renewal


def evaluate(p: PortfolioFacts, rules: InventoryRules, today: date,
             users: Mapping[str, set[str]]) -> Iterator[SubjectFinding]:
    served: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d in p.domains:
        for v in dict.fromkeys(x for x in (d.registrar, *d.dns_providers) if x):
            served[(v, d.client)].append(d.name)
    by_vendor: dict[str, list[ContractFacts]] = defaultdict(list)
    for c in p.contracts:
        by_vendor[c.vendor].append(c)
    for c in sorted(p.contracts, key=lambda c: c.key):
        clients = [c.client] if c.client is not None else sorted(users.get(c.vendor, ()))
        for client in clients:
            if client in p.clients:
                yield from _clauses(c, p.clients[client], rules)
        deadline = _notice_deadline(c, rules, today)
        if deadline is not None:
            yield SubjectFinding("contract", c.key, c.client, make_finding(
                "contract.notice_deadline", deadline))
        yield from _expired(c, clients, served, by_vendor[c.vendor], today)
    yield from _missing(p, users, served, by_vendor)


def _clauses(c: ContractFacts, client: ClientFacts, rules: InventoryRules
             ) -> Iterator[SubjectFinding]:
    missing: dict[str, list[ClauseRule]] = defaultdict(list)
    for rule in rules.clauses.missing(c.terms(), sorted(client.regimes), contract_conditions(c)):
        missing[rule.id].append(rule)
    for clause, found in sorted(missing.items()):
        sev = max((Severity.parse(r.severity) for r in found), key=lambda s: s.rank)
        ev = {"contract": c.key, "vendor": c.vendor, "client": client.name, "clause": clause,
              "clause_title": found[0].title, "regimes": sorted({r.regime for r in found}),
              "references": sorted({r.reference for r in found if r.reference})}
        yield SubjectFinding("contract", c.key, client.name, make_finding(
            "contract.clause_missing", ev, severity=sev,
            title=f"Required contract clause missing: {found[0].title}"))


def _notice_deadline(c: ContractFacts, rules: InventoryRules, today: date
                     ) -> dict[str, Any] | None:
    if not c.auto_renew or c.notice_days_customer is None:
        return None
    renewal = next_renewal(c.start, c.end, c.renewal_term_months, today)
    if renewal is None:
        return None
    deadline = renewal - timedelta(days=c.notice_days_customer)
    left = (deadline - today).days
    if not 0 <= left <= rules.notice_window_days:
        return None
    return {"contract": c.key, "vendor": c.vendor, "client": c.client,
            "renews_on": renewal.isoformat(), "notice_days": c.notice_days_customer,
            "last_notice_day": deadline.isoformat(), "days_left": left}


def _expired(c: ContractFacts, clients: Iterable[str],
             served: Mapping[tuple[str, str], list[str]], siblings: list[ContractFacts],
             today: date) -> Iterator[SubjectFinding]:
    """``siblings``: every contract with the same vendor."""
    if c.end is None or c.end >= today or c.auto_renew:
        return
    for client in clients:
        domains = sorted(served.get((c.vendor, client), ()))
        if not domains:
            continue
        successor = any(o.key != c.key and o.client in (client, None) and o.active_on(today)
                        for o in siblings)
        if not successor:
            yield SubjectFinding("contract", c.key, client, make_finding("contract.expired", {
                "contract": c.key, "vendor": c.vendor, "client": client,
                "ended": c.end.isoformat(), "domains": domains[:20],
                "domain_count": len(domains)}))


def _missing(p: PortfolioFacts, users: Mapping[str, set[str]],
             served: Mapping[tuple[str, str], list[str]],
             by_vendor: Mapping[str, list[ContractFacts]]) -> Iterator[SubjectFinding]:
    """A vendor serves a client with no contract at all: none for that client and no
    MSP-wide one, current or ended (an ended one is ``contract.expired``'s to report).

    High when the vendor supports a critical function for the client: it is a tier-1 vendor
    (``critical`` in data/certifications.yaml) or it serves one of the client's critical
    domains; medium otherwise."""
    critical_domains = {(d.client, d.name) for d in p.domains if d.critical}
    for vendor in sorted(k for k in users if k in p.vendors):
        contracts = by_vendor.get(vendor, [])
        for client in sorted(users[vendor]):
            if any(c.client in (client, None) for c in contracts):
                continue
            domains = sorted(served.get((vendor, client), ()))
            critical = [d for d in domains if (client, d) in critical_domains]
            tier_1 = p.vendors[vendor].tier == 1
            why = [*(["vendor is tier 1"] if tier_1 else []),
                   *(["serves critical domains"] if critical else [])]
            yield SubjectFinding("vendor", vendor, client, make_finding("contract.missing", {
                "vendor": vendor, "client": client, "domains": domains[:20],
                "domain_count": len(domains), "critical_function": bool(why),
                "critical_because": why, "critical_domains": critical[:20],
                "tier": p.vendors[vendor].tier},
                severity=Severity.HIGH if why else Severity.MEDIUM))
