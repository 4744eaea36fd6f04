"""Compliance factors: open findings, certifications, questionnaires, clauses, residency.

Per domain (recorded probe findings), per vendor (certifications, questionnaires — true for
every client) and per client–vendor engagement (clauses, regime-required certifications,
residency, contract expiry: they depend on the client).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from vendorrisk.findings.codes import Area, about, area_of, scored_by
from vendorrisk.findings.rules.residency import residency_verdict
from vendorrisk.portfolio.facts import DomainFacts, RecordedFinding, VendorFacts
from vendorrisk.scoring.context import ScoringContext
from vendorrisk.scoring.factors import Part, Tally, counted_part, part


def open_findings(ctx: ScoringContext, subject: str, records: Iterable[RecordedFinding],
                  source_title: str | None = None, role: str | None = None,
                  note: Mapping[str, Any] | None = None) -> Part:
    """Probe findings that count, one problem each at its severity's points; ``note`` adds
    evidence (what was not applicable)."""
    spec = ctx.weights.factors["compliance.open_findings"]
    counted, waived, alone = [], [], []
    for r in records:
        if area_of(r.code, r.evidence) is Area.INVENTORY or r.code == "probe.incomplete" \
                or scored_by(r.code):
            continue  # counted by their own factors (lock-in scores the exit-readiness ones)
        row: dict[str, Any] = {"code": r.code, "severity": r.severity.value, "title": r.title}
        if r.counts(ctx.now):
            alone.append(ctx.weights.points_of(r.severity))
            counted.append(row | ({"acceptance_expired": r.accepted_until.isoformat()}
                                  if r.accepted_until else {}))
        elif r.status == "accepted":
            waived.append(row | {"accepted_until": r.accepted_until.isoformat()
                                 if r.accepted_until else None})
    by_sev: dict[str, int] = {}
    for row in counted:
        by_sev[row["severity"]] = by_sev.get(row["severity"], 0) + 1
    ev: dict[str, Any] = {"by_severity": by_sev, "findings": counted}
    if waived:
        ev["accepted"] = waived
    ev |= note or {}
    return counted_part(spec, subject, alone, ev, source_title, role)


def domain_compliance(ctx: ScoringContext, d: DomainFacts) -> Tally:
    subject = f"domain:{d.name}"
    t = Tally()
    reg = [r for r in d.findings if area_of(r.code, r.evidence) is Area.REGISTRATION]
    dns = [r for r in d.findings if area_of(r.code, r.evidence) is not Area.REGISTRATION]
    t.add(open_findings(ctx, subject, dns, "Open findings (DNS)", "dns"))
    t.add(open_findings(ctx, subject, reg, "Open findings (registration)", "registrar",
                        not_applicable(d)))
    spec = ctx.weights.factors["compliance.probe_incomplete"]
    if d.probe_complete:
        t.add(part(spec, subject, 0.0, {"complete": True}))
    else:
        reasons = sorted({str(r.evidence.get("reason", r.title)) for r in d.findings
                          if r.code == "probe.incomplete"})
        t.add(part(spec, subject, 1.0, {"complete": d.probe_complete, "reasons": reasons}))
    return t


def not_applicable(d: DomainFacts) -> dict[str, Any]:
    """What the domain's registry never publishes, with why: the checks that need it (locks
    from EPP status, the expiry window) are not applicable there, not failed or unknown."""
    if not d.not_published:
        return {}
    tld = d.name.rstrip(".").rsplit(".", 1)[-1]
    return {"not_applicable": [
        {"field": label, "reason": f"the .{tld} registry does not publish the {label}"}
        for label in d.not_published]}


def _counted(ctx: ScoringContext, fid: str, subject: str, findings: list[RecordedFinding],
             accepted: list[RecordedFinding]) -> Part:
    """A factor counting recorded inventory findings, one problem each at its severity."""
    spec = ctx.weights.factors[fid]
    ev: dict[str, Any] = {"findings": [_row(f) for f in findings]}
    if accepted:
        ev["accepted"] = [_row(f) for f in accepted]
    return counted_part(spec, subject, [ctx.weights.points_of(f.severity) for f in findings], ev)


def _row(f: RecordedFinding) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity.value, "title": f.title,
            "ref": about(f.code, f.evidence), **dict(f.evidence)}


def vendor_compliance(ctx: ScoringContext, v: VendorFacts) -> Tally:
    """What holds for the vendor whoever the client: certifications, questionnaires."""
    subject = f"vendor:{v.key}"
    t = Tally()
    for fid, code in (("compliance.cert_expired", "cert.expired"),
                      ("compliance.cert_stale", "cert.stale"),
                      ("compliance.cert_missing", "cert.missing_required"),
                      ("compliance.questionnaire_stale", "questionnaire.stale")):
        t.add(_counted(ctx, fid, subject, ctx.findings("vendor", v.key, None, code),
                       ctx.accepted_of("vendor", v.key, None, code)))
    responses = [a for a in ctx.answers_of.get(v.key, ()) if a.status in ("received", "reviewed")]
    risky = ctx.findings("vendor", v.key, None, "questionnaire.risky_answer")
    accepted = ctx.accepted_of("vendor", v.key, None, "questionnaire.risky_answer")
    if responses:
        t.add(_counted(ctx, "compliance.risky_answers", subject, risky, accepted))
    else:
        t.add(part(ctx.weights.factors["compliance.risky_answers"], subject, None,
                   {"reason": "no received questionnaire response"}))
    unanswered = sum(a.unanswered for a in _latest(responses))
    spec = ctx.weights.factors["compliance.questionnaire_unanswered"]
    if responses:
        t.add(part(spec, subject, 1.0 if unanswered else 0.0, {"unanswered": unanswered}))
    else:
        t.add(part(spec, subject, None, {"unanswered": None, "responses": 0}))
    t.add(open_findings(ctx, subject, v.findings))
    return t


def _latest(responses: list[Any]) -> list[Any]:
    latest: dict[str, Any] = {}
    for a in responses:
        day = a.reviewed or a.received
        prev = latest.get(a.template)
        if prev is None or (day and (prev.reviewed or prev.received or day) <= day):
            latest[a.template] = a
    return list(latest.values())


def engagement_compliance(ctx: ScoringContext, vendor: str, client: str) -> Tally:
    """Client-specific compliance of ``client``'s use of ``vendor``."""
    current, every = ctx.engagement_contracts(vendor, client)
    subject = "contract:" + ",".join(c.key for c in current) if current else \
        f"vendor:{vendor}@{client}"
    t = Tally()
    clause_spec = ctx.weights.factors["compliance.clause_missing"]
    if current:
        missing = [f for c in current for f in ctx.findings("contract", c.key, client,
                                                            "contract.clause_missing")]
        accepted = [f for c in current for f in ctx.accepted_of("contract", c.key, client,
                                                                "contract.clause_missing")]
        t.add(_counted(ctx, "compliance.clause_missing", subject, missing, accepted))
    else:
        regimes = sorted(ctx.portfolio.clients[client].regimes) if client in \
            ctx.portfolio.clients else []
        t.add(part(clause_spec, subject, None, {"reason": "no current contract recorded",
                                                "regimes": regimes}))
    expired = [f for c in every for f in ctx.findings("contract", c.key, client,
                                                      "contract.expired")]
    t.add(_counted(ctx, "compliance.contract_expired", subject, expired,
                   [f for c in every for f in ctx.accepted_of("contract", c.key, client,
                                                              "contract.expired")]))
    vsubject = f"vendor:{vendor}@{client}"
    t.add(_counted(ctx, "compliance.contract_missing", vsubject,
                   ctx.findings("vendor", vendor, client, "contract.missing"),
                   ctx.accepted_of("vendor", vendor, client, "contract.missing")))
    t.add(_counted(ctx, "compliance.cert_missing", vsubject,
                   ctx.findings("vendor", vendor, client, "cert.missing_required"),
                   ctx.accepted_of("vendor", vendor, client, "cert.missing_required")))
    t.add(_residency(ctx, vendor, client, vsubject))
    return t


def _residency(ctx: ScoringContext, vendor: str, client: str, subject: str) -> Part:
    spec = ctx.weights.factors["compliance.residency"]
    facts = ctx.portfolio.clients.get(client)
    v = ctx.portfolio.vendors.get(vendor)
    if facts is None or not facts.residency:
        return part(spec, subject, 0.0, {"required": None})
    if v is None or not v.data_locations:
        return part(spec, subject, None, {"required": facts.residency,
                                          "reason": "vendor data locations not recorded"})
    found = ctx.findings("vendor", vendor, client, "residency.violation")
    accepted = ctx.accepted_of("vendor", vendor, client, "residency.violation")
    _, unknown = residency_verdict(facts.residency, v.data_locations)
    if unknown and not found and not accepted:
        return part(spec, subject, None, {"required": facts.residency,
                                          "unknown_locations": list(unknown)})
    return _counted(ctx, "compliance.residency", subject, found, accepted)
