"""The procurement workbook: gather plain records from the database, hand them to the writer.

Queries stay flat (tuples, one pass per table) so a 10,000-domain portfolio exports in
seconds; the layout lives in :mod:`vendorrisk.io.xlsx_export`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from vendorrisk import __version__
from vendorrisk.config import Settings
from vendorrisk.io import filenames
from vendorrisk.io import xlsx_export as X
from vendorrisk.io.atomic import refuse_existing
from vendorrisk.io.chain import format_chain
from vendorrisk.portfolio.fields import ENTITY_FIELDS
from vendorrisk.questionnaires.loader import TemplateLibrary
from vendorrisk.scoring import ScoreBook
from vendorrisk.services.dora import DoraResult, DoraService
from vendorrisk.services.export_scores import WorkbookScores, for_client, from_snapshots
from vendorrisk.store.database import Database
from vendorrisk.store.latest import latest_scores
from vendorrisk.store.lookup import find, list_domains
from vendorrisk.store.models import (
    Certification,
    Client,
    Contract,
    Domain,
    FindingRow,
    Vendor,
    domain_dns_provider,
)
from vendorrisk.store.observations import latest_typed
from vendorrisk.store.records import certification_record, client_record, vendor_record
from vendorrisk.store.scope import ClientScope, client_scope
from vendorrisk.views.derived import (
    cert_status,
    contract_schedule,
    finding_rows,
    observation_fields,
)
from vendorrisk.views.dora import readiness_rows, under_dora
from vendorrisk.views.output_names import client_file_part
from vendorrisk.views.questionnaires import questionnaire_rows
from vendorrisk.vocab import FindingStatus

NOTICE_WINDOW_DAYS = 90


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "rows": self.rows}


def default_path(settings: Settings, today: date, client: str | None = None) -> Path:
    """``vendorrisk-<client part or all>-<date>.xlsx`` in the exports folder (``client``: the
    part :func:`~vendorrisk.views.output_names.client_file_part` gives)."""
    return settings.exports_path / filenames.workbook_name(client, today)


class ExportService:
    def __init__(self, db: Database, settings: Settings,
                 book: Callable[[], ScoreBook] | None = None) -> None:
        """``book``: the current scores with engagements, for per-client workbooks."""
        self.db = db
        self.settings = settings
        self.book = book
        self.templates = TemplateLibrary(settings.questionnaire_paths)

    def workbook(self, out: Path | None = None, *, client: str | None = None,
                 today: date | None = None, force: bool = False,
                 free_name: bool = False) -> ExportResult:
        """An existing workbook at the path is replaced only with ``force``; with
        ``free_name`` (the TUI, which does not ask) the default name becomes the first free
        one (``…-2.xlsx``)."""
        now = datetime.now(UTC)
        today = today or now.date()
        with self.db.session(readonly=True) as session:
            part = client_file_part(session, find(session, "client", client).id) if client else None
            path = out or default_path(self.settings, today, part)
            if free_name and out is None:
                path = filenames.free_path(path)
            refuse_existing(path, force=force)  # before the queries, not after them
            sheets, vendor_rows = _sheets(session, client, today, self.templates, self.book)
            about = [
                {"item": "Generated at (UTC)", "value": now.replace(microsecond=0).isoformat()},
                {"item": "Client filter", "value": client or "all clients"},
                {"item": "vendorrisk version", "value": __version__},
                {"item": "Database", "value": self.db.public_url},
                {"item": "Formula safety", "value": "text starting with = + - @ tab or CR is "
                 "stored with a leading ' so it is never run as a formula"},
            ]
            sheets.append(X.Sheet("About", X.ABOUT_COLUMNS, about, table=False))
            chart = X.ChartSpec(on_sheet="Summary", data_sheet="Summary", label_key="name",
                                value_keys=("lockin", "compliance"),
                                title="Vendor scores (riskiest first)",
                                max_bars=min(60, vendor_rows)) if vendor_rows else None
            written = X.write_workbook(path, sheets, chart, force=force)
        return ExportResult(written.path, written.rows)

    def dora_register(self, client: str, out_dir: Path | None = None, *,
                      today: date | None = None, force: bool = False, draft: bool = False,
                      taxonomy: Path | None = None) -> DoraResult:
        """One client's DORA register package: :meth:`DoraService.export`."""
        return DoraService(self.db, self.settings).export(
            client, out_dir, today=today, force=force, draft=draft, taxonomy=taxonomy)


