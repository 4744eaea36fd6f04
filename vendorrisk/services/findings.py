"""FindingRow life cycle from the UI: accept (with justification and expiry), resolve, reopen.

Each change, single or bulk, happens in one transaction with one audit event per finding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from sqlalchemy import select

from vendorrisk.errors import InputError, NotFoundError
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.models import FindingRow
from vendorrisk.vocab import AuditAction, FindingStatus

MAX_ACCEPTANCE_DAYS = 366 * 2


def _state(f: FindingRow) -> dict[str, object]:
    return {"status": f.status, "accepted_by": f.accepted_by, "accepted_reason": f.accepted_reason,
            "accepted_until": f.accepted_until, "resolved_at": f.resolved_at}


class FindingService:
    def __init__(self, db: Database, actor: str,
                 clock: Callable[[], date] = lambda: datetime.now(UTC).date(),
                 on_change: Callable[[str], None] | None = None) -> None:
        self.db = db
        self.actor = actor
        self.clock = clock
        self.on_change = on_change
        """Called after each committed change (acceptances change scores)."""

    def accept(self, ids: Sequence[int], reason: str, until: date | str) -> int:
        """Accept the risk until ``until`` (after today, at most two years ahead)."""
        reason = (reason or "").strip()
        if not reason:
            raise InputError("a justification is required to accept a finding")
        until = parse_date(until)
        today = self.clock()
        if until <= today:
            raise InputError(f"acceptance must expire after today ({today})")
        if (until - today).days > MAX_ACCEPTANCE_DAYS:
            raise InputError("acceptance may last at most two years",
                             "review the risk again and accept it anew when it expires")

        def change(f: FindingRow) -> None:
            f.status, f.accepted_by = FindingStatus.ACCEPTED, self.actor
            f.accepted_reason, f.accepted_until, f.resolved_at = reason, until, None
        return self._apply(ids, AuditAction.ACCEPT, change)

    def resolve(self, ids: Sequence[int]) -> int:
        def change(f: FindingRow) -> None:
            f.status, f.resolved_at = FindingStatus.RESOLVED, datetime.now(UTC)
            f.accepted_by = f.accepted_reason = None
            f.accepted_until = None
        return self._apply(ids, AuditAction.RESOLVE, change)

    def reopen(self, ids: Sequence[int]) -> int:
        def change(f: FindingRow) -> None:
            f.status, f.resolved_at = FindingStatus.OPEN, None
            f.accepted_by = f.accepted_reason = None
            f.accepted_until = None
        return self._apply(ids, AuditAction.REOPEN, change)

    def _apply(self, ids: Sequence[int], action: AuditAction,
               change: Callable[[FindingRow], None]) -> int:
        wanted = sorted({int(i) for i in ids})
        if not wanted:
            raise InputError("no findings selected")
        with self.db.session() as session:
            rows = session.execute(select(FindingRow).where(FindingRow.id.in_(wanted))).scalars().all()
            missing = set(wanted) - {f.id for f in rows}
            if missing:
                raise NotFoundError(f"no finding {', '.join(map(str, sorted(missing)))}")
            for f in rows:
                before = _state(f)
                change(f)
                session.flush()
                old, new = audit.changed_only(before, _state(f))
                audit.record(session, actor=self.actor, action=action, entity_kind="finding",
                             entity_id=f.id, label=f"{f.code} #{f.id}", before=old, after=new)
        if self.on_change is not None:
            self.on_change(f"{len(wanted)} findings: {action.value}")
        return len(wanted)


def parse_date(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)") from exc
