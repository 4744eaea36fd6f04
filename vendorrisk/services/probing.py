"""Probe runs: pick the domains, probe them, evaluate findings, store runs and observations.

The front ends pass what the user asked (a :class:`ProbeRequest`); the plan (which halves run,
the registration cache and whether to bypass it, whether anything is stored) is decided here,
so a probe from the TUI and one from the CLI run alike.

Writes happen in batches on a worker thread so the event loop keeps probing while the
database catches up; one ProbeRun row and one audit event describe each run.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from vendorrisk import paths
from vendorrisk.catalog.providers import ProviderCatalog, load_provider_catalog
from vendorrisk.catalog.registrars import RegistrarCatalog, load_registrar_catalog
from vendorrisk.config import Settings
from vendorrisk.errors import InputError
from vendorrisk.findings.codes import Finding, SubjectKind
from vendorrisk.findings.context import DeclaredVendor, DomainContext
from vendorrisk.findings.evaluate import evaluate_domain, scope_of
from vendorrisk.masking import mask_settings
from vendorrisk.names import normalise_domain
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.runner import ProbePlan, probe_many
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.findings_sync import sync_findings
from vendorrisk.store.models import Client, Domain, ObservationRow, ProbeRun
from vendorrisk.vocab import AuditAction, Criticality, ProbeRunStatus

BATCH = 200


def registration_cache_dir() -> Path:
    """Where registration answers are cached between probes (the user cache folder)."""
    return paths.cache_dir() / "registration"


@dataclass(frozen=True)
class ProbeRequest:
    """What the user asked to probe: named domains, a client's or every domain; whether to
    store the run; which halves; whether to ignore cached registration data."""

    names: tuple[str, ...] = ()
    client: str | None = None
    everything: bool = False
    store: bool = True
    """False: probe named domains without any database and write nothing."""
    dns: bool = True
    registration: bool = True
    refresh: bool = False
    """Ask the registration servers again even where the cache has a fresh answer."""


@dataclass(frozen=True)
class Target:
    name: str
    context: DomainContext
    domain_id: int | None = None
    client_id: int | None = None


@dataclass(frozen=True)
class ProbeResult:
    """One domain's observation with its findings, as the JSON contract prints it."""

    observation: DomainObservation
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, Any]:
        return {**self.observation.to_json(), "findings": [f.to_json() for f in self.findings]}


@dataclass
class RunSummary:
    run_id: int | None = None
    probed: int = 0
    incomplete: int = 0
    findings: int = 0
    new_findings: int = 0
    resolved_findings: int = 0
    cancelled: bool = False
    incomplete_domains: list[str] = field(default_factory=list)


Progress = Callable[[int, int, ProbeResult], None]