def _sheets(session: Session, client: str | None, today: date, templates: TemplateLibrary,
            book: Callable[[], ScoreBook] | None) -> tuple[list[X.Sheet], int]:
    scope = client_scope(session, client)
    client_id = scope.client_id if scope else None
    vendor_ids = set(scope.vendor_ids) if scope else None
    if scope is None or book is None:
        scores = from_snapshots(latest_scores(session))
    else:
        scores = for_client(book(), scope, _names(session))
    findings = scope.findings() if scope else None
    summary, vendor_rows = _summary(session, scores, client_id, vendor_ids, findings)
    sheets = [
        X.Sheet("Summary", X.SUMMARY_COLUMNS, summary),
        X.Sheet("Clients", X.inventory_columns("client"), _clients(session, client_id)),
        X.Sheet("Vendors", X.inventory_columns("vendor") + list(X.VENDOR_EXTRA),
                _vendors(session, vendor_ids, scores, client_id)),
        X.Sheet("Domains", X.inventory_columns("domain") + list(X.DOMAIN_EXTRA),
                _domains(session, client, scores)),
        X.Sheet("Findings", X.FINDING_COLUMNS, _findings(session, findings)),
        X.Sheet("Contracts", X.inventory_columns("contract") + list(X.CONTRACT_EXTRA),
                _contracts(session, scope, today),
                highlight_within_days=("days_left", NOTICE_WINDOW_DAYS)),
        X.Sheet("Certifications", X.inventory_columns("certification") + list(X.CERT_EXTRA),
                _certifications(session, vendor_ids, today)),
        X.Sheet("Questionnaires", X.QUESTIONNAIRE_COLUMNS,
                questionnaire_rows(session, vendor_ids, templates)),
        X.Sheet("Score factors", X.FACTOR_COLUMNS, scores.factors),
    ]
    if scope is not None and under_dora(session, scope.client_id):
        sheets.append(X.Sheet("DORA readiness", X.DORA_READINESS_COLUMNS,
                              readiness_rows(session, scope, today)))
    return sheets, vendor_rows


def _names(session: Session) -> dict[tuple[str, int], str]:
    names = {("vendor", i): n for i, n in session.execute(select(Vendor.id, Vendor.name))}
    names.update({("domain", i): n for i, n in session.execute(select(Domain.id, Domain.name))})
    return names


_TYPED = {"date": date.fromisoformat, "datetime": datetime.fromisoformat, "decimal": float}


def typed(entity: str, record: dict[str, Any]) -> dict[str, Any]:
    """Records are JSON-shaped (ISO strings); the workbook wants real dates and numbers."""
    for spec in ENTITY_FIELDS[entity]:
        convert = _TYPED.get(spec.kind)
        value = record.get(spec.name)
        if convert is not None and isinstance(value, (str, int, float)) and value != "":
            record[spec.name] = convert(value)  # type: ignore[operator]
    return record


def _open_counts(session: Session, column: Any, scoped: Any = None) -> dict[int, int]:
    query = (select(column, func.count()).where(FindingRow.status == FindingStatus.OPEN,
                                                column.is_not(None)).group_by(column))
    if scoped is not None:
        query = query.where(scoped)
    return {k: n for k, n in session.execute(query)}


def _summary(session: Session, scores: WorkbookScores, client_id: int | None,
             vendor_ids: set[int] | None, findings: Any) -> tuple[list[dict[str, Any]], int]:
    vendor_open = _open_counts(session, FindingRow.vendor_id, findings)
    client_open = _open_counts(session, FindingRow.client_id)
    vendors = []
    for vid, name, kind in session.execute(select(Vendor.id, Vendor.name, Vendor.kind)):
        if vendor_ids is None or vid in vendor_ids:
            vendors.append({"kind": "vendor", "name": name, "detail": str(kind),
                            "open_findings": vendor_open.get(vid, 0),
                            **scores.of("vendor", vid)})
    vendors.sort(key=lambda r: (-max(r.get("lockin") or 0, r.get("compliance") or 0), r["name"]))
    clients = []
    query = select(Client.id, Client.name, Client.regimes).order_by(Client.name)
    for cid, name, regimes in session.execute(query):
        if client_id is None or cid == client_id:
            clients.append({"kind": "client", "name": name, "detail": ", ".join(regimes or []),
                            "open_findings": client_open.get(cid, 0),
                            **scores.of("client", cid)})
    return vendors + clients, len(vendors)


