"""`export`, `import`, `review`, `changes`, `evidence` through the real entry point."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.conftest import Run
from vendorrisk.config import Settings
from vendorrisk.services.app import open_services
from vendorrisk.services.demo import load_demo


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    return db_url


@pytest.fixture
def demo(db: str) -> str:
    svc = open_services(Settings(db=db, user="setup"))
    load_demo(svc, today=date.today())
    svc.close()
    return db


def test_export_workbook_and_register(run: Run, demo: str, tmp_path: Path) -> None:
    out = run("export", "--out", str(tmp_path / "w.xlsx"), "--json")
    assert out.code == 0, out.err
    summary = json.loads(out.out)
    assert summary["rows"]["Domains"] == 122
    assert load_workbook(tmp_path / "w.xlsx").sheetnames[0] == "Summary"
    refused = run("export", "--dora-register", "--client", "Baltic Pay UAB", "--out",
                  str(tmp_path / "reg"))
    assert refused.code == 2 and not (tmp_path / "reg").exists()
    assert "B_02.02.c0160 row 2 (contract AKAM-BP-EDNS-2025)" in refused.err
    assert "--draft" in refused.err
    reg = run("export", "--dora-register", "--draft", "--client", "Baltic Pay UAB", "--out",
              str(tmp_path / "reg"))
    assert reg.code == 0 and reg.out.strip().endswith(".zip")
    assert reg.out.strip().startswith(str(tmp_path / "reg" / "DEMO00BALTICPAY0LT79.IND_LT_"))
    assert "DRAFT" in reg.err and "missing-data.csv" in reg.err
    assert run("export", "--draft").code == 2
    assert run("export", "--dora-register").code == 2


def test_import_template_errors_and_dry_run(run: Run, db: str, tmp_path: Path) -> None:
    template = tmp_path / "t.xlsx"
    assert run("import", "--template", str(template)).code == 0
    wb = load_workbook(template)
    wb["Clients"].append(["Acme"])
    wb["Vendors"].append(["Reg", "registrar"])
    wb["Domains"].append(["acme.example", "Acme", "Reg"])
    wb["Domains"].append(["bad name!", "Acme", "Nope"])
    wb.save(template)
    failed = run("import", str(template), "--json")
    assert failed.code == 2
    report = json.loads(failed.out)
    assert report["committed"] is False
    assert [(e["sheet"], e["row"], e["column"]) for e in report["errors"]] == [
        ("Domains", 3, "Name *")]
    assert "nothing was written" in failed.err and "Domains row 3 column Name *" in failed.err
    dry = run("import", str(template), "--dry-run", "--skip-invalid")
    assert dry.code == 0 and "dry run, nothing written" in dry.out
    assert json.loads(run("client", "list", "--json").out) == []
    done = run("import", str(template), "--skip-invalid")
    assert done.code == 0 and "created 3" in done.out
    assert run("import", str(tmp_path / "missing.xlsx")).code == 2
    assert run("import").code == 2


def test_review_commands(run: Run, demo: str, tmp_path: Path) -> None:
    due = run("review", "due", "--within", "30", "--json")
    assert due.code == 0 and json.loads(due.out)
    started = run("review", "start", "NS1", "--json")
    assert started.code == 0, started.err
    review = json.loads(started.out)
    incomplete = run("review", "complete", str(review["id"]), "--decision", "renew")
    assert incomplete.code == 2 and "not answered" in incomplete.err
    answers = tmp_path / "answers.yaml"
    answers.write_text("\n".join(f"{item}: ok" for item in review["checklist"]))
    done = run("review", "complete", str(review["id"]), "--decision", "exit", "--notes", "bye",
               "--answers", str(answers), "--answer", "exit_fees=issue:EUR 5k fee", "--json")
    assert done.code == 0, done.err
    record = json.loads(done.out)
    assert record["decision"] == "exit"
    assert record["checklist"]["exit_fees"]["note"] == "EUR 5k fee"


def test_changes_fail_on(run: Run, demo: str) -> None:
    listed = run("changes", "--runs", "1", "--json")
    assert listed.code == 0
    lines = [json.loads(line) for line in listed.out.splitlines()]
    assert lines and {"domain", "kind", "severity", "summary"} <= set(lines[0])
    # the demo load is the baseline: its findings are not new, its runs' changes are (info)
    assert run("changes", "--runs", "1", "--fail-on", "critical").code == 0
    assert run("changes", "--runs", "1", "--fail-on", "info").code == 6
    assert run("changes", "--since", "2d", "--client", "Nobody").code == 2
    assert run("changes", "--since", "someday").code == 2


def test_evidence_and_verify(run: Run, demo: str, tmp_path: Path) -> None:
    month = f"{date.today():%Y-%m}"
    made = run("evidence", "--client", "Baltic Pay UAB", "--month", month, "--out",
               str(tmp_path / "pack"))
    assert made.code == 0, made.err
    assert run("evidence", "verify", str(tmp_path / "pack")).code == 0
    assert run("evidence", "verify", str(tmp_path / "pack.zip"), "--against-db").code == 0
    (tmp_path / "pack" / "evidence.xlsx").write_bytes(b"x")
    broken = run("evidence", "verify", str(tmp_path / "pack"))
    assert broken.code == 7 and "does NOT verify" in broken.err
    assert run("evidence", "--client", "Baltic Pay UAB").code == 2


