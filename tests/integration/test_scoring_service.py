"""Scores from the stored portfolio: snapshots, inventory findings kept in step, the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.cli.conftest import Run, run  # noqa: F401 - fixture
from vendorrisk.services.demo import load_demo
from vendorrisk.store.models import FindingRow, ScoreSnapshot

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def snapshots(services: Any) -> int:
    with services.db.session(readonly=True) as s:
        return int(s.execute(select(func.count()).select_from(ScoreSnapshot)).scalar_one())


def findings(services: Any, code: str) -> list[tuple[str, str]]:
    with services.db.session(readonly=True) as s:
        rows = s.execute(select(FindingRow).where(FindingRow.code == code)).scalars()
        return [(str(f.status), json.dumps(f.evidence, sort_keys=True)) for f in rows]


@pytest.fixture
def demo(services: Any) -> Any:
    load_demo(services, today=TODAY)
    return services


def test_demo_load_scores_every_subject_once(demo: Any) -> None:
    count = snapshots(demo)
    assert count >= 120 + 15 + 8  # every domain, vendor and client
    demo.scoring.recompute(now=NOW)
    assert snapshots(demo) == count  # nothing changed: no new snapshot rows


def test_an_edit_that_lowers_lock_in_is_a_new_snapshot(demo: Any) -> None:
    before = {s.subject: s.lockin for s in demo.scoring.explain(now=NOW)}
    count = snapshots(demo)
    contract = next(c for c in demo.inventory.list("contract", vendor="NS1")
                    if c["client"] == "Baltic Pay UAB")
    demo.inventory.update("contract", str(contract["id"]), {
        "termination_for_convenience": "yes", "early_termination_fee": "no",
        "zone_export": "yes", "data_return": "yes", "exit_assistance_days": "180"})
    after = {s.subject: s.lockin for s in demo.scoring.explain(now=NOW)}
    assert after["client:Baltic Pay UAB"] < before["client:Baltic Pay UAB"]
    assert snapshots(demo) > count
    trend = demo.scoring.trend("client", _client_id(demo, "Baltic Pay UAB"))
    assert len(trend) >= 2


def _client_id(services: Any, name: str) -> int:
    return int(services.inventory.get("client", name)["id"])


def test_inventory_findings_follow_the_inventory(demo: Any) -> None:
    demo.scoring.recompute(now=NOW)
    open_expired = [e for s, e in findings(demo, "cert.expired") if s == "open"]
    assert any('"iso27001"' in e and "GoDaddy" in e for e in open_expired)
    demo.inventory.create("certification", {"vendor": "GoDaddy", "cert_type": "iso27001",
                                            "issued": "2026-10-20", "valid_until": "2029-10-19"})
    demo.scoring.recompute(now=NOW)
    statuses = [s for s, e in findings(demo, "cert.expired") if "GoDaddy" in e and "iso27001" in e]
    assert statuses and all(s == "resolved" for s in statuses)


def test_accepted_demo_findings_stay_accepted_after_recompute(demo: Any) -> None:
    demo.scoring.recompute(now=NOW)
    accepted = {code for code in ("questionnaire.stale", "contract.clause_missing")
                if any(s == "accepted" for s, _ in findings(demo, code))}
    assert accepted == {"questionnaire.stale", "contract.clause_missing"}


def test_score_command(run: Run, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    assert run("demo").code == 0
    table = run("score", "--json")
    rows = json.loads(table.out)
    assert len(rows) == 8
    for row in rows:
        assert 0 <= row["lockin"] <= 100 and 0 <= row["compliance"] <= 100
        assert row["band_lockin"] in {"low", "medium", "high", "critical"}
        assert "factors" not in row
    one = json.loads(run("score", "--domain", "bücher-demo.example", "--json", "--explain").out)
    assert one["subject"] == "domain:xn--bcher-demo-9db.example"
    ids = {f["id"] for f in one["factors"]}
    assert "lockin.single_operator" in ids
    for factor in one["factors"]:
        assert {"points", "weight", "evidence", "source", "remedy"} <= factor.keys()
    text = run("score", "--vendor", "NS1", "--explain").out
    assert "Lock-in factors:" in text and "remedy:" in text
    missing = run("score", "--client", "Nobody")
    assert missing.code == 2 and "no client 'Nobody'" in missing.err


def test_accepting_a_finding_rescored_and_never_raises_a_score(demo: Any) -> None:
    from vendorrisk.services.findings import FindingService

    domain = "alpine-retail-gift.example"  # a DNSSEC signature that does not verify
    before = {s.subject: s.compliance for s in demo.scoring.explain(now=NOW, domain=domain)}
    domain_id = int(demo.inventory.get("domain", domain)["id"])
    with demo.db.session(readonly=True) as s:
        ids = [f.id for f in s.execute(select(FindingRow).where(
            FindingRow.status == "open", FindingRow.domain_id == domain_id)).scalars()]
    assert ids
    count = snapshots(demo)
    service = FindingService(demo.db, "tester", lambda: TODAY, demo.rescore)
    service.accept(ids, "compensating control documented in ticket 42", "2027-01-31")
    assert snapshots(demo) > count  # the acceptance was rescored at once
    after = {s.subject: s.compliance for s in demo.scoring.explain(now=NOW, domain=domain)}
    assert all(after[k] <= before[k] for k in before)
    assert after != before


DOMAIN = "bücher-demo.example"


def _domain_id(services: Any) -> int:
    return int(services.inventory.get("domain", DOMAIN)["id"])


# --- one compute per change, on a small portfolio of its own (no demo) ------------------------

EXPIRED = {"iso27001": "2026-10-01", "pci_dss": "2026-11-01"}


@pytest.fixture
def small(services: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """One vendor whose ISO 27001 certificate and PCI DSS attestation have both expired.

    Inventory edits do not rescore here, so each test's recompute is the one that stores
    (or resolves) the findings: the change a single compute must reflect."""
    assert "inventory" not in vars(services)
    monkeypatch.setattr(services, "rescore", lambda note: None)
    services.inventory.create("client", {"name": "Acme"})
    services.inventory.create("vendor", {"name": "Sticky DNS", "kind": "dns_provider",
                                         "tier": "2"})
    services.inventory.create("domain", {"name": "acme.example", "client": "Acme",
                                         "dns_providers": "Sticky DNS"})
    for cert_type, until in EXPIRED.items():
        services.inventory.create("certification", {
            "vendor": "Sticky DNS", "cert_type": cert_type, "issued": "2025-10-01",
            "valid_until": until})
    return services


@pytest.fixture
def computes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each call of the score computation, counted."""
    import vendorrisk.services.scoring as use_case

    calls: list[int] = []
    real = use_case.compute_all

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(use_case, "compute_all", counted)
    return calls


