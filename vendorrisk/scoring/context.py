"""What every factor computation shares: the portfolio, weights, clock and inventory findings.

Inventory findings are evaluated once here; a finding is dropped while a recorded finding
of the same subject, code (and ref, when the record has one) is accepted and not expired.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from vendorrisk.findings.rules.inventory import (
    InventoryRules,
    SubjectFinding,
    evaluate_inventory,
)
from vendorrisk.portfolio.facts import (
    AnswerFacts,
    ContractFacts,
    DomainFacts,
    PortfolioFacts,
    RecordedFinding,
)
from vendorrisk.scoring.weights import Weights

T = TypeVar("T")
FindingKey = tuple[str, str, str | None]
"""(subject kind, subject key, client)."""


@dataclass
class ScoringContext:
    portfolio: PortfolioFacts
    weights: Weights
    now: datetime
    rules: InventoryRules
    raised: list[SubjectFinding] = field(default_factory=list)
    """Every inventory finding evaluation raised, accepted or not."""
    counted: dict[FindingKey, list[SubjectFinding]] = field(default_factory=dict)
    """The ones that count, by subject and client."""
    accepted: dict[FindingKey, list[SubjectFinding]] = field(default_factory=dict)
    contracts_of: dict[str, list[ContractFacts]] = field(default_factory=dict)
    """Vendor key → its contracts."""
    answers_of: dict[str, list[AnswerFacts]] = field(default_factory=dict)
    domains_of_client: dict[str, list[DomainFacts]] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    @classmethod
    def build(cls, portfolio: PortfolioFacts, weights: Weights, now: datetime,
              rules: InventoryRules) -> ScoringContext:
        ctx = cls(portfolio, weights, now, rules)
        ctx.raised = evaluate_inventory(portfolio, rules, now)
        acceptances = _acceptances(portfolio, now)
        counted: dict[FindingKey, list[SubjectFinding]] = defaultdict(list)
        accepted: dict[FindingKey, list[SubjectFinding]] = defaultdict(list)
        for f in ctx.raised:
            refs = acceptances.get((f.subject, f.key, f.finding.code), ())
            target = accepted if (None in refs or f.ref in refs) else counted
            target[(f.subject, f.key, f.client)].append(f)
        ctx.counted, ctx.accepted = dict(counted), dict(accepted)
        ctx.contracts_of = _group(portfolio.contracts, lambda c: c.vendor)
        ctx.answers_of = _group(portfolio.answers, lambda a: a.vendor)
        ctx.domains_of_client = _group(portfolio.domains, lambda d: d.client)
        return ctx

    def findings(self, subject: str, key: str, client: str | None, code: str
                 ) -> list[SubjectFinding]:
        return [f for f in self.counted.get((subject, key, client), ()) if f.finding.code == code]

    def accepted_of(self, subject: str, key: str, client: str | None, code: str
                    ) -> list[SubjectFinding]:
        return [f for f in self.accepted.get((subject, key, client), ())
                if f.finding.code == code]

    def engagement_contracts(self, vendor: str, client: str) -> tuple[list[ContractFacts],
                                                                      list[ContractFacts]]:
        """(current, all) contracts covering ``client``'s use of ``vendor``."""
        every = [c for c in self.contracts_of.get(vendor, ()) if c.client in (client, None)]
        return [c for c in every if c.active_on(self.today)], every


def _acceptances(p: PortfolioFacts, now: datetime
                 ) -> dict[tuple[str, str, str], set[str | None]]:
    """(subject kind, key, code) → refs under a live acceptance (``None`` = all refs)."""
    out: dict[tuple[str, str, str], set[str | None]] = defaultdict(set)

    def add(kind: str, key: str, records: Iterable[RecordedFinding]) -> None:
        for r in records:
            if r.status == "accepted" and not r.counts(now):
                out[(kind, key, r.code)].add(r.ref)

    for v in p.vendors.values():
        add("vendor", v.key, v.findings)
    for c in p.contracts:
        add("contract", c.key, c.findings)
    return out


def _group(items: Iterable[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return dict(out)
