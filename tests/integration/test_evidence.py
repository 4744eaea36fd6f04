"""Monthly evidence packs: contents read back, manifest hashes, audit head, verification."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from vendorrisk.errors import InputError
from vendorrisk.services.demo import load_demo
from vendorrisk.services.evidence import EvidenceService, month_bounds
from vendorrisk.services.reviews import ReviewService

TODAY = date.today()
MONTH = f"{TODAY:%Y-%m}"


@pytest.fixture
def pack(services: Any, tmp_path: Path) -> Any:
    load_demo(services, today=TODAY)
    reviews = ReviewService(services.db, services.actor)
    started = reviews.start("NS1")
    reviews.complete(started["id"], decision="renew", notes="ok",
                     answers={i.id: "ok" for i in reviews.checklist.items})
    service = EvidenceService(services.db, services.settings, services.actor)
    return service, service.make("Baltic Pay UAB", MONTH, tmp_path / "pack")


def test_pack_contents(services: Any, pack: Any) -> None:
    _, result = pack
    names = sorted(p.name for p in result.directory.iterdir())
    assert names == ["audit-extract.jsonl", "evidence.xlsx", "manifest.json"]
    manifest = json.loads((result.directory / "manifest.json").read_text())
    assert manifest["client"] == "Baltic Pay UAB" and manifest["month"] == MONTH
    chain = services.verify_audit()
    assert manifest["audit"] == {"head_hash": chain.head_hash, "events": chain.events,
                                 "chain_ok": True, "problem": None}
    wb = load_workbook(result.directory / "evidence.xlsx")
    assert wb.sheetnames == ["Observations", "Findings opened", "Findings closed", "Acceptances",
                             "Reviews", "Score trend", "Audit extract"]
    observations = list(wb["Observations"].iter_rows(min_row=2, values_only=True))
    baltic = {d["name"] for d in services.inventory.list("domain", client="Baltic Pay UAB")}
    assert {r[0] for r in observations} <= baltic
    if (TODAY - timedelta(days=1)) >= month_bounds(MONTH)[0].date():  # the demo run is at -1d
        assert len({r[0] for r in observations}) >= 10
    reviews = list(wb["Reviews"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in reviews] == ["NS1"] and reviews[0][5] == "renew"
    extract = [json.loads(line) for line in
               (result.directory / "audit-extract.jsonl").read_text().splitlines()]
    assert extract and all({"seq", "hash", "prev_hash"} <= set(e) for e in extract)
    assert any(e["entity_kind"] == "review" for e in extract)
    assert not any(e["entity_label"] == "Alpine Retail AG" for e in extract)  # other clients


def test_verify_and_tamper(services: Any, pack: Any) -> None:
    service, result = pack
    assert service.verify(result.directory).ok
    assert service.verify(result.zip_path, against_db=True).ok
    (result.directory / "evidence.xlsx").write_bytes(b"tampered")
    report = service.verify(result.directory)
    assert not report.ok and "evidence.xlsx" in report.problems[0]


def test_pack_from_another_database_is_not_anchored(services: Any, pack: Any,
                                                   tmp_path: Path) -> None:
    service, result = pack
    manifest_path = result.directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["audit"]["head_hash"] = "f" * 64
    manifest_path.write_text(json.dumps(manifest))
    report = service.verify(result.directory, against_db=True)
    assert not report.ok and any("not in this database" in p for p in report.problems)


def test_bad_month_and_existing_target(services: Any, pack: Any, tmp_path: Path) -> None:
    service, _ = pack
    with pytest.raises(InputError, match="YYYY-MM"):
        service.make("Baltic Pay UAB", "2026-13")
    with pytest.raises(InputError, match="already exists"):
        service.make("Baltic Pay UAB", MONTH, tmp_path / "pack")
