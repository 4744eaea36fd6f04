"""One client's DORA register and readiness as read models: the records the register is built
from, the workbook's "DORA readiness" rows, and the TUI's DORA screen.

Only the client's own contracts are its arrangements; the vendors read are those contracts'
providers and, down their trees, their subcontractors (within what
:mod:`vendorrisk.store.scope` allows a per-client output), so one client's register or
readiness never holds another client's records.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from vendorrisk.io import dora_register, dora_validate
from vendorrisk.io.dora_readiness import Readiness, readiness
from vendorrisk.portfolio.fields import ENTITY_FIELDS
from vendorrisk.store.audit import jsonable_record
from vendorrisk.store.models import Client, Contract, DoraFunction
from vendorrisk.store.records import client_record, contract_record, vendor_record
from vendorrisk.store.scope import ClientScope
from vendorrisk.views.dto import Cell, Detail, Row, Section, Table

_TONE = {"blocking": "critical", "warning": "medium", "missing": "low"}
_FUNCTION_COLUMNS = tuple(s.name for s in ENTITY_FIELDS["dora_function"]
                          if s.name not in ("client", "contracts"))


def function_names(fn: DoraFunction) -> set[str]:
    """What a contract's ``supported_function`` may say to name ``fn``, lower case."""
    return {fn.identifier.lower(), fn.name.lower()}


def client_contracts(session: Session, client_id: int) -> list[Contract]:
    return list(session.execute(select(Contract).where(Contract.client_id == client_id)
                                .order_by(Contract.id)).scalars())


def function_record(session: Session, fn: DoraFunction) -> dict[str, Any]:
    """A function's record, with the references of the client's contracts that support it."""
    names = function_names(fn)
    out: dict[str, Any] = {"id": fn.id, "client": fn.client.name}
    out.update({name: getattr(fn, name) for name in _FUNCTION_COLUMNS})
    out["contracts"] = [c.reference for c in client_contracts(session, fn.client_id)
                        if c.supported_function and c.supported_function.lower() in names]
    return jsonable_record(out)


def function_records(session: Session, client_id: int) -> list[dict[str, Any]]:
    return [function_record(session, fn) for fn in session.execute(
        select(DoraFunction).where(DoraFunction.client_id == client_id)
        .order_by(DoraFunction.identifier)).scalars()]


def client_register(session: Session, scope: ClientScope,
                    today: date) -> dora_register.Register:
    """The register of the client of ``scope``, from its own records only."""
    owner = session.get(Client, scope.client_id)
    assert owner is not None
    own = list(session.execute(
        select(Contract).options(selectinload(Contract.vendor))
        .where(Contract.client_id == scope.client_id).order_by(Contract.id)).scalars())
    vendors: dict[str, dict[str, Any]] = {}
    todo = [c.vendor for c in own]
    while todo:  # the contracts' providers and every subcontractor down their trees
        vendor = todo.pop()
        if vendor.name not in vendors:
            vendors[vendor.name] = vendor_record(vendor)
            todo += [link.subcontractor for link in vendor.subcontractors]
    functions = [jsonable_record({c.name: getattr(f, c.name)
                                  for c in DoraFunction.__table__.columns})
                 for f in session.execute(select(DoraFunction).where(
                     DoraFunction.client_id == scope.client_id)
                     .order_by(DoraFunction.identifier)).scalars()]
    return dora_register.build_register(client_record(owner), [contract_record(c) for c in own],
                                        vendors, today, functions=functions)


def client_readiness(session: Session, scope: ClientScope, today: date) -> Readiness:
    register = client_register(session, scope, today)
    return readiness(register, dora_validate.validate(register))


def under_dora(session: Session, client_id: int) -> bool:
    owner = session.get(Client, client_id)
    return owner is not None and "dora" in (owner.regimes or [])


def readiness_rows(session: Session, scope: ClientScope, today: date) -> list[dict[str, Any]]:
    """The workbook's "DORA readiness" sheet: each template's status, then each gap."""
    found = client_readiness(session, scope, today)
    rows: list[dict[str, Any]] = [{"template": t.template, "status": t.status,
                                   "record": t.title} for t in found.templates]
    rows += [{**g.to_json(), "status": g.severity} for g in found.gaps]
    return rows


def readiness_detail(found: Readiness, functions: list[dict[str, Any]], *,
                     regulated: bool = True) -> Detail:
    """The TUI's DORA screen: templates, cells to fill (with command and screen), functions.
    ``regulated``: the client has the ``dora`` regime."""
    blocking = sum(g.severity == "blocking" for g in found.gaps)
    short = "ready to file" if found.ready else f"{blocking} blocking"
    verdict = ("a supervisor would accept the package" if found.ready else
               f"{blocking} blocking: `export --dora-register` refuses it without --draft")
    lines = (verdict,) if regulated else (
        verdict, f"{found.client} has no dora regime: add it if the client must file")
    templates = Table("Templates", ("Template", "Status", "Rows", "Title"), tuple(
        Row(t.template, (Cell(t.template),
                         Cell(t.status, "ok" if t.status == "complete" else
                              "critical" if t.blocking else "muted" if not t.rows
                              else "medium"),
                         Cell(str(t.rows), sort=t.rows), Cell(t.title)))
        for t in found.templates))
    gaps = Table("To fill", ("Severity", "Cell", "Row", "Record", "What", "Command", "Screen"),
                 tuple(Row(str(i), (Cell(g.severity, _TONE[g.severity]), Cell(g.cell),
                                    Cell(str(g.row), sort=g.row), Cell(g.record), Cell(g.what),
                                    Cell(g.where), Cell(g.screen)))
                       for i, g in enumerate(found.gaps)),
                 note="Each cell with the command that fills it and the screen with its form",
                 empty="Nothing to fill.")
    funcs = Table("Functions", ("Identifier", "Name", "Critical", "RTO h", "RPO h",
                                "Contracts"), tuple(
        Row(str(f["identifier"]), (Cell(str(f["identifier"])), Cell(str(f["name"])),
                                   Cell(str(f.get("criticality") or "-")),
                                   Cell(_num(f.get("rto_hours")), sort=f.get("rto_hours") or -1),
                                   Cell(_num(f.get("rpo_hours")), sort=f.get("rpo_hours") or -1),
                                   Cell(", ".join(f.get("contracts") or []) or "-")))
        for f in functions),
        note="n adds a function, E or Enter edits the one under the cursor",
        empty="No function recorded: the register numbers the contracts' supported functions.")
    return Detail(found.client, f"DORA readiness — {found.client}", short, (
        Section("Templates", lines, templates),
        Section(f"To fill ({len(found.gaps)})", (), gaps),
        Section(f"Functions ({len(functions)})", (), funcs)))


def _num(value: Any) -> str:
    return "-" if value is None else str(value)