def _clients(session: Session, client_id: int | None) -> Iterator[dict[str, Any]]:
    query = select(Client).order_by(Client.name)
    if client_id is not None:
        query = query.where(Client.id == client_id)
    for obj in session.execute(query).scalars():
        yield typed("client", client_record(obj))


def _vendors(session: Session, vendor_ids: set[int] | None, scores: WorkbookScores,
             client_id: int | None) -> Iterator[dict[str, Any]]:
    """Domain counts are the client's domains at the vendor when one client is shown."""
    mine = None if client_id is None else Domain.client_id == client_id
    as_registrar = _counts(session, Domain.registrar_id, mine)
    as_dns = _counts(session, domain_dns_provider.c.vendor_id, mine, dns=True)
    contracts = _counts(session, Contract.vendor_id)
    query = select(Vendor).options(selectinload(Vendor.subcontractors)).order_by(Vendor.name)
    for obj in session.execute(query).scalars():
        if vendor_ids is not None and obj.id not in vendor_ids:
            continue
        record = typed("vendor", vendor_record(obj))
        record["subcontractors_text"] = format_chain(record["subcontractors"])
        record.update(domains_registrar=as_registrar.get(obj.id, 0),
                      domains_dns=as_dns.get(obj.id, 0), contract_count=contracts.get(obj.id, 0),
                      **scores.of("vendor", obj.id))
        yield record


def _counts(session: Session, column: Any, where: Any = None, *, dns: bool = False
            ) -> dict[Any, int]:
    query = select(column, func.count()).group_by(column)
    if dns and where is not None:
        query = query.join(Domain, Domain.id == domain_dns_provider.c.domain_id)
    if where is not None:
        query = query.where(where)
    return {k: n for k, n in session.execute(query)}


def _domains(session: Session, client: str | None,
             scores: WorkbookScores) -> Iterator[dict[str, Any]]:
    client_id = find(session, "client", client).id if client else None
    observations = latest_typed(session, client_id)
    open_counts = _open_counts(session, FindingRow.domain_id)
    for record in list_domains(session, client=client):
        obs = observations.get(record["id"])
        if obs is not None:
            record.update(observation_fields(obs.observation).record(), probed_at=obs.probed_at,
                          complete=obs.complete)
        record["open_findings"] = open_counts.get(record["id"], 0)
        record.update(scores.of("domain", record["id"]))
        yield record


def _findings(session: Session, scoped: Any) -> Iterator[dict[str, Any]]:
    query = (select(FindingRow).where(FindingRow.status.in_([FindingStatus.OPEN,
                                                       FindingStatus.ACCEPTED]))
             .order_by(FindingRow.id))
    if scoped is not None:
        query = query.where(scoped)
    return finding_rows(session, query)


def _contracts(session: Session, scope: ClientScope | None, today: date
               ) -> Iterator[dict[str, Any]]:
    from vendorrisk.store.records import contract_record

    query = (select(Contract).options(selectinload(Contract.vendor), selectinload(Contract.client))
             .order_by(Contract.id))
    if scope is not None:
        query = query.where(Contract.id.in_(scope.contracts()))
    for c in session.execute(query).scalars():
        record = typed("contract", contract_record(c))
        record.update(contract_schedule(c, today))
        yield record


def _certifications(session: Session, vendor_ids: set[int] | None,
                    today: date) -> Iterator[dict[str, Any]]:
    query = select(Certification).options(selectinload(Certification.vendor)).order_by(
        Certification.id)
    for cert in session.execute(query).scalars():
        if vendor_ids is not None and cert.vendor_id not in vendor_ids:
            continue
        record = typed("certification", certification_record(cert))
        record["cert_status"], record["cert_status_reason"] = cert_status(cert, today)
        yield record
