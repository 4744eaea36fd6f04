"""Scores: map the stored portfolio to the pure scoring layer, compute, keep snapshots.

Recomputing also raises the inventory findings (certifications, contracts, questionnaires,
residency) and keeps them in step, exactly as a probe run does for domain findings. A
snapshot row is written for every subject whose scores changed, so trends are queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from vendorrisk import questionnaires
from vendorrisk.catalog.providers import ProviderCatalog, load_provider_catalog
from vendorrisk.catalog.registrars import RegistrarCatalog, load_registrar_catalog
from vendorrisk.config import Settings
from vendorrisk.errors import NotFoundError
from vendorrisk.findings.codes import CATALOG, Severity, SubjectKind
from vendorrisk.findings.rules.inventory import InventoryRules, load_inventory_rules
from vendorrisk.names import normalise_domain
from vendorrisk.portfolio import facts
from vendorrisk.questionnaires.loader import TemplateLibrary
from vendorrisk.scoring.aggregate import ScoreBook, compute_all
from vendorrisk.scoring.factors import Score
from vendorrisk.scoring.weights import Weights, load_weights
from vendorrisk.store.database import Database
from vendorrisk.store.findings_sync import Raised, sync_findings
from vendorrisk.store.latest import latest_observations
from vendorrisk.store.models import (
    Certification,
    Client,
    Contract,
    Domain,
    FindingRow,
    ObservationRow,
    QuestionnaireResponse,
    ScoreSnapshot,
    Vendor,
)
from vendorrisk.vocab import FindingStatus, ScoreSubject

INVENTORY_CODES = frozenset(c for c, s in CATALOG.items() if s.subject is not SubjectKind.DOMAIN)


@dataclass
class _Ids:
    clients: dict[str, int]
    vendors: dict[str, int]
    domains: dict[str, int]
    contracts: dict[str, int]


class ScoringService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._weights: Weights | None = None
        self._rules: InventoryRules | None = None

    @property
    def weights(self) -> Weights:
        if self._weights is None:
            override = self.settings.scoring_weights
            self._weights = load_weights(Path(override).expanduser() if override else None)
        return self._weights

    @property
    def rules(self) -> InventoryRules:
        if self._rules is None:
            self._rules = load_inventory_rules()
        return self._rules

    def recompute(self, *, now: datetime | None = None, note: str | None = None) -> ScoreBook:
        """Compute every score, sync inventory findings, write snapshots of what changed."""
        now = now or datetime.now(UTC)
        with self.db.session() as session:
            portfolio, ids = self._portfolio(session, now)
            book = compute_all(portfolio, self.weights, now, self.rules)
            if self._sync_inventory_findings(session, book, ids, now):
                # Scores read the stored findings (acceptances); score what is now stored.
                session.flush()
                portfolio, ids = self._portfolio(session, now)
                book = compute_all(portfolio, self.weights, now, self.rules)
            self._snapshot(session, book, ids, now, note)
        return book

    def explain(self, *, client: str | None = None, vendor: str | None = None,
                domain: str | None = None, now: datetime | None = None) -> list[Score]:
        """Recompute and return the scores asked for (all clients when nothing is named)."""
        book = self.recompute(now=now, note="score command")
        if domain:
            name = normalise_domain(domain)
            return [_pick(book.domains, name, "domain", domain)]
        if vendor:
            return [_pick(book.vendors, vendor, "vendor", vendor)]
        if client:
            return [_pick(book.clients, client, "client", client)]
        return [book.clients[name] for name in sorted(book.clients)]

    def trend(self, kind: ScoreSubject, subject_id: int, limit: int = 50) -> list[dict[str, Any]]:
        with self.db.session(readonly=True) as session:
            rows = session.execute(
                select(ScoreSnapshot).where(ScoreSnapshot.subject_kind == kind,
                                            ScoreSnapshot.subject_id == subject_id)
                .order_by(ScoreSnapshot.computed_at.desc()).limit(limit)).scalars()
            return [{"computed_at": r.computed_at.isoformat(), "lockin": r.lockin,
                     "compliance": r.compliance, "note": r.note} for r in rows]

    # -- ORM -> facts ------------------------------------------------------------------------
    def _portfolio(self, session: Session, now: datetime) -> tuple[facts.PortfolioFacts, _Ids]:
        clients = session.execute(select(Client)).scalars().all()
        vendors = session.execute(select(Vendor)).scalars().all()
        domains = session.execute(select(Domain).options(
            selectinload(Domain.dns_providers))).scalars().all()
        contracts = session.execute(select(Contract)).scalars().all()
        certs = session.execute(select(Certification)).scalars().all()
        vendor_name = {v.id: v.name for v in vendors}
        client_name = {c.id: c.name for c in clients}
        findings = _recorded_findings(session)
        latest = latest_observations(session)
        contract_key = {c.id: f"{vendor_name[c.vendor_id]}/{c.reference}" for c in contracts}
        portfolio = facts.PortfolioFacts(
            clients={c.name: facts.ClientFacts(c.name, frozenset(c.regimes), c.residency)
                     for c in clients},
            vendors={v.name: _vendor_facts(v, findings["vendor"].get(v.id, ())) for v in vendors},
            domains=tuple(_domain_facts(d, client_name, vendor_name, latest.get(d.id),
                                        findings["domain"].get(d.id, ())) for d in domains),
            contracts=tuple(_contract_facts(c, contract_key[c.id], vendor_name, client_name,
                                            findings["contract"].get(c.id, ()))
                            for c in contracts),
            certifications=tuple(_cert_facts(c, vendor_name) for c in certs),
            answers=tuple(self._answer_facts(session, vendor_name, now)),
            providers=self._provider_facts(),
        )
        ids = _Ids({c.name: c.id for c in clients}, {v.name: v.id for v in vendors},
                   {d.name: d.id for d in domains}, {k: i for i, k in contract_key.items()})
        return portfolio, ids

    def _answer_facts(self, session: Session, vendor_name: dict[int, str],
                      now: datetime) -> Iterable[facts.AnswerFacts]:
        library = TemplateLibrary(self.settings.questionnaire_paths)
        templates = {(t.id, t.version): t for t in library.all()}
        for r in session.execute(select(QuestionnaireResponse)).scalars():
            template = templates.get((r.template_id, r.template_version))
            if template is None:
                continue
            assessment = questionnaires.assess(template, r.answers, as_of=now.date())
            yield facts.AnswerFacts(
                vendor=vendor_name[r.vendor_id], template=r.template_id,
                version=r.template_version, status=str(r.status),
                received=r.received_at.date() if r.received_at else None,
                reviewed=r.reviewed_at.date() if r.reviewed_at else None,
                risky=tuple(facts.RiskyAnswer(a.question_id, Severity(a.severity),
                                              str(a.answer), a.question_text)
                            for a in assessment.risky),
                unanswered=len(assessment.unanswered), questions=len(template.questions))

    def _provider_facts(self) -> dict[str, facts.ProviderFacts]:
        path = self.settings.probe.providers_file
        providers: ProviderCatalog = load_provider_catalog(Path(path) if path else None)
        rpath = self.settings.probe.registrars_file
        registrars: RegistrarCatalog = load_registrar_catalog(Path(rpath) if rpath else None)
        out: dict[str, facts.ProviderFacts] = {}
        for key, provider in providers.providers.items():
            signing = provider.fact("dnssec_signing")
            proprietary = provider.fact("proprietary")
            out[key] = facts.ProviderFacts(
                key, outbound_transfer=provider.fact("outbound_transfer"),
                customer_controls_apex_ns=provider.fact("customer_controls_apex_ns"),
                multi_signer=provider.fact("multi_signer"),
                dnssec_keys_held_by_provider=signing,
                proprietary=None if proprietary is None else bool(proprietary))
        for entry in registrars.registrars:
            out.setdefault(entry.key, facts.ProviderFacts(
                entry.key, requires_own_nameservers=entry.requires_own_nameservers))
        return out

    # -- facts -> storage ----------------------------------------------------------------------
    def _sync_inventory_findings(self, session: Session, book: ScoreBook, ids: _Ids,
                                 now: datetime) -> bool:
        """Store the inventory findings just raised; True if any appeared or went away."""
        grouped: dict[tuple[SubjectKind, int], list[Raised]] = defaultdict(list)
        for item in book.findings:
            kind = SubjectKind(item.subject)
            table = ids.vendors if kind is SubjectKind.VENDOR else ids.contracts
            subject_id = table.get(item.key)
            if subject_id is None:
                continue
            client_id = ids.clients.get(item.client) if item.client else None
            grouped[(kind, subject_id)].append(Raised(item.finding, client_id))
        subjects = {(SubjectKind.VENDOR, i) for i in ids.vendors.values()}
        subjects |= {(SubjectKind.CONTRACT, i) for i in ids.contracts.values()}
        changed = False
        for kind, subject_id in subjects:
            created, resolved = sync_findings(
                session, subject_kind=kind, subject_id=subject_id, client_id=None,
                raised=grouped.get((kind, subject_id), []), now=now,
                in_scope=lambda code, _evidence: code in INVENTORY_CODES)
            changed = changed or bool(created or resolved)
        return changed

    def _snapshot(self, session: Session, book: ScoreBook, ids: _Ids, now: datetime,
                  note: str | None) -> None:
        previous = _latest_snapshots(session)
        for kind, scores, table in ((ScoreSubject.DOMAIN, book.domains, ids.domains),
                                    (ScoreSubject.VENDOR, book.vendors, ids.vendors),
                                    (ScoreSubject.CLIENT, book.clients, ids.clients)):
            for name, score in scores.items():
                subject_id = table.get(name)
                if subject_id is None:
                    continue
                values = (round(score.lockin, 1), round(score.compliance, 1))
                if previous.get((kind, subject_id)) == values:
                    continue
                session.add(ScoreSnapshot(
                    subject_kind=kind, subject_id=subject_id, subject_name=name,
                    lockin=values[0], compliance=values[1], lockin_band=score.band_lockin,
                    compliance_band=score.band_compliance,
                    lockin_coverage=round(score.coverage_lockin, 3),
                    compliance_coverage=round(score.coverage_compliance, 3),
                    factors=[f.to_json() for f in score.factors], computed_at=now, note=note))


def _pick(scores: Any, key: str, kind: str, shown: str) -> Score:
    try:
        return scores[key]  # type: ignore[no-any-return]
    except KeyError:
        raise NotFoundError(f"no {kind} {shown!r}") from None


def _latest_snapshots(session: Session) -> dict[tuple[ScoreSubject, int], tuple[float, float]]:
    newest = (select(ScoreSnapshot.subject_kind, ScoreSnapshot.subject_id,
                     func.max(ScoreSnapshot.id).label("id"))
              .group_by(ScoreSnapshot.subject_kind, ScoreSnapshot.subject_id).subquery())
    rows = session.execute(select(ScoreSnapshot.subject_kind, ScoreSnapshot.subject_id,
                                  ScoreSnapshot.lockin, ScoreSnapshot.compliance)
                           .join(newest, ScoreSnapshot.id == newest.c.id))
    return {(ScoreSubject(k), i): (lock, comp) for k, i, lock, comp in rows}


def _recorded_findings(session: Session) -> dict[str, dict[int, list[facts.RecordedFinding]]]:
    out: dict[str, dict[int, list[facts.RecordedFinding]]] = {
        "domain": defaultdict(list), "vendor": defaultdict(list), "contract": defaultdict(list)}
    rows = session.execute(select(FindingRow).where(FindingRow.status != FindingStatus.RESOLVED))
    for f in rows.scalars():
        subject_id = f.domain_id or f.vendor_id or f.contract_id
        assert subject_id is not None
        until = (datetime.combine(f.accepted_until, datetime.min.time(), UTC)
                 if f.accepted_until else None)
        out[str(f.subject_kind)][subject_id].append(facts.RecordedFinding(
            f.code, Severity(f.severity), str(f.status), until, f.title,
            _ref_of(f.evidence), f.evidence))
    return out


def _ref_of(evidence: dict[str, Any]) -> str | None:
    for key in ("ref", "cert_type", "certification", "clause", "question_id", "question"):
        if evidence.get(key):
            return str(evidence[key])
    return None


def _vendor_facts(v: Vendor, findings: Sequence[facts.RecordedFinding]) -> facts.VendorFacts:
    locations = set(v.data_locations or ()) | set(v.processing_locations or ())
    return facts.VendorFacts(
        key=v.name, name=v.name, kind=str(v.kind), tier=v.tier, catalog_key=v.catalog_key,
        data_locations=frozenset(locations) if locations else None, status=str(v.status),
        findings=tuple(findings))


def _domain_facts(d: Domain, client_name: dict[int, str], vendor_name: dict[int, str],
                  observation: ObservationRow | None,
                  findings: Sequence[facts.RecordedFinding]) -> facts.DomainFacts:
    operators = signed = None
    if observation is not None:
        dns_part = (observation.data or {}).get("dns") or {}
        if dns_part.get("providers") is not None:
            operators = tuple(dns_part["providers"])
        status = (dns_part.get("dnssec") or {}).get("status")
        signed = None if status is None else status != "insecure"
    return facts.DomainFacts(
        name=d.name, client=client_name[d.client_id],
        registrar=vendor_name.get(d.registrar_id) if d.registrar_id else None,
        dns_providers=tuple(v.name for v in d.dns_providers), observed_operators=operators,
        critical=str(d.criticality) == "critical",
        probe_complete=observation.complete if observation is not None else None,
        signed=signed, findings=tuple(findings))


def _contract_facts(c: Contract, key: str, vendor_name: dict[int, str],
                    client_name: dict[int, str],
                    findings: Sequence[facts.RecordedFinding]) -> facts.ContractFacts:
    conditions = {"personal_data"} if c.data_sensitivity in ("medium", "high") else set()
    return facts.ContractFacts(
        key=key, vendor=vendor_name[c.vendor_id],
        client=client_name.get(c.client_id) if c.client_id else None,
        start=c.start_date, end=c.end_date, auto_renew=c.auto_renew,
        renewal_term_months=c.renewal_term_months, notice_days_customer=c.notice_days_customer,
        termination_for_convenience=c.termination_for_convenience,
        exit_assistance_days=c.exit_assistance_days, data_return=c.data_return,
        zone_export=c.zone_export, early_termination_fee=c.early_termination_fee,
        supports_critical_function=str(c.function_criticality) == "critical_or_important",
        clauses=frozenset(c.clauses or ()), conditions=frozenset(conditions),
        data_location_clause=c.data_location_clause, subprocessor_notice=c.subprocessor_notice,
        audit_rights=c.audit_rights, exit_plan=c.exit_plan,
        sla_uptime=float(c.sla_uptime) if c.sla_uptime is not None else None,
        breach_notification_hours=c.breach_notification_hours,
        liability_cap=None, sla_credits=None if c.sla_credits is None else str(c.sla_credits),
        governing_law=c.governing_law, findings=tuple(findings))


def _cert_facts(c: Certification, vendor_name: dict[int, str]) -> facts.CertFacts:
    valid_until = c.period_end if c.cert_type.startswith("soc") and c.period_end else c.valid_until
    return facts.CertFacts(vendor=vendor_name[c.vendor_id], type=c.cert_type, issued=c.issued,
                           valid_until=valid_until, bridge_letter_until=c.bridge_letter_until)


