"""Golden explanations for hand-built subjects; regenerate with VENDORRISK_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.unit.scoring.builders import (
    NOW,
    TODAY,
    AnswerFacts,
    CertFacts,
    ClientFacts,
    DomainFacts,
    RiskyAnswer,
    VendorFacts,
    book,
    finding,
    good_contract,
    portfolio,
)
from vendorrisk.findings.codes import Severity
from vendorrisk.scoring import Score, ScoreBook, render_explanation

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "scoring" / "golden"


def demo() -> ScoreBook:
    """Bank Co. (DORA + GDPR, EU residency) on a sticky DNS provider and a good registrar."""
    clients = [ClientFacts("bankco", frozenset({"dora", "gdpr"}), "EU")]
    vendors = [
        VendorFacts("r53", "Sticky DNS Inc.", "dns_provider", 1, "sticky",
                    frozenset({"US", "IE"})),
        VendorFacts("gandi", "Good Registrar SAS", "registrar", 2, "good", frozenset({"FR"})),
    ]
    domains = [
        DomainFacts("bank.example", "bankco", "gandi", ("r53",), ("sticky",), True, True, True,
                    None, (finding("dnssec.signatures_expiring", Severity.MEDIUM),
                           finding("lock.transfer_unlocked", Severity.HIGH, status="accepted",
                                   accepted_until=NOW + timedelta(days=40)))),
        DomainFacts("www-bank.example", "bankco", "gandi", ("r53",), None, False, False),
    ]
    contracts = [
        good_contract("C-100", "r53", "bankco", auto_renew=True, end=TODAY + timedelta(days=75),
                      notice_days_customer=60, termination_for_convenience=False,
                      exit_assistance_days=0, zone_export=False, clauses=frozenset(),
                      data_return=True, supports_critical_function=True,
                      conditions=frozenset({"personal_data"})),
        good_contract("C-200", "gandi", "bankco"),
    ]
    certs = [CertFacts("r53", "soc2_type2", None, date(2025, 6, 30)),
             CertFacts("gandi", "iso27001", date(2024, 3, 1), date(2027, 2, 28))]
    answers = [AnswerFacts("r53", "dns-provider", "1", "reviewed", date(2026, 3, 1),
                           date(2026, 3, 10), (RiskyAnswer("dns-07", Severity.HIGH, "no",
                                                           "Registry lock offered"),), 1, 42)]
    return book(portfolio(clients=clients, vendors=vendors, domains=domains,
                          contracts=contracts, certifications=certs, answers=answers))


def subjects(b: ScoreBook) -> dict[str, Score]:
    return {"domain-bank": b.domains["bank.example"], "vendor-r53": b.vendors["r53"],
            "client-bankco": b.clients["bankco"],
            "engagement-bankco-gandi": b.engagements[("bankco", "gandi")]}


@pytest.mark.parametrize("name", ["domain-bank", "vendor-r53", "client-bankco",
                                  "engagement-bankco-gandi"])
def test_golden_explanation(name: str) -> None:
    text = render_explanation(subjects(demo())[name])
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("VENDORRISK_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_explanation_lists_remedies_for_failing_and_unknown_factors_only() -> None:
    score = demo().domains["bank.example"]
    text = render_explanation(score)
    for f in score.factors:
        assert f.title in text
        assert (f"remedy: {f.remedy}" in text) or f.state == "pass"
