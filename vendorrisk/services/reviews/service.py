"""The review use case, the one the CLI and the TUI both call: start a review (refused while one
of the same subject is open) with its blank checklist and change record, complete it with every
checklist item answered and a decision."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.compliance.checklist import ReviewChecklist, load_review_checklist
from vendorrisk.config import ReviewSettings
from vendorrisk.errors import InputError, NotFoundError
from vendorrisk.services.reviews import checklist as items
from vendorrisk.services.reviews.changes import changes_since, summary
from vendorrisk.services.reviews.due import DueItem, due_items
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import find
from vendorrisk.store.models import Contract, Review, Vendor
from vendorrisk.views.dto import FormField
from vendorrisk.vocab import AuditAction, ReviewDecision


def _utc_today() -> date:
    return datetime.now(UTC).date()


def review_record(r: Review) -> dict[str, Any]:
    return dict(audit.jsonable({
        "id": r.id, "subject_kind": r.subject_kind, "vendor_id": r.vendor_id,
        "contract_id": r.contract_id, "period_start": r.period_start, "period_end": r.period_end,
        "due_date": r.due_date, "started_at": r.started_at, "completed_at": r.completed_at,
        "reviewer": r.reviewer, "decision": r.decision, "notes": r.notes,
        "checklist": r.checklist, "changes": r.changes, "evidence_ref": r.evidence_ref}))


class ReviewService:
    def __init__(self, db: Database, actor: str, checklist: ReviewChecklist | None = None, *,
                 clock: Callable[[], date] = _utc_today,
                 intervals: ReviewSettings | None = None) -> None:
        self.db = db
        self.intervals = intervals or ReviewSettings()
        """Days from a completed review to the next (per vendor tier, or per contract)."""
        self.actor = actor
        self.clock = clock
        """"Today" when a caller gives none (the TUI and tests fix it)."""
        self._checklist = checklist

    @property
    def checklist(self) -> ReviewChecklist:
        if self._checklist is None:
            self._checklist = load_review_checklist()
        return self._checklist

    # -- due ---------------------------------------------------------------------------------
    def due(self, *, within: int = 90, today: date | None = None) -> list[DueItem]:
        today = today or self.clock()
        with self.db.session(readonly=True) as session:
            return due_items(session, today, today + timedelta(days=within), self.intervals)

    # -- start / complete ----------------------------------------------------------------------
    def start(self, subject: str, *, today: date | None = None,
              due: date | None = None) -> dict[str, Any]:
        """Open a review of a vendor (by name) or a contract (id or reference).

        ``due`` overrides the due date (default: the contract's next review date; none for a
        vendor)."""
        now = datetime.now(UTC).replace(microsecond=0)
        today = today or self.clock()
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
                            due_date=due or (contract.next_review_date if contract else None),
                            started_at=now, reviewer=self.actor,
                            checklist=items.blank(self.checklist, _facts(contract)),
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
                raise InputError(f"review {review_id} was completed on "
                                 f"{review.completed_at:%Y-%m-%d}")
            checklist = items.answer(self.checklist, dict(review.checklist or {}), answers or {})
            missing = items.unanswered(checklist)
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
            next_date = now.date() + timedelta(days=self.intervals.interval_days(
                vendor.tier, contract=contract is not None))
            if contract is not None:
                _set_next_review(session, self.actor, contract, next_date)
            session.flush()
            issues = sorted(k for k, v in checklist.items() if v["answer"] == "issue")
            event = audit.record(session, actor=self.actor, action=AuditAction.REVIEW,
                                 entity_kind="review", entity_id=review.id,
                                 label=_label(vendor, contract),
                                 after={"event": "completed", "decision": chosen.value,
                                        "notes": notes, "issues": issues,
                                        "next_review_date": next_date,
                                        "changes": summary(review.changes)})
            # The next review reads audit events after this one (timestamps are whole seconds).
            review.changes = {**review.changes, "audit_seq": event.seq}
            session.flush()
            return review_record(review) | {"next_review_date": next_date.isoformat()}

    def get(self, review_id: int) -> dict[str, Any]:
        with self.db.session(readonly=True) as session:
            review = session.get(Review, review_id)
            if review is None:
                raise NotFoundError(f"no review {review_id}")
            return review_record(review)

    # -- the same completion as a form (the TUI) -------------------------------------------------
    def completion_form(self, review_id: int) -> tuple[FormField, ...]:
        """The fields to complete ``review_id``: decision, notes, one per checklist item."""
        return items.form_fields(self.checklist, self.get(review_id)["checklist"] or {})

    def form_problems(self, values: Mapping[str, str]) -> dict[str, str]:
        return items.form_problems(values, self.checklist.answers)

    def complete_form(self, review_id: int, values: Mapping[str, str]) -> dict[str, Any]:
        """:meth:`complete` with the completion form's values (same rules, same refusals)."""
        decision, notes, answers = items.form_answers(values)
        return self.complete(review_id, decision=decision, notes=notes, answers=answers)


def _facts(contract: Contract | None) -> dict[str, Any]:
    if contract is None:
        return {}
    return {c.key: getattr(contract, c.key) for c in Contract.__table__.columns
            if c.key not in ("id", "vendor_id", "client_id")}


def _set_next_review(session: Session, actor: str, contract: Contract, next_date: date) -> None:
    """The contract's next review date, audited like any other contract edit."""
    before = contract.next_review_date
    contract.next_review_date = next_date
    audit.record(session, actor=actor, action=AuditAction.UPDATE, entity_kind="contract",
                 entity_id=contract.id, label=f"{contract.vendor.name} {contract.reference}",
                 before={"next_review_date": before}, after={"next_review_date": next_date})


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
