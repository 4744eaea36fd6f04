"""The procurement workbook and the DORA register, read back and checked, on both databases."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import lab_unavailable
from vendorrisk.services.demo import load_demo
from vendorrisk.services.dora import DoraRefusedError
from vendorrisk.services.exports import ExportService
from vendorrisk.store.models import ScoreSnapshot

TODAY = date(2026, 11, 23)
HOSTILE_VENDOR = '=HYPERLINK("http://evil.example","click")'
SHEETS = ["Summary", "Clients", "Vendors", "Domains", "Findings", "Contracts", "Certifications",
          "Questionnaires", "Score factors", "About"]


@pytest.fixture
def portfolio(services: Any) -> Any:
    load_demo(services, today=TODAY)
    services.inventory.create("vendor", {"name": HOSTILE_VENDOR, "kind": "other",
                                         "notes": "@SUM(A1:A9)", "legal_name": "+cmd"})
    services.inventory.create("domain", {"name": "evil.example",
                                         "client": "Alpine Retail AG",
                                         "registrar": HOSTILE_VENDOR, "notes": "\t=1+1"})
    with services.db.session() as session:
        session.add(ScoreSnapshot(
            subject_kind="vendor", subject_id=_vendor_id(services, "Cloudflare"),
            subject_name="Cloudflare", lockin=62.5, compliance=18.0, lockin_band="high",
            compliance_band="low", lockin_coverage=0.75, compliance_coverage=1.0,
            computed_at=datetime(2026, 11, 22, tzinfo=UTC),
            factors=[{"id": "exit.single_provider", "title": "=one provider", "points": 12.5,
                      "weight": 1.0, "source": "probe", "evidence": {"domains": 3},
                      "remedy": "add a secondary provider"}]))
    return services


def _vendor_id(services: Any, name: str) -> int:
    return int(services.inventory.get("vendor", name)["id"])


def _export(services: Any, path: Path, client: str | None = None) -> Any:
    result = ExportService(services.db, services.settings).workbook(path, client=client,
                                                                    today=TODAY)
    return result, load_workbook(path)


def _rows(ws: Any) -> list[dict[str, Any]]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_workbook_sheets_layout_and_safety(portfolio: Any, tmp_path: Path) -> None:
    result, wb = _export(portfolio, tmp_path / "out.xlsx")
    assert wb.sheetnames == SHEETS
    for name in SHEETS[:-1]:
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        if result.rows[name]:
            (table,) = ws.tables.values()
            assert [c.name for c in table.tableColumns] == [c.value for c in ws[1]]
            assert table.ref.endswith(str(result.rows[name] + 1))
    formulas = [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    vendors = {r["Name"]: r for r in _rows(wb["Vendors"])}
    assert vendors["'" + HOSTILE_VENDOR]["Notes"] == "'@SUM(A1:A9)"
    assert vendors["'" + HOSTILE_VENDOR]["Legal name"] == "'+cmd"
    domains = {r["Name"]: r for r in _rows(wb["Domains"])}
    assert domains["evil.example"]["Notes"] == "'=1+1"  # stored stripped, written inert


def test_workbook_contents(portfolio: Any, tmp_path: Path) -> None:
    result, wb = _export(portfolio, tmp_path / "out.xlsx")
    assert result.rows["Clients"] == 8 and result.rows["Domains"] == 123
    summary = _rows(wb["Summary"])
    (cloudflare,) = [r for r in summary if r["Name"] == "Cloudflare"]
    assert cloudflare["Lock-in score"] == 62.5 and cloudflare["Lock-in band"] == "high"
    assert cloudflare["Lock-in coverage"] == 0.75 and cloudflare["Detail"] == "dns_provider"
    assert [r["Kind"] for r in summary] == sorted((r["Kind"] for r in summary), reverse=True)
    vendor_worst = [max(r["Lock-in score"] or 0, r["Compliance score"] or 0)
                    for r in summary if r["Kind"] == "vendor"]
    assert vendor_worst == sorted(vendor_worst, reverse=True)  # riskiest first (the chart)
    band_rules = [str(r.sqref) for r in wb["Summary"].conditional_formatting]
    assert any(ref.startswith("E2:") for ref in band_rules)
    assert wb["Summary"]._charts, "a chart of vendor scores"

    domains = {r["Name"]: r for r in _rows(wb["Domains"])}
    probed = [r for r in domains.values() if r["Last probed"] is not None]
    assert len(probed) == 114
    assert all(isinstance(r["Last probed"], datetime) for r in probed)
    assert any(r["DNSSEC"] == "secure" for r in probed)
    assert any(isinstance(r["Expires"], datetime) for r in probed)
    assert domains["xn--bcher-demo-9db.example"]["Name (Unicode)"] == "bücher-demo.example"

    contracts = _rows(wb["Contracts"])
    assert len(contracts) == 22
    for row in contracts:
        assert isinstance(row["Start date"], datetime)
        if row["Notice deadline"] is not None:
            renewal, deadline = row["Next renewal"], row["Notice deadline"]
            assert (renewal - deadline).days == row["Notice days customer"]
            assert row["Days left"] == (deadline.date() - TODAY).days
    assert any(r["Days left"] is not None and 0 <= r["Days left"] <= 90 for r in contracts)
    certs = _rows(wb["Certifications"])
    assert {r["Status"] for r in certs} <= {"valid", "stale", "expired", "unknown"}
    assert {"stale", "expired"} & {r["Status"] for r in certs}
    findings = _rows(wb["Findings"])
    assert {r["Status"] for r in findings} <= {"open", "accepted"}
    lapsed = [r for r in findings if r["Acceptance lapsed"] is True]
    assert lapsed and all(r["Status"] == "open" and r["Accepted until"] for r in lapsed)
    assert all(r["Evidence"] is None or r["Evidence"].startswith("{") for r in findings)
    accepted = [r for r in findings if r["Status"] == "accepted"]
    assert all(r["Accepted by"] and r["Accepted until"] for r in accepted)
    questions = _rows(wb["Questionnaires"])
    assert questions and any(r["Risky"] is True for r in questions)
    factors = [r for r in _rows(wb["Score factors"]) if r["Subject"] == "Cloudflare"
               and r["Subject kind"] == "vendor"]
    assert factors == [{**factors[0], "Factor": "exit.single_provider",
                        "Title": "'=one provider", "Points": 12.5, "Source": "probe",
                        "Remedy": "add a secondary provider"}]
    about = {r["Item"]: r["Value"] for r in _rows(wb["About"])}
    assert about["Client filter"] == "all clients" and about["Database"].startswith(
        ("sqlite", "postgresql"))


def test_about_masks_the_database_password(portfolio: Any, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portfolio.db, "url", "postgresql+psycopg://vr:s3cret@db.example/vr")
    _, wb = _export(portfolio, tmp_path / "out.xlsx")
    about = {r["Item"]: r["Value"] for r in _rows(wb["About"])}
    assert about["Database"] == "postgresql+psycopg://vr:***@db.example/vr"
    text = "".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
    assert "s3cret" not in text


def test_client_filter(portfolio: Any, tmp_path: Path) -> None:
    _result, wb = _export(portfolio, tmp_path / "out.xlsx", client="Baltic Pay UAB")
    assert {r["Client"] for r in _rows(wb["Domains"])} == {"Baltic Pay UAB"}
    assert [r["Name"] for r in _rows(wb["Clients"])] == ["Baltic Pay UAB"]
    assert {r["Client"] for r in _rows(wb["Contracts"])} == {"Baltic Pay UAB"}
    vendors = {r["Name"] for r in _rows(wb["Vendors"])}
    assert "NS1" in vendors and "Cloudflare" not in vendors
    about = {r["Item"]: r["Value"] for r in _rows(wb["About"])}
    assert about["Client filter"] == "Baltic Pay UAB"


def test_dora_register(portfolio: Any, tmp_path: Path) -> None:
    service = ExportService(portfolio.db, portfolio.settings)
    with pytest.raises(DoraRefusedError) as refused:  # Akamai: GLOBAL is no country
        service.dora_register("Baltic Pay UAB", tmp_path / "reg", today=TODAY)
    assert "B_02.02.c0160 row 2 (contract AKAM-BP-EDNS-2025)" in str(refused.value)
    assert not (tmp_path / "reg").exists()
    result = service.dora_register("Baltic Pay UAB", tmp_path / "reg", today=TODAY, draft=True)
    assert result.rows["B_02.01"] == result.rows["B_02.02"] == 3 and result.blocking > 0
    with zipfile.ZipFile(result.package) as zf:
        name = next(n for n in zf.namelist() if n.endswith("reports/b_02.02.csv"))
        rows = list(csv.DictReader(io.StringIO(zf.read(name).decode())))
    assert {r["c0010"] for r in rows} == {"NS1-BP-2023", "AKAM-BP-EDNS-2025", "CSC-BP-DBS-2024"}
    assert all(r["c0130"].startswith("eba_GA:") for r in rows)
    with (tmp_path / "reg" / "missing-data.csv").open() as fh:
        missing = list(csv.DictReader(fh))
    assert len(missing) == len(result.missing) > 0
    assert {"B_02.02.c0160", "B_01.02.c0050"} <= {m["cell"] for m in missing}


def test_opens_cleanly_in_libreoffice(portfolio: Any, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        lab_unavailable("LibreOffice (soffice) is not installed: apt-get install "
                        "libreoffice-calc-nogui")
        return
    _export(portfolio, tmp_path / "out.xlsx")
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "csv", "--outdir", str(tmp_path / "csv"),
                           str(tmp_path / "out.xlsx")], capture_output=True, text=True,
                          timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "csv" / "out.csv").read_text(encoding="utf-8", errors="replace")
    assert text.startswith("Kind,Name,Detail,Lock-in score") and "Cloudflare,dns_provider,62.5" in text
