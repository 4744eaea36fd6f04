"""What every report derives the same way from stored records: a contract's renewal and
notice deadline, a certification's status, the flat fields of an observation, findings with
a readable subject. The workbook, the terminal UI, reviews, change reports and evidence packs
all call these, so they agree, and none of them needs the workbook writer to do it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.portfolio.facts import RecordedFinding
from vendorrisk.portfolio.schedules import certificate_status, next_renewal, notice_deadline
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.store.models import Client, Contract, Domain, Vendor
from vendorrisk.vocab import FindingStatus, Severity


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


@dataclass(frozen=True)
class ObservedFields:
    """The flat facts of one observation that tables, sheets and change reports show."""

    observed_registrar: str | None = None
    operators: tuple[str, ...] = ()
    nameservers: tuple[str, ...] = ()
    dnssec: str | None = None
    registrar_locked: bool | None = None
    registry_locked: bool | None = None
    registrant_redacted: bool | None = None
    pii_exposed: tuple[str, ...] = ()
    axfr_open: bool | None = None
    update_open: bool | None = None
    expires: date | None = None

    def record(self) -> dict[str, Any]:
        """The Domains sheet's and the evidence pack's columns (lists for the list columns)."""
        return {"observed_registrar": self.observed_registrar, "operators": list(self.operators),
                "nameservers": list(self.nameservers), "dnssec": self.dnssec,
                "registrar_locked": self.registrar_locked,
                "registry_locked": self.registry_locked,
                "registrant_redacted": self.registrant_redacted,
                "pii_exposed": list(self.pii_exposed), "axfr_open": self.axfr_open,
                "expires": self.expires}


def observation_fields(obs: DomainObservation) -> ObservedFields:
    """Flatten a typed observation into the facts every report shows the same way."""
    reg, dns = obs.registration, obs.dns
    servers = dns.nameservers if dns is not None else ()
    return ObservedFields(
        observed_registrar=reg.registrar if reg else None,
        operators=dns.providers if dns else (),
        nameservers=tuple(ns.name for ns in servers),
        dnssec=dns.dnssec.status if dns else None,
        registrar_locked=reg.registrar_locked if reg else None,
        registry_locked=reg.registry_locked if reg else None,
        registrant_redacted=reg.registrant_redacted if reg else None,
        pii_exposed=(reg.pii_fields_exposed or ()) if reg else (),
        axfr_open=_any_open([ns.axfr_open for ns in servers]),
        update_open=_any_open([ns.update_open for ns in servers]),
        expires=reg.expires.astimezone(UTC).date() if reg and reg.expires else None,
    )


def _any_open(values: list[bool | None]) -> bool | None:
    """True if any server is open, False if all are known closed, else unknown."""
    if any(values):
        return True
    return False if values and all(v is False for v in values) else None


def acceptance_lapsed(status: str, code: str, until: date | None, now: datetime) -> bool:
    """An accepted finding whose acceptance has expired: it counts and shows as open again
    (the rule scoring applies, ``RecordedFinding.counts``)."""
    if status != FindingStatus.ACCEPTED:
        return False
    end = datetime.combine(until, time.min, UTC) if until else None
    return RecordedFinding(code, Severity.INFO, status, end).counts(now)


def shown_status(status: str, until: date | None, lapsed: bool) -> str:
    """How a finding's status reads everywhere: ``open``, ``accepted to 2027-01-06``,
    ``open (acceptance lapsed 2026-12-02)``, ``resolved``."""
    if lapsed:
        return f"open (acceptance lapsed {until})"
    return f"accepted to {until}" if status == FindingStatus.ACCEPTED else str(status)


def finding_rows(session: Session, query: Any, now: datetime | None = None
                 ) -> Iterator[dict[str, Any]]:
    """Findings as records with a readable subject (domain, vendor or contract) and the status
    they count with at ``now`` (default: the present)."""
    now = now or datetime.now(UTC)
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
        lapsed = acceptance_lapsed(str(f.status), f.code, f.accepted_until, now)
        yield {"id": f.id, "client": names["client"].get(f.client_id or 0), "subject_kind": kind,
               "subject": subject, "code": f.code, "severity": str(f.severity), "title": f.title,
               "evidence": f.evidence, "status": str(f.status), "first_seen": f.first_seen,
               "last_seen": f.last_seen, "accepted_by": f.accepted_by,
               "accepted_reason": f.accepted_reason, "accepted_until": f.accepted_until,
               "resolved_at": f.resolved_at, "lapsed": lapsed,
               "counted_status": FindingStatus.OPEN.value if lapsed else str(f.status),
               "shown_status": shown_status(str(f.status), f.accepted_until, lapsed)}
