"""Keep findings in step with what was last observed or evaluated: first/last seen, resolve
what went away.

A finding's identity is its *fingerprint*: subject + code + the values of the code's identity
keys (``FindingSpec.identity`` in the catalogue, e.g. the nameserver or the certification
type), so two lame servers are two findings, and a finding seen again keeps its first-seen
date, status and any risk acceptance — which therefore covers that one finding only.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.findings.codes import Area, Finding, SubjectKind, area_of, identity
from vendorrisk.findings.rules.inventory import SubjectFinding
from vendorrisk.store.facts import SubjectIds
from vendorrisk.store.models import FindingRow
from vendorrisk.vocab import FindingStatus


def discriminator(finding: Finding) -> str:
    """What tells ``finding`` from the other findings of its code on its subject."""
    return identity(finding.code, finding.evidence)


@dataclass(frozen=True)
class Raised:
    """A finding to store, and which client it concerns."""

    finding: Finding
    client_id: int | None = None


def fingerprint(subject_kind: SubjectKind | str, subject_id: int, code: str,
                detail: str = "") -> str:
    text = f"{SubjectKind(subject_kind).value}:{subject_id}:{code}:{detail}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _subject_column(subject_kind: SubjectKind) -> Any:
    return {SubjectKind.DOMAIN: FindingRow.domain_id, SubjectKind.VENDOR: FindingRow.vendor_id,
            SubjectKind.CONTRACT: FindingRow.contract_id}[subject_kind]


def sync_findings(
    session: Session,
    *,
    subject_kind: SubjectKind,
    subject_id: int,
    client_id: int | None,
    raised: Sequence[Finding | Raised],
    now: datetime,
    run_id: int | None = None,
    in_scope: Callable[[str, Mapping[str, Any]], bool] | None = None,
) -> tuple[list[FindingRow], list[FindingRow]]:
    """Upsert ``raised`` for one subject; resolve open/accepted ones no longer raised.

    ``in_scope(code, evidence)`` limits which stored findings may be resolved (a DNS-only
    probe must not resolve a registration finding). Returns (new findings, resolved findings).
    """
    column = _subject_column(subject_kind)
    stored = {
        f.fingerprint: f
        for f in session.execute(
            select(FindingRow).where(FindingRow.subject_kind == subject_kind, column == subject_id)
        ).scalars()
    }
    created: list[FindingRow] = []
    seen: set[str] = set()
    for entry in raised:
        wrapped = entry if isinstance(entry, Raised) else Raised(entry, client_id)
        item = wrapped.finding
        fp = fingerprint(subject_kind, subject_id, item.code, discriminator(item))
        if fp in seen:
            continue
        seen.add(fp)
        row = stored.get(fp)
        if row is None:
            row = FindingRow(fingerprint=fp, code=item.code, subject_kind=subject_kind,
                             first_seen=now, status=FindingStatus.OPEN)
            setattr(row, column.key, subject_id)
            session.add(row)
            created.append(row)
        elif row.status == FindingStatus.RESOLVED:
            row.status, row.resolved_at = FindingStatus.OPEN, None
        row.severity, row.title, row.evidence = item.severity, item.title, dict(item.evidence)
        row.client_id = wrapped.client_id
        row.last_seen, row.last_run_id = now, run_id if run_id is not None else row.last_run_id
    resolved: list[FindingRow] = []
    for fp, row in stored.items():
        if fp in seen or row.status == FindingStatus.RESOLVED:
            continue
        if in_scope is not None and not in_scope(row.code, row.evidence):
            continue
        row.status, row.resolved_at = FindingStatus.RESOLVED, now
        resolved.append(row)
    return created, resolved


def sync_inventory_findings(session: Session, raised: Sequence[SubjectFinding],
                            ids: SubjectIds, now: datetime) -> tuple[int, int]:
    """Store the inventory findings just evaluated for every vendor and contract; resolve
    the stored ones no longer raised. Returns (new, resolved)."""
    grouped: dict[tuple[SubjectKind, int], list[Raised]] = defaultdict(list)
    for item in raised:
        kind = SubjectKind(item.subject)
        table = ids.vendors if kind is SubjectKind.VENDOR else ids.contracts
        subject_id = table.get(item.key)
        if subject_id is None:
            continue
        client_id = ids.clients.get(item.client) if item.client else None
        grouped[(kind, subject_id)].append(Raised(item.finding, client_id))
    subjects = [(SubjectKind.VENDOR, i) for i in sorted(ids.vendors.values())]
    subjects += [(SubjectKind.CONTRACT, i) for i in sorted(ids.contracts.values())]
    new = gone = 0
    for kind, subject_id in subjects:
        created, resolved = sync_findings(
            session, subject_kind=kind, subject_id=subject_id, client_id=None,
            raised=grouped.get((kind, subject_id), []), now=now,
            in_scope=lambda code, evidence: area_of(code, evidence) is Area.INVENTORY)
        new, gone = new + len(created), gone + len(resolved)
    return new, gone
