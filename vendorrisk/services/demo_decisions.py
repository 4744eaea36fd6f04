"""People's decisions in the demo files: acceptances of findings the rules raised.

A domain finding is accepted in ``probes.yaml`` (``accept`` on an observation), a vendor or
contract finding in ``decisions.yaml``. Either way only a finding the rules raised can be
accepted; the acceptance is recorded as loaded (the load writes one ``demo_load`` event).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.errors import NotFoundError
from vendorrisk.findings.codes import CATALOG, SubjectKind
from vendorrisk.services.demo_observations import _check_keys, _resolve
from vendorrisk.store.lookup import find
from vendorrisk.store.models import Contract, FindingRow
from vendorrisk.vocab import FindingStatus

DOMAIN_KEYS = {"code", "by", "reason", "until"}
INVENTORY_KEYS = DOMAIN_KEYS | {"vendor", "contract", "client", "about"}


def accept_domain_finding(session: Session, domain_id: int, domain: str, raw: Any,
                          when: datetime, today: date) -> None:
    """Accept the finding ``raw`` names among those the rules just raised on ``domain``."""
    if not isinstance(raw, Mapping):
        raise ValueError("an acceptance must be a mapping")
    r, code, until = _decision(raw, DOMAIN_KEYS, today)
    if until <= when.date():
        raise ValueError(f"accepting {code}: until {until} is not after the probe")
    rows = session.execute(select(FindingRow).where(
        FindingRow.subject_kind == SubjectKind.DOMAIN, FindingRow.domain_id == domain_id,
        FindingRow.code == code, FindingRow.status != FindingStatus.RESOLVED)).scalars().all()
    if not rows:
        raise ValueError(f"the rules raised no {code} on {domain}: only a finding the "
                         "rules raise can be accepted (describe the fault in the observation)")
    _accept(rows, r, until)


def accept_inventory_finding(session: Session, raw: Mapping[str, Any], today: date) -> None:
    """Accept the vendor or contract finding a ``decisions.yaml`` entry names."""
    r, code, until = _decision(raw, INVENTORY_KEYS, today)
    spec = CATALOG.get(code)
    if spec is None or spec.subject is SubjectKind.DOMAIN:
        raise ValueError(f"{code!r} is not a vendor or contract finding code (domain "
                         "findings are accepted in probes.yaml)")
    subject_id = _subject(session, spec.subject, r)
    client = find(session, "client", str(r["client"])).id if r.get("client") else None
    rows = [f for f in session.execute(select(FindingRow).where(
        getattr(FindingRow, f"{spec.subject.value}_id") == subject_id,
        FindingRow.code == code, FindingRow.status != FindingStatus.RESOLVED)).scalars()
        if (not r.get("client") or f.client_id == client)
        and (not r.get("about") or spec.about(f.evidence) == str(r["about"]))]
    if not rows:
        raise ValueError(f"the rules raised no {code} on that {spec.subject.value}: only a "
                         "finding the rules raise can be accepted")
    _accept(rows, r, until)


def _decision(raw: Mapping[str, Any], keys: set[str], today: date
              ) -> tuple[Mapping[str, Any], str, date]:
    _check_keys(raw, keys)
    r = _resolve(dict(raw), today)
    code, until = str(r.get("code")), r.get("until")
    if not (r.get("by") and r.get("reason") and isinstance(until, date)):
        raise ValueError(f"accepting {code} needs by, reason and until (a date)")
    return r, code, until


def _accept(rows: Iterable[FindingRow], r: Mapping[str, Any], until: date) -> None:
    for f in rows:
        f.status, f.accepted_by = FindingStatus.ACCEPTED, str(r["by"])
        f.accepted_reason, f.accepted_until, f.resolved_at = str(r["reason"]), until, None


def _subject(session: Session, kind: SubjectKind, r: Mapping[str, Any]) -> int:
    vendor = find(session, "vendor", str(r["vendor"]))
    if kind == SubjectKind.VENDOR:
        return int(vendor.id)
    contract = session.execute(select(Contract).where(
        Contract.vendor_id == vendor.id, Contract.reference == str(r["contract"]))
    ).scalar_one_or_none()
    if contract is None:
        raise NotFoundError(f"no contract {r['contract']!r} with vendor {vendor.name!r}")
    return int(contract.id)
