"""The demo portfolio: counts, coverage of every finding code, findings that are the rules'
output on the stored observations, idempotence, audit, relative dates."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from vendorrisk import paths
from vendorrisk.config import ProbeSettings, Settings
from vendorrisk.datafiles import load_yaml
from vendorrisk.dates import add_months
from vendorrisk.errors import ConfigError
from vendorrisk.findings.codes import CATALOG, SubjectKind
from vendorrisk.findings.evaluate import evaluate_domain
from vendorrisk.services.app import Services, open_services
from vendorrisk.services.demo import DemoSummary, load_demo
from vendorrisk.services.demo_observations import relative_date
from vendorrisk.services.probing import _target as probe_target
from vendorrisk.store.findings_sync import discriminator, fingerprint
from vendorrisk.store.models import (
    AuditEvent,
    Certification,
    Client,
    Contract,
    Domain,
    FindingRow,
    ObservationRow,
    ProbeRun,
    QuestionnaireResponse,
    Vendor,
    VendorSubcontractor,
)
from vendorrisk.store.observations import typed
from vendorrisk.vocab import AuditAction, FindingStatus, VendorKind

TODAY = date(2026, 3, 31)
MODELS = (Client, Vendor, VendorSubcontractor, Domain, Contract, Certification,
          QuestionnaireResponse, ProbeRun, ObservationRow, FindingRow, AuditEvent)


def _counts(services: Services) -> dict[str, int]:
    with services.db.session(readonly=True) as session:
        return {m.__name__: session.execute(select(func.count()).select_from(m)).scalar_one()
                for m in MODELS}


def _open(path: Path) -> Services:
    return open_services(Settings(db=f"sqlite:///{path}", user="test"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, DemoSummary]]:
    services = _open(tmp_path_factory.mktemp("demo") / "d.db")
    summary = load_demo(services, today=TODAY)
    yield services, summary
    services.close()


def _all(services: Services, model: Any) -> list[Any]:
    with services.db.session(readonly=True) as session:
        rows = list(session.execute(select(model)).scalars())
        session.expunge_all()  # keep the loaded values past the read-only rollback
        return rows


# --- relative dates --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("today", date(2026, 3, 31)), ("+45d", date(2026, 5, 15)), ("-2w", date(2026, 3, 17)),
    ("-1m", date(2026, 2, 28)), ("-13m", date(2025, 2, 28)), ("+2y", date(2028, 3, 31)),
    ("-1y+30d", date(2025, 4, 30)),
    ("-1dT02:30", datetime(2026, 3, 30, 2, 30, tzinfo=UTC)),
])
def test_relative_date(text: str, expected: date) -> None:
    assert relative_date(text, TODAY) == expected


def test_relative_date_rejects_other_text() -> None:
    with pytest.raises(ValueError):
        relative_date("45d", TODAY)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


# --- the portfolio -----------------------------------------------------------------------------

def test_counts(demo: tuple[Services, DemoSummary]) -> None:
    services, summary = demo
    assert summary.clients >= 6 and summary.vendors == 15 and summary.domains == 122
    assert summary.contracts == 22 and summary.certifications == 25
    assert summary.questionnaire_responses >= 3 and summary.probe_runs == 2
    counts = _counts(services)
    assert counts["Client"] == summary.clients and counts["Domain"] == 122
    assert counts["Vendor"] == 15 and counts["Contract"] == 22 and counts["Certification"] == 25
    assert counts["VendorSubcontractor"] >= 2
    vendors = _all(services, Vendor)
    assert {v.kind for v in vendors} == set(VendorKind)
    clients = _all(services, Client)
    assert len({tuple(c.regimes) for c in clients}) == len(clients)
    assert {r for c in clients for r in c.regimes} >= {"gdpr", "dora", "nis2", "hipaa", "pci", "soc2"}
    assert {c.residency for c in clients} >= {"EU", "US", "GLOBAL"}


def test_domains_use_reserved_names(demo: tuple[Services, DemoSummary]) -> None:
    domains = _all(demo[0], Domain)
    assert all(d.name.endswith((".example", ".test")) for d in domains)
    assert sum(d.name.startswith("xn--") for d in domains) >= 2
    assert {d.criticality for d in domains} >= {"critical", "high", "normal", "low"}


def test_catalog_keys_exist(demo: tuple[Services, DemoSummary]) -> None:
    known = set(load_yaml(paths.data_file("providers.yaml"))["providers"])
    known |= set(load_yaml(paths.data_file("registrars.yaml"))["registrars"])
    keys = {v.catalog_key for v in _all(demo[0], Vendor) if v.catalog_key}
    assert len(keys) >= 11 and keys <= known


def test_contract_terms(demo: tuple[Services, DemoSummary]) -> None:
    contracts = _all(demo[0], Contract)
    deadlines = [c.end_date - timedelta(days=c.notice_days_customer) for c in contracts
                 if c.auto_renew and c.end_date and c.notice_days_customer is not None
                 and c.end_date >= TODAY]
    assert any(0 <= (d - TODAY).days <= 90 for d in deadlines)
    assert {c.termination_for_convenience for c in contracts} == {True, False, None}
    assert {c.auto_renew for c in contracts} == {True, False}
    notices = {c.notice_days_customer for c in contracts if c.notice_days_customer}
    assert min(notices) <= 30 and max(notices) >= 180
    assert any(c.client_id is None for c in contracts)
    assert any(c.end_date and c.end_date < TODAY for c in contracts)


def test_contract_clause_ids_are_known(demo: tuple[Services, DemoSummary]) -> None:
    rules = load_yaml(paths.data_file("clauses.yaml"))["regimes"]
    known = {c["id"] for regime in rules.values() for c in regime["clauses"]}
    known |= {x for regime in rules.values() for c in regime["clauses"]
              for alt in c.get("satisfied_by") or [] for x in alt.get("clauses") or []}
    used = {x for c in _all(demo[0], Contract) for x in c.clauses}
    assert used and used <= known
    missing = [f for f in _all(demo[0], FindingRow) if f.code == "contract.clause_missing"]
    assert {f.evidence["clause"] for f in missing} <= known


def test_certifications_expired_stale_and_expiring(demo: tuple[Services, DemoSummary]) -> None:
    certs = _all(demo[0], Certification)
    assert any(c.valid_until and c.valid_until < TODAY for c in certs)
    assert any(c.cert_type == "soc2_type2" and c.period_end
               and c.period_end < add_months(TODAY, -12) for c in certs)
    assert any(c.valid_until and 0 <= (c.valid_until - TODAY).days <= 60 for c in certs)


def test_questionnaire_answers_use_template_question_ids(demo: tuple[Services, DemoSummary]) -> None:
    for response in _all(demo[0], QuestionnaireResponse):
        template = load_yaml(paths.questionnaires_dir() / f"{response.template_id}.yaml")
        assert str(template["version"]) == response.template_version
        assert set(response.answers) <= {q["id"] for q in template["questions"]}


def test_observations_follow_the_json_contract(demo: tuple[Services, DemoSummary]) -> None:
    observations = _all(demo[0], ObservationRow)
    assert len(observations) >= 100
    assert {o.complete for o in observations} == {True, False}
    for obs in observations:
        data = obs.data
        assert {"domain", "probed_at", "complete", "registration", "dns"} <= set(data)
        assert set(data["registration"]) >= {
            "source", "registrar", "registrar_iana_id", "created", "expires", "epp_status",
            "registrar_locked", "registry_locked", "registrant_redacted", "pii_fields_exposed"}
        assert {"parent_ns", "child_ns", "nameservers", "providers", "dnssec"} <= set(data["dns"])
        assert {"status", "algorithms", "ds_digest_types", "earliest_signature_expiry",
                "reasons"} <= set(data["dns"]["dnssec"])
        for ns in data["dns"]["nameservers"]:
            assert {"name", "addresses", "provider", "authoritative", "soa_serial", "axfr_open",
                    "update_open"} <= set(ns)
        assert data["complete"] is obs.complete is (not obs.reasons)
        # The stored JSON is exactly what the probes' own types write: it reads back typed.
        observation = typed(obs)
        assert observation.to_json() == data
        assert observation.complete is obs.complete
        assert [r.to_json() for r in observation.reasons] == obs.reasons


def _rule_findings(services: Services, row: ObservationRow, run: ProbeRun) -> dict[str, Any]:
    """fingerprint -> what the domain rules raise on one stored observation, evaluated as the
    probe run that stored it evaluated it (its settings, its clock, the domain's inventory)."""
    probing = services.probing
    with services.db.session(readonly=True) as session:
        domain = session.get(Domain, row.domain_id)
        assert domain is not None
        context = probe_target(domain).context
    raised = evaluate_domain(typed(row), context, providers=probing.providers,
                             registrars=probing.registrars,
                             settings=ProbeSettings(**run.settings), now=row.probed_at)
    return {fingerprint(SubjectKind.DOMAIN, row.domain_id, f.code, discriminator(f)): f
            for f in raised}


def test_domain_findings_are_what_the_rules_raise(demo: tuple[Services, DemoSummary]) -> None:
    """No demo domain finding is written by hand: replaying the rules over each domain's
    stored observations gives exactly the stored findings, their evidence and the ones
    resolved since an earlier run."""
    services = demo[0]
    runs = {r.id: r for r in _all(services, ProbeRun)}
    history: dict[int, list[ObservationRow]] = {}
    for row in sorted(_all(services, ObservationRow), key=lambda o: (o.probed_at, o.id)):
        history.setdefault(row.domain_id, []).append(row)
    stored: dict[int, dict[str, FindingRow]] = {}
    for f in _all(services, FindingRow):
        if f.subject_kind == SubjectKind.DOMAIN:
            assert f.domain_id in history, f"{f.code} on a domain that was never probed"
            stored.setdefault(f.domain_id, {})[f.fingerprint] = f
    resolved_seen = 0
    for domain_id, rows in history.items():
        raised = [_rule_findings(services, row, runs[row.run_id]) for row in rows]
        latest, earlier = raised[-1], {fp for r in raised[:-1] for fp in r}
        mine = stored.get(domain_id, {})
        current = {fp: f for fp, f in mine.items() if f.status != FindingStatus.RESOLVED}
        assert set(current) == set(latest), rows[-1].data["domain"]
        for fp, f in current.items():
            rule = latest[fp]
            assert (f.code, f.severity, f.title, f.evidence) == (
                rule.code, rule.severity, rule.title, dict(rule.evidence))
            assert f.last_seen == rows[-1].probed_at and f.last_run_id == rows[-1].run_id
        gone = {fp for fp, f in mine.items() if f.status == FindingStatus.RESOLVED}
        assert gone == earlier - set(latest), rows[-1].data["domain"]
        resolved_seen += len(gone)
    assert resolved_seen >= 2


NOT_IN_DEMO_YET = {"registration.ns_domain_unregistered", "registration.ns_domain_expiring",
                   "dns.nonroutable_address", "dns.few_nameservers", "dns.single_network",
                   "dnssec.nsec3_inconsistent", "dns.glue_mismatch"}
"""Codes the demo does not show yet: its observations describe no nameserver domain, and its
nameservers sit at documentation addresses, which say nothing about networks, and its signed
zones are served alike, with glue that matches. The lab tests
raise each both ways (tests/lab/test_nsdomains_lab.py, tests/lab/dns/test_lab_probe.py)."""


def test_every_finding_code_is_covered(demo: tuple[Services, DemoSummary]) -> None:
    findings = _all(demo[0], FindingRow)
    assert {f.code for f in findings} == set(CATALOG) - NOT_IN_DEMO_YET
    assert {f.subject_kind for f in findings} == set(SubjectKind)
    for f in findings:
        assert f.subject_kind == CATALOG[f.code].subject
    accepted = [f for f in findings if f.status == FindingStatus.ACCEPTED]
    assert accepted and all(f.accepted_by and f.accepted_reason and f.accepted_until
                            for f in accepted)
    assert any(f.accepted_until < TODAY for f in accepted)  # a lapsed acceptance
    resolved = [f for f in findings if f.status == FindingStatus.RESOLVED]
    assert resolved and all(f.resolved_at for f in resolved)
    assert SubjectKind.DOMAIN in {f.subject_kind for f in resolved}


def test_every_insert_is_audited(demo: tuple[Services, DemoSummary]) -> None:
    services, summary = demo
    events = services.audit_log()
    creates = [e for e in events if e["action"] == AuditAction.CREATE]
    assert len(creates) == (summary.clients + summary.vendors + summary.domains
                            + summary.contracts + summary.certifications)
    assert [e["action"] for e in events].count(AuditAction.DEMO_LOAD) == 1
    assert [e["action"] for e in events].count(AuditAction.PROBE_RUN) == summary.probe_runs
    assert services.verify_audit().ok


def test_dates_follow_today(demo: tuple[Services, DemoSummary], tmp_path: Path) -> None:
    later = _open(tmp_path / "later.db")
    try:
        load_demo(later, today=TODAY + timedelta(days=100))
        for services, today in ((demo[0], TODAY), (later, TODAY + timedelta(days=100))):
            with services.db.session(readonly=True) as session:
                expired = session.execute(select(Certification.valid_until).join(Vendor).where(
                    Vendor.name == "GoDaddy", Certification.cert_type == "iso27001")).scalar_one()
                ends = session.execute(select(Contract.end_date).where(
                    Contract.reference == "CF-ENT-ALP-2024")).scalar_one()
                started = session.execute(select(ProbeRun.started_at).where(
                    ProbeRun.scope == "demo:nightly")).scalar_one()
            assert expired == today - timedelta(days=40)  # "-40d"
            assert ends == today + timedelta(days=60)  # "+60d"
            assert started == datetime.combine(today - timedelta(days=1), time(2, 0), UTC)
    finally:
        later.close()


# --- loading twice, on each backend ---------------------------------------------------------------

def test_loading_twice_duplicates_nothing(db_url: str) -> None:
    services = open_services(Settings(db=db_url, user="test"))
    try:
        first = load_demo(services, today=TODAY)
        before = _counts(services)
        second = load_demo(services, today=TODAY + timedelta(days=3))
        assert first.created > 0 and second.created == 0
        assert _counts(services) == before  # no new rows and no new audit events
        with services.db.session(readonly=True) as session:
            codes = set(session.execute(select(FindingRow.code)).scalars())
        assert codes == set(CATALOG) - NOT_IN_DEMO_YET
        assert services.verify_audit().ok
    finally:
        services.close()


# --- bad files ------------------------------------------------------------------------------------

def _copy_demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(paths.data_file("demo"), target)
    return target


def test_bad_record_names_file_and_record_and_writes_nothing(tmp_path: Path) -> None:
    directory = _copy_demo(tmp_path)
    domains = directory / "domains.yaml"
    domains.write_text(domains.read_text("utf-8").replace(
        '"granitesoft-dev.example"', '"granite_soft dev.example"'), "utf-8")
    services = _open(tmp_path / "bad.db")
    try:
        with pytest.raises(ConfigError) as err:
            load_demo(services, today=TODAY, directory=directory)
        message = str(err.value)
        assert "domains.yaml:" in message and "granite_soft dev.example" in message
        assert set(_counts(services).values()) == {0}
    finally:
        services.close()


@pytest.mark.parametrize(("file", "old", "new", "expect"), [
    ("decisions.yaml", '"code": "questionnaire.stale"', '"code": "questionnaire.gone"',
     "questionnaire.gone"),
    ("decisions.yaml", '"about": "pci_dss"', '"about": "soc2_type2"', "the rules raised no"),
    ("probes.yaml", '"dns": "noip"', '"dns": "nowhere"', "no dns template 'nowhere'"),
    ("probes.yaml", '"accept": [{"code": "exit.single_provider"',
     '"accept": [{"code": "dnssec.bogus"', "the rules raised no dnssec.bogus"),
    ("probes.yaml", '"soa_serial": 2024113001', '"soa_serial": 2024113001, "glue": true',
     "glue (valid: addresses"),
    ("decisions.yaml", '"code": "questionnaire.stale"', '"code": "dnssec.bogus"',
     "domain findings are accepted in probes.yaml"),
    ("contracts.yaml", "notice_days_customer: 30", "notice_days_customer: soon", "notice_days"),
    ("vendors.yaml", "vendors:", "vendors: [", "vendors.yaml"),
    ("clients.yaml", "residency: EU", "residency: Europe", "Alpine Retail AG"),
])
def test_bad_files_raise_config_error(tmp_path: Path, file: str, old: str, new: str,
                                      expect: str) -> None:
    directory = _copy_demo(tmp_path)
    path = directory / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    services = _open(tmp_path / "bad.db")
    try:
        with pytest.raises(ConfigError, match=expect.replace("(", r"\(")) as err:
            load_demo(services, today=TODAY, directory=directory)
        assert file in str(err.value)
        assert _counts(services)["Client"] == 0
    finally:
        services.close()


def test_summary_text() -> None:
    assert "already loaded" in str(DemoSummary())
    assert "domains: 3" in str(DemoSummary(domains=3))
