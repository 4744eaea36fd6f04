"""What every report derives the same way from stored records: a contract's renewal and
notice deadline, a certification's status, the flat fields of an observation, findings with
a readable subject. The workbook, the terminal UI, reviews, change reports and evidence packs
all call these, so they agree, and none of them needs the workbook writer to do it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.portfolio.schedules import certificate_status, next_renewal, notice_deadline
from vendorrisk.store.models import Client, Contract, Domain, Vendor


def contract_schedule(c: Any, today: date) -> dict[str, Any]:
    """Next renewal, notice deadline (renewal minus the client's notice) and days left."""
    renewal = (next_renewal(c.start_date, c.end_date, c.renewal_term_months, today)
               if c.auto_renew else None)
    deadline = notice_deadline(renewal, c.notice_days_customer)
    target = deadline or (c.end_date if not c.auto_renew else None)
    return {"next_renewal": renewal, "notice_deadline": deadline,
            "days_left": (target - today).days if target else None}


def cert_status(cert: Any, today: date) -> tuple[str, str]:
    """valid / stale / expired / unknown, with the reason: the rule the findings apply."""
    status = certificate_status(cert.cert_type, as_of=today, issued=cert.issued,
                                valid_until=cert.valid_until, period_end=cert.period_end,
                                bridge_letter=cert.bridge_letter_until)
    return status.state, status.reason


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
