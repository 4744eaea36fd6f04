"""Certification findings: ``cert.expired``, ``cert.stale``, ``cert.missing_required`` (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from vendorrisk.compliance.certifications import CertStatus
from vendorrisk.findings.rules.inventory import (
    InventoryRules,
    SubjectFinding,
    contract_conditions,
    iso,
    vendor_finding,
)
from vendorrisk.portfolio.facts import CertFacts, PortfolioFacts, VendorFacts

TIER_CRITICALITY = {1: "critical", 2: "high", 3: "normal"}
"""Vendor tier (1–3) → the criticality names data/certifications.yaml uses."""


def evaluate(p: PortfolioFacts, rules: InventoryRules, today: date,
             users: Mapping[str, set[str]]) -> Iterator[SubjectFinding]:
    """The state of each vendor's newest certificate of each type, then what is missing."""
    latest: dict[tuple[str, str], CertFacts] = {}
    for cert in p.certifications:
        k = (cert.vendor, cert.type)
        if k not in latest or (cert.valid_until or date.min) > (latest[k].valid_until or date.min):
            latest[k] = cert
    held: dict[str, set[str]] = defaultdict(set)
    for (vendor, ctype), cert in sorted(latest.items()):
        if ctype not in rules.certifications.types:
            held[vendor].add(ctype)
            continue
        status = rules.certifications.status(
            ctype, as_of=today, issued=cert.issued, valid_until=cert.valid_until,
            bridge_letter=cert.bridge_letter_until)
        if status.state != "expired":
            held[vendor].add(ctype)
        finding = _cert_state(cert, status, today)
        if finding is not None:
            yield finding
    conditions = _conditions_by_engagement(p)
    for vendor in sorted(k for k, v in p.vendors.items() if v.status != "retired"):
        yield from _missing(p, p.vendors[vendor], held[vendor], rules, conditions,
                            sorted(users.get(vendor, ())))


def _cert_state(cert: CertFacts, status: CertStatus, today: date) -> SubjectFinding | None:
    if status.state not in ("expired", "stale"):
        return None
    ev: dict[str, Any] = {"vendor": cert.vendor, "type": cert.type, "reason": status.reason,
                          "issued": iso(cert.issued), "valid_until": iso(cert.valid_until),
                          "bridge_letter_until": iso(cert.bridge_letter_until)}
    if status.valid_until is not None:
        days = (status.valid_until - today).days
        ev |= {"days_left": days} if days >= 0 else {"days_overdue": -days}
    return vendor_finding(cert.vendor, f"cert.{status.state}", ev)


def _conditions_by_engagement(p: PortfolioFacts) -> dict[tuple[str, str | None], set[str]]:
    """(vendor, client or None) → contract conditions (critical_function, personal_data …)."""
    out: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for c in p.contracts:
        out[(c.vendor, c.client)] |= contract_conditions(c)
        out[(c.vendor, None)] |= contract_conditions(c)
    return out


def _missing(p: PortfolioFacts, vendor: VendorFacts, held: set[str], rules: InventoryRules,
             conditions: Mapping[tuple[str, str | None], set[str]],
             clients: list[str]) -> Iterator[SubjectFinding]:
    tier = TIER_CRITICALITY.get(vendor.tier, "normal")
    base = {"vendor": vendor.key, "tier": vendor.tier, "held": sorted(held)}
    certs = rules.certifications
    overall = conditions.get((vendor.key, None), set())
    for req in certs.missing(held, (), tier, vendor.kind, overall):
        if not req.regimes:
            yield vendor_finding(vendor.key, "cert.missing_required", base | {
                "requirement": req.id, "required_any_of": list(req.any_of),
                "reference": req.reference, "why": req.why})
    for client in clients:
        if client not in p.clients:
            continue
        regimes = p.clients[client].regimes
        conds = conditions.get((vendor.key, client), set()) | overall
        for req in certs.missing(held, regimes, tier, vendor.kind, conds):
            if req.regimes:
                yield vendor_finding(vendor.key, "cert.missing_required", base | {
                    "client": client, "regimes": sorted(req.regimes & regimes),
                    "requirement": req.id, "required_any_of": list(req.any_of),
                    "reference": req.reference, "why": req.why}, client)
