"""Load the demo portfolio (``data/demo/*.yaml``): a fictional MSP with clients, vendors,
domains, contracts, certifications, questionnaire answers, one recorded probe run and findings.

Dates in the files are relative to ``today`` (``today``, ``+45d``, ``-13m``, ``-1y+30d``, with an
optional UTC time ``-1dT02:00``), so the demo never goes stale. Inventory records are checked
by :func:`vendorrisk.portfolio.fields.clean` and created through the inventory service, so each one is
audited; everything happens in one transaction. Records that already exist (by natural key)
are skipped, so a second load changes nothing and writes no audit event; a load that created
something ends with one ``demo_load`` event carrying the counts.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk import paths
from vendorrisk.datafiles import line_of, load_yaml
from vendorrisk.dates import add_months
from vendorrisk.errors import ConfigError, NotFoundError, VendorRiskError
from vendorrisk.findings.codes import CATALOG, Severity, SubjectKind, make_finding
from vendorrisk.names import normalise_domain
from vendorrisk.portfolio import fields as field_specs
from vendorrisk.store import audit
from vendorrisk.store.findings_sync import discriminator, fingerprint
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
_RESPONSE_KEYS = {"vendor", "template", "version", "status", "answers", "evidence_notes", "reviewer",
                  "sent_at", "received_at", "reviewed_at"}
_OBSERVATION_KEYS = {"domain", "registration", "dns", "set", "reasons", "findings"}


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
                self._finding(session, raw, None, None)
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
        path, data = self._file("probes.yaml", "observations")
        run_raw = _resolve(dict(data.get("run") or {}), self.today)
        scope = f"demo:{run_raw.get('name', 'run')}"
        if session.execute(select(ProbeRun.id).where(ProbeRun.scope == scope)).first():
            return
        started = _stamp(run_raw.get("started")) or self.now
        run = ProbeRun(started_at=started, finished_at=_stamp(run_raw.get("finished")),
                       status=ProbeRunStatus.COMPLETE, requested_by=run_raw.get("requested_by"),
                       scope=scope, settings=_json(dict(run_raw.get("settings") or {}),
                                                   timestamps=True))
        session.add(run)
        session.flush()
        regs, dnss = data.get("registration_templates") or {}, data.get("dns_templates") or {}
        for index, (_, raw) in enumerate(self._items(path, data, "observations")):
            with self._record(path, raw, str(raw.get("domain"))):
                _check_keys(raw, _OBSERVATION_KEYS)
                domain = find(session, "domain", str(raw["domain"]))
                probed = started + timedelta(seconds=index)
                patch = raw.get("set") or {}
                obs = {part: _merge(copy.deepcopy(_template(templates, raw[part], part)),
                                    patch.get(part) or {})
                       for part, templates in (("registration", regs), ("dns", dnss))}
                reasons = [{"part": str(r["part"]), "message": str(r["message"])}
                           for r in raw.get("reasons") or []]
                raised = [self._finding(session, f, domain.id, run.id, seen=probed,
                                        client_id=domain.client_id)
                          for f in raw.get("findings") or []]
                body = {"domain": domain.name, "probed_at": probed, "complete": not reasons,
                        **_resolve(obs, self.today), "findings": raised, "reasons": reasons}
                session.add(ObservationRow(run_id=run.id, domain_id=domain.id, probed_at=probed,
                                              complete=not reasons, reasons=reasons,
                                              data=_json(body, timestamps=True)))
                run.domain_count += 1
                run.incomplete_count += bool(reasons)
        run.status = ProbeRunStatus.INCOMPLETE if run.incomplete_count else ProbeRunStatus.COMPLETE
        self.summary.probe_runs += 1
        self.summary.observations += run.domain_count
        session.flush()
        audit.record(session, actor=self.services.actor, action=AuditAction.PROBE_RUN,
                     entity_kind="probe_run", entity_id=run.id, label=scope,
                     after={"domains": run.domain_count, "incomplete": run.incomplete_count,
                            "started_at": run.started_at, "finished_at": run.finished_at})

    def _finding(self, session: Session, raw: Mapping[str, Any], subject_id: int | None,
                 run_id: int | None, *, seen: datetime | None = None,
                 client_id: int | None = None) -> dict[str, Any]:
        """Store one finding unless its fingerprint exists; return its DESIGN §3 JSON."""
        _check_keys(raw, _FINDING_KEYS)
        r = _resolve(dict(raw), self.today)
        code = str(r["code"])
        if code not in CATALOG:
            raise ValueError(f"unknown finding code {code!r}")
        kind = CATALOG[code].subject
        if subject_id is None:
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
            last = _stamp(r.get("last_seen")) or seen or self.now
            row = FindingRow(fingerprint=fp, code=code, severity=item.severity, title=item.title,
                          evidence=dict(item.evidence), subject_kind=kind, client_id=client_id,
                          first_seen=_stamp(r.get("first_seen")) or last, last_seen=last,
                          status=status, resolved_at=_stamp(r.get("resolved_at")),
                          accepted_by=r.get("accepted_by"), accepted_reason=r.get("accepted_reason"),
                          accepted_until=r.get("accepted_until"), last_run_id=run_id)
            setattr(row, f"{kind.value}_id", subject_id)
            session.add(row)
            session.flush()
            self.summary.findings += 1
        return item.to_json()

    def _subject(self, session: Session, kind: SubjectKind,
                 r: Mapping[str, Any]) -> tuple[int, int | None]:
        client = find(session, "client", str(r["client"])).id if r.get("client") else None
        if kind == SubjectKind.DOMAIN:
            domain = find(session, "domain", normalise_domain(str(r["domain"])))
            return domain.id, domain.client_id
        vendor = find(session, "vendor", str(r["vendor"]))
        if kind == SubjectKind.VENDOR:
            return vendor.id, client
        contract = session.execute(select(Contract).where(
            Contract.vendor_id == vendor.id, Contract.reference == str(r["contract"]))
        ).scalar_one_or_none()
        if contract is None:
            raise NotFoundError(f"no contract {r['contract']!r} with vendor {vendor.name!r}")
        return contract.id, contract.client_id
