"""Bulk import of clients, vendors, domains, contracts and certifications from xlsx or CSV.

Every row is validated with the same rules as the CLI and TUI (:func:`vendorrisk.portfolio.fields.clean`)
and written through the inventory service, so every change is audited. One transaction per
import: by default any invalid row means nothing is written; ``skip_invalid`` writes the
valid rows (each in a savepoint) and lists the rest; ``dry_run`` always rolls back. A row
whose natural key exists is updated, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.errors import InputError, NotFoundError
from vendorrisk.io import csv_import
from vendorrisk.io.chain import parse_chain
from vendorrisk.io.xlsx_import import (
    ENTITY_ORDER,
    SUBCONTRACTORS,
    ReadResult,
    RowProblem,
    SheetRows,
    read_workbook,
)
from vendorrisk.portfolio import fields
from vendorrisk.services.inventory import InventoryService
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.models import Certification, Client, Contract, Domain, Vendor
from vendorrisk.store.records import (
    certification_record,
    client_record,
    contract_record,
    domain_record,
    vendor_record,
)
from vendorrisk.vocab import AuditAction

_NAMED: dict[str, Any] = {"client": Client, "vendor": Vendor, "domain": Domain}
_RECORD: dict[str, Callable[[Any], dict[str, Any]]] = {
    "client": client_record, "vendor": vendor_record, "domain": domain_record,
    "contract": contract_record, "certification": certification_record}


@dataclass
class ImportReport:
    file: str
    sha256: str
    dry_run: bool
    committed: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    errors: list[RowProblem] = field(default_factory=list)
    skipped_rows: int = 0
    warnings: list[str] = field(default_factory=list)

    def count(self, bucket: dict[str, int], entity: str) -> None:
        bucket[entity] = bucket.get(entity, 0) + 1

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "dry_run": self.dry_run,
                "committed": self.committed, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "skipped_rows": self.skipped_rows,
                "errors": [e.to_json() for e in self.errors], "warnings": self.warnings}


class ImportFailed(InputError):
    """Rows failed validation; nothing was written. ``report`` lists every problem."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        n = len(report.errors)
        super().__init__(f"{report.file}: {n} problem{'s' if n != 1 else ''}; nothing was "
                         "written", "fix them, or use --skip-invalid to import the valid rows")


class _RollBack(Exception):
    """Internal: leave the unit of work without committing (dry run)."""


