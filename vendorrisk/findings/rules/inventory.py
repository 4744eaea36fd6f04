"""Vendor- and contract-level findings raised from the inventory, not the network (DESIGN §3).

Pure: ``evaluate_inventory(portfolio, rules, now)``. The portfolio is read through the
read-only protocols below, which ``vendorrisk.portfolio.facts`` satisfies (findings sits
below scoring, so it may not import it). Every rule collects every reason; none stops early.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from vendorrisk.compliance.certifications import (
    CertificationRules,
    CertStatus,
    load_certification_rules,
)
from vendorrisk.compliance.clauses import ClauseRule, ClauseRules, load_clause_rules
from vendorrisk.findings.codes import Finding, Severity, make_finding
from vendorrisk.portfolio.schedules import next_renewal

EU_EEA = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
})
"""EU member states (27) plus the EEA states Iceland, Liechtenstein and Norway."""
TIER_CRITICALITY = {1: "critical", 2: "high", 3: "normal"}
"""Vendor tier (1–3) → the criticality names data/certifications.yaml uses."""


# --- what the rules read ------------------------------------------------------------------

class _Client(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def regimes(self) -> frozenset[str]: ...
    @property
    def residency(self) -> str | None: ...


class _Vendor(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def tier(self) -> int: ...
    @property
    def data_locations(self) -> frozenset[str] | None: ...
    @property
    def status(self) -> str: ...


class _Domain(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def client(self) -> str: ...
    @property
    def registrar(self) -> str | None: ...
    @property
    def dns_providers(self) -> tuple[str, ...]: ...


class _Contract(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def vendor(self) -> str: ...
    @property
    def client(self) -> str | None: ...
    @property
    def start(self) -> date | None: ...
    @property
    def end(self) -> date | None: ...
    @property
    def auto_renew(self) -> bool | None: ...
    @property
    def renewal_term_months(self) -> int | None: ...
    @property
    def notice_days_customer(self) -> int | None: ...
    @property
    def supports_critical_function(self) -> bool: ...
    @property
    def conditions(self) -> frozenset[str]: ...
    def active_on(self, day: date) -> bool: ...
    def terms(self) -> Mapping[str, Any]: ...


class _Cert(Protocol):
    @property
    def vendor(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def issued(self) -> date | None: ...
    @property
    def valid_until(self) -> date | None: ...
    @property
    def bridge_letter_until(self) -> date | None: ...


class _Risky(Protocol):
    @property
    def question(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def answer(self) -> str: ...
    @property
    def text(self) -> str: ...


class _Answers(Protocol):
    @property
    def vendor(self) -> str: ...
    @property
    def template(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def received(self) -> date | None: ...
    @property
    def reviewed(self) -> date | None: ...
    @property
    def risky(self) -> tuple[_Risky, ...]: ...


class Inventory(Protocol):
    """The part of ``scoring.inputs.PortfolioFacts`` the rules read."""

    @property
    def clients(self) -> Mapping[str, _Client]: ...
    @property
    def vendors(self) -> Mapping[str, _Vendor]: ...
    @property
    def domains(self) -> tuple[_Domain, ...]: ...
    @property
    def contracts(self) -> tuple[_Contract, ...]: ...
    @property
    def certifications(self) -> tuple[_Cert, ...]: ...
    @property
    def answers(self) -> tuple[_Answers, ...]: ...


# --- injectable rules -------------------------------------------------------------------------

@dataclass(frozen=True)
class InventoryRules:
    """The injectable rule data: data/clauses.yaml, data/certifications.yaml, thresholds."""

    clauses: ClauseRules = field(default_factory=lambda: ClauseRules({}, {}))
    certifications: CertificationRules = field(
        default_factory=lambda: CertificationRules({}, ()))
    questionnaire_max_age_days: int = 365
    notice_window_days: int = 90
    residency_groups: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: {"EU": EU_EEA, "EEA": EU_EEA})


def load_inventory_rules() -> InventoryRules:
    """The shipped rules (both files validated; ConfigError names file and line)."""
    return InventoryRules(load_clause_rules(), load_certification_rules())


@dataclass(frozen=True)
class SubjectFinding:
    """A finding with the subject it is about: a vendor or a contract, and a client if any."""

    subject: str
    """``vendor`` or ``contract``."""
    key: str
    client: str | None
    finding: Finding
    ref: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "key": self.key, "client": self.client,
                "ref": self.ref, **self.finding.to_json()}


def evaluate_inventory(portfolio: Inventory, rules: InventoryRules, now: datetime
                       ) -> list[SubjectFinding]:
    """Every inventory finding of the portfolio, in a stable order."""
    today = now.date()
    users = clients_of_vendors(portfolio)
    out: list[SubjectFinding] = []
    out += _cert_findings(portfolio, rules, today, users)
    out += _contract_findings(portfolio, rules, today, users)
    out += _questionnaire_findings(portfolio, rules, today)
    out += _residency_findings(portfolio, rules, users)
    return out


def clients_of_vendors(portfolio: Inventory) -> dict[str, set[str]]:
    """Vendor key → clients it serves (through declared domains or a client contract)."""
    users: dict[str, set[str]] = defaultdict(set)
    for d in portfolio.domains:
        for v in (d.registrar, *d.dns_providers):
            if v is not None:
                users[v].add(d.client)
    for c in portfolio.contracts:
        if c.client is not None:
            users[c.vendor].add(c.client)
    return users


# --- certifications -----------------------------------------------------------------------------

def _cert_findings(p: Inventory, rules: InventoryRules, today: date,
                   users: Mapping[str, set[str]]) -> Iterator[SubjectFinding]:
    latest: dict[tuple[str, str], _Cert] = {}
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
        yield from _missing_certs(p, p.vendors[vendor], held[vendor], rules, conditions,
                                  sorted(users.get(vendor, ())))


def _cert_state(cert: _Cert, status: CertStatus, today: date) -> SubjectFinding | None:
    if status.state not in ("expired", "stale"):
        return None
    ev: dict[str, Any] = {"vendor": cert.vendor, "type": cert.type, "reason": status.reason,
                          "issued": _iso(cert.issued), "valid_until": _iso(cert.valid_until),
                          "bridge_letter_until": _iso(cert.bridge_letter_until)}
    if status.valid_until is not None:
        days = (status.valid_until - today).days
        ev |= {"days_left": days} if days >= 0 else {"days_overdue": -days}
    return _vendor_f(cert.vendor, f"cert.{status.state}", ev, cert.type)


def _conditions_by_engagement(p: Inventory) -> dict[tuple[str, str | None], set[str]]:
    """(vendor, client or None) → contract conditions (critical_function, personal_data …)."""
    out: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for c in p.contracts:
        out[(c.vendor, c.client)] |= _contract_conditions(c)
        out[(c.vendor, None)] |= _contract_conditions(c)
    return out


def _contract_conditions(c: _Contract) -> set[str]:
    return set(c.conditions) | ({"critical_function"} if c.supports_critical_function else set())


def _missing_certs(p: Inventory, vendor: _Vendor, held: set[str], rules: InventoryRules,
                   conditions: Mapping[tuple[str, str | None], set[str]],
                   clients: list[str]) -> Iterator[SubjectFinding]:
    tier = TIER_CRITICALITY.get(vendor.tier, "normal")
    base = {"vendor": vendor.key, "tier": vendor.tier, "held": sorted(held)}
    certs = rules.certifications
    overall = conditions.get((vendor.key, None), set())
    for req in certs.missing(held, (), tier, vendor.kind, overall):
        if not req.regimes:
            yield _vendor_f(vendor.key, "cert.missing_required", base | {
                "requirement": req.id, "required_any_of": list(req.any_of),
                "reference": req.reference, "why": req.why}, req.id)
    for client in clients:
        if client not in p.clients:
            continue
        regimes = p.clients[client].regimes
        conds = conditions.get((vendor.key, client), set()) | conditions.get(
            (vendor.key, None), set())
        for req in certs.missing(held, regimes, tier, vendor.kind, conds):
            if req.regimes:
                yield SubjectFinding("vendor", vendor.key, client, make_finding(
                    "cert.missing_required", base | {
                        "client": client, "regimes": sorted(req.regimes & regimes),
                        "requirement": req.id, "required_any_of": list(req.any_of),
                        "reference": req.reference, "why": req.why}), req.id)


# --- contracts ------------------------------------------------------------------------------------

def _contract_findings(p: Inventory, rules: InventoryRules, today: date,
                       users: Mapping[str, set[str]]) -> Iterator[SubjectFinding]:
    served: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d in p.domains:
        for v in dict.fromkeys(x for x in (d.registrar, *d.dns_providers) if x):
            served[(v, d.client)].append(d.name)
    by_vendor: dict[str, list[_Contract]] = defaultdict(list)
    for c in p.contracts:
        by_vendor[c.vendor].append(c)
    for c in sorted(p.contracts, key=lambda c: c.key):
        clients = [c.client] if c.client is not None else sorted(users.get(c.vendor, ()))
        for client in clients:
            if client in p.clients:
                yield from _clauses(c, p.clients[client], rules)
        deadline = _notice_deadline(c, rules, today)
        if deadline is not None:
            yield SubjectFinding("contract", c.key, c.client, make_finding(
                "contract.notice_deadline", deadline))
        yield from _expired(c, clients, served, by_vendor[c.vendor], today)


def _clauses(c: _Contract, client: _Client, rules: InventoryRules
             ) -> Iterator[SubjectFinding]:
    missing: dict[str, list[ClauseRule]] = defaultdict(list)
    for rule in rules.clauses.missing(c.terms(), sorted(client.regimes), _contract_conditions(c)):
        missing[rule.id].append(rule)
    for clause, found in sorted(missing.items()):
        sev = max((Severity.parse(r.severity) for r in found), key=lambda s: s.rank)
        ev = {"contract": c.key, "vendor": c.vendor, "client": client.name, "clause": clause,
              "clause_title": found[0].title, "regimes": sorted({r.regime for r in found}),
              "references": sorted({r.reference for r in found if r.reference})}
        yield SubjectFinding("contract", c.key, client.name, make_finding(
            "contract.clause_missing", ev, severity=sev,
            title=f"Required contract clause missing: {found[0].title}"), clause)


def _notice_deadline(c: _Contract, rules: InventoryRules, today: date) -> dict[str, Any] | None:
    if not c.auto_renew or c.notice_days_customer is None:
        return None
    renewal = next_renewal(c.start, c.end, c.renewal_term_months, today)
    if renewal is None:
        return None
    deadline = renewal - timedelta(days=c.notice_days_customer)
    left = (deadline - today).days
    if not 0 <= left <= rules.notice_window_days:
        return None
    return {"contract": c.key, "vendor": c.vendor, "client": c.client,
            "renews_on": renewal.isoformat(), "notice_days": c.notice_days_customer,
            "last_notice_day": deadline.isoformat(), "days_left": left}


def _expired(c: _Contract, clients: Iterable[str], served: Mapping[tuple[str, str], list[str]],
             siblings: list[_Contract], today: date) -> Iterator[SubjectFinding]:
    """``siblings``: every contract with the same vendor."""
    if c.end is None or c.end >= today or c.auto_renew:
        return
    for client in clients:
        domains = sorted(served.get((c.vendor, client), ()))
        if not domains:
            continue
        successor = any(o.key != c.key and o.client in (client, None) and o.active_on(today)
                        for o in siblings)
        if not successor:
            yield SubjectFinding("contract", c.key, client, make_finding("contract.expired", {
                "contract": c.key, "vendor": c.vendor, "client": client,
                "ended": c.end.isoformat(), "domains": domains[:20],
                "domain_count": len(domains)}))


# --- questionnaires and residency -------------------------------------------------------------

def _questionnaire_findings(p: Inventory, rules: InventoryRules, today: date
                            ) -> Iterator[SubjectFinding]:
    latest: dict[tuple[str, str], _Answers] = {}
    last_review: dict[str, date] = {}
    for a in p.answers:
        if a.status not in ("received", "reviewed"):
            continue
        k = (a.vendor, a.template)
        if k not in latest or _answered_on(a) > _answered_on(latest[k]):
            latest[k] = a
        if a.status == "reviewed" and a.reviewed is not None:
            last_review[a.vendor] = max(a.reviewed, last_review.get(a.vendor, date.min))
    for (vendor, template), a in sorted(latest.items()):
        for r in a.risky:
            yield _vendor_f(vendor, "questionnaire.risky_answer", {
                "vendor": vendor, "template": template, "version": a.version,
                "question": r.question, "answer": r.answer, "text": r.text},
                r.question, severity=r.severity,
                title=f"Risky questionnaire answer: {r.text or r.question}")
    for key in sorted(k for k, v in p.vendors.items() if v.status != "retired"):
        reviewed = last_review.get(key)
        age = None if reviewed is None else (today - reviewed).days
        if age is not None and age > rules.questionnaire_max_age_days:
            yield _vendor_f(key, "questionnaire.stale", {
                "vendor": key, "last_reviewed": reviewed.isoformat() if reviewed else None,
                "age_days": age, "max_age_days": rules.questionnaire_max_age_days})
        elif reviewed is None and p.vendors[key].tier == 1:  # tier 1 = critical
            yield _vendor_f(key, "questionnaire.stale", {
                "vendor": key, "last_reviewed": None, "tier": 1,
                "reason": "no reviewed response for a tier-1 vendor"})


def _answered_on(a: _Answers) -> date:
    return a.reviewed or a.received or date.min


def allowed_locations(requirement: str, rules: InventoryRules) -> frozenset[str]:
    """``EU`` → EU/EEA member codes; ``DE,AT`` → those codes."""
    allowed: set[str] = set()
    for part in requirement.replace(";", ",").split(","):
        token = part.strip().upper()
        if token:
            allowed |= rules.residency_groups.get(token, {token})
    return frozenset(allowed)


def _residency_findings(p: Inventory, rules: InventoryRules, users: Mapping[str, set[str]]
                        ) -> Iterator[SubjectFinding]:
    for key in sorted(p.vendors):
        locations = p.vendors[key].data_locations
        if not locations:
            continue
        for client in sorted(users.get(key, ())):
            facts = p.clients.get(client)
            if facts is None or not facts.residency:
                continue
            outside = sorted(loc for loc in locations
                             if loc.upper() not in allowed_locations(facts.residency, rules))
            if outside:
                yield SubjectFinding("vendor", key, client, make_finding("residency.violation", {
                    "vendor": key, "client": client, "required": facts.residency,
                    "outside": outside, "locations": sorted(locations)}), client)


def _vendor_f(vendor: str, code: str, evidence: Mapping[str, Any], ref: str | None = None,
              **kw: Any) -> SubjectFinding:
    return SubjectFinding("vendor", vendor, None, make_finding(code, evidence, **kw), ref)


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()
