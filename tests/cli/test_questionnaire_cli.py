"""Questionnaire round trip through the real CLI: send a workbook, fill it, import it back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.cli.conftest import Run
from vendorrisk.io.questionnaire_xlsx import ANSWER_COL, SHEET_META, SHEET_QUESTIONS


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch, run: Run) -> str:
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    assert run("vendor", "add", "Cloudflare", "--kind", "dns_provider").code == 0
    return db_url


def fill(path: Path, answers: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_QUESTIONS]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for qid, value in answers.items():
        ws.cell(row=rows[qid], column=ANSWER_COL, value=value)
    wb.save(path)


def test_templates_are_listed_and_shown(run: Run) -> None:
    rows = json.loads(run("questionnaire", "list", "--json").out)
    assert {"dns-provider", "registrar", "msp", "dns-security"} <= {r["id"] for r in rows}
    assert sum(r["questions"] for r in rows) >= 60
    shown = json.loads(run("questionnaire", "show", "dns-provider", "--json").out)
    assert any(q["id"] == "dns.mfa" for q in shown["question_list"])


def test_send_fill_import_round_trip(run: Run, db: str, tmp_path: Path) -> None:
    out = tmp_path / "cf.xlsx"
    sent = run("questionnaire", "send", "Cloudflare", "--template", "dns-provider",
               "--out", str(out))
    assert sent.code == 0, sent.err
    fill(out, {"dns.mfa": "no", "dns.sso": "yes"})
    imported = run("questionnaire", "import", str(out), "--json")
    assert imported.code == 0, imported.err
    response = json.loads(imported.out)
    assert response["answers"] == {"dns.mfa": "no", "dns.sso": "yes"}
    assert response["status"] == "received"
    listed = json.loads(run("questionnaire", "responses", "--vendor", "Cloudflare", "--json").out)
    assert len(listed) == 1  # the sent response was completed, not duplicated
    events = json.loads(run("audit", "log", "--entity", "questionnaire", "--json").out)
    assert [e["action"] for e in events] == ["import", "update"]


def test_bad_answers_and_tampered_version_record_nothing(run: Run, db: str,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "cf.xlsx"
    run("questionnaire", "send", "Cloudflare", "--template", "dns-provider", "--out", str(out))
    fill(out, {"dns.mfa": "perhaps"})
    wb = openpyxl.load_workbook(out)
    meta = wb[SHEET_META]
    for row in meta.iter_rows():
        if row[0].value == "template_version":
            row[1].value = "99"
    wb.save(out)
    before = run("questionnaire", "responses", "--json").out
    result = run("questionnaire", "import", str(out))
    assert result.code == 2
    assert "version" in result.err
    assert run("questionnaire", "responses", "--json").out == before


def test_not_a_spreadsheet_is_a_clear_error(run: Run, db: str, tmp_path: Path) -> None:
    bogus = tmp_path / "answers.xlsx"
    bogus.write_text("this is not a workbook")
    result = run("questionnaire", "import", str(bogus))
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1


def test_a_folder_of_own_templates_is_used_beside_the_shipped_ones(
        run: Run, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "own-templates"
    own.mkdir()
    (own / "sample.yaml").write_text(
        (Path(__file__).parents[1] / "fixtures" / "questionnaires" / "good" / "sample.yaml").read_text())
    config = tmp_path / "config.toml"
    config.write_text(f'questionnaire_dirs = ["{own}"]\n')
    monkeypatch.setenv("VENDORRISK_CONFIG", str(config))
    rows = json.loads(run("questionnaire", "list", "--json").out)
    assert {"sample", "dns-provider", "registrar"} <= {r["id"] for r in rows}
    assert json.loads(run("questionnaire", "show", "sample", "--json").out)["version"] == "2"
    out = tmp_path / "sample.xlsx"
    sent = run("questionnaire", "send", "Cloudflare", "--template", "sample", "--out", str(out))
    assert sent.code == 0, sent.err
    fill(out, {"s.mfa": "no"})
    imported = run("questionnaire", "import", str(out), "--json")
    assert imported.code == 0, imported.err
    monkeypatch.setenv("VENDORRISK_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    assert "sample" not in {r["id"] for r in json.loads(run("questionnaire", "list", "--json").out)}


def test_a_missing_own_template_folder_is_a_one_line_error(run: Run, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'questionnaire_dirs = ["{tmp_path / "nope"}"]\n')
    monkeypatch.setenv("VENDORRISK_CONFIG", str(config))
    result = run("questionnaire", "list")
    assert result.code == 2 and result.err.count("\n") == 1 and "nope" in result.err
