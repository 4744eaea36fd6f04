"""Load the demo portfolio (``data/demo/*.yaml``): a fictional MSP with clients, vendors,
domains, contracts, certifications, questionnaire answers, recorded probe runs and findings.

The probe runs (``probes.yaml``) describe what the probes saw; the loader builds the probes'
own observation types from that description and stores ``DomainObservation.to_json()``, then
evaluates the real domain rules on each observation and stores what they raise through
``store.findings_sync``, exactly as a probe run does (:mod:`vendorrisk.services.probing`). No
domain finding is written by hand; ``accept`` entries record a person's decision on a finding
the rules raised. Vendor and contract findings (``findings.yaml``) are re-evaluated by the
inventory rules when the load scores the portfolio.

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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk import paths
from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.datafiles import line_of, load_yaml
from vendorrisk.dates import add_months
from vendorrisk.errors import ConfigError, NotFoundError, VendorRiskError
from vendorrisk.findings.codes import CATALOG, Severity, SubjectKind, make_finding
from vendorrisk.findings.evaluate import evaluate_domain, scope_of
from vendorrisk.names import normalise_domain
from vendorrisk.portfolio import fields as field_specs
from vendorrisk.probes.dns.types import (
    DnsObservation,
    DnssecObservation,
    DnssecProblem,
    NameserverObservation,
    ServerAnswer,
    SignatureInfo,
)
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.prober import build_observation
from vendorrisk.probes.registration.types import RegistrationData, RegistrationObservation
from vendorrisk.probes.types import Reason
from vendorrisk.services.probing import _target as probe_target
from vendorrisk.store import audit
from vendorrisk.store.findings_sync import discriminator, fingerprint, sync_findings
from vendorrisk.store.lookup import find
from vendorrisk.store.models import (
    Certification,
    Contract,
    FindingRow,
    ObservationRow,
    ProbeRun,
    QuestionnaireResponse,
    Vendor,
)
from vendorrisk.vocab import AuditAction, FindingStatus, ProbeRunStatus, ResponseStatus

if TYPE_CHECKING:
    from vendorrisk.services.app import Services

_RELATIVE = re.compile(r"^(?:today|(?:[+-]\d+[dwmy])+)(?:T(\d\d):(\d\d))?$")
_TERM = re.compile(r"([+-])(\d+)([dwmy])")
_FINDING_KEYS = {"code", "evidence", "title", "severity", "status", "accepted_by", "accepted_reason",
                 "accepted_until", "first_seen", "last_seen", "resolved_at", "domain", "vendor",
                 "contract", "client"}
"""``domain`` is accepted so that a domain finding written here gets its own error."""
_RESPONSE_KEYS = {"vendor", "template", "version", "status", "answers", "evidence_notes", "reviewer",
                  "sent_at", "received_at", "reviewed_at"}
_OBSERVATION_KEYS = {"domain", "registration", "dns", "set", "accept"}
_RUN_KEYS = {"name", "started", "finished", "requested_by", "settings", "observations"}
_ACCEPT_KEYS = {"code", "by", "reason", "until"}
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


def relative_date(text: str, today: date) -> date | datetime:
    """``+45d`` / ``-13m`` / ``-1y+30d`` / ``today`` (optionally ``T02:00`` UTC) from ``today``."""
    match = _RELATIVE.match(text)
    if match is None:
        raise ValueError(f"not a relative date: {text!r}")
    day = today
    for sign, amount, unit in _TERM.findall(text.split("T")[0]):
        n = int(amount) * (1 if sign == "+" else -1)
        if unit in "dw":
            day += timedelta(days=n * (7 if unit == "w" else 1))
        else:
            day = add_months(day, n * (12 if unit == "y" else 1))
    if match.group(1) is None:
        return day
    return datetime.combine(day, time(int(match.group(1)), int(match.group(2))), UTC)


def _resolve(value: Any, today: date) -> Any:
    """Replace every relative date in a parsed YAML value by a date (or UTC datetime)."""
    if isinstance(value, str) and _RELATIVE.match(value):
        return relative_date(value, today)
    if isinstance(value, Mapping):
        return {k: _resolve(v, today) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, today) for v in value]
    return value


def _json(value: Any, *, timestamps: bool) -> Any:
    """JSON-able copy: datetimes as ``...Z``; dates as ISO dates (or midnight UTC if ``timestamps``)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        if timestamps:
            return _json(datetime.combine(value, time(0), UTC), timestamps=True)
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json(v, timestamps=timestamps) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v, timestamps=timestamps) for v in value]
    return value


