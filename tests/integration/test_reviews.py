"""Periodic review: what is due, and a review that records what changed since the last one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from vendorrisk.errors import InputError, NotFoundError
from vendorrisk.services.demo import load_demo
from vendorrisk.services.reviews import ReviewService
from vendorrisk.store.models import FindingRow, Vendor

TODAY = date(2026, 11, 23)


@pytest.fixture
def portfolio(services: Any) -> Any:
    load_demo(services, today=TODAY)
    return services


def _reviews(services: Any) -> ReviewService:
    """The facade's review service: the one the CLI and the TUI call."""
    reviews: ReviewService = services.reviews
    return reviews


def _all_ok(service: ReviewService) -> dict[str, Any]:
    return {item.id: "ok" for item in service.checklist.items}


def test_due_lists_every_kind(portfolio: Any) -> None:
    with portfolio.db.session() as session:
        vendor = session.execute(select(Vendor).where(Vendor.name == "NS1")).scalar_one()
        session.add(FindingRow(fingerprint="acc", code="exit.single_provider", severity="medium",
                            title="Single provider", evidence={}, subject_kind="vendor",
                            vendor_id=vendor.id, status="accepted", accepted_by="cfo",
                            accepted_reason="budget", accepted_until=TODAY + timedelta(days=10),
                            first_seen=datetime(2026, 1, 1, tzinfo=UTC),
                            last_seen=datetime(2026, 1, 1, tzinfo=UTC)))
    items = _reviews(portfolio).due(within=90, today=TODAY)
    kinds = {i.kind for i in items}
    assert {"contract.notice_deadline", "certification.stale", "certification.expiry",
            "questionnaire.stale", "finding.acceptance_expires", "vendor.review"} <= kinds
    assert all(i.due <= TODAY + timedelta(days=90) for i in items)
    assert [i.due for i in items] == sorted(i.due for i in items)
    (accepted,) = [i for i in items if i.kind == "finding.acceptance_expires"
                   and "cfo" in i.detail]
    assert accepted.days_left == 10 and "cfo" in accepted.detail
    fewer = _reviews(portfolio).due(within=0, today=TODAY)
    assert len(fewer) < len(items)


def test_review_cycle_records_changes_and_checklist(portfolio: Any) -> None:
    service = _reviews(portfolio)
    first = service.start("NS1")
    assert first["subject_kind"] == "vendor" and first["changes"]["first_review"] is True
    assert set(first["checklist"]) == {i.id for i in service.checklist.items}
    assert first["changes"]["new_findings"], "demo findings on NS1-served domains"
    with pytest.raises(InputError, match="still open"):
        service.start("NS1")
    with pytest.raises(InputError, match="not answered"):
        service.complete(first["id"], decision="renew", notes="fine",
                         answers={"term_end": "ok"})
    with pytest.raises(InputError, match="answer must be one of"):
        service.complete(first["id"], decision="renew", notes=None, answers={"term_end": "meh"})
    with pytest.raises(InputError, match="unknown decision"):
        service.complete(first["id"], decision="shrug", notes=None)
    answers = _all_ok(service) | {"exit_assistance": {"answer": "issue", "note": "only 7 days"}}
    done = service.complete(first["id"], decision="renegotiate", notes="push for 30 days",
                            answers=answers)
    assert done["decision"] == "renegotiate" and done["completed_at"]
    assert done["checklist"]["exit_assistance"] == {**done["checklist"]["exit_assistance"],
                                                    "answer": "issue", "note": "only 7 days"}
    (event,) = [e for e in portfolio.audit_log(entity_kind="review", limit=1)]
    assert event["after"]["decision"] == "renegotiate"
    assert event["after"]["issues"] == ["exit_assistance"]

    # changes after the first review: a contract amendment and a new certification
    (contract,) = [c for c in portfolio.inventory.list("contract", vendor="NS1")][:1]
    portfolio.inventory.update("contract", str(contract["id"]), {"notice_days_customer": "45"})
    portfolio.inventory.create("certification", {"vendor": "NS1", "cert_type": "iso27701",
                                                 "issued": "2026-10-01"})
    second = service.start("NS1")
    changes = second["changes"]
    assert changes["previous_review"] == first["id"] and changes["first_review"] is False
    assert [a["after"] for a in changes["contract_amendments"]] == [
        {"notice_days_customer": 45}]
    assert [c["action"] for c in changes["certification_changes"]] == ["create"]
    assert changes["new_findings"] == [] and changes["domain_changes"] == []
    assert set(changes["scores"]) == {"lockin", "compliance"}


def test_contract_review_by_reference(portfolio: Any) -> None:
    review = _reviews(portfolio).start("NS1-BP-2023")
    assert review["subject_kind"] == "contract" and review["vendor_id"] is None
    facts = review["checklist"]["auto_renewal"]["facts"]
    assert "auto_renew" in facts
    with pytest.raises(NotFoundError):
        _reviews(portfolio).start("no such thing")
