"""A client's functions (DORA B_06.01): add, list, edit and remove them, validated by the
shared field rules and audited in one transaction, for the CLI and the TUI alike.

A function is identified by its client and identifier (``F1``). The contracts that support it
are the client's contracts whose ``supported_function`` names it (by identifier or name);
setting ``contracts`` points exactly those at the function's identifier.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.errors import InputError, NotFoundError
from vendorrisk.portfolio import fields
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import find
from vendorrisk.store.models import Client, DoraFunction
from vendorrisk.store.records import contract_record
from vendorrisk.views.dora import (
    client_contracts,
    function_names,
    function_record,
    function_records,
)
from vendorrisk.vocab import AuditAction

ENTITY = "dora_function"


class FunctionService:
    """Use cases on one client's B_06.01 functions."""

    def __init__(self, db: Database, actor: str,
                 on_change: Callable[[str], None] | None = None) -> None:
        self.db = db
        self.actor = actor
        self.on_change = on_change

    def _changed(self, what: str) -> None:
        if self.on_change is not None:
            self.on_change(what)

    def list(self, client: str) -> list[dict[str, Any]]:
        with self.db.session(readonly=True) as session:
            return function_records(session, find(session, "client", client).id)

    def get(self, client: str, identifier: str) -> dict[str, Any]:
        with self.db.session(readonly=True) as session:
            return function_record(session, _find(session, client, identifier))

    def create(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        values = fields.clean(ENTITY, raw)
        with self.db.session() as session:
            owner = find(session, "client", values.pop("client"))
            refs = values.pop("contracts", None)
            _check_free(session, owner, values["identifier"])
            fn = DoraFunction(client=owner, **values)
            session.add(fn)
            session.flush()
            if refs is not None:
                self._link(session, fn, refs, set())
            record = function_record(session, fn)
            audit.record(session, actor=self.actor, action=AuditAction.CREATE,
                         entity_kind=ENTITY, entity_id=fn.id, label=_label(fn), after=record)
        self._changed("function added")
        return record

    def update(self, client: str, identifier: str, raw: Mapping[str, Any]) -> dict[str, Any]:
        values = fields.clean(ENTITY, raw, partial=True)
        values.pop("client", None)  # a function stays with its client
        if not values:
            raise InputError(f"nothing to change for function {identifier!r} of {client!r}")
        with self.db.session() as session:
            fn = _find(session, client, identifier)
            before = function_record(session, fn)
            old_names = function_names(fn)
            given = "contracts" in values
            refs = values.pop("contracts", None) or []  # an empty value unlinks them all
            if "identifier" in values and values["identifier"] != fn.identifier:
                _check_free(session, fn.client, values["identifier"])
            for name, value in values.items():
                setattr(fn, name, value)
            session.flush()
            wanted = refs if given else before["contracts"]
            self._link(session, fn, wanted, old_names)
            after = function_record(session, fn)
            old, new = audit.changed_only(before, after)
            if new:
                audit.record(session, actor=self.actor, action=AuditAction.UPDATE,
                             entity_kind=ENTITY, entity_id=fn.id, label=_label(fn),
                             before=old, after=new)
        self._changed("function edited")
        return after

    def delete(self, client: str, identifier: str) -> dict[str, Any]:
        """Contracts keep their ``supported_function`` text: the register then names the
        function again, as one to record."""
        with self.db.session() as session:
            fn = _find(session, client, identifier)
            before = function_record(session, fn)
            audit.record(session, actor=self.actor, action=AuditAction.DELETE,
                         entity_kind=ENTITY, entity_id=fn.id, label=_label(fn), before=before)
            session.delete(fn)
        self._changed("function removed")
        return before

    def _link(self, session: Session, fn: DoraFunction, refs: Sequence[str],
              old_names: set[str]) -> None:
        """Point exactly the contracts ``refs`` (the client's own) at ``fn``."""
        contracts = client_contracts(session, fn.client_id)
        by_ref = {c.reference: c for c in contracts} | {str(c.id): c for c in contracts}
        unknown = [r for r in refs if r not in by_ref]
        if unknown:
            raise InputError(f"client {fn.client.name!r} has no contract {', '.join(unknown)}",
                             "name the client's own contracts by reference "
                             f"(`vendorrisk contract list --client {fn.client.name!r}`)")
        chosen = {by_ref[r].id for r in refs}
        names = old_names | function_names(fn)
        for c in contracts:
            linked = bool(c.supported_function) and str(c.supported_function).lower() in names
            target = fn.identifier if c.id in chosen else (None if linked else
                                                           c.supported_function)
            if target != c.supported_function:
                before = contract_record(c)
                c.supported_function = target
                session.flush()
                old, new = audit.changed_only(before, contract_record(c))
                audit.record(session, actor=self.actor, action=AuditAction.UPDATE,
                             entity_kind="contract", entity_id=c.id,
                             label=f"{c.vendor.name} {c.reference}", before=old, after=new)


def _label(fn: DoraFunction) -> str:
    return f"{fn.client.name} {fn.identifier}"


def _find(session: Session, client: str, identifier: str) -> DoraFunction:
    owner = find(session, "client", client)
    fn = session.execute(select(DoraFunction).where(
        DoraFunction.client_id == owner.id,
        DoraFunction.identifier == str(identifier).strip())).scalar_one_or_none()
    if fn is None:
        raise NotFoundError(f"client {owner.name!r} has no function {identifier!r}",
                            f"`vendorrisk function list --client {owner.name!r}` lists them")
    return fn


def _check_free(session: Session, owner: Client, identifier: str) -> None:
    taken = session.execute(select(DoraFunction.id).where(
        DoraFunction.client_id == owner.id, DoraFunction.identifier == identifier)).first()
    if taken is not None:
        raise InputError(f"client {owner.name!r} already has function {identifier!r}")
