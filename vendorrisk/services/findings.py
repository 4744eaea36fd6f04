"""Findings as a person handles them, in the TUI and the CLI alike: list and show them, and
their life cycle: accept (with justification and expiry), resolve, reopen.

Each change, single or bulk, happens in one transaction with one audit event per finding.
An acceptance whose ``accepted_until`` is today or earlier has *lapsed*: the finding counts
again (the rule of :meth:`~vendorrisk.portfolio.facts.RecordedFinding.counts`) and shows as
open (:attr:`FindingView.status` ``open`` with :attr:`FindingView.lapsed` set).

A client's findings (``store.scope.ClientScope.findings``) are those its outputs hold: the findings of its
domains, those of the vendors serving it (vendor-wide or about this client), and those of
its contracts and of the MSP-wide contracts with the vendors serving it (vendor-wide or
about this client).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from vendorrisk.errors import InputError, NotFoundError, did_you_mean
from vendorrisk.findings.codes import CATALOG
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import find
from vendorrisk.store.models import Contract, FindingRow, Vendor
from vendorrisk.store.scope import client_scope
from vendorrisk.views.derived import finding_rows, shown_status
from vendorrisk.vocab import AuditAction, FindingStatus, Severity

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

    def search(self, query: FindingQuery | None = None) -> list[FindingView]:
        """The findings ``query`` selects (default: every open one), worst first."""
        with self.db.session(readonly=True) as session:
            return finding_views(session, query or FindingQuery(), self.clock())

    def get(self, finding_id: int) -> FindingDetail:
        """One finding with its code's meaning and remedy and its audit history."""
        with self.db.session(readonly=True) as session:
            return finding_detail(session, int(finding_id), self.clock())

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


# -- reading: the findings queue outside the TUI ------------------------------------------------

STATUS_FILTERS: tuple[str, ...] = ("open", "accepted", "lapsed", "resolved")
"""``open`` includes lapsed acceptances (they count and show as open); ``accepted`` is an
acceptance still in force; ``lapsed`` only the lapsed ones."""
_SHOWN_AS = {"open": {"open", "lapsed"}, "accepted": {"accepted"}, "lapsed": {"lapsed"},
             "resolved": {"resolved"}}
_STORED = {"open": {FindingStatus.OPEN, FindingStatus.ACCEPTED},
           "lapsed": {FindingStatus.ACCEPTED}, "accepted": {FindingStatus.ACCEPTED},
           "resolved": {FindingStatus.RESOLVED}}
"""The stored statuses each filter reads (then narrowed by :data:`_SHOWN_AS`)."""


@dataclass(frozen=True)
class FindingQuery:
    """What to list; every filter narrows (``()`` = no filter)."""

    client: str | None = None
    vendor: str | None = None
    """The vendor's own findings and those of its contracts."""
    domain: str | None = None
    codes: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ("open",)
    """Of :data:`STATUS_FILTERS`; ``()`` = every status."""
    ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class FindingView:
    id: int
    code: str
    severity: str
    title: str
    subject_kind: str
    subject: str | None
    vendor: str | None
    """The vendor of a vendor or contract finding; ``None`` for a domain finding."""
    client: str | None
    status: str
    """``open``, ``accepted`` or ``resolved`` as it counts: a lapsed acceptance is ``open``."""
    lapsed: bool
    first_seen: datetime
    last_seen: datetime
    accepted_by: str | None
    accepted_reason: str | None
    accepted_until: date | None
    resolved_at: datetime | None
    evidence: Mapping[str, Any]

    @property
    def label(self) -> str:
        """The subject named with its kind: ``domain example.com``, ``vendor NS1``."""
        return f"{self.subject_kind} {self.subject or '?'}"

    @property
    def status_text(self) -> str:
        return shown_status(self.status, self.accepted_until, self.lapsed)

    def to_json(self) -> dict[str, Any]:
        """The documented keys of ``findings list --json`` (dates and times ISO 8601)."""
        return audit.jsonable_record({
            "id": self.id, "code": self.code, "severity": self.severity, "title": self.title,
            "subject_kind": self.subject_kind, "subject": self.subject, "vendor": self.vendor,
            "client": self.client, "status": self.status, "lapsed": self.lapsed,
            "first_seen": self.first_seen, "last_seen": self.last_seen,
            "accepted_by": self.accepted_by, "accepted_reason": self.accepted_reason,
            "accepted_until": self.accepted_until, "resolved_at": self.resolved_at,
            "evidence": dict(self.evidence)})


