"""A review's change record: what changed for its subject since the previous completed review.

From stored data only: score snapshots (values and bands), findings' first-seen and resolved
dates, consecutive probe observations, and the audit trail: contract amendments, certification
changes, questionnaire answers and status, findings accepted / resolved / reopened by hand, and
edits of the vendor record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from vendorrisk.services.changes import observation_changes
from vendorrisk.store import audit
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
from vendorrisk.vocab import FindingStatus


def changes_since(session: Session, vendor: Vendor, contract: Contract | None,
                  since: datetime | None, previous: Review | None) -> dict[str, Any]:
    """What changed for this subject since ``since`` (the previous completed review)."""
    domain_ids = _vendor_domain_ids(session, vendor.id)
    subject_filter = or_(FindingRow.vendor_id == vendor.id, FindingRow.domain_id.in_(domain_ids),
                         FindingRow.contract_id.in_(select(Contract.id).where(
                             Contract.vendor_id == vendor.id)))
    if contract is not None:
        subject_filter = or_(subject_filter, FindingRow.contract_id == contract.id)
    new = session.execute(select(FindingRow).where(subject_filter,
                                                   _after(FindingRow.first_seen, since))
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
    response_ids = list(session.execute(select(QuestionnaireResponse.id).where(
        QuestionnaireResponse.vendor_id == vendor.id)).scalars())
    finding_ids = list(session.execute(select(FindingRow.id).where(subject_filter)).scalars())
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
        "questionnaire_changes": _events(session, "questionnaire", response_ids, since,
                                         after_seq=after_seq),
        "finding_status_changes": _events(session, "finding", finding_ids, since,
                                          after_seq=after_seq),
        "vendor_changes": _events(session, "vendor", [vendor.id], since, after_seq=after_seq),
    }))


def summary(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The change record in counts (lists) and values (the rest), for the audit event."""
    return {k: len(v) if isinstance(v, list) else v for k, v in changes.items()
            if k != "scores"} | {"scores": changes.get("scores")}


def _vendor_domain_ids(session: Session, vendor_id: int) -> set[int]:
    ids = set(session.execute(select(Domain.id).where(Domain.registrar_id == vendor_id)).scalars())
    ids |= set(session.execute(select(domain_dns_provider.c.domain_id).where(
        domain_dns_provider.c.vendor_id == vendor_id)).scalars())
    return ids


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
                     else None,
                     "band_before": getattr(before, f"{name}_band") if before else None,
                     "band_after": getattr(latest, f"{name}_band") if latest else None}
    return out
