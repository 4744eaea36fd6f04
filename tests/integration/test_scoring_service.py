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

    before = {s.subject: s.compliance for s in demo.scoring.explain(now=NOW, domain=DOMAIN)}
    with demo.db.session(readonly=True) as s:
        ids = [f.id for f in s.execute(select(FindingRow).where(
            FindingRow.status == "open", FindingRow.domain_id == _domain_id(demo))).scalars()]
    assert ids
    count = snapshots(demo)
    service = FindingService(demo.db, "tester", lambda: TODAY, demo.rescore)
    service.accept(ids, "compensating control documented in ticket 42", "2027-01-31")
    assert snapshots(demo) > count  # the acceptance was rescored at once
    after = {s.subject: s.compliance for s in demo.scoring.explain(now=NOW, domain=DOMAIN)}
    assert all(after[k] <= before[k] for k in before)
    assert after != before


DOMAIN = "bücher-demo.example"


def _domain_id(services: Any) -> int:
    return int(services.inventory.get("domain", DOMAIN)["id"])
