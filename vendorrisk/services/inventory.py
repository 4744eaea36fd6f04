"""Create, read, update and delete inventory records, validated and audited in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendorrisk.errors import InputError
from vendorrisk.io.chain import parse_chain
from vendorrisk.portfolio import fields
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import ENTITIES, KINDS, find, list_domains, list_query
from vendorrisk.store.models import (
    Contract,
    Domain,
    Vendor,
    VendorSubcontractor,
)
from vendorrisk.store.records import (
    vendor_record,
)
from vendorrisk.vocab import AuditAction


class InventoryService:
    """Use cases on clients, vendors, domains, contracts and certifications."""

    def __init__(self, db: Database, actor: str,
                 on_change: Callable[[str], None] | None = None,
                 known: fields.KnownIds = fields.SHIPPED_IDS) -> None:
        self.db = db
        self.actor = actor
        self.on_change = on_change
        """Called after each committed change (the facade recomputes scores)."""
        self.known = known
        """The valid clause ids and catalog keys (the catalogs the settings name)."""

    def _changed(self, what: str) -> None:
        if self.on_change is not None:
            self.on_change(what)

    # -- public API -------------------------------------------------------------------------
    def create(self, entity: str, raw: Mapping[str, Any]) -> dict[str, Any]:
        values = fields.clean(_entity(entity), raw, known=self.known)
        with self.db.session() as session:
            record = KINDS[entity].to_record(self.create_in(session, entity, values))
        self._changed(f"{entity} added")
        return record

    def create_many(self, entity: str, rows: Sequence[Mapping[str, Any]]) -> int:
        """Create many records in one transaction: all or nothing. Returns how many."""
        cleaned = [fields.clean(_entity(entity), raw, known=self.known) for raw in rows]
        with self.db.session() as session:
            for values in cleaned:
                self.create_in(session, entity, values)
        self._changed(f"{len(cleaned)} {entity} records added")
        return len(cleaned)

    def create_in(self, session: Session, entity: str, values: Mapping[str, Any]) -> Any:
        """Create from already-cleaned values inside the caller's transaction (imports, demo)."""
        kind = KINDS[entity]
        _check_unique(session, entity, values)
        obj = kind.model()
        with session.no_autoflush:
            _assign(session, entity, obj, values)
            session.add(obj)
        session.flush()
        audit.record(session, actor=self.actor, action=AuditAction.CREATE, entity_kind=entity,
                     entity_id=obj.id, label=kind.label(obj), after=kind.to_record(obj))
        return obj

    def update(self, entity: str, key: str, raw: Mapping[str, Any]) -> dict[str, Any]:
        values = fields.clean(_entity(entity), raw, partial=True, known=self.known)
        if not values:
            raise InputError(f"nothing to change for {entity} {key!r}")
        with self.db.session() as session:
            record = self.update_in(session, entity, find(session, entity, key), values)
        self._changed(f"{entity} edited")
        return record

    def update_in(self, session: Session, entity: str, obj: Any,
                  values: Mapping[str, Any]) -> dict[str, Any]:
        kind = KINDS[entity]
        before = kind.to_record(obj)
        _check_unique(session, entity, values, current=obj)
        _assign(session, entity, obj, values)
        session.flush()
        after = kind.to_record(obj)
        old, new = audit.changed_only(before, after)
        if new:
            audit.record(session, actor=self.actor, action=AuditAction.UPDATE, entity_kind=entity,
                         entity_id=obj.id, label=kind.label(obj), before=old, after=new)
        return after

    def delete(self, entity: str, key: str) -> dict[str, Any]:
        with self.db.session() as session:
            obj = find(session, _entity(entity), key)
            kind = KINDS[entity]
            _check_deletable(session, entity, obj)
            before = kind.to_record(obj)
            audit.record(session, actor=self.actor, action=AuditAction.DELETE, entity_kind=entity,
                         entity_id=obj.id, label=kind.label(obj), before=before)
            session.delete(obj)
        self._changed(f"{entity} removed")
        return before

    def get(self, entity: str, key: str) -> dict[str, Any]:
        with self.db.session(readonly=True) as session:
            return KINDS[entity].to_record(find(session, _entity(entity), key))

    def list(self, entity: str, *, client: str | None = None,
             vendor: str | None = None) -> list[dict[str, Any]]:
        with self.db.session(readonly=True) as session:
            if entity == "domain":
                return list_domains(session, client=client, vendor=vendor)
            query = list_query(session, _entity(entity), client=client, vendor=vendor)
            to_record = KINDS[entity].to_record
            return [to_record(obj) for obj in session.execute(query).scalars()]

    def set_subcontracting_chain(self, vendor: str, text: str) -> dict[str, Any]:
        """Replace the chain from its text form (``1. Akamai (anycast); 2. Equinix``, as the
        workbook writes it); returns the vendor's record."""
        self.set_subcontractors(vendor, parse_chain(text))
        return self.get("vendor", vendor)

    def set_subcontractors(self, vendor: str, chain: Sequence[tuple[str, str | None]]) -> None:
        """Replace a vendor's ranked subcontracting chain: [(subcontractor name, service), ...]."""
        with self.db.session() as session:
            self.set_subcontractors_in(session, find(session, "vendor", vendor), chain)
        self._changed("subcontractors changed")

    def set_subcontractors_in(self, session: Session, obj: Vendor,
                              chain: Sequence[tuple[str, str | None]]) -> None:
        names = [name for name, _ in chain]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise InputError(f"subcontracting chain of {obj.name!r} names {', '.join(twice)} twice")
        before = vendor_record(obj)
        obj.subcontractors.clear()
        session.flush()
        for rank, (name, service) in enumerate(chain, start=1):
            sub = find(session, "vendor", name)
            if sub.id == obj.id:
                raise InputError(f"vendor {obj.name!r} cannot be its own subcontractor")
            cycle = _path_to(sub, obj)
            if cycle:
                raise InputError(f"subcontracting cycle: {' -> '.join([obj.name, *cycle])}",
                                 f"{sub.name!r} already subcontracts to {obj.name!r} "
                                 "down its own chain")
            obj.subcontractors.append(VendorSubcontractor(subcontractor=sub, rank=rank,
                                                          service=service))
        session.flush()
        old, new = audit.changed_only(before, vendor_record(obj))
        if new:
            audit.record(session, actor=self.actor, action=AuditAction.UPDATE, entity_kind="vendor",
                         entity_id=obj.id, label=obj.name, before=old, after=new)


