"""Dates derived from the inventory, one implementation each: a contract's next renewal and
notice deadline, and a certification's status under the rules of data/certifications.yaml.
Findings, the workbook, the terminal UI and reviews all call these, so they agree."""

from __future__ import annotations

from datetime import date, timedelta

from vendorrisk.compliance.certifications import CertificationRules, CertStatus, load_certification_rules
from vendorrisk.dates import add_months


def next_renewal(start: date | None, end: date | None, term_months: int | None,
                 today: date) -> date | None:
    """The next date on which an auto-renewing contract renews, or ``None`` if unknowable.

    The current term ends on ``end``; past it, terms of ``term_months`` follow (or, without a
    renewal term, terms as long as the first one). Without an end date the terms run from
    ``start``.
    """
    if end is not None and end >= today:
        return end
    base = end if end is not None else start
    if base is None:
        return None
    term = term_months
    if not term:
        if start is None or end is None or start >= end:
            return None
        term = max(1, (end.year - start.year) * 12 + end.month - start.month)
    steps = max(1, ((today.year - base.year) * 12 + today.month - base.month) // term)
    renewal = add_months(base, term * steps)
    while renewal < today:
        steps += 1
        renewal = add_months(base, term * steps)
    return renewal


def notice_deadline(renewal: date | None, notice_days: int | None) -> date | None:
    """The last day to give notice before ``renewal``."""
    if renewal is None or notice_days is None:
        return None
    return renewal - timedelta(days=notice_days)


def certificate_status(cert_type: str, *, as_of: date, issued: date | None = None,
                       valid_until: date | None = None, period_end: date | None = None,
                       bridge_letter: date | None = None,
                       rules: CertificationRules | None = None) -> CertStatus:
    """valid / stale / expired / unknown, with the reason, by the type's rule (a certificate's
    validity, a report's period and bridge letter). A type the rules do not know is judged
    by its validity date alone."""
    rules = rules or load_certification_rules()
    if cert_type in rules.types:
        return rules.status(cert_type, as_of=as_of, issued=issued, valid_until=valid_until,
                            period_end=period_end, bridge_letter=bridge_letter)
    if valid_until is None:
        return CertStatus("unknown", f"{cert_type}: no validity date recorded")
    if valid_until < as_of:
        return CertStatus("expired", f"{cert_type} expired on {valid_until.isoformat()}", valid_until)
    return CertStatus("valid", f"{cert_type} valid until {valid_until.isoformat()}", valid_until)