class ProbingService:
    def __init__(self, database: Callable[[], Database] | None, settings: Settings, actor: str,
                 on_change: Callable[[str], None] | None = None, *,
                 registration_cache: Path | None = None) -> None:
        self._database = database
        """Opens (or returns) the database; called only by a probe that needs it."""
        self.settings = settings
        self.actor = actor
        self.on_change = on_change
        self.registration_cache = registration_cache
        """The registration cache folder (None: the user cache folder, found when planning)."""
        self._providers: ProviderCatalog | None = None
        self._registrars: RegistrarCatalog | None = None

    @property
    def db(self) -> Database:
        if self._database is None:
            raise InputError("no database to read the inventory from or store the run in",
                             "probe named domains with --no-store")
        return self._database()

    def plan(self, request: ProbeRequest) -> ProbePlan:
        """How to probe what was asked: the halves asked for, with the registration cache
        (``refresh`` asks the servers again and updates it)."""
        if not (request.dns or request.registration):
            raise InputError("--no-dns and --no-registration leave nothing to probe")
        return ProbePlan(dns=request.dns, registration=request.registration,
                         refresh=request.refresh,
                         cache_dir=self.registration_cache or registration_cache_dir())

    @property
    def providers(self) -> ProviderCatalog:
        if self._providers is None:
            path = self.settings.probe.providers_file
            self._providers = load_provider_catalog(Path(path) if path else None)
        return self._providers

    @property
    def registrars(self) -> RegistrarCatalog:
        if self._registrars is None:
            path = self.settings.probe.registrars_file
            self._registrars = load_registrar_catalog(Path(path) if path else None)
        return self._registrars

    # -- choosing what to probe -----------------------------------------------------------
    def targets(self, request: ProbeRequest) -> list[Target]:
        """Inventory domains to probe: the named ones, a client's, or all; without a store,
        the named domains as given."""
        names, client, everything = request.names, request.client, request.everything
        if not request.store:
            if client or everything or not names:
                raise InputError("--no-store probes named domains only (no inventory to read)")
            return [Target(n, DomainContext(n)) for n in ad_hoc_names(names)]
        with self.db.session(readonly=True) as session:
            query = select(Domain).options(selectinload(Domain.registrar),
                                           selectinload(Domain.dns_providers))
            if names:
                wanted = ad_hoc_names(names)
                query = query.where(Domain.name.in_(wanted))
            elif client:
                owner = session.execute(select(Client).where(Client.name == client)).scalar()
                if owner is None:
                    raise InputError(f"no client {client!r}")
                query = query.where(Domain.client_id == owner.id)
            elif not everything:
                raise InputError("name domains, or use --client NAME or --all")
            rows = session.execute(query.order_by(Domain.name)).scalars().all()
            found = [_target(d) for d in rows]
        if names:
            missing = sorted(set(ad_hoc_names(names)) - {t.name for t in found})
            if missing:
                raise InputError(f"not in the inventory: {', '.join(missing)}",
                                 "add them with `vendorrisk domain add`, or probe with --no-store")
        return found

    # -- running -----------------------------------------------------------------------------
    async def run(self, targets: Sequence[Target], request: ProbeRequest = ProbeRequest(), *,
                  on_progress: Progress | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> RunSummary:
        """Probe ``targets`` (from :meth:`targets` of the same request) as ``request`` asks."""
        plan, store = self.plan(request), request.store
        summary = RunSummary()
        by_name = {t.name: t for t in targets}
        if store:
            summary.run_id = await asyncio.to_thread(self._start_run, len(targets))
        pending: list[ProbeResult] = []
        lock = asyncio.Lock()
        now = datetime.now(UTC)

        async def flush() -> None:
            batch = pending[:]
            pending.clear()
            if store and batch:
                async with lock:
                    new, resolved = await asyncio.to_thread(self._store, summary.run_id, batch,
                                                            by_name)
                summary.new_findings += new
                summary.resolved_findings += resolved

        async def on_result(observation: DomainObservation) -> None:
            target = by_name[observation.domain]
            findings = evaluate_domain(observation, target.context, providers=self.providers,
                                       registrars=self.registrars, settings=self.settings.probe,
                                       now=now)
            result = ProbeResult(observation, tuple(findings))
            summary.probed += 1
            summary.findings += len(findings)
            if not observation.complete:
                summary.incomplete += 1
                summary.incomplete_domains.append(observation.domain)
            if on_progress is not None:
                on_progress(summary.probed, len(targets), result)
            pending.append(result)
            if len(pending) >= BATCH:
                await flush()

        try:
            await probe_many([t.name for t in targets], self.settings.probe, self.providers,
                             plan=plan, on_result=on_result, cancelled=cancelled)
            await flush()
        except BaseException:
            if store:  # a run that could not finish is not left looking like it is running
                await asyncio.shield(asyncio.to_thread(self._fail_run, summary))
            raise
        summary.cancelled = cancelled()
        if store:
            await asyncio.to_thread(self._finish_run, summary)
            if self.on_change is not None:
                await asyncio.to_thread(self.on_change, f"probe run {summary.run_id}")
        return summary

    def _start_run(self, count: int) -> int:
        with self.db.session() as session:
            run = ProbeRun(requested_by=self.actor, domain_count=count,
                           settings=stored_settings(self.settings))
            session.add(run)
            session.flush()
            return run.id

    def _store(self, run_id: int | None, batch: Sequence[ProbeResult],
               by_name: dict[str, Target]) -> tuple[int, int]:
        assert run_id is not None
        new = resolved = 0
        with self.db.session() as session:
            for result in batch:
                obs, target = result.observation, by_name[result.observation.domain]
                assert target.domain_id is not None
                session.add(ObservationRow(
                    run_id=run_id, domain_id=target.domain_id, probed_at=obs.probed_at,
                    complete=obs.complete, data=obs.to_json(),
                    reasons=[r.to_json() for r in obs.reasons]))
                created, gone = sync_findings(
                    session, subject_kind=SubjectKind.DOMAIN, subject_id=target.domain_id,
                    client_id=target.client_id, raised=result.findings, now=obs.probed_at,
                    run_id=run_id, in_scope=scope_of(obs))
                new += len(created)
                resolved += len(gone)
        return new, resolved

    def _fail_run(self, summary: RunSummary) -> None:
        with self.db.session() as session:
            run = session.get(ProbeRun, summary.run_id)
            if run is not None:
                run.status, run.finished_at = ProbeRunStatus.FAILED, datetime.now(UTC)
                run.domain_count, run.incomplete_count = summary.probed, summary.incomplete

    def _finish_run(self, summary: RunSummary) -> None:
        with self.db.session() as session:
            run = session.get(ProbeRun, summary.run_id)
            assert run is not None
            run.finished_at = datetime.now(UTC)
            run.domain_count = summary.probed
            run.incomplete_count = summary.incomplete
            run.status = (ProbeRunStatus.CANCELLED if summary.cancelled else
                          ProbeRunStatus.INCOMPLETE if summary.incomplete else
                          ProbeRunStatus.COMPLETE)
            audit.record(session, actor=self.actor, action=AuditAction.PROBE_RUN,
                         entity_kind="probe_run", entity_id=run.id, label=f"run {run.id}",
                         after={"status": run.status, "domains": summary.probed,
                                "incomplete": summary.incomplete,
                                "new_findings": summary.new_findings,
                                "resolved_findings": summary.resolved_findings})


def stored_settings(settings: Settings) -> dict[str, Any]:
    """The probe settings a run records, secrets masked (a bootstrap URL may carry them)."""
    masked: dict[str, Any] = mask_settings(audit.jsonable(dataclasses.asdict(settings.probe)))
    return masked


def ad_hoc_names(names: Sequence[str]) -> list[str]:
    """Normalise user-given names up front; a malformed one stops the command before any probe."""
    return list(dict.fromkeys(normalise_domain(n) for n in names))


def _target(domain: Domain) -> Target:
    registrar = domain.registrar
    return Target(
        name=domain.name,
        domain_id=domain.id,
        client_id=domain.client_id,
        context=DomainContext(
            domain=domain.name,
            critical=domain.criticality == Criticality.CRITICAL,
            declared_registrar=DeclaredVendor(registrar.name, registrar.catalog_key)
            if registrar else None,
            declared_dns_providers=tuple(DeclaredVendor(v.name, v.catalog_key)
                                         for v in domain.dns_providers),
        ),
    )


