"""What belongs to one client: the one scoping rule every per-client output uses.

A client's scope holds its domains; the vendors serving it (registrar or DNS provider of one
of its domains, or party to a contract with it); its own contracts and the MSP-wide contracts
of those vendors; and the findings of those subjects that are not about another client. A
vendor shared by several clients brings its vendor-level facts only (certifications,
questionnaires, vendor findings with no client), never another client's domains, contract
terms or findings. The workbook, the DORA register, the evidence pack, the TUI's client
switcher, ``findings list --client`` and ``changes --client`` all take a :class:`ClientScope`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from vendorrisk.findings.codes import SubjectKind
from vendorrisk.store.lookup import find
from vendorrisk.store.models import Contract, Domain, FindingRow, domain_dns_provider


@dataclass(frozen=True)
class ClientScope:
    """One client and everything its outputs may hold."""

    client_id: int
    name: str
    vendor_ids: frozenset[int]
    domain_ids: frozenset[int]
    contract_ids: frozenset[int]
    """Its own contracts and the MSP-wide contracts of its vendors."""

    def findings(self) -> ColumnElement[bool]:
        """The findings this client's outputs hold, as a SQL condition: its domains'; and
        vendor and contract findings of its vendors and contracts that are about no other
        client."""
        about_client = FindingRow.client_id.is_(None) | (FindingRow.client_id == self.client_id)
        return or_(
            and_(FindingRow.subject_kind == SubjectKind.DOMAIN, FindingRow.domain_id.in_(
                select(Domain.id).where(Domain.client_id == self.client_id))),
            and_(about_client, FindingRow.subject_kind == SubjectKind.VENDOR,
                 FindingRow.vendor_id.in_(self.vendor_ids)),
            and_(about_client, FindingRow.subject_kind == SubjectKind.CONTRACT,
                 FindingRow.contract_id.in_(self.contracts())))

    def contracts(self) -> Select[Any]:
        """Its own contracts and the MSP-wide contracts of its vendors, as a subquery."""
        return _contracts(self.client_id, self.vendor_ids)


def _contracts(client_id: int, vendor_ids: frozenset[int]) -> Select[Any]:
    return select(Contract.id).where((Contract.client_id == client_id) | (
        Contract.client_id.is_(None) & Contract.vendor_id.in_(vendor_ids)))


def vendors_serving(session: Session) -> dict[int, set[int]]:
    """client id → ids of the vendors serving it (registrar, DNS provider or contract)."""
    serving: dict[int, set[int]] = defaultdict(set)
    for cid, vid in session.execute(select(Domain.client_id, Domain.registrar_id).where(
            Domain.registrar_id.is_not(None)).distinct()):
        if vid is not None:
            serving[cid].add(vid)
    for cid, vid in session.execute(select(Domain.client_id, domain_dns_provider.c.vendor_id).join(
            Domain, Domain.id == domain_dns_provider.c.domain_id).distinct()):
        serving[cid].add(vid)
    for owner, vid in session.execute(select(Contract.client_id, Contract.vendor_id).where(
            Contract.client_id.is_not(None))):
        if owner is not None:
            serving[owner].add(vid)
    return serving


def scope_of(session: Session, client_id: int, name: str,
             serving: dict[int, set[int]] | None = None) -> ClientScope:
    vendors = frozenset((serving if serving is not None else vendors_serving(session))
                        .get(client_id, set()))
    domains = frozenset(session.execute(select(Domain.id).where(
        Domain.client_id == client_id)).scalars())
    contracts = frozenset(session.execute(_contracts(client_id, vendors)).scalars())
    return ClientScope(client_id, name, vendors, domains, contracts)


def client_scope(session: Session, client: str | None) -> ClientScope | None:
    """The scope of the client named (``NotFoundError`` if there is none); ``None`` = all."""
    if not client:
        return None
    obj = find(session, "client", client)
    return scope_of(session, obj.id, obj.name)
