"""The tamper-evident audit trail: every change is an event chained to the previous one by SHA-256.

An event's hash covers its own canonical JSON and the previous event's hash, so editing or
deleting any stored event breaks every link after it; ``verify`` names the first broken one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.store.models import AuditEvent, AuditHead
from vendorrisk.store.models.types import utcnow
from vendorrisk.vocab import AuditAction

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """Make a value JSON-able in one canonical way (dates ISO, decimals as numbers)."""
    if isinstance(value, Mapping):
        return jsonable_record(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():  # only a row stored before fields.py checked ranges
            return str(value)
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def jsonable_record(value: Mapping[Any, Any]) -> dict[str, Any]:
    """:func:`jsonable` of a mapping, typed as the JSON object it becomes."""
    return {str(k): jsonable(v) for k, v in value.items()}


def event_hash(fields: Mapping[str, Any], prev_hash: str) -> str:
    payload = json.dumps({**jsonable(fields), "prev_hash": prev_hash}, sort_keys=True,
                         separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at,
        "actor": event.actor,
        "action": event.action,
        "entity_kind": event.entity_kind,
        "entity_id": event.entity_id,
        "entity_label": event.entity_label,
        "before": event.before,
        "after": event.after,
    }


def record(
    session: Session,
    *,
    actor: str,
    action: AuditAction,
    entity_kind: str,
    entity_id: int | None,
    label: str | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (so it commits or rolls back with the change)."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    event = AuditEvent(
        seq=head.seq + 1,
        at=utcnow().replace(microsecond=0),
        actor=actor,
        action=action,
        entity_kind=entity_kind,
        entity_id=entity_id,
        entity_label=label,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        prev_hash=head.hash,
    )
    event.hash = event_hash(_hashed_fields(event), head.hash)
    head.seq, head.hash = event.seq, event.hash
    session.add(event)
    return event


def changed_only(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any],
                                                                             dict[str, Any]]:
    """Reduce before/after records to the keys whose values differ."""
    keys = [k for k in after if jsonable(before.get(k)) != jsonable(after.get(k))]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    head_hash: str
    broken_seq: int | None = None
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "head_hash": self.head_hash,
                "broken_seq": self.broken_seq, "problem": self.problem}


def verify(session: Session) -> VerifyResult:
    """Walk the chain in order; report the first event whose link or hash does not hold."""
    result = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000))
    try:  # an early return must not leave PostgreSQL's server-side cursor open
        return _walk(session, result.scalars())
    finally:
        result.close()


def _walk(session: Session, events: Iterable[AuditEvent]) -> VerifyResult:
    prev = GENESIS
    count = 0
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return VerifyResult(False, count, prev, expected_seq,
                                f"event {expected_seq} is missing (next stored is {event.seq})")
        if event.prev_hash != prev:
            return VerifyResult(False, count, prev, event.seq,
                                f"event {event.seq} does not link to event {event.seq - 1}")
        if event_hash(_hashed_fields(event), event.prev_hash) != event.hash:
            return VerifyResult(False, count, prev, event.seq,
                                f"event {event.seq} was altered (hash does not match its content)")
        prev = event.hash
        count += 1
        expected_seq += 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != count or head.hash != prev):
        return VerifyResult(False, count, prev, count + 1,
                            f"chain ends at event {count} but the head records event {head.seq}")
    return VerifyResult(True, count, prev)


def event_record(event: AuditEvent) -> dict[str, Any]:
    return jsonable_record({
        "seq": event.seq, "at": event.at, "actor": event.actor, "action": event.action,
        "entity_kind": event.entity_kind, "entity_id": event.entity_id,
        "entity_label": event.entity_label, "before": event.before, "after": event.after,
        "prev_hash": event.prev_hash, "hash": event.hash,
    })


def log(session: Session, *, entity_kind: str | None = None, entity_id: int | None = None,
        limit: int | None = None) -> list[dict[str, Any]]:
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if entity_kind:
        query = query.where(AuditEvent.entity_kind == entity_kind)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    if limit:
        query = query.limit(limit)
    return [event_record(e) for e in session.execute(query).scalars()]
