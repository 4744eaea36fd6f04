"""What changed between stored probe runs: for cron, so a nightly job can alert.

Each domain's observations in the window are compared with the one before (the last one
before ``since``, or the run before the window for ``runs``): locks, DNSSEC status,
operators, nameservers, registrar and expiry date. New findings first seen in the window
are listed with their own severity, each change naming its subject's kind (``domain``,
``vendor``, ``contract``). Only stored data is read; nothing is recomputed.

A *baseline* (:meth:`ChangeService.set_baseline`, an audited event; loading the demo sets
one) says that every finding first seen by then is already known: such findings are never
listed as new, so the first report after a load does not flood. Observation changes are
always compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendorrisk.errors import InputError
from vendorrisk.services.findings import client_findings
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import find
from vendorrisk.store.models import (
    AuditEvent,
    Client,
    Domain,
    FindingRow,
    ObservationRow,
    ProbeRun,
)
from vendorrisk.store.observations import stored
from vendorrisk.views.derived import ObservedFields, finding_rows, observation_fields
from vendorrisk.vocab import AuditAction

SEVERITY_ORDER: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
BASELINE_KIND = "changes_baseline"
"""The audit entity kind of a baseline event (its ``after`` holds ``baseline``, ISO time)."""
_DNSSEC_DROP = {("secure", "bogus"): "critical", ("secure", "insecure"): "high",
                ("insecure", "bogus"): "high"}


def severity_rank(severity: str) -> int:
    try:
        return SEVERITY_ORDER.index(str(severity).lower())
    except ValueError:
        raise InputError(f"unknown severity {severity!r} (valid: {', '.join(SEVERITY_ORDER)})"
                         ) from None


@dataclass(frozen=True)
class Change:
    subject: str
    client: str | None
    kind: str
    severity: str
    summary: str
    before: Any
    after: Any
    at: datetime | None
    run_id: int | None
    subject_kind: str = "domain"
    """``domain``, ``vendor`` or ``contract`` (only new findings are about the last two)."""

    @property
    def domain(self) -> str | None:
        return self.subject if self.subject_kind == "domain" else None

    @property
    def label(self) -> str:
        """The subject named with its kind: ``domain example.com``, ``vendor NS1``."""
        return f"{self.subject_kind} {self.subject}"

    def to_json(self) -> dict[str, Any]:
        return {"subject_kind": self.subject_kind, "subject": self.subject,
                "domain": self.domain, "client": self.client, "kind": self.kind,
                "severity": self.severity, "summary": self.summary,
                "before": _plain(self.before), "after": _plain(self.after),
                "at": self.at.isoformat() if self.at else None, "run_id": self.run_id}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def compare(domain: str, client: str | None, old: ObservedFields, new: ObservedFields,
            at: datetime | None, run_id: int | None) -> Iterator[Change]:
    """Changes between two flattened observations (see :func:`observation_fields`)."""
    def change(kind: str, severity: str, summary: str, before: Any, after: Any) -> Change:
        return Change(domain, client, kind, severity, summary, before, after, at, run_id)

    for kind, label, b, a in (
            ("registrar", "registrar lock", old.registrar_locked, new.registrar_locked),
            ("registry", "registry lock", old.registry_locked, new.registry_locked)):
        if b is True and a is False:
            yield change(f"lock.{kind}_removed", "high", f"{label} removed", b, a)
        elif b is False and a is True:
            yield change(f"lock.{kind}_added", "info", f"{label} added", b, a)
    b_status, a_status = old.dnssec, new.dnssec
    if b_status and a_status and b_status != a_status:
        yield change("dnssec.status_changed",
                     _DNSSEC_DROP.get((b_status, a_status),
                                      "info" if a_status == "secure" else "medium"),
                     f"DNSSEC {b_status} -> {a_status}", b_status, a_status)
    for key, kind, before, after in (
            ("operators", "operator.changed", old.operators, new.operators),
            ("nameservers", "nameservers.changed", old.nameservers, new.nameservers)):
        b_set, a_set = set(before), set(after)
        if b_set and a_set and b_set != a_set:
            added, removed = sorted(a_set - b_set), sorted(b_set - a_set)
            yield change(kind, "medium", f"{key}: +{', '.join(added) or '-'} "
                         f"-{', '.join(removed) or '-'}", sorted(b_set), sorted(a_set))
    b_reg, a_reg = old.observed_registrar, new.observed_registrar
    if b_reg and a_reg and b_reg != a_reg:
        yield change("registrar.changed", "high", f"registrar {b_reg} -> {a_reg}", b_reg, a_reg)
    b_exp, a_exp = old.expires, new.expires
    if b_exp and a_exp and b_exp != a_exp:
        earlier = a_exp < b_exp
        yield change("expiry.moved", "medium" if earlier else "info",
                     f"expiry moved {'earlier' if earlier else 'later'}: {b_exp} -> {a_exp}",
                     b_exp, a_exp)


class ChangeService:
    def __init__(self, db: Database, actor: str = "vendorrisk") -> None:
        self.db = db
        self.actor = actor

    def list(self, *, since: datetime | None = None, runs: int | None = None,
             client: str | None = None) -> list[Change]:
        if since is not None and runs is not None:
            raise InputError("give --since or --runs, not both")
        with self.db.session(readonly=True) as session:
            client_id = find(session, "client", client).id if client else None
            window_start = since or _runs_start(session, runs or 1)
            if window_start is None:
                return []
            changes = list(observation_changes(session, window_start, client_id))
            changes += _new_findings(session, window_start, client, _baseline(session))
        return sorted(changes, key=lambda c: (-severity_rank(c.severity), c.subject_kind,
                                              c.subject, c.kind))

    def set_baseline(self, at: datetime | None = None, *, note: str | None = None) -> datetime:
        """From now on, findings first seen by ``at`` (default: now) are not new; audited."""
        with self.db.session() as session:
            return self.set_baseline_in(session, at, note=note)

    def set_baseline_in(self, session: Session, at: datetime | None = None, *,
                        note: str | None = None) -> datetime:
        """:meth:`set_baseline` inside the caller's transaction."""
        at = at or datetime.now(UTC)
        audit.record(session, actor=self.actor, action=AuditAction.UPDATE,
                     entity_kind=BASELINE_KIND, entity_id=None, label=note or "baseline",
                     after={"baseline": at})
        return at

    def baseline(self) -> datetime | None:
        """The newest baseline, if one was set."""
        with self.db.session(readonly=True) as session:
            return _baseline(session)


