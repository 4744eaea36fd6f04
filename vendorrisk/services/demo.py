"""Load the demo portfolio (``data/demo/*.yaml``): a fictional MSP with clients, vendors,
domains, contracts, certifications, questionnaire answers, recorded probe runs and findings.

The probe runs (``probes.yaml``) describe what the probes saw; the loader builds the probes'
own observation types from that description and stores ``DomainObservation.to_json()``, then
evaluates the real domain rules on each observation and stores what they raise through
``store.findings_sync``, exactly as a probe run does (:mod:`vendorrisk.services.probing`). No
domain finding is written by hand; ``accept`` entries record a person's decision on a finding
the rules raised. Vendor and contract findings are raised by the inventory rules on the loaded
records, in the same transaction; ``decisions.yaml`` then records people's acceptances of some
of them (an acceptance of a finding the rules did not raise is an error).

Dates in the files are relative to ``today`` (``today``, ``+45d``, ``-13m``, ``-1y+30d``, with an
optional UTC time ``-1dT02:00``), so the demo never goes stale. Inventory records are checked
by :func:`vendorrisk.portfolio.fields.clean` and created through the inventory service, so each one is
audited; everything happens in one transaction. Records that already exist (by natural key)
are skipped, so a second load changes nothing and writes no audit event; a load that created
something ends with one ``demo_load`` event carrying the counts.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk import paths
from vendorrisk.config import ProbeSettings, Settings
from vendorrisk.datafiles import line_of, load_yaml
from vendorrisk.errors import ConfigError, NotFoundError, VendorRiskError
from vendorrisk.findings.codes import SubjectKind
from vendorrisk.findings.evaluate import evaluate_domain, evaluate_inventory, scope_of
from vendorrisk.names import normalise_domain
from vendorrisk.portfolio import fields as field_specs
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.types import RegistrationData
from vendorrisk.services.demo_decisions import accept_domain_finding, accept_inventory_finding
from vendorrisk.services.demo_observations import (
    _check_keys,
    _json,
    _merge,
    _resolve,
    _stamp,
    _template,
    dns_observation,
    registration_observation,
)
from vendorrisk.services.probing import _target as probe_target
from vendorrisk.store import audit
from vendorrisk.store.facts import inventory_facts
from vendorrisk.store.findings_sync import sync_findings, sync_inventory_findings
from vendorrisk.store.lookup import find
from vendorrisk.store.models import (
    Certification,
    Contract,
    ObservationRow,
    ProbeRun,
    QuestionnaireResponse,
    Vendor,
)
from vendorrisk.vocab import AuditAction, ProbeRunStatus, ResponseStatus

if TYPE_CHECKING:
    from vendorrisk.services.changes import ChangeService
    from vendorrisk.services.inventory import InventoryService
    from vendorrisk.services.probing import ProbingService
    from vendorrisk.services.scoring import ScoringService
    from vendorrisk.store.database import Database


class DemoHost(Protocol):
    """What loading the demo needs of the ``Services`` facade (which offers it as
    ``load_demo``); named here so this module does not depend on the facade."""

    settings: Settings

    @property
    def db(self) -> Database: ...
    @property
    def actor(self) -> str: ...
    @property
    def inventory(self) -> InventoryService: ...
    @property
    def probing(self) -> ProbingService: ...
    @property
    def scoring(self) -> ScoringService: ...
    @property
    def changes(self) -> ChangeService: ...

_RELATIVE = re.compile(r"^(?:today|(?:[+-]\d+[dwmy])+)(?:T(\d\d):(\d\d))?$")
_TERM = re.compile(r"([+-])(\d+)([dwmy])")
_RESPONSE_KEYS = {"vendor", "template", "version", "status", "answers", "evidence_notes", "reviewer",
                  "sent_at", "received_at", "reviewed_at"}
_OBSERVATION_KEYS = {"domain", "registration", "dns", "set", "accept"}
_RUN_KEYS = {"name", "started", "finished", "requested_by", "settings", "observations"}
_REGISTRATION_KEYS = {"source", "server", "reasons"} | {
    f.name for f in fields(RegistrationData) if f.name not in ("has_registrant", "referral", "thin")}
_DNS_KEYS = {"ns", "parent_ns", "child_ns", "addresses", "soa_serial", "answers", "dnssec"}
_ANSWER_KEYS = {"authoritative", "rcode", "soa_serial", "transfer", "update", "error"}
_DNSSEC_KEYS = {"ds", "dnskeys", "signature", "bad_signature", "nsec3"}


@dataclass
class DemoSummary:
    """What one load created (records that already existed are not counted)."""

    clients: int = 0
    vendors: int = 0
    subcontractor_links: int = 0
    domains: int = 0
    contracts: int = 0
    certifications: int = 0
    questionnaire_responses: int = 0
    probe_runs: int = 0
    observations: int = 0
    findings: int = 0

    @property
    def created(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __str__(self) -> str:
        if not self.created:
            return "nothing new (the demo portfolio was already loaded)"
        return "created " + ", ".join(f"{k.replace('_', ' ')}: {n}" for k, n in self.as_dict().items())


def load_demo(services: DemoHost, *, today: date | None = None,
              directory: Path | None = None) -> DemoSummary:
    """Load the demo files into ``services``' database, its findings and scores included, in
    one transaction: killed at any moment, it leaves nothing or the whole demo."""
    day = today or datetime.now(UTC).date()
    loader = _DemoLoader(services, day, directory or paths.data_file("demo"))
    with services.db.session() as session:
        loader.run(session)
        if loader.summary.created:
            session.flush()
            now = datetime.now(UTC) if today is None else datetime.combine(day, time(12), UTC)
            services.scoring.recompute_in(session, now=now, note="demo portfolio loaded")
            services.changes.set_baseline_in(session, now,  # no finding.new flood
                                             note="demo portfolio loaded")
    return loader.summary


class _DemoLoader:
    def __init__(self, services: DemoHost, today: date, directory: Path) -> None:
        self.services, self.today, self.directory = services, today, directory
        self.summary = DemoSummary()
        self.now = datetime.combine(today, time(0), UTC)

    # -- plumbing ---------------------------------------------------------------------------
    def _file(self, name: str, key: str) -> tuple[Path, Any]:
        path = self.directory / name
        data = load_yaml(path)
        if not isinstance(data, Mapping) or key not in data:
            raise ConfigError(f"{path}: expected a mapping with a {key!r} list")
        return path, data

    def _records(self, name: str, key: str) -> Iterator[tuple[Path, Mapping[str, Any]]]:
        path, data = self._file(name, key)
        return self._items(path, data, key)

    def _items(self, path: Path, data: Any, key: str) -> Iterator[tuple[Path, Mapping[str, Any]]]:
        items = data[key]
        if not isinstance(items, list):
            raise ConfigError(f"{path}:{line_of(data, key)}: {key!r} must be a list")
        for index, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise ConfigError(f"{path}:{line_of(items, index)}: record {index + 1} is not a mapping")
            yield path, item

    @contextmanager
    def _record(self, path: Path, raw: Any, label: str) -> Iterator[None]:
        try:
            yield
        except ConfigError:
            raise
        except (VendorRiskError, KeyError, ValueError, TypeError) as exc:
            where = f"{path}:{line_of(raw)}" if line_of(raw) else str(path)
            raise ConfigError(f"{where}: record {label!r}: {exc}") from exc

    def _create(self, session: Session, entity: str, values: Mapping[str, Any]) -> Any:
        setattr(self.summary, entity + "s", getattr(self.summary, entity + "s") + 1)
        return self.services.inventory.create_in(session, entity, values)

    # -- the load ---------------------------------------------------------------------------
    def run(self, session: Session) -> None:
        self._inventory(session)
        self._responses(session)
        self._probes(session)
        self._inventory_findings(session)
        for path, raw in self._records("decisions.yaml", "decisions"):
            with self._record(path, raw, str(raw.get("code"))):
                accept_inventory_finding(session, raw, self.today)
        if self.summary.created:
            audit.record(session, actor=self.services.actor, action=AuditAction.DEMO_LOAD,
                         entity_kind="demo", entity_id=None, label=self.directory.name,
                         after={"today": self.today, **self.summary.as_dict()})

    def _inventory(self, session: Session) -> None:
        chains: list[tuple[Path, Mapping[str, Any], Vendor, list[Any]]] = []
        for entity, name in (("client", "clients"), ("vendor", "vendors"), ("domain", "domains"),
                             ("contract", "contracts"), ("certification", "certifications")):
            for path, raw in self._records(f"{name}.yaml", name):
                label = str(raw.get("name") or raw.get("reference")
                            or f"{raw.get('vendor')} {raw.get('cert_type')}")
                with self._record(path, raw, label):
                    record = _resolve(dict(raw), self.today)
                    chain = record.pop("subcontractors", []) if entity == "vendor" else []
                    values = field_specs.clean(entity, record)
                    if self._exists(session, entity, values):
                        continue
                    obj = self._create(session, entity, values)
                    if chain:
                        chains.append((path, raw, obj, chain))
        for path, raw, vendor, chain in chains:
            with self._record(path, raw, vendor.name):
                links = [(str(link["name"]), link.get("service")) for link in chain]
                self.services.inventory.set_subcontractors_in(session, vendor, links)
                self.summary.subcontractor_links += len(links)

    def _exists(self, session: Session, entity: str, values: Mapping[str, Any]) -> bool:
        if entity in ("client", "vendor", "domain"):
            try:
                find(session, entity, values["name"])
            except NotFoundError:
                return False
            return True
        vendor_id = find(session, "vendor", values["vendor"]).id
        if entity == "contract":
            query: Any = select(Contract.id).where(Contract.vendor_id == vendor_id,
                                                   Contract.reference == values["reference"])
        else:
            query = select(Certification.id).where(Certification.vendor_id == vendor_id,
                                                   Certification.cert_type == values["cert_type"])
        return session.execute(query).first() is not None

    def _responses(self, session: Session) -> None:
        for path, raw in self._records("questionnaires.yaml", "responses"):
            with self._record(path, raw, f"{raw.get('vendor')} {raw.get('template')}"):
                _check_keys(raw, _RESPONSE_KEYS)
                r = _resolve(dict(raw), self.today)
                vendor = find(session, "vendor", str(r["vendor"]))
                template, version = str(r["template"]), str(r["version"])
                if session.execute(select(QuestionnaireResponse.id).where(
                        QuestionnaireResponse.vendor_id == vendor.id,
                        QuestionnaireResponse.template_id == template,
                        QuestionnaireResponse.template_version == version)).first():
                    continue
                session.add(QuestionnaireResponse(
                    vendor_id=vendor.id, template_id=template, template_version=version,
                    status=ResponseStatus(r.get("status", "draft")),
                    answers=_json(dict(r.get("answers") or {}), timestamps=False),
                    evidence_notes=_json(dict(r.get("evidence_notes") or {}), timestamps=False),
                    reviewer=r.get("reviewer"), sent_at=_stamp(r.get("sent_at")),
                    received_at=_stamp(r.get("received_at")), reviewed_at=_stamp(r.get("reviewed_at"))))
                self.summary.questionnaire_responses += 1

    def _probes(self, session: Session) -> None:
        path, data = self._file("probes.yaml", "runs")
        regs, dnss = data.get("registration_templates") or {}, data.get("dns_templates") or {}
        for _, raw_run in self._items(path, data, "runs"):
            with self._record(path, raw_run, str(raw_run.get("name"))):
                _check_keys(raw_run, _RUN_KEYS)
            self._run(session, path, raw_run, regs, dnss)

    def _run(self, session: Session, path: Path, raw_run: Mapping[str, Any],
             regs: Mapping[str, Any], dnss: Mapping[str, Any]) -> None:
        """One recorded probe run, stored as a probe run stores it: observations, then the
        findings the rules raise on them, synced so what went away is resolved."""
        run_raw = _resolve({k: v for k, v in raw_run.items() if k != "observations"}, self.today)
        scope = f"demo:{run_raw.get('name', 'run')}"
        if session.execute(select(ProbeRun.id).where(ProbeRun.scope == scope)).first():
            return
        with self._record(path, raw_run, scope):
            settings = _probe_settings(self.services.settings.probe, run_raw.get("settings"))
        started = _stamp(run_raw.get("started")) or self.now
        run = ProbeRun(started_at=started, finished_at=_stamp(run_raw.get("finished")),
                       status=ProbeRunStatus.COMPLETE, requested_by=run_raw.get("requested_by"),
                       scope=scope, settings=audit.jsonable(dataclasses.asdict(settings)))
        session.add(run)
        session.flush()
        probing = self.services.probing
        for index, (_, raw) in enumerate(self._items(path, raw_run, "observations")):
            with self._record(path, raw, str(raw.get("domain"))):
                _check_keys(raw, _OBSERVATION_KEYS)
                domain = find(session, "domain", normalise_domain(str(raw["domain"])))
                probed = started + timedelta(seconds=index)
                patch = raw.get("set") or {}
                parts = {part: _resolve(_merge(copy.deepcopy(_template(templates, raw[part], part)),
                                               patch.get(part) or {}), self.today)
                         for part, templates in (("registration", regs), ("dns", dnss))}
                obs = DomainObservation(
                    domain.name, probed,
                    registration_observation(domain.name, parts["registration"], probed),
                    dns_observation(domain.name, parts["dns"], probed, settings,
                                    probing.providers))
                session.add(ObservationRow(run_id=run.id, domain_id=domain.id, probed_at=probed,
                                           complete=obs.complete, data=obs.to_json(),
                                           reasons=[r.to_json() for r in obs.reasons]))
                target = probe_target(domain)
                raised = evaluate_domain(obs, target.context, providers=probing.providers,
                                         registrars=probing.registrars, settings=settings,
                                         now=probed)
                created, _ = sync_findings(
                    session, subject_kind=SubjectKind.DOMAIN, subject_id=domain.id,
                    client_id=domain.client_id, raised=raised, now=probed, run_id=run.id,
                    in_scope=scope_of(obs))
                self.summary.findings += len(created)
                session.flush()
                for decision in raw.get("accept") or []:
                    accept_domain_finding(session, domain.id, domain.name, decision, probed,
                                          self.today)
                run.domain_count += 1
                run.incomplete_count += not obs.complete
        run.status = ProbeRunStatus.INCOMPLETE if run.incomplete_count else ProbeRunStatus.COMPLETE
        self.summary.probe_runs += 1
        self.summary.observations += run.domain_count
        session.flush()
        audit.record(session, actor=self.services.actor, action=AuditAction.PROBE_RUN,
                     entity_kind="probe_run", entity_id=run.id, label=scope,
                     after={"domains": run.domain_count, "incomplete": run.incomplete_count,
                            "started_at": run.started_at, "finished_at": run.finished_at})

    def _inventory_findings(self, session: Session) -> None:
        """Raise and store the vendor and contract findings, as a recomputation does, so that
        ``decisions.yaml`` can decide on them in the same transaction."""
        session.flush()
        now = datetime.combine(self.today, time(12), UTC)
        portfolio, ids = inventory_facts(session, self.services.settings, now)
        raised = evaluate_inventory(portfolio, self.services.scoring.rules, now)
        new, _ = sync_inventory_findings(session, raised, ids, now)
        self.summary.findings += new

# -- observations as the probes make them --------------------------------------------------------

def _probe_settings(base: ProbeSettings, raw: Any) -> ProbeSettings:
    """The settings a run used: the configured ones with the run's own values."""
    values = dict(raw or {})
    known = {f.name for f in fields(ProbeSettings)}
    _check_keys(values, known)
    return dataclasses.replace(base, **values)
