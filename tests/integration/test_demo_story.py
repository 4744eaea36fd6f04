"""The demo is computed by the product, and its scores tell the story of data/demo/README.md.

No vendor or contract finding of the demo is written by hand: replaying the inventory rules
over the loaded records gives exactly the stored ones. The scores are what the scoring
computes on them; these tests check they rank the clients the way the story says, spread
over at least three bands on each score, and that every factor of data/scoring.yaml scores
for at least one demo subject.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from vendorrisk.config import Settings
from vendorrisk.findings.codes import SubjectKind
from vendorrisk.findings.evaluate import evaluate_inventory
from vendorrisk.findings.rules.inventory import load_inventory_rules
from vendorrisk.scoring import ScoreBook
from vendorrisk.scoring.weights import FACTOR_IDS
from vendorrisk.services.app import Services, open_services
from vendorrisk.services.demo import load_demo
from vendorrisk.store.facts import inventory_facts
from vendorrisk.store.findings_sync import discriminator, fingerprint
from vendorrisk.store.models import FindingRow
from vendorrisk.vocab import FindingStatus

TODAY = date(2026, 3, 31)  # as tests/integration/test_demo.py
NOW = datetime.combine(TODAY, time(12), UTC)
BANDS = ("low", "medium", "high", "critical")

# The story of data/demo/README.md: clients from the best shape to the worst, per score.
BEST_COMPLIANCE, WORST_COMPLIANCE = "Granite Software Inc.", "Harbor Pharmacy LLC"
BEST_LOCKIN, WORST_LOCKIN = "Granite Software Inc.", "Cedar Health Partners"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, ScoreBook]]:
    path: Path = tmp_path_factory.mktemp("story") / "demo.db"
    services = open_services(Settings(db=f"sqlite:///{path}", user="test"))
    load_demo(services, today=TODAY)
    book = services.scoring.recompute(now=NOW)
    yield services, book
    services.close()


def test_inventory_findings_are_what_the_rules_raise(demo: tuple[Services, ScoreBook]) -> None:
    services = demo[0]
    with services.db.session() as session:
        portfolio, ids = inventory_facts(session, services.settings, NOW)
        raised = set()
        for item in evaluate_inventory(portfolio, load_inventory_rules(), NOW):
            kind = SubjectKind(item.subject)
            table = ids.vendors if kind is SubjectKind.VENDOR else ids.contracts
            raised.add(fingerprint(kind, table[item.key], item.finding.code,
                                   discriminator(item.finding)))
        stored = {f.fingerprint for f in session.execute(select(FindingRow)).scalars()
                  if f.subject_kind is not SubjectKind.DOMAIN
                  and f.status is not FindingStatus.RESOLVED}
    assert raised and stored == raised


def test_clients_spread_over_three_bands_on_each_score(demo: tuple[Services, ScoreBook]
                                                       ) -> None:
    clients = demo[1].clients.values()
    assert len({c.band_lockin for c in clients}) >= 3
    assert len({c.band_compliance for c in clients}) >= 3
    assert not all(c.band_compliance == "critical" for c in clients)


def test_the_story_ranks_the_clients(demo: tuple[Services, ScoreBook]) -> None:
    clients = demo[1].clients
    by_compliance = sorted(clients, key=lambda c: clients[c].compliance)
    by_lockin = sorted(clients, key=lambda c: clients[c].lockin)
    assert (by_compliance[0], by_compliance[-1]) == (BEST_COMPLIANCE, WORST_COMPLIANCE)
    assert (by_lockin[0], by_lockin[-1]) == (BEST_LOCKIN, WORST_LOCKIN)
    assert clients[WORST_COMPLIANCE].band_compliance == "critical"
    assert BANDS.index(clients[BEST_COMPLIANCE].band_compliance) <= BANDS.index("medium")


def test_every_factor_scores_for_some_demo_subject(demo: tuple[Services, ScoreBook]) -> None:
    book = demo[1]
    scored = {f.id for group in (book.domains, book.vendors, book.clients, book.engagements)
              for s in group.values() for f in s.factors if f.points > 0}
    assert set(FACTOR_IDS) - scored == set()


def test_a_client_is_never_better_than_its_worst_domain(demo: tuple[Services, ScoreBook]
                                                        ) -> None:
    services, book = demo
    with services.db.session() as session:
        portfolio, _ = inventory_facts(session, services.settings, NOW)
    for d in portfolio.domains:
        dom, client = book.domains[d.name], book.clients[d.client]
        assert client.lockin >= dom.lockin and client.compliance >= dom.compliance, d.name
