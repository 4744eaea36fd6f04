"""What every report derives the same way from stored records: a contract's renewal and
notice deadline, a certification's status, the flat fields of an observation, findings with
a readable subject. The workbook, the terminal UI, reviews, change reports and evidence packs
all call these, so they agree, and none of them needs the workbook writer to do it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.findings.rules.inventory import next_renewal
from vendorrisk.store.models import Client, Contract, Domain, Vendor

SOC2_STALE_DAYS = 365
CERT_EXPIRING_DAYS = 60


@dataclass(frozen=True)
class _Term:
    start: date | None
    end: date | None
    renewal_term_months: int | None


def contract_schedule(c: Any, today: date) -> dict[str, Any]:
    """Next renewal, notice deadline (renewal minus the client's notice) and days left."""
    term: Any = _Term(c.start_date, c.end_date, c.renewal_term_months)
    renewal = (next_renewal(term, today)
               if c.auto_renew else None)
    deadline = None
    if renewal is not None and c.notice_days_customer is not None:
        deadline = renewal - timedelta(days=c.notice_days_customer)
    target = deadline or (c.end_date if not c.auto_renew else None)
    return {"next_renewal": renewal, "notice_deadline": deadline,
            "days_left": (target - today).days if target else None}


def cert_status(cert: Any, today: date) -> tuple[str, str]:
    """valid / stale / expired / unknown, with the reason (DESIGN §3 cert.* rules)."""
    if cert.valid_until is not None and cert.valid_until < today:
        return "expired", f"valid until {cert.valid_until}"
    if cert.period_end is not None and (today - cert.period_end).days > SOC2_STALE_DAYS:
        return "stale", f"report period ended {cert.period_end}, over 12 months ago"
    if cert.valid_until is not None and (cert.valid_until - today).days <= CERT_EXPIRING_DAYS:
        return "stale", f"expires {cert.valid_until}, within {CERT_EXPIRING_DAYS} days"
    if cert.valid_until is None and cert.period_end is None:
        return "unknown", "no validity date or report period recorded"
    return "valid", ""


def observation_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten the DESIGN §3 observation JSON into the Domains sheet's columns."""
    reg = data.get("registration") or {}
    dns = data.get("dns") or {}
    nameservers = dns.get("nameservers") or []
    expires = reg.get("expires")
    return {
        "observed_registrar": reg.get("registrar"),
        "operators": dns.get("providers") or [],
        "nameservers": [ns.get("name") for ns in nameservers if ns.get("name")],
        "dnssec": (dns.get("dnssec") or {}).get("status"),
        "registrar_locked": reg.get("registrar_locked"),
        "registry_locked": reg.get("registry_locked"),
        "registrant_redacted": reg.get("registrant_redacted"),
        "pii_exposed": reg.get("pii_fields_exposed") or [],
        "axfr_open": any(ns.get("axfr_open") for ns in nameservers) if nameservers else None,
        "expires": _as_date(expires),
    }


def _as_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def finding_rows(session: Session, query: Any) -> Iterator[dict[str, Any]]:
    """Findings as records with a readable subject (domain, vendor or contract)."""
    names = {
        "domain": dict(session.execute(select(Domain.id, Domain.name)).all()),
        "vendor": dict(session.execute(select(Vendor.id, Vendor.name)).all()),
        "client": dict(session.execute(select(Client.id, Client.name)).all()),
    }
    contracts = {cid: f"{names['vendor'].get(vid)} {ref}" for cid, vid, ref in
                 session.execute(select(Contract.id, Contract.vendor_id, Contract.reference))}
    for f in session.execute(query).scalars():
        kind = str(f.subject_kind)
        subject = (names["domain"].get(f.domain_id or 0) if kind == "domain"
                   else names["vendor"].get(f.vendor_id or 0) if kind == "vendor"
                   else contracts.get(f.contract_id or 0))
        yield {"id": f.id, "client": names["client"].get(f.client_id or 0), "subject_kind": kind,
               "subject": subject, "code": f.code, "severity": str(f.severity), "title": f.title,
               "evidence": f.evidence, "status": str(f.status), "first_seen": f.first_seen,
               "last_seen": f.last_seen, "accepted_by": f.accepted_by,
               "accepted_reason": f.accepted_reason, "accepted_until": f.accepted_until,
               "resolved_at": f.resolved_at}
