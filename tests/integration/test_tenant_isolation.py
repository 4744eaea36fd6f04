"""Tenants never mix: every per-client output holds that client's data and nothing else.

For every demo client, each output made for it (the procurement workbook, the DORA register
and its readiness, the evidence pack, ``score --client``, ``findings list --client``, ``changes --client``) is
searched, every cell and every file, for any other client's name, domain names and contract
references. The scope itself (``store.scope``) is property-tested on generated portfolios.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, is_dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from vendorrisk.config import Settings
from vendorrisk.services.app import Services, open_services
from vendorrisk.services.demo import load_demo
from vendorrisk.services.findings import FindingQuery
from vendorrisk.store.models import Client, Contract, Domain, FindingRow, Vendor
from vendorrisk.store.scope import client_scope

TODAY = date(2026, 3, 31)
NOW = datetime.combine(TODAY, time(12), UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    path = tmp_path_factory.mktemp("tenants") / "demo.db"
    services = open_services(Settings(db=f"sqlite:///{path}", user="test"))
    load_demo(services, today=TODAY)
    yield services
    services.close()


def _clients(services: Services) -> dict[str, dict[str, set[str]]]:
    """client name → its own names: {"domains": …, "contracts": …}."""
    with services.db.session(readonly=True) as s:
        names = dict(s.execute(select(Client.id, Client.name)).all())
        out: dict[str, dict[str, set[str]]] = {n: {"domains": set(), "contracts": set()}
                                               for n in names.values()}
        for cid, name in s.execute(select(Domain.client_id, Domain.name)):
            out[names[cid]]["domains"].add(name)
        for cid, ref in s.execute(select(Contract.client_id, Contract.reference)):
            if cid is not None:
                out[names[cid]]["contracts"].add(ref)
    return out


def _foreign(owners: dict[str, dict[str, set[str]]], client: str) -> set[str]:
    """Every name that belongs to another client only."""
    mine = owners[client]["domains"] | owners[client]["contracts"] | {client}
    other = {n for c, o in owners.items() if c != client
             for n in (o["domains"] | o["contracts"] | {c})}
    return other - mine


def _texts(value: Any) -> Iterator[str]:
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _texts(v)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _texts(v)
    elif value is not None:
        yield str(value)


def _file_texts(path: Path) -> Iterator[str]:
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file():
                yield from _file_texts(p)
    elif path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                yield from (str(v) for v in row if v is not None)
    elif path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                yield name
                data = z.read(name)
                yield data.decode("utf-8", "replace") if not name.endswith(".xlsx") else ""
    elif path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                yield from row
    else:
        yield path.read_text("utf-8", "replace")


def _leaks(texts: Iterator[str], foreign: set[str]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        found |= {n for n in foreign if n in text}
    return found


def _outputs(services: Services, client: str, out: Path) -> Iterator[tuple[str, Iterator[str]]]:
    wb = services.exports.workbook(out / "book.xlsx", client=client, today=TODAY)
    yield "workbook", _file_texts(wb.path)
    yield "score", _texts([s.to_json() for s in services.scoring.explain(client=client,
                                                                          now=NOW)])
    findings = services.findings.search(FindingQuery(client=client, statuses=()))
    yield "findings list", _texts([f.to_json() for f in findings])
    changes = services.changes.list(since=datetime(2000, 1, 1, tzinfo=UTC), client=client)
    yield "changes", _texts([c.to_json() for c in changes])
    register = services.exports.dora_register(client, out / "dora", today=TODAY, draft=True)
    yield "DORA register", _file_texts(register.directory)
    yield "DORA readiness", _texts(services.dora.readiness(client, TODAY).to_json())
    yield "DORA readiness screen", _texts(services.views.dora(client))
    pack = services.evidence.make(client, TODAY.strftime("%Y-%m"), out / "pack")
    yield "evidence pack", _file_texts(pack.directory)
    yield "evidence zip", _file_texts(pack.zip_path)
    views = services.views
    dashboard = views.dashboard(client)
    for table in (dashboard.clients, dashboard.upcoming, views.vendors(client),
                  views.domains(client), views.findings(client=client, statuses=()),
                  views.contracts(client), views.certifications(client), views.reviews(client)):
        yield f"screen {table.title}", _texts(table)
        written = views.export_view(table, [r.key for r in table.rows], out, client=client)
        yield f"`e` export of {table.title}", _file_texts(written)


def test_no_per_client_output_holds_another_clients_data(demo: Services, tmp_path: Path
                                                          ) -> None:
    owners = _clients(demo)
    assert len(owners) >= 6
    for client in sorted(owners):
        foreign = _foreign(owners, client)
        out = tmp_path / client.replace(" ", "_")
        out.mkdir()
        for output, texts in _outputs(demo, client, out):
            assert _leaks(texts, foreign) == set(), f"{output} for {client}"


def test_a_clients_findings_are_its_scope(demo: Services) -> None:
    """Every finding listed for a client is about its domains, its vendors or its contracts,
    and never about another client."""
    owners = _clients(demo)
    with demo.db.session(readonly=True) as s:
        client_of = {i: n for i, n in s.execute(select(Client.id, Client.name))}
        about = {f.id: client_of.get(f.client_id) for f in s.execute(select(FindingRow)).scalars()}
    for client in owners:
        listed = demo.findings.search(FindingQuery(client=client, statuses=()))
        assert listed
        assert {about[f.id] for f in listed} <= {client, None}
        domains = {f.subject for f in listed if f.subject_kind == "domain"}
        assert domains <= owners[client]["domains"]


# --- the scope on generated portfolios ---------------------------------------------------------

VENDORS = ("RegA", "RegB", "DnsA", "DnsB", "Idle")  # Idle serves nobody through a domain


@st.composite
def inventories(draw: st.DrawFn) -> dict[str, Any]:
    domains = [(f"d{i}.example", draw(st.sampled_from(["A", "B"])),
                draw(st.sampled_from(["RegA", "RegB"])),
                draw(st.lists(st.sampled_from(["DnsA", "DnsB"]), min_size=1, max_size=2,
                              unique=True))) for i in range(draw(st.integers(1, 5)))]
    contracts = [(f"K{i}", draw(st.sampled_from(VENDORS)),
                  draw(st.sampled_from(["A", "B", None])))
                 for i in range(draw(st.integers(0, 5)))]
    return {"domains": domains, "contracts": contracts}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(inventories())
def test_the_scope_holds_a_clients_subjects_and_no_others(tmp_path_factory: Any,
                                                          inv: dict[str, Any]) -> None:
    path = tmp_path_factory.mktemp("scope") / "s.db"
    services = open_services(Settings(db=f"sqlite:///{path}", user="test"))
    try:
        for name in ("A", "B"):
            services.inventory.create("client", {"name": name})
        for v in VENDORS:
            kind = "registrar" if v.startswith("Reg") else "dns_provider"
            services.inventory.create("vendor", {"name": v, "kind": kind})
        for name, client, registrar, dns in inv["domains"]:
            services.inventory.create("domain", {"name": name, "client": client,
                                                 "registrar": registrar, "dns_providers": dns})
        for ref, vendor, client in inv["contracts"]:
            services.inventory.create("contract", {"vendor": vendor, "reference": ref,
                                                   "start_date": "2025-01-01",
                                                   **({"client": client} if client else {})})
        with services.db.session(readonly=True) as s:
            for me, other in (("A", "B"), ("B", "A")):
                scope = client_scope(s, me)
                assert scope is not None
                mine = {n for n, c, _, _ in inv["domains"] if c == me}
                names = dict(s.execute(select(Domain.id, Domain.name)).all())
                assert {names[i] for i in scope.domain_ids} == mine
                serving = {r for n, c, r, _ in inv["domains"] if c == me}
                serving |= {d for n, c, _, ds in inv["domains"] if c == me for d in ds}
                serving |= {v for _, v, c in inv["contracts"] if c == me}
                vnames = dict(s.execute(select(Vendor.id, Vendor.name)).all())
                assert {vnames[i] for i in scope.vendor_ids} == serving
                refs = dict(s.execute(select(Contract.id, Contract.reference)).all())
                expected = {k for k, v, c in inv["contracts"]
                            if c == me or (c is None and v in serving)}
                assert {refs[i] for i in scope.contract_ids} == expected
                assert not {k for k, _, c in inv["contracts"] if c == other} & {
                    refs[i] for i in scope.contract_ids}
    finally:
        services.close()