def _stamp(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0), UTC)
    raise ValueError(f"expected a date, got {value!r}")


def _check_keys(raw: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)} (valid: {', '.join(sorted(allowed))})")


def _template(templates: Mapping[str, Any], name: Any, part: str) -> dict[str, Any]:
    if name not in templates:
        raise ValueError(f"no {part} template {name!r} (known: {', '.join(map(str, templates))})")
    return dict(templates[name])


def _merge(base: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def load_demo(services: Services, *, today: date | None = None,
              directory: Path | None = None) -> DemoSummary:
    """Load the demo files into ``services``' database in one transaction; see the module doc."""
    day = today or datetime.now(UTC).date()
    loader = _DemoLoader(services, day, directory or paths.data_file("demo"))
    with services.db.session() as session:
        loader.run(session)
    if loader.summary.created:
        now = datetime.now(UTC) if today is None else datetime.combine(day, time(12), UTC)
        services.scoring.recompute(now=now, note="demo portfolio loaded")
    return loader.summary


class _DemoLoader:
    def __init__(self, services: Services, today: date, directory: Path) -> None:
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
        for path, raw in self._records("findings.yaml", "findings"):
            with self._record(path, raw, str(raw.get("code"))):
                self._finding(session, raw)
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
                    self._accept(session, domain.id, domain.name, decision, probed)
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

    def _accept(self, session: Session, domain_id: int, domain: str, raw: Any,
                when: datetime) -> None:
        """A person's acceptance of a finding the rules just raised on ``domain``."""
        if not isinstance(raw, Mapping):
            raise ValueError("an acceptance must be a mapping")
        _check_keys(raw, _ACCEPT_KEYS)
        r = _resolve(dict(raw), self.today)
        code, until = str(r.get("code")), r.get("until")
        if not (r.get("by") and r.get("reason") and isinstance(until, date)):
            raise ValueError(f"accepting {code} needs by, reason and until (a date)")
        if until <= when.date():
            raise ValueError(f"accepting {code}: until {until} is not after the probe")
        rows = session.execute(select(FindingRow).where(
            FindingRow.subject_kind == SubjectKind.DOMAIN, FindingRow.domain_id == domain_id,
            FindingRow.code == code, FindingRow.status != FindingStatus.RESOLVED)).scalars().all()
        if not rows:
            raise ValueError(f"the rules raised no {code} on {domain}: only a finding the "
                             "rules raise can be accepted (describe the fault in the observation)")
        for f in rows:  # recorded as loaded, like the rest of the demo (one demo_load event)
            f.status, f.accepted_by = FindingStatus.ACCEPTED, str(r["by"])
            f.accepted_reason, f.accepted_until, f.resolved_at = str(r["reason"]), until, None

    def _finding(self, session: Session, raw: Mapping[str, Any]) -> None:
        """Store one vendor or contract finding of findings.yaml unless its fingerprint
        exists (the inventory rules re-evaluate it when the load scores the portfolio)."""
        _check_keys(raw, _FINDING_KEYS)
        r = _resolve(dict(raw), self.today)
        code = str(r["code"])
        if code not in CATALOG:
            raise ValueError(f"unknown finding code {code!r}")
        kind = CATALOG[code].subject
        if kind is SubjectKind.DOMAIN:
            raise ValueError(f"{code} is a domain finding: those are raised by the probe rules "
                             "on the observations in probes.yaml, never written")
        subject_id, client_id = self._subject(session, kind, r)
        severity = Severity(r["severity"]) if r.get("severity") else None
        item = make_finding(code, _json(dict(r.get("evidence") or {}), timestamps=False),
                            title=r.get("title"), severity=severity)
        fp = fingerprint(kind, subject_id, code, discriminator(item))
        status = FindingStatus(r.get("status", "open"))
        if status == FindingStatus.ACCEPTED and not all(
                r.get(k) for k in ("accepted_by", "accepted_reason", "accepted_until")):
            raise ValueError(f"{code}: an accepted finding needs accepted_by, accepted_reason "
                             "and accepted_until")
        if not session.execute(select(FindingRow.id).where(FindingRow.fingerprint == fp)).first():
            last = _stamp(r.get("last_seen")) or self.now
            row = FindingRow(fingerprint=fp, code=code, severity=item.severity, title=item.title,
                          evidence=dict(item.evidence), subject_kind=kind, client_id=client_id,
                          first_seen=_stamp(r.get("first_seen")) or last, last_seen=last,
                          status=status, resolved_at=_stamp(r.get("resolved_at")),
                          accepted_by=r.get("accepted_by"), accepted_reason=r.get("accepted_reason"),
                          accepted_until=r.get("accepted_until"))
            setattr(row, f"{kind.value}_id", subject_id)
            session.add(row)
            session.flush()
            self.summary.findings += 1

    def _subject(self, session: Session, kind: SubjectKind,
                 r: Mapping[str, Any]) -> tuple[int, int | None]:
        client = find(session, "client", str(r["client"])).id if r.get("client") else None
        vendor = find(session, "vendor", str(r["vendor"]))
        if kind == SubjectKind.VENDOR:
            return vendor.id, client
        contract = session.execute(select(Contract).where(
            Contract.vendor_id == vendor.id, Contract.reference == str(r["contract"]))
        ).scalar_one_or_none()
        if contract is None:
            raise NotFoundError(f"no contract {r['contract']!r} with vendor {vendor.name!r}")
        return contract.id, contract.client_id


# -- observations as the probes make them --------------------------------------------------------

def _probe_settings(base: ProbeSettings, raw: Any) -> ProbeSettings:
    """The settings a run used: the configured ones with the run's own values."""
    values = dict(raw or {})
    known = {f.name for f in fields(ProbeSettings)}
    _check_keys(values, known)
    return dataclasses.replace(base, **values)


def _parts(raw: Any) -> tuple[Reason, ...]:
    return tuple(Reason(str(r["part"]), str(r["message"])) for r in raw or ())


def registration_observation(domain: str, raw: Mapping[str, Any],
                             probed: datetime) -> RegistrationObservation:
    """What the registration probe makes of an answer described by ``raw`` (see probes.yaml):
    the lock classification, unpublished fields and PII defaults are the probe's own."""
    _check_keys(raw, _REGISTRATION_KEYS)
    reasons = _parts(raw.get("reasons"))
    source = raw.get("source")
    if source is None:  # no RDAP or WHOIS answer: only why
        return RegistrationObservation(domain, reasons=reasons, fetched_at=probed)
    if source not in ("rdap", "whois"):
        raise ValueError(f"registration source must be rdap, whois or null, not {source!r}")
    pii = raw.get("pii_fields_exposed")
    data = RegistrationData(
        registrar=raw.get("registrar"), registrar_iana_id=raw.get("registrar_iana_id"),
        created=_stamp(raw.get("created")), expires=_stamp(raw.get("expires")),
        epp_status=tuple(raw.get("epp_status") or ()),
        other_status=tuple(raw.get("other_status") or ()), has_registrant=True,
        registrant_redacted=raw.get("registrant_redacted"),
        pii_fields_exposed=None if pii is None else tuple(pii),
        privacy_service=raw.get("privacy_service"))
    return build_observation(domain, source, str(raw.get("server") or f"{source}.nic.example"),
                             data, reasons, probed)


def _answer(address: str, raw: Mapping[str, Any], serial: int, child_ns: tuple[str, ...],
            settings: ProbeSettings) -> ServerAnswer:
    """One address's answers: authoritative NOERROR with the zone's serial and NS set, and
    transfer and update (when tested) denied, unless ``raw`` says otherwise."""
    _check_keys(raw, _ANSWER_KEYS)
    if raw.get("error"):
        return ServerAnswer(address, error=str(raw["error"]))
    if raw.get("authoritative", True) is False:  # lame: the probe tests nothing more there
        return ServerAnswer(address, False, str(raw.get("rcode") or "REFUSED"))
    return ServerAnswer(
        address, True, str(raw.get("rcode") or "NOERROR"), int(raw.get("soa_serial", serial)),
        child_ns, raw.get("transfer", "denied"),
        raw.get("update", "denied") if settings.probe_updates else "not_tested")


def _queries(nameservers: Sequence[NameserverObservation], signed: bool,
             settings: ProbeSettings) -> int:
    """Queries the probe sends: NS and DS at the parent, SOA, NS and DNSKEY to each address,
    then a transfer (and an update) test to each authoritative one, NSEC3PARAM once."""
    answers = [a for ns in nameservers for a in ns.answers]
    served = sum(1 for a in answers if a.authoritative)
    return 2 + 3 * len(answers) + served * (1 + settings.probe_updates) + signed


def dns_observation(domain: str, raw: Mapping[str, Any], probed: datetime,
                    settings: ProbeSettings, catalog: ProviderCatalog) -> DnsObservation:
    """What the DNS probe records for a zone described by ``raw`` (see probes.yaml): every
    host of the delegation and of the zone's own NS set, one answer per address, operators
    matched by the provider catalog, the DNSSEC verdict, and why any part is unknown."""
    _check_keys(raw, _DNS_KEYS)
    parent_ns = tuple(sorted(raw.get("parent_ns") or raw["ns"]))
    child_ns = tuple(sorted(raw.get("child_ns") or raw["ns"]))
    addresses: Mapping[str, Any] = raw.get("addresses") or {}
    answers: Mapping[str, Any] = raw.get("answers") or {}
    serial = int(raw["soa_serial"])
    unknown = sorted(set(answers) - {str(a) for v in addresses.values() for a in v})
    if unknown:
        raise ValueError(f"answers for addresses no nameserver has: {', '.join(unknown)}")
    reasons: list[Reason] = []
    nameservers: list[NameserverObservation] = []
    providers: list[str] = []
    for host in sorted(set(parent_ns) | set(child_ns)):
        if host not in addresses:
            raise ValueError(f"no addresses for nameserver {host}")
        addrs = tuple(str(a) for a in addresses[host])
        got = tuple(_answer(a, answers.get(a) or {}, serial, child_ns, settings) for a in addrs)
        for a in got:
            if a.error:
                reasons.append(Reason("dns.server", f"{host} ({a.address}): SOA: {a.error}"))
        match = catalog.match(host)
        if match.operator:
            providers.append(match.operator)
        nameservers.append(NameserverObservation(
            host, addrs, match.operator, match.keys if match.ambiguous else (),
            host in parent_ns, host in child_ns, got))
    parent_zone = domain.split(".", 1)[1]
    dnssec = _dnssec(domain, parent_zone, raw.get("dnssec") or {}, nameservers, probed)
    if dnssec.status is None:
        reasons.append(Reason("dns.dnssec", "; ".join(dnssec.reasons) or "DNSSEC status unknown"))
    return DnsObservation(
        domain, probed, parent_zone, parent_ns, child_ns, tuple(nameservers),
        tuple(dict.fromkeys(sorted(providers))), dnssec, settings.probe_updates,
        tuple(dict.fromkeys(reasons)), _queries(nameservers, bool(dnssec.ds), settings))


def _dnssec(zone: str, parent: str, raw: Mapping[str, Any],
            nameservers: Sequence[NameserverObservation], now: datetime) -> DnssecObservation:
    """The chain verdict as the DNSSEC check states it, for a parent that validates: no DS
    is insecure; else each answering address must serve a DNSKEY matching a DS and valid
    signatures (problems and reasons are worded as the check words them)."""
    _check_keys(raw, _DNSSEC_KEYS)
    keys = sorted((dict(k) for k in raw.get("dnskeys") or ()), key=lambda k: int(k["key_tag"]))
    by_tag = {(int(k["key_tag"]), int(k["algorithm"])) for k in keys}
    ds = tuple({"key_tag": int(d["key_tag"]), "algorithm": int(d["algorithm"]),
                "digest_type": int(d["digest_type"]),
                "matched": (int(d["key_tag"]), int(d["algorithm"])) in by_tag}
               for d in raw.get("ds") or ())
    n3 = raw.get("nsec3")
    common: dict[str, Any] = {
        "ds": ds, "dnskeys": tuple(keys),
        "algorithms": tuple(sorted({int(k["algorithm"]) for k in keys}
                                   | {d["algorithm"] for d in ds})),
        "ds_digest_types": tuple(sorted({d["digest_type"] for d in ds})),
        "nsec3": None if n3 is None else {"algorithm": 1, "flags": 0, "iterations": 0,
                                          "salt": "-", **dict(n3)},
    }
    zname = f"{zone}."
    if not ds:
        return DnssecObservation(status="insecure", reasons=(f"no DS for {zone} at {parent}",),
                                 **common)
    served = [a.address for ns in nameservers for a in ns.answers if a.authoritative]
    if not served:
        return DnssecObservation(status=None, reasons=("no nameserver returned DNSKEY or SOA",),
                                 **common)
    algorithm = {int(k["key_tag"]): int(k["algorithm"]) for k in keys}
    problems: list[DnssecProblem] = []
    earliest: SignatureInfo | None = None
    if not any(d["matched"] for d in ds):
        tags = sorted(d["key_tag"] for d in ds)
        problems = [DnssecProblem("ds_mismatch", f"no DNSKEY of {zname} matches any DS (tags "
                                  f"{tags})", f"{zname} DS", ds[0]["key_tag"], ds[0]["algorithm"],
                                  address) for address in served]
    else:
        sig = raw.get("signature") or {}
        tag = int(sig["key_tag"])
        if tag not in algorithm:
            raise ValueError(f"signature by key {tag}, which the zone does not publish")
        expires = _stamp(sig["expires"])
        assert expires is not None
        record = f"{zname} {sig['record']}"
        earliest = SignatureInfo(record, tag, algorithm[tag], expires, served[0])
        if expires < now:
            when = expires.astimezone(UTC).isoformat()
            problems = [DnssecProblem("expired_signature", f"RRSIG over {record} by key {tag} "
                                      f"expired at {when}", record, tag, algorithm[tag], address)
                        for address in served]
        bad = raw.get("bad_signature")
        if bad:
            bad_tag, bad_record = int(bad["key_tag"]), f"{zname} {bad['record']}"
            if bad_record == record:
                raise ValueError("the signature that expires first is a valid one; "
                                 "the bad signature must be over another record")
            problems += [DnssecProblem("bad_signature", f"RRSIG over {bad_record} by key "
                                       f"{bad_tag} does not verify", bad_record, bad_tag,
                                       algorithm.get(bad_tag), address) for address in served]
    return DnssecObservation(
        status="bogus" if problems else "secure",
        reasons=tuple(f"{p.message} (server {p.server})" for p in problems),
        problems=tuple(problems), earliest_signature_expiry=earliest.expiration if earliest else None,
        earliest_signature=earliest, **common)
