"""The review cycle closes: completing sets the next review date from the configured interval,
and the next review's change record covers contract terms, certifications, questionnaire
answers, findings and scores."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from vendorrisk import config
from vendorrisk.config import ReviewSettings
from vendorrisk.errors import ConfigError
from vendorrisk.services.demo import load_demo
from vendorrisk.services.reviews import ReviewService
from vendorrisk.store.models import FindingRow, ScoreSnapshot, Vendor

TODAY = date(2026, 11, 23)


@pytest.fixture
def portfolio(services: Any) -> Any:
    load_demo(services, today=TODAY)
    return services


def _all_ok(service: ReviewService) -> dict[str, Any]:
    return {item.id: "ok" for item in service.checklist.items}


def _completed_today() -> date:
    return datetime.now(UTC).date()


def test_intervals_from_settings(tmp_path: Path) -> None:
    assert ReviewSettings().interval_days(1) < ReviewSettings().interval_days(2)
    path = tmp_path / "config.toml"
    path.write_text("[review]\ntier1_days = 90\ncontract_days = 30\n", "utf-8")
    settings = config.load(path, env={"VENDORRISK_REVIEW_TIER3_DAYS": "800"})
    assert settings.review.interval_days(1) == 90
    assert settings.review.interval_days(3) == 800
    assert settings.review.interval_days(3, contract=True) == 30
    path.write_text("[review]\ntier1_days = 0\n", "utf-8")
    with pytest.raises(ConfigError, match="greater than 0"):
        config.load(path, env={})


def test_configured_contract_interval_sets_next_date(portfolio: Any) -> None:
    service = ReviewService(portfolio.db, "reviewer", clock=lambda: TODAY,
                            intervals=ReviewSettings(contract_days=30))
    review = service.start("NS1-BP-2023")
    done = service.complete(review["id"], decision="renew", notes=None,
                            answers=_all_ok(service))
    expected = _completed_today() + timedelta(days=30)
    assert done["next_review_date"] == expected.isoformat()
    horizon = (expected - TODAY).days
    due = [i for i in service.due(within=horizon, today=TODAY) if i.kind == "contract.review"
           and i.subject == "NS1 NS1-BP-2023"]
    assert [i.due for i in due] == [expected]
    assert not [i for i in service.due(within=horizon - 1, today=TODAY)
                if i.kind == "contract.review" and i.subject == "NS1 NS1-BP-2023"]


def test_changes_since_last_review_cover_every_kind(portfolio: Any) -> None:
    service: ReviewService = portfolio.reviews
    first = service.start("NS1")
    service.complete(first["id"], decision="renew", notes=None, answers=_all_ok(service))

    # after the review: contract terms, a certification, questionnaire answers, a finding
    # accepted by hand, a vendor edit and new scores
    (contract,) = portfolio.inventory.list("contract", vendor="NS1")[:1]
    portfolio.inventory.update("contract", str(contract["id"]), {"notice_days_customer": "45"})
    portfolio.inventory.create("certification", {"vendor": "NS1", "cert_type": "iso27701",
                                                 "issued": "2026-10-01"})
    template = portfolio.questionnaires.templates()[0]["id"]
    portfolio.questionnaires.set_answers("NS1", template, {})
    with portfolio.db.session(readonly=True) as session:
        vendor = session.execute(select(Vendor).where(Vendor.name == "NS1")).scalar_one()
        finding_ids = list(session.execute(select(FindingRow.id).where(
            FindingRow.vendor_id == vendor.id, FindingRow.status == "open")).scalars())
        snapshots = session.execute(select(ScoreSnapshot).where(
            ScoreSnapshot.subject_kind == "vendor", ScoreSnapshot.subject_id == vendor.id)
        ).scalars().all()
    assert finding_ids and snapshots
    portfolio.findings.accept(finding_ids[:1], reason="exit planned",
                              until=TODAY + timedelta(days=30))
    portfolio.inventory.update("vendor", "NS1", {"notes": "renegotiating"})

    second = service.start("NS1")
    changes = second["changes"]
    assert changes["previous_review"] == first["id"]
    assert [a["after"] for a in changes["contract_amendments"]] == [{"notice_days_customer": 45}]
    assert [c["action"] for c in changes["certification_changes"]] == ["create"]
    assert changes["questionnaire_changes"], "questionnaire answers recorded"
    assert {e["label"].split()[0] for e in changes["questionnaire_changes"]} == {"NS1"}
    (status,) = changes["finding_status_changes"]
    assert status["action"] == "accept" and status["after"]["status"] == "accepted"
    assert [e["after"] for e in changes["vendor_changes"]] == [{"notes": "renegotiating"}]
    for name in ("lockin", "compliance"):
        score = changes["scores"][name]
        assert set(score) == {"before", "after", "delta", "band_before", "band_after"}
        assert score["after"] is not None and score["band_after"] in {"low", "medium", "high",
                                                                      "critical"}
