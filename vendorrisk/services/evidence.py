"""Monthly evidence packs for auditors: one client, one month, from stored data only."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from vendorrisk import __version__
from vendorrisk.config import Settings
from vendorrisk.errors import InputError
from vendorrisk.io import evidence_pack, filenames
from vendorrisk.io import xlsx_export as X
from vendorrisk.services.reviews import review_record
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import find
from vendorrisk.store.models import (
    AuditEvent,
    Contract,
    Domain,
    FindingRow,
    ObservationRow,
    Review,
    ScoreSnapshot,
    Vendor,
)
from vendorrisk.store.observations import stored
from vendorrisk.store.scope import scope_of, vendors_serving
from vendorrisk.views.derived import finding_rows, observation_fields
from vendorrisk.views.output_names import client_file_part
from vendorrisk.vocab import AuditAction, FindingStatus

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
C = X.Column
OBSERVATION_COLUMNS = (
    C("Domain", "domain", "text", 30), C("Probed at", "probed_at", "datetime", 17),
    C("Complete", "complete", "bool", 9), C("Observed registrar", "observed_registrar", "text", 24),
    C("Operators", "operators", "list", 26), C("DNSSEC", "dnssec", "text", 10),
    C("Registrar lock", "registrar_locked", "bool", 10),
    C("Registry lock", "registry_locked", "bool", 10), C("Expires", "expires", "date", 12),
    C("Incomplete because", "reasons", "json", 40),
)
REVIEW_COLUMNS = (
    C("ID", "id", "int", 6), C("Subject", "subject", "text", 30),
    C("Started at", "started_at", "datetime", 17), C("Completed at", "completed_at", "datetime", 17),
    C("Reviewer", "reviewer", "text", 16), C("Decision", "decision", "text", 12),
    C("Notes", "notes", "text", 40), C("Checklist issues", "issues", "list", 30),
    C("Changes", "changes", "json", 50),
)
SCORE_COLUMNS = (
    C("Subject kind", "subject_kind", "text", 10), C("Subject", "subject_name", "text", 30),
    C("Computed at", "computed_at", "datetime", 17), *X.SCORE_COLUMNS,
)
AUDIT_COLUMNS = (
    C("Seq", "seq", "int", 7), C("At", "at", "datetime", 17), C("Actor", "actor", "text", 16),
    C("Action", "action", "text", 10), C("Kind", "entity_kind", "text", 12),
    C("Entity ID", "entity_id", "int", 8), C("Label", "entity_label", "text", 30),
    C("Before", "before", "json", 40), C("After", "after", "json", 40),
    C("Prev hash", "prev_hash", "text", 20), C("Hash", "hash", "text", 20),
)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    match = _MONTH.match(month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"month must be YYYY-MM, got {month!r}")
    year, mon = int(match.group(1)), int(match.group(2))
    start = datetime(year, mon, 1, tzinfo=UTC)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=UTC)
    return start, end


class EvidenceService:
    def __init__(self, db: Database, settings: Settings, actor: str) -> None:
        self.db = db
        self.settings = settings
        self.actor = actor

    def make(self, client: str, month: str, out: Path | None = None, *,
             force: bool = False) -> evidence_pack.PackResult:
        """An existing pack (folder or zip) is replaced only with ``force``."""
        start, end = month_bounds(month)
        with self.db.session(readonly=True) as session:
            client_obj = find(session, "client", client)
            client_name = client_obj.name
            part = client_file_part(session, client_obj.id)
            chain = audit.verify(session)
            sheets = _sheets(session, client_obj.id, start, end)
            events = _audit_events(session, client_obj.id, start, end)
        target = out or self.settings.exports_path / filenames.evidence_name(part, month)
        meta = {"client": client_name, "month": month,
                "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
                "generated_by": self.actor, "vendorrisk_version": __version__,
                "database": self.db.public_url,
                "audit": {"head_hash": chain.head_hash, "events": chain.events,
                          "chain_ok": chain.ok, "problem": chain.problem}}
        writers: dict[str, Callable[[Path], None]] = {
            "evidence.xlsx": lambda p: _write_book(p, sheets),
            "audit-extract.jsonl": lambda p: _write_jsonl(p, events),
        }
        return evidence_pack.write_pack(target, writers, meta, force=force)

    def verify(self, target: Path, *, against_db: bool = False) -> evidence_pack.VerifyReport:
        report = evidence_pack.verify_pack(target)
        if against_db and report.audit_head_hash:
            with self.db.session(readonly=True) as session:
                found = session.execute(select(AuditEvent.seq).where(
                    AuditEvent.hash == report.audit_head_hash)).scalar()
                chain = audit.verify(session)
            if found is None:
                report.problems.append("the audit head hash in the manifest is not in this "
                                       "database's audit chain")
            if not chain.ok:
                report.problems.append(f"this database's audit chain is broken: {chain.problem}")
            report.ok = not report.problems
        return report


def _sheets(session: Session, client_id: int, start: datetime, end: datetime) -> list[X.Sheet]:
    mine = scope_of(session, client_id, "").findings()  # store.scope: what the client holds
    opened = (select(FindingRow).where(mine, FindingRow.first_seen >= start,
                                       FindingRow.first_seen < end).order_by(FindingRow.id))
    closed = (select(FindingRow).where(mine, FindingRow.resolved_at >= start,
                                       FindingRow.resolved_at < end).order_by(FindingRow.id))
    accepted = (select(FindingRow).where(mine, FindingRow.status == FindingStatus.ACCEPTED)
                .order_by(FindingRow.id))
    return [
        X.Sheet("Observations", OBSERVATION_COLUMNS, _observations(session, client_id, start, end)),
        X.Sheet("Findings opened", X.FINDING_COLUMNS, list(finding_rows(session, opened))),
        X.Sheet("Findings closed", X.FINDING_COLUMNS, list(finding_rows(session, closed))),
        X.Sheet("Acceptances", X.FINDING_COLUMNS, list(finding_rows(session, accepted))),
        X.Sheet("Reviews", REVIEW_COLUMNS, _reviews(session, client_id, start, end)),
        X.Sheet("Score trend", SCORE_COLUMNS, _scores(session, client_id, start, end)),
        X.Sheet("Audit extract", AUDIT_COLUMNS, _audit_events(session, client_id, start, end)),
    ]


def _observations(session: Session, client_id: int, start: datetime,
                  end: datetime) -> list[dict[str, Any]]:
    query = (select(ObservationRow, Domain.name).join(Domain)
             .where(Domain.client_id == client_id, ObservationRow.probed_at >= start,
                    ObservationRow.probed_at < end)
             .order_by(Domain.name, ObservationRow.probed_at))
    out = []
    for row, name in session.execute(query):
        obs = stored(row)
        out.append({"domain": name, "probed_at": obs.probed_at, "complete": obs.complete,
                    "reasons": [r.to_json() for r in obs.reasons] or None,
                    **observation_fields(obs.observation).record()})
    return out


def _in_month(column: Any, start: datetime, end: datetime) -> Any:
    return (column >= start) & (column < end)


def _reviews(session: Session, client_id: int, start: datetime,
             end: datetime) -> list[dict[str, Any]]:
    vendors = vendors_serving(session).get(client_id, set())
    contracts = set(session.execute(select(Contract.id).where(
        Contract.client_id == client_id)).scalars())
    query = (select(Review).where(or_(Review.vendor_id.in_(vendors),
                                      Review.contract_id.in_(contracts)),
                                  or_(_in_month(Review.started_at, start, end),
                                      _in_month(Review.completed_at, start, end)))
             .order_by(Review.id))
    names = dict(session.execute(select(Vendor.id, Vendor.name)).all())
    refs = {cid: f"{names.get(vid)} {ref}" for cid, vid, ref in
            session.execute(select(Contract.id, Contract.vendor_id, Contract.reference))}
    out = []
    for review in session.execute(query).scalars():
        record = review_record(review)
        record["subject"] = (refs.get(review.contract_id) if review.contract_id
                             else names.get(review.vendor_id or 0))
        record["issues"] = sorted(k for k, v in (review.checklist or {}).items()
                                  if v.get("answer") == "issue")
        record["started_at"], record["completed_at"] = review.started_at, review.completed_at
        out.append(record)
    return out


def _scores(session: Session, client_id: int, start: datetime,
            end: datetime) -> list[dict[str, Any]]:
    vendors = vendors_serving(session).get(client_id, set())
    domains = select(Domain.id).where(Domain.client_id == client_id)
    query = (select(ScoreSnapshot).where(
        _in_month(ScoreSnapshot.computed_at, start, end),
        or_((ScoreSnapshot.subject_kind == "client") & (ScoreSnapshot.subject_id == client_id),
            (ScoreSnapshot.subject_kind == "vendor") & ScoreSnapshot.subject_id.in_(vendors),
            (ScoreSnapshot.subject_kind == "domain") & ScoreSnapshot.subject_id.in_(domains)))
        .order_by(ScoreSnapshot.subject_kind, ScoreSnapshot.subject_name,
                  ScoreSnapshot.computed_at))
    return [{"subject_kind": str(s.subject_kind), "subject_name": s.subject_name,
             "computed_at": s.computed_at, "lockin": s.lockin, "lockin_band": s.lockin_band,
             "compliance": s.compliance, "compliance_band": s.compliance_band}
            for s in session.execute(query).scalars()]


def _audit_events(session: Session, client_id: int, start: datetime,
                  end: datetime) -> list[dict[str, Any]]:
    """The month's audit events that concern this client (and probe runs and imports)."""
    vendors = vendors_serving(session).get(client_id, set())
    vendor_names = [n for (n,) in session.execute(select(Vendor.name).where(
        Vendor.id.in_(vendors)))]
    related = or_(
        (AuditEvent.entity_kind == "client") & (AuditEvent.entity_id == client_id),
        (AuditEvent.entity_kind == "domain") & AuditEvent.entity_id.in_(
            select(Domain.id).where(Domain.client_id == client_id)),
        (AuditEvent.entity_kind == "contract") & AuditEvent.entity_id.in_(
            select(Contract.id).where(Contract.client_id == client_id)),
        (AuditEvent.entity_kind == "vendor") & AuditEvent.entity_id.in_(vendors),
        (AuditEvent.entity_kind == "finding") & AuditEvent.entity_id.in_(
            select(FindingRow.id).where(FindingRow.client_id == client_id)),
        AuditEvent.entity_kind.in_(["probe_run", "import"]),
        AuditEvent.action == AuditAction.PROBE_RUN,
        *[(AuditEvent.entity_kind.in_(["certification", "review"]))
          & AuditEvent.entity_label.contains(name) for name in vendor_names[:500]],
    )
    query = (select(AuditEvent).where(_in_month(AuditEvent.at, start, end), related)
             .order_by(AuditEvent.seq))
    return list(_records(session.execute(query).scalars()))


def _records(events: Any) -> Iterator[dict[str, Any]]:
    for event in events:
        yield audit.event_record(event)


def _write_jsonl(path: Path, events: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n"
                            for e in events), encoding="utf-8")


def _write_book(path: Path, sheets: list[X.Sheet]) -> None:
    X.write_workbook(path, sheets)
