"""Change detection between stored probe runs (for cron), from stored observations only."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from vendorrisk.errors import InputError
from vendorrisk.services.changes import ChangeService, compare, parse_since, reaches, worst
from vendorrisk.store.models import Domain, FindingRow, ObservationRow, ProbeRun

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
BASE = {
    "registration": {"registrar": "Reg One", "expires": "2027-05-01", "registrar_locked": True,
                     "registry_locked": True},
    "dns": {"providers": ["Prov A"], "nameservers": [{"name": "ns1.a.net"}],
            "dnssec": {"status": "secure"}},
}


def _obs(**patch: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for dotted, value in patch.items():
        section, key = dotted.split("__")
        if key == "dnssec":
            data["dns"]["dnssec"]["status"] = value
        else:
            data[section][key] = value
    return data


def _run(services: Any, at: datetime, observations: dict[str, dict[str, Any]]) -> int:
    with services.db.session() as session:
        run = ProbeRun(started_at=at, finished_at=at, status="complete",
                       domain_count=len(observations))
        session.add(run)
        session.flush()
        for name, data in observations.items():
            domain = session.execute(select(Domain).where(Domain.name == name)).scalar_one()
            session.add(ObservationRow(run_id=run.id, domain_id=domain.id, probed_at=at,
                                          complete=True, data=data, reasons=[]))
        return int(run.id)


@pytest.fixture
def portfolio(services: Any) -> Any:
    services.inventory.create("client", {"name": "Acme"})
    services.inventory.create("client", {"name": "Other"})
    for name, client in (("a.example", "Acme"), ("b.example", "Acme"), ("c.example", "Other")):
        services.inventory.create("domain", {"name": name, "client": client})
    _run(services, T0, {"a.example": _obs(), "b.example": _obs(), "c.example": _obs()})
    _run(services, T0 + timedelta(days=1), {
        "a.example": _obs(registration__registrar_locked=False, dns__dnssec="bogus"),
        "b.example": _obs(dns__providers=["Prov A", "Prov B"],
                          registration__registrar="Reg Two", registration__expires="2026-12-01"),
        "c.example": _obs(registration__registry_locked=False)})
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
    old = {"registrar_locked": True, "dnssec": "secure", "operators": ["A"]}
    new = {"registrar_locked": None, "dnssec": None, "operators": []}
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