def _path_to(start: Vendor, target: Vendor) -> list[str]:
    """The names from ``start`` down its subcontractors to ``target`` (empty: none)."""
    todo: list[tuple[Vendor, list[str]]] = [(start, [start.name])]
    seen: set[int] = set()
    while todo:
        vendor, path = todo.pop()
        if vendor.id == target.id:
            return path
        if vendor.id not in seen:
            seen.add(vendor.id)
            todo += [(link.subcontractor, [*path, link.subcontractor.name])
                     for link in vendor.subcontractors]
    return []


def _entity(entity: str) -> str:
    if entity not in KINDS:
        raise InputError(f"unknown kind of record {entity!r} (valid: {', '.join(ENTITIES)})")
    return entity


def _assign(session: Session, entity: str, obj: Any, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if entity == "domain" and name == "client":
            obj.client = find(session, "client", value)
        elif entity == "domain" and name == "registrar":
            obj.registrar = find(session, "vendor", value) if value else None
        elif entity == "domain" and name == "dns_providers":
            obj.dns_providers = [find(session, "vendor", v) for v in value]
        elif name == "vendor":
            obj.vendor = find(session, "vendor", value)
        elif name == "client":
            obj.client = find(session, "client", value) if value else None
        else:
            setattr(obj, name, value)
    _apply_defaults(entity, obj)


def _apply_defaults(entity: str, obj: Any) -> None:
    if entity == "vendor":
        obj.tier = obj.tier or 2
        obj.status = obj.status or "active"
        for attr in ("data_locations", "processing_locations"):
            if getattr(obj, attr) is None:
                setattr(obj, attr, [])
        obj.contacts = obj.contacts or {}
    if entity == "client" and obj.regimes is None:
        obj.regimes = []
    if entity == "domain":
        obj.criticality = obj.criticality or "normal"
    if entity == "contract":
        obj.contract_type = obj.contract_type or "standalone"
        obj.auto_renew = bool(obj.auto_renew)
        obj.clauses = obj.clauses or []
        obj.document_refs = obj.document_refs or []


def _check_unique(session: Session, entity: str, values: Mapping[str, Any],
                  current: Any = None) -> None:
    if entity in ("client", "vendor", "domain") and "name" in values:
        model = KINDS[entity].model
        existing = session.execute(
            select(model).where(model.name == values["name"])
        ).scalar_one_or_none()
        if existing is not None and existing is not current:
            owner = f" (client {existing.client.name})" if entity == "domain" else ""
            raise InputError(f"{entity} {values['name']!r} already exists{owner}")
    if entity == "contract" and ("reference" in values or "vendor" in values):
        vendor_name = values.get("vendor") or (current.vendor.name if current else None)
        reference = values.get("reference") or (current.reference if current else None)
        vendor = find(session, "vendor", vendor_name) if vendor_name else None
        if vendor is not None:
            existing = session.execute(select(Contract).where(
                Contract.vendor_id == vendor.id, Contract.reference == reference)
            ).scalar_one_or_none()
            if existing is not None and existing is not current:
                raise InputError(f"vendor {vendor.name!r} already has contract {reference!r}")


def _check_deletable(session: Session, entity: str, obj: Any) -> None:
    blockers: list[str] = []
    if entity == "client":
        blockers += _count(session, Domain, Domain.client_id == obj.id, "domain")
        blockers += _count(session, Contract, Contract.client_id == obj.id, "contract")
    elif entity == "vendor":
        blockers += _count(session, Domain, Domain.registrar_id == obj.id, "domain (as registrar)")
        blockers += _count(session, Domain, Domain.dns_providers.any(Vendor.id == obj.id),
                           "domain (as DNS provider)")
        blockers += _count(session, Contract, Contract.vendor_id == obj.id, "contract")
        blockers += _count(session, VendorSubcontractor,
                           VendorSubcontractor.subcontractor_id == obj.id,
                           "vendor chain (as subcontractor)")
    if blockers:
        raise InputError(f"cannot remove {entity} {KINDS[entity].label(obj)!r}: still referenced "
                         f"by {', '.join(blockers)}",
                         "remove or reassign those first" + (
                             "; or set its status to retired" if entity == "vendor" else ""))


def _count(session: Session, model: Any, condition: Any, noun: str) -> list[str]:
    n = session.execute(select(func.count()).select_from(model).where(condition)).scalar_one()
    return [f"{n} {noun}{'s' if n != 1 and not noun.endswith(')') else ''}"] if n else []
