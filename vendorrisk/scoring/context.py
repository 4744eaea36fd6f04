"""What every factor computation shares: the portfolio, weights, clock and the recorded
inventory findings, sorted into those that count and those waived by a live acceptance.

Scoring raises no finding: the findings were evaluated and stored before (the store, or
``findings.evaluate.recorded``), and each recorded finding is one identity, so an acceptance
waives that finding and no other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from vendorrisk.findings.codes import Area, area_of
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
    counted: dict[FindingKey, list[RecordedFinding]] = field(default_factory=dict)
    """Recorded inventory findings that count, by subject and client."""
    accepted: dict[FindingKey, list[RecordedFinding]] = field(default_factory=dict)
    """Recorded inventory findings under a live acceptance."""
    contracts_of: dict[str, list[ContractFacts]] = field(default_factory=dict)
    """Vendor key → its contracts."""
    answers_of: dict[str, list[AnswerFacts]] = field(default_factory=dict)
    domains_of_client: dict[str, list[DomainFacts]] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    @classmethod
    def build(cls, portfolio: PortfolioFacts, weights: Weights, now: datetime
              ) -> ScoringContext:
        ctx = cls(portfolio, weights, now)
        counted: dict[FindingKey, list[RecordedFinding]] = defaultdict(list)
        accepted: dict[FindingKey, list[RecordedFinding]] = defaultdict(list)

        def sort(kind: str, key: str, records: Iterable[RecordedFinding]) -> None:
            for r in records:
                if area_of(r.code, r.evidence) is not Area.INVENTORY:
                    continue
                if r.counts(now):
                    counted[(kind, key, r.client)].append(r)
                elif r.waived(now):
                    accepted[(kind, key, r.client)].append(r)

        for v in portfolio.vendors.values():
            sort("vendor", v.key, v.findings)
        for c in portfolio.contracts:
            sort("contract", c.key, c.findings)
        ctx.counted, ctx.accepted = dict(counted), dict(accepted)
        ctx.contracts_of = _group(portfolio.contracts, lambda c: c.vendor)
        ctx.answers_of = _group(portfolio.answers, lambda a: a.vendor)
        ctx.domains_of_client = _group(portfolio.domains, lambda d: d.client)
        return ctx

    def findings(self, subject: str, key: str, client: str | None, code: str
                 ) -> list[RecordedFinding]:
        return [f for f in self.counted.get((subject, key, client), ()) if f.code == code]

    def accepted_of(self, subject: str, key: str, client: str | None, code: str
                    ) -> list[RecordedFinding]:
        return [f for f in self.accepted.get((subject, key, client), ()) if f.code == code]

    def engagement_contracts(self, vendor: str, client: str) -> tuple[list[ContractFacts],
                                                                      list[ContractFacts]]:
        """(current, all) contracts covering ``client``'s use of ``vendor``."""
        every = [c for c in self.contracts_of.get(vendor, ()) if c.client in (client, None)]
        return [c for c in every if c.active_on(self.today)], every


def _group(items: Iterable[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return dict(out)
