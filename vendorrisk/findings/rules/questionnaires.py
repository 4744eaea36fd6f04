"""Questionnaire findings: ``questionnaire.risky_answer``, ``questionnaire.stale`` (pure)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from vendorrisk.findings.rules.inventory import InventoryRules, SubjectFinding, vendor_finding
from vendorrisk.portfolio.facts import AnswerFacts, PortfolioFacts


def evaluate(p: PortfolioFacts, rules: InventoryRules, today: date) -> Iterator[SubjectFinding]:
    latest: dict[tuple[str, str], AnswerFacts] = {}
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
            yield vendor_finding(vendor, "questionnaire.risky_answer", {
                "vendor": vendor, "template": template, "version": a.version,
                "question": r.question, "answer": r.answer, "text": r.text},
                severity=r.severity, title=f"Risky questionnaire answer: {r.text or r.question}")
    for key in sorted(k for k, v in p.vendors.items() if v.status != "retired"):
        reviewed = last_review.get(key)
        age = None if reviewed is None else (today - reviewed).days
        if age is not None and age > rules.questionnaire_max_age_days:
            yield vendor_finding(key, "questionnaire.stale", {
                "vendor": key, "last_reviewed": reviewed.isoformat() if reviewed else None,
                "age_days": age, "max_age_days": rules.questionnaire_max_age_days})
        elif reviewed is None and p.vendors[key].tier == 1:  # tier 1 = critical
            yield vendor_finding(key, "questionnaire.stale", {
                "vendor": key, "last_reviewed": None, "tier": 1,
                "reason": "no reviewed response for a tier-1 vendor"})


def _answered_on(a: AnswerFacts) -> date:
    return a.reviewed or a.received or date.min
