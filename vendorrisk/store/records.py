"""ORM rows to JSON-able records (the shape the CLI prints and the audit trail stores)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from vendorrisk.names import to_unicode
from vendorrisk.store.audit import jsonable_record
from vendorrisk.store.models import Certification, Client, Contract, Domain, Vendor

_SKIP = {"created_at", "updated_at"}


def _columns(obj: Any, *, skip: set[str] | None = None) -> dict[str, Any]:
    skip = _SKIP | (skip or set())
    mapper = inspect(obj).mapper
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs if attr.key not in skip}


def client_record(client: Client) -> dict[str, Any]:
    return jsonable_record(_columns(client))


def vendor_record(vendor: Vendor) -> dict[str, Any]:
    out = _columns(vendor)
    out["subcontractors"] = [
        {"name": link.subcontractor.name, "rank": link.rank, "service": link.service}
        for link in vendor.subcontractors
    ]
    return jsonable_record(out)


def domain_record(domain: Domain) -> dict[str, Any]:
    return jsonable_record({
        "id": domain.id,
        "name": domain.name,
        "name_unicode": to_unicode(domain.name),
        "client": domain.client.name,
        "registrar": domain.registrar.name if domain.registrar else None,
        "dns_providers": sorted(v.name for v in domain.dns_providers),
        "criticality": domain.criticality,
        "notes": domain.notes,
    })


def contract_record(contract: Contract) -> dict[str, Any]:
    out = _columns(contract, skip={"vendor_id", "client_id"})
    out["vendor"] = contract.vendor.name
    out["client"] = contract.client.name if contract.client else None
    return jsonable_record(out)


def certification_record(cert: Certification) -> dict[str, Any]:
    out = _columns(cert, skip={"vendor_id"})
    out["vendor"] = cert.vendor.name
    return jsonable_record(out)
