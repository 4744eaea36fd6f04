"""Findings queue, contracts, certifications, reviews and the audit log as UI tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from vendorrisk.store import audit
from vendorrisk.store.models import AuditEvent, Certification, Contract, FindingRow, Review, Vendor
from vendorrisk.store.scope import ClientScope
from vendorrisk.views import cells as C
from vendorrisk.views.derived import cert_status, contract_schedule, finding_rows
from vendorrisk.views.dto import Cell, Row, Table
from vendorrisk.vocab import FindingStatus

FINDING_COLUMNS = ("Sev", "Code", "Subject", "Client", "Vendor", "Status", "Last seen", "Title")


def findings(session: Session, *, statuses: Sequence[str] = ("open",),
             severities: Sequence[str] = (), client: str | None = None,
             vendor: str | None = None, domain_id: int | None = None,
             vendor_id: int | None = None, codes: Sequence[str] = ()) -> Table:
    query = select(FindingRow).order_by(FindingRow.id)
    if codes:
        query = query.where(FindingRow.code.in_(list(codes)))
    if statuses:
        query = query.where(FindingRow.status.in_([FindingStatus(s) for s in statuses]))
    if severities:
        query = query.where(FindingRow.severity.in_(list(severities)))
    if domain_id is not None:
        query = query.where(FindingRow.domain_id == domain_id)
    if vendor_id is not None:
        query = query.where(FindingRow.vendor_id == vendor_id)
    contract_vendor = dict(session.execute(
        select(Contract.id, Vendor.name).join(Vendor, Vendor.id == Contract.vendor_id)).all())
    vendor_of = {f.id: (f.vendor_id, f.contract_id) for f in session.execute(query).scalars()}
    vendor_names = dict(session.execute(select(Vendor.id, Vendor.name)).all())
    rows = []
    for rec in finding_rows(session, query):
        vid, contract_id = vendor_of[rec["id"]]
        vname = vendor_names.get(vid or 0) or contract_vendor.get(contract_id or 0)
        if (client and rec["client"] != client) or (vendor and vname != vendor):
            continue
        status = rec["shown_status"]
        rows.append(Row(str(rec["id"]), (
            C.severity(rec["severity"]), C.text(rec["code"]), C.text(rec["subject"]),
            C.text(rec["client"]), C.text(vname),
            Cell(status, None if status.startswith("open") else "muted"),
            C.when(rec["last_seen"]), C.text(rec["title"]))))
    rows.sort(key=lambda r: (-r.cells[0].sort_key[1], r.cells[1].text, r.cells[2].text))
    scope = "/".join(statuses) or "all"
    return Table(f"Findings ({scope})", FINDING_COLUMNS, tuple(rows),
                 empty="No findings match.")


def finding_evidence(session: Session, finding_id: int) -> list[str]:
    rec = next(finding_rows(session, select(FindingRow).where(FindingRow.id == finding_id)), None)
    if rec is None:
        return [f"finding {finding_id} no longer exists"]
    lines = [f"{rec['severity'].upper()}  {rec['code']}  —  {rec['title']}",
             f"subject: {rec['subject_kind']} {rec['subject']}   client: {rec['client'] or '-'}",
             f"status: {rec['shown_status']}   first seen {C.when(rec['first_seen']).text}"
             f"   last seen {C.when(rec['last_seen']).text}"]
    if rec["status"] == "accepted":
        lapsed = " (lapsed: it counts as open again)" if rec["lapsed"] else ""
        lines.append(f"accepted by {rec['accepted_by']} until {rec['accepted_until']}{lapsed}: "
                     f"{rec['accepted_reason']}")
    lines.append("evidence:")
    lines += [f"  {k}: {_short(v)}" for k, v in (rec["evidence"] or {}).items()]
    return lines


def _short(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _titled(title: str, scope: ClientScope | None) -> str:
    return f"{title} — {scope.name}" if scope else title


def contracts(session: Session, today: date, vendor_id: int | None = None,
              scope: ClientScope | None = None) -> Table:
    """Contracts; with a client ``scope``, the client's own and the MSP-wide ones with the
    vendors that serve it."""
    query = (select(Contract).options(selectinload(Contract.vendor), selectinload(Contract.client))
             .order_by(Contract.id))
    if vendor_id is not None:
        query = query.where(Contract.vendor_id == vendor_id)
    if scope is not None:
        query = query.where((Contract.client_id == scope.client_id) | (
            Contract.client_id.is_(None) & Contract.vendor_id.in_(scope.vendor_ids)))
    rows = []
    for c in session.execute(query).scalars():
        s = contract_schedule(c, today)
        rows.append(Row(str(c.id), (
            C.text(c.vendor.name), C.text(c.reference), C.when(s["notice_deadline"]),
            C.days_left(s["days_left"]), C.when(s["next_renewal"]),
            C.yes_no(c.auto_renew, good=False),
            C.text(c.client.name if c.client else None, "MSP-wide"),
            C.when(c.start_date), C.when(c.end_date))))
    return Table(_titled("Contracts", scope), ("Vendor", "Reference", "Notice by", "Left",
                                               "Renewal", "Auto-renew", "Client", "Start", "End"),
                 tuple(rows),
                 empty="No contracts yet. Press n to add one.")


def certifications(session: Session, today: date, vendor_id: int | None = None,
                   scope: ClientScope | None = None) -> Table:
    query = select(Certification).options(selectinload(Certification.vendor)).order_by(
        Certification.id)
    if vendor_id is not None:
        query = query.where(Certification.vendor_id == vendor_id)
    if scope is not None:
        query = query.where(Certification.vendor_id.in_(scope.vendor_ids))
    tones = {"valid": "ok", "unknown": "muted", "stale": "medium", "expired": "high"}
    rows = []
    for cert in session.execute(query).scalars():
        status, reason = cert_status(cert, today)
        rows.append(Row(str(cert.id), (
            C.text(cert.vendor.name), C.text(cert.cert_type), Cell(status, tones[status]),
            C.when(cert.valid_until), C.when(cert.period_end), C.text(reason),
            C.text(cert.auditor), C.when(cert.issued))))
    return Table(_titled("Certifications", scope), ("Vendor", "Type", "Status", "Valid until",
                                                    "Period end", "Why", "Auditor", "Issued"),
                 tuple(rows),
                 empty="No certifications yet. Press n to add one.")


def reviews(session: Session, today: date, scope: ClientScope | None = None) -> Table:
    vendors = dict(session.execute(select(Vendor.id, Vendor.name)).all())
    refs = {cid: f"{vendors.get(vid)} {ref}" for cid, vid, ref in
            session.execute(select(Contract.id, Contract.vendor_id, Contract.reference))}
    rows = []
    query = select(Review).order_by(Review.completed_at.is_not(None), Review.due_date, Review.id)
    if scope is not None:
        query = query.where(Review.vendor_id.in_(scope.vendor_ids) | Review.contract_id.in_(
            select(Contract.id).where(Contract.client_id == scope.client_id)))
    for r in session.execute(query).scalars():
        subject = vendors.get(r.vendor_id or 0) if r.vendor_id else refs.get(r.contract_id or 0)
        left = (r.due_date - today).days if r.due_date and r.completed_at is None else None
        rows.append(Row(str(r.id), (
            C.text(f"{r.subject_kind} {subject}"), C.when(r.due_date), C.days_left(left),
            C.when(r.started_at), C.when(r.completed_at), C.text(r.decision and str(r.decision)),
            C.text(r.reviewer), C.text(r.notes))))
    return Table(_titled("Reviews", scope), ("Subject", "Due", "Left", "Started", "Completed", "Decision",
                             "Reviewer", "Notes"), tuple(rows),
                 empty="No reviews yet. Press n to start one for a vendor.")


def audit_log(session: Session, *, entity_kind: str | None = None, entity_id: int | None = None,
              limit: int = 5000) -> Table:
    result = audit.verify(session)
    note = (f"chain verified: {result.events} events intact" if result.ok
            else f"CHAIN BROKEN at event {result.broken_seq}: {result.problem}")
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if entity_kind:
        query = query.where(AuditEvent.entity_kind == entity_kind)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    rows = []
    for e in session.execute(query).scalars():
        changed = sorted(set((e.after or {}).keys()) | set((e.before or {}).keys()))
        rows.append(Row(str(e.seq), (
            C.number(e.seq), C.when(e.at), C.text(e.actor), C.text(str(e.action)),
            C.text(e.entity_kind), C.text(e.entity_label), C.text(", ".join(changed[:6])))))
    return Table("Audit log", ("#", "When", "Who", "Action", "Kind", "Record", "Fields"),
                 tuple(rows), note=note)