def _baseline(session: Session) -> datetime | None:
    after = session.execute(select(AuditEvent.after).where(
        AuditEvent.entity_kind == BASELINE_KIND).order_by(AuditEvent.seq.desc()).limit(1)
    ).scalar_one_or_none()
    value = (after or {}).get("baseline")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _runs_start(session: Session, runs: int) -> datetime | None:
    if runs < 1:
        raise InputError("--runs must be at least 1")
    starts = session.execute(select(ProbeRun.started_at).order_by(
        ProbeRun.started_at.desc()).limit(runs)).scalars().all()
    return starts[-1] if starts else None


def observation_changes(session: Session, start: datetime | None, client_id: int | None = None,
                        domain_ids: set[int] | None = None) -> Iterator[Change]:
    """Changes between consecutive stored observations from ``start`` (None: all history)."""
    start = start or datetime(1970, 1, 1, tzinfo=UTC)
    baseline_ids = (select(func.max(ObservationRow.id))
                    .where(ObservationRow.probed_at < start)
                    .group_by(ObservationRow.domain_id))
    query = (select(ObservationRow, Domain.name, Client.name)
             .join(Domain, Domain.id == ObservationRow.domain_id)
             .join(Client, Client.id == Domain.client_id)
             .where((ObservationRow.probed_at >= start)
                    | ObservationRow.id.in_(baseline_ids))
             .order_by(ObservationRow.domain_id, ObservationRow.probed_at,
                       ObservationRow.id))
    if client_id is not None:
        query = query.where(Domain.client_id == client_id)
    if domain_ids is not None:
        query = query.where(Domain.id.in_(domain_ids))
    previous: dict[int, ObservedFields] = {}
    for row, domain, client in session.execute(query):
        obs = stored(row)
        flat = observation_fields(obs.observation)
        old = previous.get(obs.domain_id)
        if old is not None:
            yield from compare(domain, client, old, flat, obs.probed_at, obs.run_id)
        previous[obs.domain_id] = flat


def _new_findings(session: Session, start: datetime, client: str | None,
                  baseline: datetime | None) -> list[Change]:
    """Findings first seen from ``start`` and after the baseline; for a client, those its
    outputs hold (``vendorrisk.store.scope``)."""
    query = select(FindingRow).where(FindingRow.first_seen >= start).order_by(FindingRow.id)
    if baseline is not None:
        query = query.where(FindingRow.first_seen > baseline)
    if client is not None:
        query = query.where(client_findings(session, client))
    return [Change(f["subject"] or "?", f["client"], f"finding.new:{f['code']}", f["severity"],
                   f["title"], None, f["status"], f["first_seen"], None, f["subject_kind"])
            for f in finding_rows(session, query)]


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``yesterday``, ``today``, ``2d``/``12h`` ago, ``YYYY-MM-DD`` or an ISO date-time (UTC)."""
    now = now or datetime.now(UTC)
    value = text.strip().lower()
    midnight = datetime.combine(now.date(), time.min, tzinfo=UTC)
    if value == "today":
        return midnight
    if value == "yesterday":
        return midnight - timedelta(days=1)
    if value[:-1].isdigit() and value[-1:] in ("d", "h"):
        amount = int(value[:-1])
        return now - (timedelta(days=amount) if value.endswith("d") else timedelta(hours=amount))
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"cannot read date {text!r}",
                         "use yesterday, today, 2d, 12h, YYYY-MM-DD or an ISO date-time") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def worst(changes: list[Change]) -> str | None:
    return max((c.severity for c in changes), key=severity_rank, default=None)


def reaches(changes: list[Change], threshold: str) -> bool:
    limit = severity_rank(threshold)
    return any(severity_rank(c.severity) >= limit for c in changes)


