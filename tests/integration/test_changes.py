"""Change detection between stored probe runs (for cron), from stored observations only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from vendorrisk.errors import InputError
from vendorrisk.probes.dns.types import DnsObservation, DnssecObservation, NameserverObservation
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.services.changes import ChangeService, compare, parse_since, reaches, worst
from vendorrisk.store.models import Domain, FindingRow, ObservationRow, ProbeRun
from vendorrisk.views.derived import ObservedFields

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
BASE: dict[str, Any] = {"registrar": "Reg One", "expires": datetime(2027, 5, 1, tzinfo=UTC),
                        "epp_status": ("clientTransferProhibited", "serverDeleteProhibited",
                                       "serverTransferProhibited", "serverUpdateProhibited"),
                        "providers": ("Prov A",), "dnssec": "secure"}
LOCKS = {"registrar_locked": ("clientTransferProhibited",),
         "registry_locked": ("serverDeleteProhibited", "serverTransferProhibited",
                             "serverUpdateProhibited")}


def _obs(name: str, at: datetime, **patch: Any) -> DomainObservation:
    """A typed observation of ``name``; ``patch`` changes the registrar, expiry, operators,
    DNSSEC status, or drops a lock (``registrar_locked=False``: its EPP statuses are gone)."""
    v = {**BASE, **patch}
    status = tuple(s for s in v["epp_status"]
                   if not any(v.get(lock) is False and s in codes for lock, codes in LOCKS.items()))
    registration = RegistrationObservation(
        name, source="rdap", registrar=v["registrar"], expires=v["expires"], epp_status=status,
        registrar_locked=v.get("registrar_locked", True),
        registry_locked=v.get("registry_locked", True))
    server = NameserverObservation("ns1.a.net", ("192.0.2.1",), v["providers"][0], (), True, True)
    dns = DnsObservation(name, at, "example", ("ns1.a.net",), ("ns1.a.net",), (server,),
                         v["providers"], DnssecObservation(v["dnssec"]))
    return DomainObservation(name, at, registration, dns)


def _run(services: Any, at: datetime, observations: dict[str, DomainObservation]) -> int:
    with services.db.session() as session:
        run = ProbeRun(started_at=at, finished_at=at, status="complete",
                       domain_count=len(observations))
        session.add(run)
        session.flush()
        for name, obs in observations.items():
            domain = session.execute(select(Domain).where(Domain.name == name)).scalar_one()
            session.add(ObservationRow(run_id=run.id, domain_id=domain.id, probed_at=at,
                                       complete=obs.complete, data=obs.to_json(), reasons=[]))
        return int(run.id)


@pytest.fixture
def portfolio(services: Any) -> Any:
    services.inventory.create("client", {"name": "Acme"})
    services.inventory.create("client", {"name": "Other"})
    for name, client in (("a.example", "Acme"), ("b.example", "Acme"), ("c.example", "Other")):
        services.inventory.create("domain", {"name": name, "client": client})
    _run(services, T0, {n: _obs(n, T0) for n in ("a.example", "b.example", "c.example")})
    t1 = T0 + timedelta(days=1)
    _run(services, t1, {
        "a.example": _obs("a.example", t1, registrar_locked=False, dnssec="bogus"),
        "b.example": _obs("b.example", t1, providers=("Prov A", "Prov B"), registrar="Reg Two",
                          expires=datetime(2026, 12, 1, tzinfo=UTC)),
        "c.example": _obs("c.example", t1, registry_locked=False)})
    return services


def test_changes_between_the_last_two_runs(portfolio: Any) -> None:
    changes = ChangeService(portfolio.db).list(runs=1)
    got = {(c.domain, c.kind, c.severity) for c in changes}
    assert got == {
        ("a.example", "lock.registrar_removed", "high"),
        ("a.example", "dnssec.status_changed", "critical"),
        ("b.example", "operator.changed", "medium"),
        ("b.example", "registrar.changed", "high"),
        ("b.example", "expiry.moved", "medium"),
        ("c.example", "lock.registry_removed", "high"),
    }
    assert changes[0].severity == "critical"  # worst first
    assert worst(changes) == "critical" and reaches(changes, "high")
    (dnssec,) = [c for c in changes if c.kind == "dnssec.status_changed"]
    assert dnssec.to_json()["before"] == "secure" and dnssec.to_json()["after"] == "bogus"


def test_since_and_client_filter(portfolio: Any) -> None:
    service = ChangeService(portfolio.db)
    assert service.list(since=T0 + timedelta(days=2)) == []
    acme = service.list(since=T0 + timedelta(hours=12), client="Acme")
    assert {c.domain for c in acme} == {"a.example", "b.example"}
    everything = service.list(since=T0 - timedelta(days=1))
    assert len(everything) == 6  # the first run has nothing before it to compare with


def test_new_findings_are_listed_with_their_severity(portfolio: Any) -> None:
    with portfolio.db.session() as session:
        domain = session.execute(select(Domain).where(Domain.name == "c.example")).scalar_one()
        session.add(FindingRow(fingerprint="x", code="lock.transfer_unlocked", severity="high",
                            title="Transfer lock is off", evidence={}, subject_kind="domain",
                            domain_id=domain.id, client_id=domain.client_id,
                            first_seen=T0 + timedelta(days=1), last_seen=T0 + timedelta(days=1),
                            status="open"))
    changes = ChangeService(portfolio.db).list(runs=1, client="Other")
    assert ("c.example", "finding.new:lock.transfer_unlocked", "high") in {
        (c.domain, c.kind, c.severity) for c in changes}


def test_compare_is_quiet_about_unknowns() -> None:
    old = ObservedFields(registrar_locked=True, dnssec="secure", operators=("A",))
    new = ObservedFields(registrar_locked=None, dnssec=None, operators=())
    assert list(compare("d", None, old, new, None, None)) == []


def test_parse_since() -> None:
    now = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
    assert parse_since("yesterday", now) == datetime(2026, 11, 22, tzinfo=UTC)
    assert parse_since("today", now) == datetime(2026, 11, 23, tzinfo=UTC)
    assert parse_since("12h", now) == now - timedelta(hours=12)
    assert parse_since("2026-11-01", now) == datetime(2026, 11, 1, tzinfo=UTC)
    with pytest.raises(InputError):
        parse_since("last week", now)
    with pytest.raises(InputError):
        reaches([], "severe")


def test_baseline_hides_findings_known_by_then_and_is_audited(portfolio: Any) -> None:
    service = ChangeService(portfolio.db, "tester")
    with portfolio.db.session() as session:
        domain = session.execute(select(Domain).where(Domain.name == "a.example")).scalar_one()
        for code, seen in (("lock.transfer_unlocked", T0 + timedelta(days=1)),
                           ("dnssec.bogus", T0 + timedelta(days=1, hours=2))):
            session.add(FindingRow(fingerprint=code, code=code, severity="high", title=code,
                                   evidence={}, subject_kind="domain", domain_id=domain.id,
                                   client_id=domain.client_id, first_seen=seen, last_seen=seen,
                                   status="open"))
    window = T0 + timedelta(hours=12)
    new = {c.kind for c in service.list(since=window) if c.kind.startswith("finding.new")}
    assert new == {"finding.new:lock.transfer_unlocked", "finding.new:dnssec.bogus"}
    assert service.baseline() is None
    service.set_baseline(T0 + timedelta(days=1, hours=1), note="test")
    changes = service.list(since=window)
    assert [c.kind for c in changes if c.kind.startswith("finding.new")] == [
        "finding.new:dnssec.bogus"]
    assert len([c for c in changes if not c.kind.startswith("finding.new")]) == 6  # compared
    assert service.baseline() == T0 + timedelta(days=1, hours=1)
    (event,) = [e for e in portfolio.audit_log(entity_kind="changes_baseline")]
    assert (event["actor"], event["entity_label"]) == ("tester", "test")


def test_changes_name_their_subject_kind() -> None:
    old = ObservedFields(registrar_locked=True)
    (change,) = compare("a.example", "Acme", old, ObservedFields(registrar_locked=False),
                        None, None)
    assert (change.subject_kind, change.domain, change.label) == (
        "domain", "a.example", "domain a.example")
    record = change.to_json()
    assert (record["subject_kind"], record["subject"], record["domain"]) == (
        "domain", "a.example", "a.example")
