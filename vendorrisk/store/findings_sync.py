"""Keep findings in step with what was last observed: first/last seen, resolve what went away.

A finding's identity is its *fingerprint*: subject + code + a discriminator taken from the
evidence (e.g. the nameserver or key tag), so two lame servers are two findings, and a
finding seen again keeps its first-seen date, status and any risk acceptance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.findings.codes import CATALOG, Finding, SubjectKind
from vendorrisk.store.models import FindingRow
from vendorrisk.vocab import FindingStatus

# Evidence keys that tell one occurrence of a code from another, in order of preference.
DISCRIMINATORS = ("part", "server", "nameserver", "address", "key_tag", "record", "field",
                  "question_id", "clause", "requirement", "certification", "cert_type", "client",
                  "provider", "registrar", "kind")


# For vendor and contract findings: what the finding is about within its subject, and which
# client it concerns. Rules and hand-entered findings spell the reference differently
# (``question`` / ``question_id``, ``type`` / ``certification``), so the first present wins.
INVENTORY_REFS = ("clause", "question_id", "question", "certification", "type", "requirement")


def discriminator(finding: Finding) -> str:
    if CATALOG[finding.code].subject is not SubjectKind.DOMAIN:
        ev = finding.evidence
        ref = next((ev[k] for k in INVENTORY_REFS if ev.get(k)), None)
        return f"ref={ref}|client={ev.get('client')}"
    parts = [f"{key}={finding.evidence[key]}" for key in DISCRIMINATORS if key in finding.evidence]
    return "|".join(parts)


@dataclass(frozen=True)
class Raised:
    """A finding to store: which client it concerns, and what tells it from its siblings."""

    finding: Finding
    client_id: int | None = None
    detail: str | None = None
    """Defaults to :func:`discriminator` of the finding."""


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
        detail = wrapped.detail if wrapped.detail is not None else discriminator(item)
        fp = fingerprint(subject_kind, subject_id, item.code, detail)
        if fp in seen:
            continue
        seen.add(fp)
        row = stored.get(fp)
        if row is None:
            row = FindingRow(fingerprint=fp, code=item.code, subject_kind=subject_kind,
                          first_seen=now, status=FindingStatus.OPEN,
                          client_id=wrapped.client_id)
            setattr(row, column.key, subject_id)
            session.add(row)
            created.append(row)
        elif row.status == FindingStatus.RESOLVED:
            row.status, row.resolved_at = FindingStatus.OPEN, None
        row.severity, row.title, row.evidence = item.severity, item.title, dict(item.evidence)
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