def read_file(path: Path, kind: str | None = None) -> ReadResult:
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if path.suffix.lower() in (".xlsx", ".xlsm") or magic.startswith(b"PK"):
        return read_workbook(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return csv_import.read_csv(path, kind)
    raise InputError(f"{path.name}: unsupported file type", "import .xlsx or .csv files")


class ImportService:
    def __init__(self, db: Database, inventory: InventoryService, actor: str) -> None:
        self.db = db
        self.inventory = inventory
        self.actor = actor

    def run(self, path: Path, *, dry_run: bool = False, skip_invalid: bool = False,
            kind: str | None = None) -> ImportReport:
        data = read_file(path, kind)
        report = ImportReport(path.name, _sha256(path), dry_run)
        for sheet in data.sheets:
            if sheet.ignored:
                report.warnings.append(f"{sheet.sheet}: ignored unknown column(s) "
                                       + ", ".join(repr(h) for h in sheet.ignored))
        fatal = [p for p in data.problems if p.row in (None, 1)]
        if fatal:
            report.errors = data.problems
            raise ImportFailed(report)
        bad_rows = {(p.sheet, p.row) for p in data.problems}
        report.errors.extend(data.problems)
        batches = _validate(data.sheets, report, bad_rows, self.inventory.known)
        if report.errors and not skip_invalid:
            raise ImportFailed(report)
        try:
            with self.db.session() as session:
                self._apply(session, batches, report, savepoints=skip_invalid)
                if report.errors and not skip_invalid:
                    raise ImportFailed(report)
                if dry_run:
                    session.rollback()
                    raise _RollBack
                audit.record(session, actor=self.actor, action=AuditAction.IMPORT,
                             entity_kind="import", entity_id=None, label=path.name,
                             after={"file": path.name, "sha256": report.sha256,
                                    "created": report.created, "updated": report.updated,
                                    "skipped_rows": report.skipped_rows})
        except _RollBack:
            return report
        report.committed = True
        return report

    def _apply(self, session: Session, batches: list[tuple[SheetRows, list[tuple[int, dict[str,
               Any]]]]], report: ImportReport, *, savepoints: bool) -> None:
        self._known: dict[str, dict[str, int]] = {}
        self._pending_chains: dict[str, list[tuple[str, str | None]]] = {}
        for sheet, rows in batches:
            if sheet.entity in _NAMED:
                model = _NAMED[sheet.entity]
                self._known[sheet.entity] = dict(session.execute(select(model.name, model.id)).all())
            for row_number, values in rows:
                try:
                    if savepoints:
                        with session.begin_nested():
                            self._upsert(session, sheet.entity, values, report)
                    else:
                        self._upsert(session, sheet.entity, values, report)
                except InputError as exc:
                    report.errors.append(RowProblem(sheet.sheet, row_number,
                                                    _column_of(sheet, exc, values), exc.message))
                    report.skipped_rows += 1
                    if not savepoints:
                        return
            if (sheet.entity == "vendor" and SUBCONTRACTORS in sheet.columns
                    and not self._chains(session, sheet, rows, report, savepoints=savepoints)):
                return

    def _chains(self, session: Session, sheet: SheetRows,
                rows: list[tuple[int, dict[str, Any]]], report: ImportReport, *,
                savepoints: bool) -> bool:
        """Set subcontracting chains once every vendor of the sheet exists."""
        for row_number, values in rows:
            chain = self._pending_chains.pop(values.get("name", ""), None)
            if chain is None:
                continue
            vendor = session.execute(select(Vendor).where(Vendor.name == values["name"])).scalar()
            if vendor is None:
                continue
            current = [(s.subcontractor.name, s.service) for s in vendor.subcontractors]
            if current == chain:
                continue
            try:
                if savepoints:
                    with session.begin_nested():
                        self.inventory.set_subcontractors_in(session, vendor, chain)
                else:
                    self.inventory.set_subcontractors_in(session, vendor, chain)
            except InputError as exc:
                report.errors.append(RowProblem(sheet.sheet, row_number,
                                                sheet.columns[SUBCONTRACTORS], exc.message))
                report.skipped_rows += 1
                if not savepoints:
                    return False
            else:
                report.count(report.updated, "subcontracting_chain")
        return True

    def _upsert(self, session: Session, entity: str, values: dict[str, Any],
                report: ImportReport) -> None:
        row_id = values.pop("id", None)
        if SUBCONTRACTORS in values:
            self._pending_chains[values["name"]] = values.pop(SUBCONTRACTORS)
        if entity in _NAMED:
            known = self._known[entity].get(values["name"])
            existing = session.get(_NAMED[entity], known) if known is not None else None
        else:
            existing = _existing(session, entity, values, row_id)
        if existing is None:
            obj = self.inventory.create_in(session, entity, values)
            if entity in _NAMED:
                self._known[entity][obj.name] = obj.id
            report.count(report.created, entity)
            return
        before = _RECORD[entity](existing)
        after = self.inventory.update_in(session, entity, existing, values)
        _, changed = audit.changed_only(before, after)
        report.count(report.updated if changed else report.unchanged, entity)


def _validate(sheets: list[SheetRows], report: ImportReport,
              bad_rows: set[tuple[str, int | None]], known: fields.KnownIds
              ) -> list[tuple[SheetRows, list[tuple[int, dict[str, Any]]]]]:
    """Clean every row (collecting every problem) and catch duplicate keys within the file."""
    order = {e: i for i, e in enumerate(ENTITY_ORDER)}
    batches = []
    for sheet in sorted(sheets, key=lambda s: order[s.entity]):
        good: list[tuple[int, dict[str, Any]]] = []
        seen: dict[Any, int] = {}
        for row_number, raw in sheet.rows:
            if (sheet.sheet, row_number) in bad_rows:
                report.skipped_rows += 1
                continue
            row_id = raw.pop("id", None)
            chain = raw.pop(SUBCONTRACTORS, None)
            try:
                values = fields.clean(sheet.entity, raw, known=known)
            except fields.ValidationError as exc:
                report.errors.extend(RowProblem(sheet.sheet, row_number,
                                                sheet.columns.get(p.field, p.field), p.message)
                                     for p in exc.problems)
                report.skipped_rows += 1
                continue
            key = _key(sheet.entity, values, row_id)
            if key in seen:
                report.errors.append(RowProblem(sheet.sheet, row_number, None,
                                                f"same record as row {seen[key]}"))
                report.skipped_rows += 1
                continue
            seen[key] = row_number
            if row_id is not None:
                values["id"] = row_id
            if SUBCONTRACTORS in sheet.columns:
                values[SUBCONTRACTORS] = parse_chain(chain)
            good.append((row_number, values))
        batches.append((sheet, good))
    return batches


def _key(entity: str, values: Mapping[str, Any], row_id: Any) -> Any:
    if entity in ("client", "vendor", "domain"):
        return values["name"].lower() if entity != "domain" else values["name"]
    if entity == "contract":
        return (values["vendor"], values["reference"])
    if row_id not in (None, ""):
        return ("id", str(row_id))
    return (values["vendor"], values["cert_type"], values.get("issued"), values.get("valid_until"))


def _existing(session: Session, entity: str, values: Mapping[str, Any], row_id: Any) -> Any:
    if entity == "client":
        return session.execute(select(Client).where(Client.name == values["name"])).scalar()
    if entity == "vendor":
        return session.execute(select(Vendor).where(Vendor.name == values["name"])).scalar()
    if entity == "domain":
        return session.execute(select(Domain).where(Domain.name == values["name"])).scalar()
    vendor = session.execute(select(Vendor).where(Vendor.name == values["vendor"])).scalar()
    if vendor is None:
        raise NotFoundError(f"no vendor {values['vendor']!r}")
    if entity == "contract":
        return session.execute(select(Contract).where(
            Contract.vendor_id == vendor.id, Contract.reference == values["reference"])).scalar()
    if row_id not in (None, ""):
        cert = session.get(Certification, _int(row_id))
        if cert is not None and cert.vendor_id == vendor.id:
            return cert
    return session.execute(select(Certification).where(
        Certification.vendor_id == vendor.id, Certification.cert_type == values["cert_type"],
        Certification.issued == values.get("issued"),
        Certification.valid_until == values.get("valid_until")).limit(1)).scalar()


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputError(f"ID must be a whole number, got {value!r}") from None


def _column_of(sheet: SheetRows, exc: InputError, values: Mapping[str, Any]) -> str | None:
    """The column a service-level error is about: the reference it could not resolve."""
    quoted = re.findall(r"'([^']*)'", exc.message)
    for name, header in sheet.columns.items():
        value = values.get(name)
        items = value if isinstance(value, list) else [value]
        if quoted and any(str(v) == quoted[0] for v in items if v is not None):
            return header
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
