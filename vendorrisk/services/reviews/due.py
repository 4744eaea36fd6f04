"""What is due: renewals, notice deadlines, certification expiries, stale questionnaires,
expiring risk acceptances and vendors without a completed review within the interval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.config import ReviewSettings
from vendorrisk.portfolio.schedules import certificate_status
from vendorrisk.store.models import (
    Certification,
    Contract,
    FindingRow,
    QuestionnaireResponse,
    Review,
    Vendor,
)
from vendorrisk.views.derived import contract_schedule
from vendorrisk.vocab import FindingStatus, ResponseStatus

REVIEW_INTERVAL_DAYS = ReviewSettings().tier2_days
"""The default interval (a tier-2 vendor); the ``[review]`` settings choose per tier."""
QUESTIONNAIRE_STALE_DAYS = 365


@dataclass(frozen=True)
class DueItem:
    kind: str
    subject: str
    vendor: str | None
    client: str | None
    due: date
    days_left: int
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "vendor": self.vendor,
                "client": self.client, "due": self.due.isoformat(), "days_left": self.days_left,
                "detail": self.detail}


def due_items(session: Session, today: date, horizon: date,
              intervals: ReviewSettings | None = None) -> list[DueItem]:
    """Everything due on or before ``horizon``, soonest first."""
    items: list[DueItem] = []
    items += _contracts_due(session, today, horizon)
    items += _certs_due(session, today, horizon)
    items += _questionnaires_due(session, today, horizon)
    items += _acceptances_due(session, today, horizon)
    items += _vendor_reviews_due(session, today, horizon, intervals or ReviewSettings())
    return sorted(items, key=lambda i: (i.due, i.kind, i.subject))


def _item(kind: str, subject: str, vendor: str | None, client: str | None, due: date,
          today: date, detail: str) -> DueItem:
    return DueItem(kind, subject, vendor, client, due, (due - today).days, detail)


def _contracts_due(session: Session, today: date, horizon: date) -> list[DueItem]:
    out = []
    for c in session.execute(select(Contract)).scalars():
        label = f"{c.vendor.name} {c.reference}"
        client = c.client.name if c.client else None
        schedule = contract_schedule(c, today)
        if schedule["next_renewal"] and schedule["next_renewal"] <= horizon:
            out.append(_item("contract.renewal", label, c.vendor.name, client,
                             schedule["next_renewal"], today, "renews automatically"))
        if schedule["notice_deadline"] and schedule["notice_deadline"] <= horizon:
            out.append(_item("contract.notice_deadline", label, c.vendor.name, client,
                             schedule["notice_deadline"], today,
                             f"last day to give {c.notice_days_customer} days' notice"))
        if not c.auto_renew and c.end_date and c.end_date <= horizon:
            out.append(_item("contract.end", label, c.vendor.name, client, c.end_date, today,
                             "ends (no automatic renewal)"))
        if c.next_review_date and c.next_review_date <= horizon:
            out.append(_item("contract.review", label, c.vendor.name, client, c.next_review_date,
                             today, "next review date"))
    return out


def _certs_due(session: Session, today: date, horizon: date) -> list[DueItem]:
    out = []
    for cert in session.execute(select(Certification)).scalars():
        label = f"{cert.vendor.name} {cert.cert_type}"
        if cert.valid_until and cert.valid_until <= horizon:
            out.append(_item("certification.expiry", label, cert.vendor.name, None,
                             cert.valid_until, today, "certification validity ends"))
        if cert.period_end:
            status = certificate_status(cert.cert_type, as_of=today, period_end=cert.period_end,
                                        bridge_letter=cert.bridge_letter_until)
            stale_on = status.valid_until  # the day the report stops counting, by its rule
            if stale_on is not None and stale_on <= horizon:
                out.append(_item("certification.stale", label, cert.vendor.name, None, stale_on,
                                 today, f"report period ended {cert.period_end}"))
    return out


def _questionnaires_due(session: Session, today: date, horizon: date) -> list[DueItem]:
    latest: dict[int, datetime] = {}
    query = select(QuestionnaireResponse.vendor_id, QuestionnaireResponse.reviewed_at).where(
        QuestionnaireResponse.status == ResponseStatus.REVIEWED,
        QuestionnaireResponse.reviewed_at.is_not(None))
    for vid, at in session.execute(query):
        if at is not None:
            latest[vid] = max(latest.get(vid, at), at)
    out = []
    for v in session.execute(select(Vendor).where(Vendor.status == "active")).scalars():
        at = latest.get(v.id)
        if at is None:
            if v.tier == 1:
                out.append(_item("questionnaire.missing", v.name, v.name, None, today, today,
                                 "tier-1 vendor without a reviewed questionnaire"))
            continue
        stale_on = at.date() + timedelta(days=QUESTIONNAIRE_STALE_DAYS)
        if stale_on <= horizon:
            out.append(_item("questionnaire.stale", v.name, v.name, None, stale_on, today,
                             f"last reviewed {at:%Y-%m-%d}"))
    return out


def _acceptances_due(session: Session, today: date, horizon: date) -> list[DueItem]:
    query = select(FindingRow).where(FindingRow.status == FindingStatus.ACCEPTED,
                                     FindingRow.accepted_until <= horizon)
    return [_item("finding.acceptance_expires", f"{f.code} #{f.id}", None, None,
                  f.accepted_until, today, f"accepted by {f.accepted_by}: {f.title}")
            for f in session.execute(query).scalars() if f.accepted_until]


def _vendor_reviews_due(session: Session, today: date, horizon: date,
                        intervals: ReviewSettings) -> list[DueItem]:
    last: dict[int, datetime] = {}
    query = select(Review.vendor_id, Contract.vendor_id, Review.completed_at).outerjoin(
        Contract, Contract.id == Review.contract_id).where(Review.completed_at.is_not(None))
    for vid, cvid, at in session.execute(query):
        key = vid or cvid
        if at is not None and key is not None:
            last[key] = max(last.get(key, at), at)
    out = []
    for v in session.execute(select(Vendor).where(Vendor.status == "active")).scalars():
        at = last.get(v.id)
        due = at.date() + timedelta(days=intervals.interval_days(v.tier)) if at else today
        if due <= horizon:
            detail = f"last completed review {at:%Y-%m-%d}" if at else "never reviewed"
            out.append(_item("vendor.review", v.name, v.name, None, due, today, detail))
    return out