@dataclass(frozen=True)
class FindingDetail:
    """One finding with what its code means, what removes it, and its audit history."""

    finding: FindingView
    description: str
    remedy: str
    references: tuple[str, ...]
    history: tuple[dict[str, Any], ...]
    """Audit events about the finding, oldest first: seq, at, actor, action, before, after."""

    def to_json(self) -> dict[str, Any]:
        return self.finding.to_json() | {
            "description": self.description, "remedy": self.remedy,
            "references": list(self.references), "history": list(self.history)}


def client_findings(session: Session, client: str) -> ColumnElement[bool]:
    """The findings the client named holds (``store.scope``; ``NotFoundError`` if none)."""
    scope = client_scope(session, client)
    assert scope is not None
    return scope.findings()


def _check(query: FindingQuery) -> None:
    for code in query.codes:
        if code not in CATALOG:
            raise InputError(f"unknown finding code {code!r}", did_you_mean(code, CATALOG))
    for sev in query.severities:
        if sev not in {s.value for s in Severity}:
            raise InputError(f"unknown severity {sev!r}",
                             did_you_mean(sev, [s.value for s in Severity]))
    for status in query.statuses:
        if status not in STATUS_FILTERS:
            raise InputError(f"unknown status {status!r}",
                             did_you_mean(status, (*STATUS_FILTERS, "all")))


def _select(session: Session, q: FindingQuery) -> Select[FindingRow]:
    query = select(FindingRow).order_by(FindingRow.id)
    if q.client:
        query = query.where(client_findings(session, q.client))
    if q.vendor:
        vendor_id = find(session, "vendor", q.vendor).id
        query = query.where((FindingRow.vendor_id == vendor_id) | FindingRow.contract_id.in_(
            select(Contract.id).where(Contract.vendor_id == vendor_id)))
    if q.domain:
        query = query.where(FindingRow.domain_id == find(session, "domain", q.domain).id)
    if q.codes:
        query = query.where(FindingRow.code.in_(q.codes))
    if q.severities:
        query = query.where(FindingRow.severity.in_([Severity(s) for s in q.severities]))
    if q.statuses:
        query = query.where(FindingRow.status.in_(set().union(*(_STORED[s] for s in q.statuses))))
    if q.ids:
        query = query.where(FindingRow.id.in_(q.ids))
    return query


def finding_views(session: Session, q: FindingQuery, today: date) -> list[FindingView]:
    """The findings ``q`` selects, worst first (then by code, subject and id)."""
    _check(q)
    query = _select(session, q)
    refs = {fid: (vid, cid) for fid, vid, cid in session.execute(query.with_only_columns(
        FindingRow.id, FindingRow.vendor_id, FindingRow.contract_id))}
    vendor_names = dict(session.execute(select(Vendor.id, Vendor.name)).all())
    contract_vendor = dict(session.execute(
        select(Contract.id, Vendor.name).join(Vendor, Vendor.id == Contract.vendor_id)).all())
    shown = set().union(*(_SHOWN_AS[s] for s in q.statuses)) if q.statuses else None
    views = []
    for rec in finding_rows(session, query, datetime.combine(today, time.min, UTC)):
        is_lapsed = rec["lapsed"]
        if shown is not None and ("lapsed" if is_lapsed else rec["status"]) not in shown:
            continue
        vendor_id, contract_id = refs[rec["id"]]
        views.append(FindingView(
            id=rec["id"], code=rec["code"], severity=rec["severity"], title=rec["title"],
            subject_kind=rec["subject_kind"], subject=rec["subject"],
            vendor=vendor_names.get(vendor_id or 0) or contract_vendor.get(contract_id or 0),
            client=rec["client"], status=FindingStatus.OPEN if is_lapsed else rec["status"],
            lapsed=is_lapsed, first_seen=rec["first_seen"], last_seen=rec["last_seen"],
            accepted_by=rec["accepted_by"], accepted_reason=rec["accepted_reason"],
            accepted_until=rec["accepted_until"], resolved_at=rec["resolved_at"],
            evidence=rec["evidence"] or {}))
    views.sort(key=lambda v: (-Severity(v.severity).rank, v.code, v.subject or "", v.id))
    return views


def finding_detail(session: Session, finding_id: int, today: date) -> FindingDetail:
    found = finding_views(session, FindingQuery(statuses=(), ids=(finding_id,)), today)
    if not found:
        raise NotFoundError(f"no finding {finding_id}", "vendorrisk findings list shows the ids")
    view = found[0]
    spec = CATALOG.get(view.code)
    events = reversed(audit.log(session, entity_kind="finding", entity_id=finding_id))
    history = tuple({k: e[k] for k in ("seq", "at", "actor", "action", "before", "after")}
                    for e in events)
    return FindingDetail(view, spec.description if spec else "", spec.remedy if spec else "",
                         spec.references if spec else (), history)
