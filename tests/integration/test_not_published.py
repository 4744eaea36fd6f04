"""What a TLD's registry never publishes is carried from the stored observation to the score:
not applicable, with the reason, and the probe stays complete."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.prober import build_observation
from vendorrisk.probes.registration.types import RegistrationData
from vendorrisk.store.models import Domain, ObservationRow, ProbeRun

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _store(services: Any, obs: DomainObservation) -> None:
    with services.db.session() as session:
        run = ProbeRun(started_at=AT, finished_at=AT, status="complete", domain_count=1)
        session.add(run)
        session.flush()
        domain = session.execute(select(Domain).where(Domain.name == obs.domain)).scalar_one()
        session.add(ObservationRow(run_id=run.id, domain_id=domain.id, probed_at=AT,
                                   complete=obs.complete, data=obs.to_json(), reasons=[]))


def _registration_factor(services: Any, name: str) -> Any:
    score = services.scoring.book(now=AT).domains[name]
    return next(f for f in score.factors if f.title == "Open findings (registration)")


def test_a_denic_answer_is_complete_and_its_gaps_not_applicable(services: Any) -> None:
    services.inventory.create("client", {"name": "Acme"})
    for name in ("beispiel.de", "example.com"):
        services.inventory.create("domain", {"name": name, "client": "Acme"})
    denic = build_observation("beispiel.de", "whois", "whois.denic.de", RegistrationData(
        other_status=("connect",), has_registrant=True), [], AT)
    bare = build_observation("example.com", "whois", "whois.example", RegistrationData(
        registrar="X", other_status=("active",)), [], AT)
    _store(services, DomainObservation("beispiel.de", AT, denic, None))
    _store(services, DomainObservation("example.com", AT, bare, None))
    de = _registration_factor(services, "beispiel.de")
    assert [n["field"] for n in de.evidence["not_applicable"]] == [
        "registrar", "expiry date", "EPP status"]
    assert all("the .de registry does not publish" in n["reason"]
               for n in de.evidence["not_applicable"])
    com = _registration_factor(services, "example.com")
    assert "not_applicable" not in com.evidence  # .com publishes them: the gap is a fault
    assert not bare.complete and denic.complete
