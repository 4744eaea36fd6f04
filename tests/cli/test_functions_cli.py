"""`vendorrisk function add|list|show|edit|rm`: a client's DORA functions, audited, scoped to
the client's own contracts, and read by the register."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from vendorrisk.config import Settings
from vendorrisk.services.app import open_services
from vendorrisk.services.demo import load_demo

CLIENT = "Baltic Pay UAB"


@pytest.fixture
def demo(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    svc = open_services(Settings(db=db_url, user="setup"))
    load_demo(svc, today=date.today())
    svc.close()
    return db_url


def test_function_lifecycle(run: Run, demo: str, tmp_path: Path) -> None:
    added = run("function", "add", "F-PAY", "--client", CLIENT, "--name", "Payment APIs",
                "--criticality", "yes", "--rto-hours", "4", "--rpo-hours", "1",
                "--last-assessed", "2025-11-30", "--contracts", "AKAM-BP-EDNS-2025", "--json")
    assert added.code == 0, added.err
    assert json.loads(added.out)["contracts"] == ["AKAM-BP-EDNS-2025"]
    listed = json.loads(run("function", "list", "--client", CLIENT, "--json").out)
    assert [(f["identifier"], f["rto_hours"]) for f in listed] == [("F-PAY", 4)]
    edited = run("function", "edit", "F-PAY", "--client", CLIENT, "--rto-hours", "2",
                 "--contracts", "AKAM-BP-EDNS-2025,NS1-BP-2023", "--json")
    assert edited.code == 0, edited.err
    assert sorted(json.loads(edited.out)["contracts"]) == ["AKAM-BP-EDNS-2025", "NS1-BP-2023"]
    text = run("function", "list", "--client", CLIENT)
    assert text.out.splitlines()[0].split()[:2] == ["IDENTIFIER", "NAME"]

    reg = run("export", "--dora-register", "--draft", "--client", CLIENT, "--out",
              str(tmp_path / "reg"))
    assert reg.code == 0, reg.err
    with zipfile.ZipFile(reg.out.strip()) as zf:
        b0601 = next(n for n in zf.namelist() if n.endswith("b_06.01.csv"))
        rows = zf.read(b0601).decode().splitlines()
        b0202 = zf.read(b0601.replace("b_06.01", "b_02.02")).decode()
    assert any(r.startswith("F-PAY,,Payment APIs,DEMO00BALTICPAY0LT79,eba_BT:x28,,2025-11-30,2,1")
               for r in rows), rows
    assert b0202.count(",F-PAY,") == 2

    audit = json.loads(run("audit", "log", "--entity", "dora_function", "--json").out)
    assert [e["action"] for e in audit] == ["update", "create"]
    changed = json.loads(run("audit", "log", "--entity", "contract", "--limit", "3",
                             "--json").out)
    assert {e["entity_label"] for e in changed} >= {"NS1 NS1-BP-2023"}

    cleared = run("function", "edit", "F-PAY", "--client", CLIENT, "--contracts", "", "--json")
    assert json.loads(cleared.out)["contracts"] == []
    assert run("function", "rm", "F-PAY", "--client", CLIENT).code == 0
    assert json.loads(run("function", "list", "--client", CLIENT, "--json").out) == []


def test_function_bad_input(run: Run, demo: str) -> None:
    other = run("function", "add", "F1", "--client", CLIENT, "--name", "X", "--contracts",
                "CF-ENT-ALP-2024")  # Alpine Retail's contract
    assert other.code == 2 and "has no contract CF-ENT-ALP-2024" in other.err
    assert run("function", "add", "F1", "--client", CLIENT, "--name", "X",
               "--rto-hours", "-1").code == 2
    assert run("function", "add", "F1", "--client", CLIENT, "--name", "X").code == 0
    twice = run("function", "add", "F1", "--client", CLIENT, "--name", "Y")
    assert twice.code == 2 and "already has function 'F1'" in twice.err
    missing = run("function", "edit", "F9", "--client", CLIENT, "--name", "Z")
    assert missing.code != 0 and "has no function 'F9'" in missing.err


def test_readiness(run: Run, demo: str) -> None:
    out = run("readiness", "--client", CLIENT, "--json")
    assert out.code == 0, out.err
    found = json.loads(out.out)
    assert found["ready"] is False and len(found["templates"]) == 15
    akamai = [g for g in found["gaps"] if g["cell"] == "B_02.02.c0160"]
    assert akamai and akamai[0]["screen"].startswith("Vendors")
    assert "not ready to file" in out.err
    text = run("readiness", "--client", CLIENT)
    assert text.out.splitlines()[0].split() == ["TEMPLATE", "STATUS", "ROWS", "TITLE"]
    assert "B_02.02.c0160" in text.out


def test_taxonomy_without_arelle_is_refused(run: Run, demo: str, tmp_path: Path) -> None:
    from vendorrisk.io import dora_arelle

    if dora_arelle.available():
        pytest.skip("Arelle is installed here: tests/integration/test_dora_arelle.py runs it")
    taxonomy = tmp_path / "taxo.zip"
    taxonomy.write_bytes(b"PK")
    out = run("export", "--dora-register", "--draft", "--client", CLIENT, "--taxonomy",
              str(taxonomy), "--out", str(tmp_path / "reg"))
    assert out.code == 2 and "needs Arelle" in out.err and not (tmp_path / "reg").exists()
    assert run("export", "--taxonomy", str(taxonomy)).code == 2
