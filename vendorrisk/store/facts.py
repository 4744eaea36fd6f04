"""ORM → typed facts: the stored portfolio as ``vendorrisk.portfolio.facts``, for the finding
rules and the scores. Observations are read through ``store.observations.typed``; findings as
:class:`RecordedFinding`, each with its client.

:func:`inventory_facts` reads everything but the recorded findings (what the inventory rules
need); :func:`with_recorded_findings` adds them, so a recompute reads them once, after it has
stored the findings it evaluated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from vendorrisk import questionnaires
from vendorrisk.catalog.providers import ProviderCatalog, load_provider_catalog
from vendorrisk.catalog.registrars import load_registrar_catalog
from vendorrisk.config import Settings
from vendorrisk.findings.operators import observed_operators
from vendorrisk.portfolio import facts, proprietary
from vendorrisk.questionnaires.loader import TemplateLibrary
from vendorrisk.store.latest import latest_observations
from vendorrisk.store.models import (
    Certification,
    Client,
    Contract,
    Domain,
    FindingRow,
    ObservationRow,
    QuestionnaireResponse,
    Vendor,
)
from vendorrisk.store.observations import typed
from vendorrisk.vocab import FindingStatus, Severity


@dataclass(frozen=True)
class SubjectIds:
    """Row ids of the subjects the facts name: client and vendor names, domain A-labels,
    contract keys (``vendor/reference``)."""

    clients: Mapping[str, int]
    vendors: Mapping[str, int]
    domains: Mapping[str, int]
    contracts: Mapping[str, int]


def portfolio_facts(session: Session, settings: Settings, now: datetime
                    ) -> tuple[facts.PortfolioFacts, SubjectIds]:
    """The whole stored portfolio, recorded findings included."""
    portfolio, ids = inventory_facts(session, settings, now)
    return with_recorded_findings(session, portfolio, ids), ids


def inventory_facts(session: Session, settings: Settings, now: datetime
                    ) -> tuple[facts.PortfolioFacts, SubjectIds]:
    """The stored inventory and latest observations as facts, without recorded findings."""
    clients = session.execute(select(Client)).scalars().all()
    vendors = session.execute(select(Vendor)).scalars().all()
    domains = session.execute(select(Domain).options(
        selectinload(Domain.dns_providers))).scalars().all()
    contracts = session.execute(select(Contract)).scalars().all()
    certs = session.execute(select(Certification)).scalars().all()
    vendor_name = {v.id: v.name for v in vendors}
    client_name = {c.id: c.name for c in clients}
    latest = latest_observations(session)
    contract_key = {c.id: f"{vendor_name[c.vendor_id]}/{c.reference}" for c in contracts}
    catalog = _domain_catalog(settings)
    portfolio = facts.PortfolioFacts(
        clients={c.name: facts.ClientFacts(c.name, frozenset(c.regimes), c.residency)
                 for c in clients},
        vendors={v.name: _vendor_facts(v) for v in vendors},
        domains=tuple(_domain_facts(d, client_name, vendor_name, latest.get(d.id), catalog)
                      for d in domains),
        contracts=tuple(_contract_facts(c, contract_key[c.id], vendor_name, client_name)
                        for c in contracts),
        certifications=tuple(_cert_facts(c, vendor_name) for c in certs),
        answers=tuple(_answer_facts(session, settings, vendor_name, now)),
        providers=_provider_facts(settings),
    )
    portfolio = replace(portfolio, domains=_with_proprietary_use(
        session, settings, portfolio.domains, vendor_name,
        {d.name: latest.get(d.id) for d in domains}))
    ids = SubjectIds({c.name: c.id for c in clients}, {v.name: v.id for v in vendors},
                     {d.name: d.id for d in domains}, {k: i for i, k in contract_key.items()})
    return portfolio, ids


def with_recorded_findings(session: Session, portfolio: facts.PortfolioFacts,
                           ids: SubjectIds) -> facts.PortfolioFacts:
    """``portfolio`` with the findings stored now (open and accepted; resolved ones are gone)
    on its domains, vendors and contracts."""
    found = _recorded_findings(session, {i: n for n, i in ids.clients.items()})
    by_domain, by_vendor, by_contract = found["domain"], found["vendor"], found["contract"]
    return replace(
        portfolio,
        vendors={k: replace(v, findings=tuple(by_vendor.get(ids.vendors.get(k, -1), ())))
                 for k, v in portfolio.vendors.items()},
        domains=tuple(replace(d, findings=tuple(by_domain.get(ids.domains.get(d.name, -1), ())))
                      for d in portfolio.domains),
        contracts=tuple(replace(c, findings=tuple(by_contract.get(ids.contracts.get(c.key, -1),
                                                                  ())))
                        for c in portfolio.contracts))


def _recorded_findings(session: Session, client_name: Mapping[int, str]
                       ) -> dict[str, dict[int, list[facts.RecordedFinding]]]:
    out: dict[str, dict[int, list[facts.RecordedFinding]]] = {
        "domain": defaultdict(list), "vendor": defaultdict(list), "contract": defaultdict(list)}
    rows = session.execute(select(FindingRow).where(FindingRow.status != FindingStatus.RESOLVED)
                           .order_by(FindingRow.id))
    for f in rows.scalars():
        subject_id = f.domain_id or f.vendor_id or f.contract_id
        assert subject_id is not None
        until = (datetime.combine(f.accepted_until, datetime.min.time(), UTC)
                 if f.accepted_until else None)
        out[str(f.subject_kind)][subject_id].append(facts.RecordedFinding(
            f.code, Severity(f.severity), str(f.status), until, f.title, f.evidence,
            client_name.get(f.client_id) if f.client_id else None))
    return out


def _vendor_facts(v: Vendor) -> facts.VendorFacts:
    locations = set(v.data_locations or ()) | set(v.processing_locations or ())
    return facts.VendorFacts(
        key=v.name, name=v.name, kind=str(v.kind), tier=v.tier, catalog_key=v.catalog_key,
        data_locations=frozenset(locations) if locations else None, status=str(v.status))


def _domain_catalog(settings: Settings) -> ProviderCatalog:
    """The provider catalog the domains' operators are grouped with (names and networks)."""
    path = settings.probe.providers_file
    return load_provider_catalog(Path(path) if path else None)


