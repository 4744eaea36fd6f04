"""Bulk import: round trip, idempotence, all-or-nothing, --skip-invalid, --dry-run, audit,
and broken input that gets a clear error and changes nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from vendorrisk.config import Settings
from vendorrisk.errors import InputError
from vendorrisk.services.app import open_services
from vendorrisk.services.demo import load_demo
from vendorrisk.services.exports import ExportService
from vendorrisk.services.imports import ImportFailed, ImportService

TODAY = date(2026, 11, 23)
ENTITIES = ("client", "vendor", "domain", "contract", "certification")
_VOLATILE = {"id", "created_at", "updated_at", "contacts"}


def _importer(services: Any) -> ImportService:
    return ImportService(services.db, services.inventory, services.actor)


def _snapshot(services: Any) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for entity in ENTITIES:
        rows = [{k: v for k, v in r.items() if k not in _VOLATILE}
                for r in services.inventory.list(entity)]
        out[entity] = sorted(rows, key=repr)
    return out


def _audit_count(services: Any) -> int:
    return int(services.verify_audit().events)


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def fresh(sqlite_template: Path, tmp_path: Path) -> Iterator[Any]:
    """A second, empty database (SQLite) to import into."""
    target = tmp_path / "fresh.db"
    shutil.copy(sqlite_template, target)
    svc = open_services(Settings(db=f"sqlite:///{target}", user="importer"))
    yield svc
    svc.close()


def test_export_import_round_trip_and_idempotence(services: Any, fresh: Any,
                                                  tmp_path: Path) -> None:
    load_demo(services, today=TODAY)
    services.inventory.create("vendor", {"name": "=EVIL()", "kind": "other", "notes": "+1"})
    path = ExportService(services.db, services.settings).workbook(tmp_path / "x.xlsx",
                                                                  today=TODAY).path
    report = _importer(fresh).run(path)
    assert report.committed and not report.errors and not report.warnings
    assert report.created == {"client": 8, "vendor": 16, "domain": 122, "contract": 22,
                              "certification": 25}
    assert _snapshot(fresh) == _snapshot(services)
    events = _audit_count(fresh)
    assert report.updated == {"subcontracting_chain": 2}  # chains are set once vendors exist
    assert events == sum(report.created.values()) + 2 + 1  # per record, per chain, the import

    again = _importer(fresh).run(path)
    assert again.committed and again.created == {} and again.updated == {}
    assert sum(again.unchanged.values()) == sum(report.created.values())
    assert _audit_count(fresh) == events + 1
    assert _snapshot(fresh) == _snapshot(services)


def test_update_is_audited(services: Any, tmp_path: Path) -> None:
    first = _book(tmp_path / "a.xlsx", {"Clients": [["Name", "Regimes"], ["Acme", "gdpr"]]})
    _importer(services).run(first)
    second = _book(tmp_path / "b.xlsx", {"customers": [["client", "REGIMES"],
                                                       ["Acme", "gdpr, dora"]]})
    report = _importer(services).run(second)
    assert report.updated == {"client": 1}
    assert services.inventory.get("client", "Acme")["regimes"] == ["dora", "gdpr"]
    (event,) = services.audit_log(entity_kind="client", limit=1)
    assert event["action"] == "update" and event["after"] == {"regimes": ["dora", "gdpr"]}


def _bad_file(tmp_path: Path) -> Path:
    return _book(tmp_path / "bad.xlsx", {
        "Clients": [["Name"], ["Good Co"]],
        "Vendors": [["Name", "Kind", "Tier"], ["DNS A", "dns_provider", 1],
                    ["DNS B", "spaceship", 9]],
        "Domains": [["Domain", "Client", "Registrar"], ["good.example", "Good Co", "DNS A"],
                    ["bad..example", "Good Co", None], ["orphan.example", "Nobody", None],
                    ["ghost.example", "Good Co", "Nope"]],
    })


def test_all_or_nothing_by_default(services: Any, tmp_path: Path) -> None:
    before = _audit_count(services)
    with pytest.raises(ImportFailed) as caught:
        _importer(services).run(_bad_file(tmp_path))
    problems = {(p.sheet, p.row, p.column) for p in caught.value.report.errors}
    assert ("Vendors", 3, "Kind") in problems and ("Vendors", 3, "Tier") in problems
    assert ("Domains", 3, "Domain") in problems
    assert _audit_count(services) == before
    assert services.inventory.list("client") == []


def test_skip_invalid_writes_the_valid_rows(services: Any, tmp_path: Path) -> None:
    report = _importer(services).run(_bad_file(tmp_path), skip_invalid=True)
    assert report.committed
    assert report.created == {"client": 1, "vendor": 1, "domain": 1}
    assert report.skipped_rows == 4
    orphan = [p for p in report.errors if p.row == 4]
    assert orphan and orphan[0].sheet == "Domains" and "Nobody" in orphan[0].message
    assert orphan[0].column == "Client"
    (ghost,) = [p for p in report.errors if p.row == 5]
    assert (ghost.column, ghost.message) == ("Registrar", "no vendor 'Nope'")
    assert [d["name"] for d in services.inventory.list("domain")] == ["good.example"]


def test_dry_run_writes_nothing(services: Any, tmp_path: Path) -> None:
    path = _book(tmp_path / "ok.xlsx", {"Clients": [["Name"], ["A"], ["B"]]})
    before = _audit_count(services)
    report = _importer(services).run(path, dry_run=True)
    assert report.created == {"client": 2} and not report.committed
    assert services.inventory.list("client") == [] and _audit_count(services) == before


def test_csv_import_with_references(services: Any, tmp_path: Path) -> None:
    (tmp_path / "clients.csv").write_text("name\nAcme\n")
    (tmp_path / "vendors.csv").write_text("name,kind\nReg,registrar\nDNS,dns_provider\n")
    (tmp_path / "domains.csv").write_text(
        'domain,client,registrar,dns providers\nbücher.example,Acme,Reg,"DNS, Reg"\n')
    for name in ("clients", "vendors", "domains"):
        _importer(services).run(tmp_path / f"{name}.csv")
    (domain,) = services.inventory.list("domain")
    assert domain["name"] == "xn--bcher-kva.example" and domain["dns_providers"] == ["DNS", "Reg"]


def test_duplicate_rows_in_one_file(services: Any, tmp_path: Path) -> None:
    path = _book(tmp_path / "d.xlsx", {"Clients": [["Name"], ["A"], ["A"]]})
    with pytest.raises(ImportFailed) as caught:
        _importer(services).run(path)
    assert [str(p) for p in caught.value.report.errors] == [
        "Clients row 3: same record as row 2"]


@pytest.mark.parametrize("case", ["not-xlsx", "merged", "formula", "empty", "missing-column",
                                  "wrong-type"])
def test_broken_input_changes_nothing(services: Any, tmp_path: Path, case: str) -> None:
    path = tmp_path / f"broken-{case}.xlsx"
    if case == "not-xlsx":
        path.write_text("name\nnot a workbook\n")
    elif case == "merged":
        _book(path, {"Clients": [["Name", "Notes"], ["A", "x"], ["B", "x"]]})
        wb = load_workbook(path)
        wb["Clients"].merge_cells("B2:B3")
        wb.save(path)
    elif case == "formula":
        _book(path, {"Clients": [["Name"], ["=CONCAT(\"a\",\"b\")"]]})
    elif case == "empty":
        _book(path, {"Vendors": []})
    elif case == "missing-column":
        _book(path, {"Vendors": [["Name"], ["A"]]})
    else:
        _book(path, {"Contracts": [["Vendor", "Reference", "Start date", "Auto renew"],
                                   ["X", "R", "last tuesday", "maybe"]]})
    before = _audit_count(services)
    with pytest.raises(InputError) as caught:
        _importer(services).run(path)
    assert str(caught.value)
    assert _audit_count(services) == before and services.inventory.list("client") == []


def test_huge_file_is_refused(services: Any, tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    with path.open("w") as fh:
        fh.write("name\n")
        fh.writelines(f"client {i}\n" for i in range(100_000))
    with pytest.raises(ImportFailed) as caught:
        _importer(services).run(path)
    assert any("split it" in p.message for p in caught.value.report.errors)
    assert services.inventory.list("client") == []