def cert_expired(book: Any) -> Any:
    (f,) = [f for f in book.vendors["Sticky DNS"].factors if f.id == "compliance.cert_expired"]
    return f


def cert_rows(services: Any) -> dict[str, tuple[int, str]]:
    """Certification type → (id, status) of its stored cert.expired finding."""
    with services.db.session(readonly=True) as s:
        rows = s.execute(select(FindingRow).where(FindingRow.code == "cert.expired")).scalars()
        return {f.evidence["type"]: (f.id, str(f.status)) for f in rows}


def test_a_rescore_stores_the_findings_then_computes_once(small: Any,
                                                         computes: list[int]) -> None:
    assert cert_rows(small) == {}
    book = small.scoring.recompute(now=NOW)
    assert len(computes) == 1
    assert {t: s for t, (_, s) in cert_rows(small).items()} == {"iso27001": "open",
                                                                "pci_dss": "open"}
    factor = cert_expired(book)  # the scores read the findings just stored
    assert factor.state == "fail"
    assert sorted(row["type"] for row in factor.evidence["findings"]) == ["iso27001", "pci_dss"]


def test_an_acceptance_is_scored_in_the_same_change_and_waives_that_finding_only(
        small: Any, computes: list[int]) -> None:
    """Accepting the expired PCI attestation rescored once; the expired ISO 27001 still counts."""
    from vendorrisk.services.findings import FindingService

    before = cert_expired(small.scoring.recompute(now=NOW))
    pci_id, _ = cert_rows(small)["pci_dss"]
    books: list[Any] = []
    service = FindingService(small.db, "tester", lambda: TODAY,
                             lambda note: books.append(small.scoring.recompute(now=NOW)))
    computes.clear()
    service.accept([pci_id], "renewed AOC promised within 30 days", "2027-01-31")
    assert len(computes) == 1 and len(books) == 1  # one change, one compute
    after = cert_expired(books[0])
    assert after.state == "fail"
    assert [row["type"] for row in after.evidence["findings"]] == ["iso27001"]
    assert [row["type"] for row in after.evidence["accepted"]] == ["pci_dss"]
    assert 0 < after.points < before.points
    assert {t: s for t, (_, s) in cert_rows(small).items()} == {"iso27001": "open",
                                                                "pci_dss": "accepted"}


def test_a_change_that_removes_a_finding_is_scored_at_once(small: Any,
                                                           computes: list[int]) -> None:
    small.scoring.recompute(now=NOW)
    for cert_type in EXPIRED:
        small.inventory.create("certification", {
            "vendor": "Sticky DNS", "cert_type": cert_type, "issued": "2026-11-01",
            "valid_until": "2027-10-31"})
    computes.clear()
    book = small.scoring.recompute(now=NOW)
    assert len(computes) == 1
    assert {s for _, s in cert_rows(small).values()} == {"resolved"}
    assert cert_expired(book).state == "pass"
