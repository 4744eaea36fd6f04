"""Domain and vendor detail: the latest observation laid out for a person, and the vendor tabs."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.names import to_unicode
from vendorrisk.questionnaires.loader import TemplateLibrary
from vendorrisk.scoring.factors import evidence_text
from vendorrisk.store.lookup import find
from vendorrisk.store.models import Domain, ScoreSnapshot, Vendor
from vendorrisk.store.observations import StoredObservation
from vendorrisk.store.observations import history as observation_history
from vendorrisk.views import cells as C
from vendorrisk.views import observation as O
from vendorrisk.views import records
from vendorrisk.views.dto import Cell, Detail, Row, Section, Table
from vendorrisk.views.portfolio import NO_SCORE, VENDOR_COLUMNS, domain_cells
from vendorrisk.views.portfolio import vendors as vendor_table


def _kv(items: list[tuple[str, Any]]) -> tuple[str, ...]:
    return O.pairs([(k, C.text(v).text) for k, v in items])


def _trend(session: Session, kind: str, subject_id: int) -> Table:
    query = (select(ScoreSnapshot).where(ScoreSnapshot.subject_kind == kind,
                                         ScoreSnapshot.subject_id == subject_id)
             .order_by(ScoreSnapshot.computed_at.desc()).limit(30))
    rows = tuple(Row(str(s.id), (C.when(s.computed_at),
                                 C.score(s.lockin, s.lockin_band, s.lockin_coverage),
                                 C.score(s.compliance, s.compliance_band, s.compliance_coverage)))
                 for s in session.execute(query).scalars())
    return Table("Score trend", ("Computed", "Lock-in", "Compliance"), rows, empty=C.NOT_SCORED)


def _factors(session: Session, kind: str, subject_id: int) -> Table:
    snap = session.execute(select(ScoreSnapshot).where(
        ScoreSnapshot.subject_kind == kind, ScoreSnapshot.subject_id == subject_id)
        .order_by(ScoreSnapshot.id.desc()).limit(1)).scalar_one_or_none()
    rows = tuple(Row(str(i), (C.text(f.get("title") or f.get("id")), _points(f),
                              C.text(f.get("subject")), C.text(evidence_text(f.get("evidence"))),
                              C.text(f.get("source"))))
                 for i, f in enumerate((snap.factors if snap else None) or []))
    return Table("Score factors", ("Factor", "Points", "Subject", "Evidence", "Source"), rows,
                 empty="Not scored yet: no score snapshot for this subject.")


def _points(factor: dict[str, Any]) -> Cell:
    """Points of a failed factor; a passed or unknown one says so (not "0")."""
    state = factor.get("state")
    if state in ("pass", "unknown"):
        return Cell(str(state), "ok" if state == "pass" else "muted", -1 if state == "pass" else -2)
    return C.number(factor.get("points"))


def domain_detail(session: Session, domain_id: int, today: date) -> Detail:
    d = session.get(Domain, domain_id)
    if d is None:
        return Detail(str(domain_id), "gone", "this domain no longer exists", ())
    probes = observation_history(session, domain_id, limit=20)
    latest = probes[0] if probes else None
    trend = _trend(session, "domain", domain_id)
    sections = [Section("Overview", _overview(d, latest, trend, today))]
    if latest is not None:
        obs = latest.observation
        sections += [O.registration(obs, today), O.dnssec(obs, today), O.nameservers(obs)]
    sections.append(Section("Findings", table=records.findings(
        session, statuses=("open", "accepted"), domain_id=domain_id)))
    sections.append(Section("Probe history", table=Table("Probe history", (
        "Probed", "Complete", "Reasons"), tuple(Row(str(o.id), (
            C.when(o.probed_at), C.yes_no(o.complete), C.text([r.message for r in o.reasons])))
            for o in probes), empty="Never probed.")))
    sections.append(Section("Scores", table=trend))
    name = to_unicode(d.name)
    return Detail(str(domain_id), name, f"{d.client.name}" + (f" · A-label {d.name}"
                                                              if name != d.name else ""),
                  tuple(sections))


def _overview(d: Domain, latest: StoredObservation | None, trend: Table,
              today: date) -> tuple[str, ...]:
    declared = O.pairs([("client", d.client.name), ("criticality", str(d.criticality)),
                        ("declared registrar", d.registrar.name if d.registrar else "-"),
                        ("declared DNS", ", ".join(v.name for v in d.dns_providers) or "-")])
    scores = trend.rows[0].cells if trend.rows else (None, *NO_SCORE)
    lines = [*declared, "", f"lock-in {scores[1].text} · compliance {scores[2].text}"]
    if latest is None:
        return (*lines, "never probed: press p to probe it now")
    cells = domain_cells(latest.observation, today)
    state = "complete" if latest.complete else "INCOMPLETE: " + "; ".join(
        r.message for r in latest.reasons)
    return (*lines, "", f"probed {C.when(latest.probed_at).text} UTC, {state}",
            f"registrar {cells[0].text} · lock {cells[3].text} · expires {cells[6].text}",
            f"operators {cells[1].text} · DNSSEC {cells[2].text} · registrant {cells[4].text}",
            f"exposure: {O.exposure(latest.observation)}")


def vendor_detail(session: Session, name: str, today: date, templates: TemplateLibrary) -> Detail:
    v = find(session, "vendor", name)
    row = next((r for r in vendor_table(session, today).rows if r.key == v.name), None)
    overview = _kv([("kind", str(v.kind)), ("legal name", v.legal_name), ("tier", v.tier),
                    ("status", str(v.status)), ("HQ", v.hq_country),
                    ("data stored in", v.data_locations), ("processed in", v.processing_locations),
                    ("parent", v.ultimate_parent), ("LEI", v.lei), ("catalog", v.catalog_key)])
    if row is not None:
        cell = dict(zip(VENDOR_COLUMNS, row.cells, strict=True))
        overview += ("", f"lock-in {cell['Lock-in'].text} · compliance {cell['Compliance'].text}"
                     f" · contract {cell['Contract'].text} · certs {cell['Certs'].text}"
                     f" · {cell['Open'].text} open findings")
    domains = [d for d in session.execute(select(Domain).where(
        (Domain.registrar_id == v.id) | Domain.dns_providers.any(Vendor.id == v.id))
        .order_by(Domain.name)).scalars()]
    dom_rows = tuple(Row(str(d.id), (C.text(to_unicode(d.name)), C.text(d.client.name),
                                     C.text("registrar" if d.registrar_id == v.id else "DNS")))
                     for d in domains)
    subs = tuple(Row(str(s.rank), (C.number(s.rank), C.text(s.subcontractor.name),
                                   C.text(s.service))) for s in v.subcontractors)
    return Detail(v.name, v.name, f"{v.kind} · tier {v.tier}", (
        Section("Overview", overview),
        Section("Contracts", table=records.contracts(session, today, vendor_id=v.id)),
        Section("Certifications", table=records.certifications(session, today, vendor_id=v.id)),
        Section("Questionnaires", table=_answers(session, v, templates)),
        Section("Domains", table=Table("Domains", ("Domain", "Client", "Role"), dom_rows,
                                       empty="Serves no inventory domain.")),
        Section("Findings", table=records.findings(session, statuses=("open", "accepted"),
                                                   vendor_id=v.id)),
        Section("Score factors", table=_factors(session, "vendor", v.id)),
        Section("Subcontractors", table=Table(
            "Subcontractors", ("Rank", "Vendor", "Service"), subs,
            note="S edits the ranked chain (DORA register B_05.02)",
            empty="No subcontractors recorded. Press S to add them.")),
        Section("Audit", table=records.audit_log(session, entity_kind="vendor", entity_id=v.id,
                                                 limit=200)),
    ))


def _answers(session: Session, vendor: Vendor, templates: TemplateLibrary) -> Table:
    from vendorrisk.views.questionnaires import questionnaire_rows

    rows = tuple(Row(f"{i}", (C.text(r["template"]), C.text(r["status"]), C.text(r["question_id"]),
                              C.text(r["answer"]),
                              Cell(r["risk_severity"] or "ok", r["risk_severity"] or "ok"),
                              C.text(r["question"])))
                 for i, r in enumerate(questionnaire_rows(session, {vendor.id}, templates)))
    return Table("Questionnaire answers", ("Template", "Status", "Question", "Answer", "Risk",
                                           "Text"), rows,
                 empty="No questionnaire responses. Press a to answer one.")
