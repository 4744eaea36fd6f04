"""Inventory rows by their natural keys, and their JSON-able records: what every use case and
read model needs to turn a name a person typed into a row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from vendorrisk.errors import InputError, NotFoundError
from vendorrisk.names import normalise_domain, to_unicode
from vendorrisk.store.models import (
    Certification,
    Client,
    Contract,
    Domain,
    Vendor,
    VendorSubcontractor,
    domain_dns_provider,
)
from vendorrisk.store.records import (
    certification_record,
    client_record,
    contract_record,
    domain_record,
    vendor_record,
)

ENTITIES = ("client", "vendor", "domain", "contract", "certification")


@dataclass(frozen=True)
class Kind:
    model: type[Any]
    to_record: Callable[[Any], dict[str, Any]]
    label: Callable[[Any], str]


KINDS: dict[str, Kind] = {
    "client": Kind(Client, client_record, lambda o: o.name),
    "vendor": Kind(Vendor, vendor_record, lambda o: o.name),
    "domain": Kind(Domain, domain_record, lambda o: o.name),
    "contract": Kind(Contract, contract_record, lambda o: f"{o.vendor.name} {o.reference}"),
    "certification": Kind(Certification, certification_record,
                           lambda o: f"{o.vendor.name} {o.cert_type}"),
}


def record_of(entity: str, obj: Any) -> dict[str, Any]:
    """The JSON-able record of an inventory object (what the CLI prints and audits store)."""
    return KINDS[entity].to_record(obj)


def find(session: Session, entity: str, key: str) -> Any:
    """Look a record up by its natural key (name; for domains any IDN form; id for the rest)."""
    model = KINDS[entity].model
    key = str(key).strip()
    if entity in ("client", "vendor"):
        obj = session.execute(select(model).where(model.name == key)).scalar_one_or_none()
        if obj is None and key.isdigit():
            obj = session.get(model, int(key))
    elif entity == "domain":
        obj = session.execute(
            select(Domain).where(Domain.name == normalise_domain(key))
        ).scalar_one_or_none() if not key.isdigit() else session.get(Domain, int(key))
    else:
        obj = _find_by_id_or_reference(session, entity, key)
    if obj is None:
        raise NotFoundError(f"no {entity} {key!r}")
    return obj


def _find_by_id_or_reference(session: Session, entity: str, key: str) -> Any:
    model = KINDS[entity].model
    if key.isdigit():
        return session.get(model, int(key))
    if entity == "contract":
        matches = session.execute(select(Contract).where(Contract.reference == key)).scalars().all()
        if len(matches) > 1:
            raise InputError(f"contract reference {key!r} is used by several vendors; use its id")
        return matches[0] if matches else None
    return None


def list_query(session: Session, entity: str, *, client: str | None, vendor: str | None) -> Any:
    model = KINDS[entity].model
    query = select(model)
    if entity == "vendor":
        query = query.options(
            selectinload(Vendor.subcontractors).selectinload(VendorSubcontractor.subcontractor)
        ).order_by(Vendor.name)
    elif entity == "client":
        query = query.order_by(Client.name)
    else:
        query = query.options(selectinload(model.vendor)).order_by(model.id)
        if entity == "contract":
            query = query.options(selectinload(Contract.client))
            if client:
                query = query.where(Contract.client_id == find(session, "client", client).id)
        if vendor:
            query = query.where(model.vendor_id == find(session, "vendor", vendor).id)
    return query


def list_domains(session: Session, *, client: str | None = None,
                 vendor: str | None = None) -> list[dict[str, Any]]:
    """Domain records without building ORM objects: this listing must stay fast at 10,000+."""
    registrar = aliased(Vendor)
    query = (select(Domain.id, Domain.name, Client.name, registrar.name, Domain.criticality,
                    Domain.notes)
             .join(Client, Domain.client_id == Client.id)
             .outerjoin(registrar, Domain.registrar_id == registrar.id)
             .order_by(Domain.name))
    if client:
        query = query.where(Domain.client_id == find(session, "client", client).id)
    if vendor:
        vid = find(session, "vendor", vendor).id
        query = query.where((Domain.registrar_id == vid)
                            | Domain.id.in_(select(domain_dns_provider.c.domain_id)
                                            .where(domain_dns_provider.c.vendor_id == vid)))
    providers: dict[int, list[str]] = {}
    links = select(domain_dns_provider.c.domain_id, Vendor.name).join(
        Vendor, Vendor.id == domain_dns_provider.c.vendor_id).order_by(Vendor.name)
    for domain_id, name in session.execute(links):
        providers.setdefault(domain_id, []).append(name)
    return [
        {"id": id_, "name": name, "name_unicode": to_unicode(name) if "xn--" in name else name,
         "client": client_name, "registrar": registrar_name,
         "dns_providers": providers.get(id_, []), "criticality": str(criticality),
         "notes": notes}
        for id_, name, client_name, registrar_name, criticality, notes in session.execute(query)
    ]


