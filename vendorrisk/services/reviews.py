"""Periodic review: what is due, and reviews that record what changed and walk the checklist.

A review's "changes" come from stored data only: score snapshots, findings' first-seen and
resolved dates, consecutive probe observations, and the audit trail (contract amendments,
certification changes), all since the previous *completed* review of the same subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from vendorrisk.compliance.checklist import ReviewChecklist, load_review_checklist
from vendorrisk.errors import InputError, NotFoundError
from vendorrisk.portfolio.schedules import certificate_status
from vendorrisk.services.changes import observation_changes
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import find
from vendorrisk.store.models import (
    AuditEvent,
    Certification,
    Contract,
    Domain,
    FindingRow,
    QuestionnaireResponse,
    Review,
    ScoreSnapshot,
    Vendor,
    domain_dns_provider,
)
from vendorrisk.views.derived import contract_schedule
from vendorrisk.vocab import AuditAction, FindingStatus, ResponseStatus, ReviewDecision

REVIEW_INTERVAL_DAYS = 365
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


def review_record(r: Review) -> dict[str, Any]:
    return dict(audit.jsonable({
        "id": r.id, "subject_kind": r.subject_kind, "vendor_id": r.vendor_id,
        "contract_id": r.contract_id, "period_start": r.period_start, "period_end": r.period_end,
        "due_date": r.due_date, "started_at": r.started_at, "completed_at": r.completed_at,
        "reviewer": r.reviewer, "decision": r.decision, "notes": r.notes,
        "checklist": r.checklist, "changes": r.changes, "evidence_ref": r.evidence_ref}))


class ReviewService:
    def __init__(self, db: Database, actor: str, checklist: ReviewChecklist | None = None) -> None:
        self.db = db
        self.actor = actor
        self._checklist = checklist

    @property
    def checklist(self) -> ReviewChecklist:
        if self._checklist is None:
            self._checklist = load_review_checklist()
        return self._checklist

    # -- due ---------------------------------------------------------------------------------
    def due(self, *, within: int = 90, today: date | None = None) -> list[DueItem]:
        today = today or datetime.now(UTC).date()
        horizon = today + timedelta(days=within)
        items: list[DueItem] = []
        with self.db.session(readonly=True) as session:
            items += _contracts_due(session, today, horizon)
            items += _certs_due(session, today, horizon)
            items += _questionnaires_due(session, today, horizon)
            items += _acceptances_due(session, today, horizon)
            items += _vendor_reviews_due(session, today, horizon)
        return sorted(items, key=lambda i: (i.due, i.kind, i.subject))

    # -- start / complete ----------------------------------------------------------------------
    def start(self, subject: str, *, today: date | None = None) -> dict[str, Any]:
        now = datetime.now(UTC).replace(microsecond=0)
        today = today or now.date()
        with self.db.session() as session:
            kind, vendor, contract = _subject(session, subject)
            open_review = session.execute(select(Review).where(
                _same_subject(kind, vendor, contract), Review.completed_at.is_(None))).scalar()
            if open_review is not None:
                raise InputError(f"review {open_review.id} of {subject!r} is still open",
                                 f"complete it: vendorrisk review complete {open_review.id} ...")
            previous = _previous(session, kind, vendor, contract)
            since = previous.completed_at if previous else None
            review = Review(subject_kind=kind, vendor_id=vendor.id,
                            contract_id=contract.id if contract else None,
                            period_start=since.date() if since else None, period_end=today,
                            due_date=contract.next_review_date if contract else None,
                            started_at=now, reviewer=self.actor,
                            checklist=self._blank_checklist(contract),
                            changes=changes_since(session, vendor, contract, since, previous))
            if kind == "contract":
                review.vendor_id = None
            session.add(review)
            session.flush()
            record = review_record(review)
            audit.record(session, actor=self.actor, action=AuditAction.REVIEW,
                         entity_kind="review", entity_id=review.id, label=_label(vendor, contract),
                         after={"event": "started", "subject": _label(vendor, contract)})
            return record

    def complete(self, review_id: int, *, decision: str, notes: str | None,
                 answers: Mapping[str, Any] | None = None) -> dict[str, Any]:
        try:
            chosen = ReviewDecision(str(decision).lower())
        except ValueError:
            raise InputError(f"unknown decision {decision!r} (valid: "
                             f"{', '.join(d.value for d in ReviewDecision)})") from None
        with self.db.session() as session:
            review = session.get(Review, review_id)
            if review is None:
                raise NotFoundError(f"no review {review_id}")
            if review.completed_at is not None:
                raise InputError(f"review {review_id} was completed on {review.completed_at:%Y-%m-%d}")
            checklist = self._answer(dict(review.checklist or {}), answers or {})
            missing = [k for k, v in checklist.items() if not v.get("answer")]
            if missing:
                raise InputError(f"review {review_id}: {len(missing)} checklist item(s) not "
                                 f"answered: {', '.join(missing)}",
                                 "answer each with --answer ITEM=ok|issue|not_applicable[:note] "
                                 "or --answers FILE")
            vendor, contract = _review_subject(session, review)
            previous = _previous(session, str(review.subject_kind), vendor, contract)
            now = datetime.now(UTC).replace(microsecond=0)
            review.checklist = checklist
            review.changes = changes_since(session, vendor, contract,
                                           previous.completed_at if previous else None, previous)
            review.decision, review.notes, review.completed_at = chosen, notes, now
            session.flush()
            issues = sorted(k for k, v in checklist.items() if v["answer"] == "issue")
            event = audit.record(session, actor=self.actor, action=AuditAction.REVIEW,
                                 entity_kind="review", entity_id=review.id,
                                 label=_label(vendor, contract),
                                 after={"event": "completed", "decision": chosen.value,
                                        "notes": notes, "issues": issues,
                                        "changes": _summary(review.changes)})
            # The next review reads audit events after this one (timestamps are whole seconds).
            review.changes = {**review.changes, "audit_seq": event.seq}
            session.flush()
            return review_record(review)

    def get(self, review_id: int) -> dict[str, Any]:
        with self.db.session(readonly=True) as session:
            review = session.get(Review, review_id)
            if review is None:
                raise NotFoundError(f"no review {review_id}")
            return review_record(review)

    def _blank_checklist(self, contract: Contract | None) -> dict[str, Any]:
        facts = {}
        if contract is not None:
            facts = {c.key: getattr(contract, c.key) for c in Contract.__table__.columns
                     if c.key not in ("id", "vendor_id", "client_id")}
        out = {}
        for item in self.checklist.items:
            known = {f: facts[f] for f in item.contract_fields if f in facts}
            out[item.id] = {"area": item.area, "question": item.question, "answer": None,
                            "note": None, "facts": audit.jsonable(known)}
        return out

    def _answer(self, checklist: dict[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
        allowed = self.checklist.answers
        for item_id, given in answers.items():
            if item_id not in checklist:
                raise InputError(f"no checklist item {item_id!r}",
                                 f"items: {', '.join(checklist)}")
            answer, note = (given.get("answer"), given.get("note")) if isinstance(given, Mapping) \
                else (given, None)
            answer = str(answer or "").strip().lower()
            if answer not in allowed:
                raise InputError(f"checklist item {item_id}: answer must be one of "
                                 f"{', '.join(allowed)}, got {answer!r}")
            checklist[item_id] = {**checklist[item_id], "answer": answer, "note": note}
        return checklist


def _label(vendor: Vendor, contract: Contract | None) -> str:
    return f"contract {vendor.name} {contract.reference}" if contract else f"vendor {vendor.name}"


def _subject(session: Session, subject: str) -> tuple[str, Vendor, Contract | None]:
    vendor = session.execute(select(Vendor).where(Vendor.name == subject)).scalar()
    if vendor is not None:
        return "vendor", vendor, None
    try:
        contract = find(session, "contract", subject)
    except NotFoundError:
        raise NotFoundError(f"no vendor or contract {subject!r}",
                            "give a vendor name, a contract id or a contract reference") from None
    return "contract", contract.vendor, contract


def _review_subject(session: Session, review: Review) -> tuple[Vendor, Contract | None]:
    if review.contract_id is not None:
        contract = session.get(Contract, review.contract_id)
        assert contract is not None
        return contract.vendor, contract
    vendor = session.get(Vendor, review.vendor_id)
    assert vendor is not None
    return vendor, None


def _same_subject(kind: str, vendor: Vendor, contract: Contract | None) -> Any:
    if kind == "contract" and contract is not None:
        return Review.contract_id == contract.id
    return Review.vendor_id == vendor.id


def _previous(session: Session, kind: str, vendor: Vendor, contract: Contract | None
              ) -> Review | None:
    return session.execute(select(Review).where(
        _same_subject(kind, vendor, contract), Review.completed_at.is_not(None))
        .order_by(Review.completed_at.desc()).limit(1)).scalar()


def _vendor_domain_ids(session: Session, vendor_id: int) -> set[int]:
    ids = set(session.execute(select(Domain.id).where(Domain.registrar_id == vendor_id)).scalars())
    ids |= set(session.execute(select(domain_dns_provider.c.domain_id).where(
        domain_dns_provider.c.vendor_id == vendor_id)).scalars())
    return ids


def changes_since(session: Session, vendor: Vendor, contract: Contract | None,
                  since: datetime | None, previous: Review | None) -> dict[str, Any]:
    """What changed for this subject since ``since`` (the previous completed review)."""
    domain_ids = _vendor_domain_ids(session, vendor.id)
    subject_filter = or_(FindingRow.vendor_id == vendor.id, FindingRow.domain_id.in_(domain_ids),
                         FindingRow.contract_id.in_(select(Contract.id).where(
                             Contract.vendor_id == vendor.id)))
    if contract is not None:
        subject_filter = or_(subject_filter, FindingRow.contract_id == contract.id)
    new = session.execute(select(FindingRow).where(subject_filter, _after(FindingRow.first_seen, since))
                          .order_by(FindingRow.id)).scalars().all()
    resolved = session.execute(select(FindingRow).where(
        subject_filter, FindingRow.status == FindingStatus.RESOLVED,
        _after(FindingRow.resolved_at, since))
        .order_by(FindingRow.id)).scalars().all()
    contract_ids = ([contract.id] if contract else list(session.execute(
        select(Contract.id).where(Contract.vendor_id == vendor.id)).scalars()))
    after_seq = (previous.changes or {}).get("audit_seq") if previous else None
    amendments = _events(session, "contract", contract_ids, since, after_seq=after_seq)
    cert_ids = list(session.execute(select(Certification.id).where(
        Certification.vendor_id == vendor.id)).scalars())
    return dict(audit.jsonable({
        "since": since, "previous_review": previous.id if previous else None,
        "first_review": previous is None,
        "scores": _score_delta(session, vendor.id, since),
        "new_findings": [_finding(f) for f in new],
        "resolved_findings": [_finding(f) for f in resolved],
        "domain_changes": [c.to_json() for c in observation_changes(
            session, since, domain_ids=domain_ids)] if domain_ids else [],
        "contract_amendments": amendments,
        "certification_changes": _events(session, "certification", cert_ids, since,
                                         label_prefix=f"{vendor.name} ", after_seq=after_seq),
    }))


def _after(column: Any, since: datetime | None) -> Any:
    return column > since if since is not None else column.is_not(None)


def _finding(f: FindingRow) -> dict[str, Any]:
    return {"id": f.id, "code": f.code, "severity": f.severity, "title": f.title,
            "status": f.status, "first_seen": f.first_seen, "resolved_at": f.resolved_at}


def _events(session: Session, kind: str, ids: list[int], since: datetime | None,
            label_prefix: str | None = None, after_seq: int | None = None
            ) -> list[dict[str, Any]]:
    cond: Any = AuditEvent.entity_id.in_(ids)
    if label_prefix:
        cond = or_(cond, AuditEvent.entity_label.startswith(label_prefix))
    query = select(AuditEvent).where(AuditEvent.entity_kind == kind, cond).order_by(AuditEvent.seq)
    if after_seq is not None:
        query = query.where(AuditEvent.seq > after_seq)
    elif since is not None:
        query = query.where(AuditEvent.at > since)
    return [{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action,
             "label": e.entity_label, "before": e.before, "after": e.after}
            for e in session.execute(query).scalars()]


def _score_delta(session: Session, vendor_id: int, since: datetime | None) -> dict[str, Any]:
    base = select(ScoreSnapshot).where(ScoreSnapshot.subject_kind == "vendor",
                                       ScoreSnapshot.subject_id == vendor_id)
    latest = session.execute(base.order_by(ScoreSnapshot.computed_at.desc(),
                                           ScoreSnapshot.id.desc()).limit(1)).scalar()
    before = None
    if since is not None:
        before = session.execute(base.where(ScoreSnapshot.computed_at <= since).order_by(
            ScoreSnapshot.computed_at.desc(), ScoreSnapshot.id.desc()).limit(1)).scalar()
    out: dict[str, Any] = {}
    for name in ("lockin", "compliance"):
        now_v = getattr(latest, name) if latest else None
        then_v = getattr(before, name) if before else None
        out[name] = {"before": then_v, "after": now_v,
                     "delta": round(now_v - then_v, 1) if now_v is not None and then_v is not None
                     else None}
    return out


def _summary(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {k: len(v) if isinstance(v, list) else v for k, v in changes.items()
            if k != "scores"} | {"scores": changes.get("scores")}


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


def _vendor_reviews_due(session: Session, today: date, horizon: date) -> list[DueItem]:
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
        due = at.date() + timedelta(days=REVIEW_INTERVAL_DAYS) if at else today
        if due <= horizon:
            detail = f"last completed review {at:%Y-%m-%d}" if at else "never reviewed"
            out.append(_item("vendor.review", v.name, v.name, None, due, today, detail))
    return out
