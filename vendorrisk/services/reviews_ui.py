"""Minimal review actions for the TUI until the review issue lands: start one, complete it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from vendorrisk.errors import InputError, NotFoundError
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import find
from vendorrisk.store.models import Review
from vendorrisk.vocab import AuditAction, ReviewDecision, ReviewSubject


def _record(r: Review, label: str) -> dict[str, object]:
    return {"id": r.id, "subject": label, "due_date": r.due_date, "completed_at": r.completed_at,
            "reviewer": r.reviewer, "decision": r.decision, "notes": r.notes}


class ReviewActions:
    def __init__(self, db: Database, actor: str,
                 clock: Callable[[], date] = lambda: datetime.now(UTC).date()) -> None:
        self.db, self.actor, self.clock = db, actor, clock

    def start(self, vendor: str, due: date | None = None) -> int:
        with self.db.session() as session:
            v = find(session, "vendor", vendor)
            review = Review(subject_kind=ReviewSubject.VENDOR, vendor_id=v.id,
                            due_date=due or self.clock(), reviewer=self.actor)
            session.add(review)
            session.flush()
            audit.record(session, actor=self.actor, action=AuditAction.REVIEW,
                         entity_kind="review", entity_id=review.id, label=f"review {v.name}",
                         after=_record(review, v.name))
            return review.id

    def complete(self, review_id: int, decision: str, notes: str) -> None:
        try:
            choice = ReviewDecision((decision or "").strip().lower())
        except ValueError as exc:
            valid = ", ".join(d.value for d in ReviewDecision)
            raise InputError(f"decision must be one of {valid}") from exc
        with self.db.session() as session:
            review = session.get(Review, review_id)
            if review is None:
                raise NotFoundError(f"no review {review_id}")
            if review.completed_at is not None:
                raise InputError(f"review {review_id} is already complete")
            before = _record(review, str(review_id))
            review.completed_at, review.decision = datetime.now(UTC), choice
            review.notes, review.reviewer = (notes or "").strip() or None, self.actor
            session.flush()
            old, new = audit.changed_only(before, _record(review, str(review_id)))
            audit.record(session, actor=self.actor, action=AuditAction.REVIEW,
                         entity_kind="review", entity_id=review.id, label=f"review {review_id}",
                         before=old, after=new)