def _domain_facts(d: Domain, client_name: dict[int, str], vendor_name: dict[int, str],
                  row: ObservationRow | None, catalog: ProviderCatalog) -> facts.DomainFacts:
    operators: tuple[str, ...] | None = None
    signed: bool | None = None
    not_published: tuple[str, ...] = ()
    if row is not None:
        observed = typed(row)
        if observed.registration is not None:
            not_published = observed.registration.unpublished
        dns = observed.dns
        if dns is not None:
            operators = observed_operators(dns.nameservers, catalog)
            status = dns.dnssec.status
            signed = None if status is None else status != "insecure"
    return facts.DomainFacts(
        name=d.name, client=client_name[d.client_id],
        registrar=vendor_name.get(d.registrar_id) if d.registrar_id else None,
        dns_providers=tuple(v.name for v in d.dns_providers), observed_operators=operators,
        critical=str(d.criticality) == "critical",
        probe_complete=row.complete if row is not None else None, signed=signed,
        not_published=not_published)


def _contract_facts(c: Contract, key: str, vendor_name: dict[int, str],
                    client_name: dict[int, str]) -> facts.ContractFacts:
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
        governing_law=c.governing_law)


def _cert_facts(c: Certification, vendor_name: dict[int, str]) -> facts.CertFacts:
    valid_until = c.period_end if c.cert_type.startswith("soc") and c.period_end else c.valid_until
    return facts.CertFacts(vendor=vendor_name[c.vendor_id], type=c.cert_type, issued=c.issued,
                           valid_until=valid_until, bridge_letter_until=c.bridge_letter_until)


def _answer_facts(session: Session, settings: Settings, vendor_name: dict[int, str],
                  now: datetime) -> Iterable[facts.AnswerFacts]:
    library = TemplateLibrary(settings.questionnaire_paths)
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


def _provider_facts(settings: Settings) -> dict[str, facts.ProviderFacts]:
    path = settings.probe.providers_file
    providers = load_provider_catalog(Path(path) if path else None)
    rpath = settings.probe.registrars_file
    registrars = load_registrar_catalog(Path(rpath) if rpath else None)
    out: dict[str, facts.ProviderFacts] = {}
    for key, provider in providers.providers.items():
        proprietary = provider.fact("proprietary")
        out[key] = facts.ProviderFacts(
            key, outbound_transfer=provider.fact("outbound_transfer"),
            customer_controls_apex_ns=provider.fact("customer_controls_apex_ns"),
            multi_signer=provider.fact("multi_signer"),
            dnssec_keys_held_by_provider=provider.fact("dnssec_signing"),
            proprietary=None if proprietary is None else bool(proprietary))
    for entry in registrars.registrars:  # a company can be both: merge, keep both halves
        known = out.get(entry.key) or facts.ProviderFacts(entry.key)
        out[entry.key] = replace(known, requires_own_nameservers=entry.requires_own_nameservers)
    return out


def _with_proprietary_use(session: Session, settings: Settings,
                          domains: tuple[facts.DomainFacts, ...], vendor_name: dict[int, str],
                          rows: Mapping[str, ObservationRow | None]
                          ) -> tuple[facts.DomainFacts, ...]:
    """``domains`` with ``proprietary_in_use`` from their DNS providers' latest questionnaire
    answers and the record types their last probe saw (``portfolio.proprietary.derive``)."""
    templates = {(t.id, t.version): t for t in TemplateLibrary(settings.questionnaire_paths).all()}
    responses = []
    for r in session.execute(select(QuestionnaireResponse)).scalars():
        when = r.reviewed_at or r.received_at
        responses.append(proprietary.ResponseView(
            vendor_name[r.vendor_id], r.template_id, r.template_version, str(r.status),
            when.date() if when else None, r.answers or {}))
    answers = proprietary.latest_answers(responses, templates)
    out = []
    for d in domains:
        row = rows.get(d.name)
        dns = typed(row).dns if row is not None else None
        use = proprietary.derive(d.dns_providers, answers, dns.record_types if dns else None)
        out.append(replace(d, proprietary_in_use=use.in_use, proprietary_sources=use.sources,
                           proprietary_evidence=use.evidence))
    return tuple(out)
