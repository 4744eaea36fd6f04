"""Questionnaire workbook: written contents, validations, protection, and the round trip."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from vendorrisk.io.questionnaire_xlsx import (
    ANSWER_COL,
    COLUMNS,
    EVIDENCE_COL,
    SHEET_META,
    SHEET_QUESTIONS,
    CellProblem,
    QuestionnaireImportError,
    read_questionnaire,
    write_questionnaire,
)
from vendorrisk.questionnaires import Template, load_all, load_templates

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "questionnaires"
WHEN = datetime(2026, 11, 23, 12, 0)


@pytest.fixture(scope="module")
def sample() -> Template:
    return load_templates(FIXTURES / "good")["sample"]


@pytest.fixture
def written(sample: Template, tmp_path: Path) -> Path:
    return write_questionnaire(sample, "=Evil Corp", tmp_path / "q.xlsx", generated_at=WHEN)


def _rows(ws: Any) -> dict[str, int]:
    return {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}


def _fill(path: Path, answers: dict[str, Any], evidence: dict[str, Any] | None = None,
          out: Path | None = None) -> Path:
    wb = load_workbook(path)
    ws = wb[SHEET_QUESTIONS]
    rows = _rows(ws)
    for qid, value in answers.items():
        ws.cell(row=rows[qid], column=ANSWER_COL, value=value)
    for qid, value in (evidence or {}).items():
        ws.cell(row=rows[qid], column=EVIDENCE_COL, value=value)
    wb.save(out or path)
    return out or path


def _problems(path: Path, templates: Any) -> list[CellProblem]:
    with pytest.raises(QuestionnaireImportError) as caught:
        read_questionnaire(path, templates)
    assert "nothing was imported" in str(caught.value)
    return list(caught.value.errors)


def test_workbook_contents(written: Path, sample: Template) -> None:
    wb = load_workbook(written)
    assert wb.sheetnames == ["Instructions", "Lists", "Questionnaire", "Meta"]
    assert wb.active is not None and wb.active.title == "Instructions"
    assert wb["Lists"].sheet_state == "hidden" and wb[SHEET_META].sheet_state == "hidden"
    ws = wb[SHEET_QUESTIONS]
    assert tuple(c.value for c in ws[1]) == COLUMNS
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == [
        q.id for q in sample.questions]
    row = _rows(ws)["s.breach_hours"]
    assert ws.cell(row=row, column=3).value == "Breach notification hours?"
    assert ws.cell(row=row, column=4).value == "number"
    assert ws.cell(row=row, column=5).value == "hours ≥ 0"
    assert ws.freeze_panes == "B2"
    instructions = [c.value for c in wb["Instructions"]["A"] if c.value]
    assert instructions[0] == "Sample questionnaire"
    assert instructions[1] == "For: =Evil Corp"
    assert any("formulas" in line for line in instructions)


def test_meta_records_template_identity(written: Path, sample: Template) -> None:
    meta = {r[0]: r[1] for r in load_workbook(written)[SHEET_META].iter_rows(values_only=True)}
    assert meta["template_id"] == "sample" and meta["template_version"] == "2"
    assert meta["template_fingerprint"] == sample.fingerprint
    assert meta["vendor_name"] == "'=Evil Corp"
    assert meta["generated_at"] == "2026-11-23T12:00:00"


def test_protection_locks_everything_but_answers(written: Path) -> None:
    wb = load_workbook(written)
    assert wb.security is not None and wb.security.lockStructure
    ws = wb[SHEET_QUESTIONS]
    assert ws.protection.sheet
    for row in range(2, ws.max_row + 1):
        for col in range(1, len(COLUMNS) + 1):
            unlocked = col in (ANSWER_COL, EVIDENCE_COL)
            assert ws.cell(row=row, column=col).protection.locked is not unlocked


def test_data_validation_per_answer_type(written: Path) -> None:
    wb = load_workbook(written)
    ws = wb[SHEET_QUESTIONS]
    rows = _rows(ws)
    by_cell = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}

    def dv(qid: str) -> Any:
        return by_cell.get(f"F{rows[qid]}")

    assert dv("s.mfa").type == "list" and dv("s.mfa").formula1 == '"yes,no"'
    choice = dv("s.dpa")
    assert choice.type == "list" and choice.formula1.startswith("'Lists'!$")
    col = choice.formula1.split("$")[1]
    assert [c.value for c in wb["Lists"][col] if c.value] == ["yes", "partial", "no"]
    assert dv("s.breach_hours").type == "decimal" and dv("s.breach_hours").formula1 == "0"
    assert dv("s.cert_until").type == "date"
    assert ws.cell(row=rows["s.cert_until"], column=ANSWER_COL).number_format == "yyyy-mm-dd"
    assert dv("s.subs").type == "textLength"
    assert dv("s.factors") is None  # multi-choice: typed list, checked on import
    assert all(d.showErrorMessage for d in by_cell.values())


def test_vendor_kind_limits_rows(sample: Template, tmp_path: Path) -> None:
    path = write_questionnaire(sample, "Acme", tmp_path / "q.xlsx", vendor_kind="dns_provider")
    assert "s.lock" not in _rows(load_workbook(path)[SHEET_QUESTIONS])
    parsed = read_questionnaire(path, {"sample": sample})
    assert parsed.vendor_kind == "dns_provider" and "s.lock" not in parsed.unanswered


def test_round_trip(written: Path, sample: Template) -> None:
    _fill(written, {"s.mfa": "yes", "s.dpa": "partial", "s.factors": "totp_app, sms_otp",
                    "s.breach_hours": 48, "s.cert_until": datetime(2027, 3, 1),
                    "s.subs": "Anycast Inc (US)"},
          {"s.mfa": "SOC 2 report p. 12", "s.dpa": "-see annex"})
    parsed = read_questionnaire(written, load_templates(FIXTURES / "good"))
    assert parsed.template_id == "sample" and parsed.template_version == "2"
    assert parsed.vendor_name == "=Evil Corp"
    assert parsed.answers == {"s.mfa": "yes", "s.dpa": "partial",
                              "s.factors": ("sms_otp", "totp_app"), "s.breach_hours": 48,
                              "s.cert_until": date(2027, 3, 1), "s.subs": "Anycast Inc (US)"}
    assert parsed.evidence == {"s.mfa": "SOC 2 report p. 12", "s.dpa": "-see annex"}
    assert parsed.unanswered == ("s.soc2_end", "s.lock")


def test_every_bad_answer_is_reported_by_row(written: Path, sample: Template) -> None:
    rows = _rows(load_workbook(written)[SHEET_QUESTIONS])
    _fill(written, {"s.mfa": "maybe", "s.dpa": "sometimes", "s.breach_hours": "soon",
                    "s.cert_until": "next year", "s.factors": "sms_otp, pigeon",
                    "s.subs": "=HYPERLINK(\"http://x\")"})
    problems = _problems(written, [sample])
    by_row = {p.row: p for p in problems}
    assert len(problems) == 6
    assert all(p.sheet == SHEET_QUESTIONS and p.column == "F" for p in problems)
    assert "expected yes or no" in by_row[rows["s.mfa"]].message
    assert "unknown choice 'sometimes'" in by_row[rows["s.dpa"]].message
    assert "expected a number" in by_row[rows["s.breach_hours"]].message
    assert "expected a date" in by_row[rows["s.cert_until"]].message
    assert "pigeon" in by_row[rows["s.factors"]].message
    assert "formulas are not accepted" in by_row[rows["s.subs"]].message
    assert str(by_row[rows["s.mfa"]]).startswith(f"Questionnaire!F{rows['s.mfa']}: ")


def test_unknown_duplicate_and_orphan_rows(written: Path, sample: Template) -> None:
    wb = load_workbook(written)
    ws = wb[SHEET_QUESTIONS]
    last = ws.max_row
    ws.cell(row=last + 1, column=1, value="s.nope")
    ws.cell(row=last + 2, column=1, value="s.mfa")
    ws.cell(row=last + 3, column=ANSWER_COL, value="yes")
    ws.cell(row=last + 4, column=EVIDENCE_COL, value="=1+1")
    wb.save(written)
    messages = [(p.row, p.column, p.message) for p in _problems(written, [sample])]
    assert (last + 1, "A", "unknown question 's.nope' for template sample v2") in messages
    assert (last + 2, "A", "question s.mfa appears twice (first on row 2)") in messages
    assert (last + 3, "A", "answer given on a row without a question ID") in messages
    assert (last + 4, "A", "answer given on a row without a question ID") in messages


def test_formula_in_evidence_is_rejected(written: Path, sample: Template) -> None:
    _fill(written, {"s.mfa": "yes"}, {"s.mfa": "=1+1"})
    (problem,) = _problems(written, [sample])
    assert problem.column == "G" and "formulas" in problem.message


def _edit_meta(path: Path, key: str, value: str) -> None:
    wb = load_workbook(path)
    for row in wb[SHEET_META].iter_rows():
        if row[0].value == key:
            row[1].value = value
    wb.save(path)


def test_tampered_version(written: Path, sample: Template) -> None:
    _edit_meta(written, "template_version", "1")
    (problem,) = _problems(written, [sample])
    assert problem.sheet == SHEET_META
    assert "template 'sample' version '1' is unknown" in problem.message


def test_tampered_template_id(written: Path, sample: Template) -> None:
    _edit_meta(written, "template_id", "dns-provider")
    assert "unknown" in _problems(written, [sample])[0].message


def test_template_changed_without_new_version(written: Path, sample: Template,
                                              tmp_path: Path) -> None:
    text = (FIXTURES / "good" / "sample.yaml").read_text("utf-8")
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "sample.yaml").write_text(text.replace("Is MFA enforced?", "MFA?"), "utf-8")
    assert "differs from the one this workbook was written from" in _problems(
        written, load_all(changed))[0].message


def test_older_version_is_accepted_when_loaded(written: Path, sample: Template,
                                               tmp_path: Path) -> None:
    text = (FIXTURES / "good" / "sample.yaml").read_text("utf-8")
    (tmp_path / "v2.yaml").write_text(text, "utf-8")
    (tmp_path / "v3.yaml").write_text(text.replace("version: 2", "version: 3"), "utf-8")
    assert read_questionnaire(written, load_all(tmp_path)).template_version == "2"
    assert "version '2' is unknown" in _problems(written, load_templates(tmp_path))[0].message


def test_missing_columns(written: Path, sample: Template) -> None:
    wb = load_workbook(written)
    wb[SHEET_QUESTIONS].cell(row=1, column=ANSWER_COL, value="Reply")
    wb[SHEET_QUESTIONS].cell(row=1, column=1, value="ID")
    wb.save(written)
    problems = _problems(written, [sample])
    assert {p.message for p in problems} == {"missing column 'Question ID'",
                                             "missing column 'Answer'"}
    assert all(p.row == 1 for p in problems)


def test_missing_sheets(tmp_path: Path, sample: Template) -> None:
    path = tmp_path / "plain.xlsx"
    Workbook().save(path)
    sheets = {p.sheet for p in _problems(path, [sample])}
    assert sheets == {SHEET_META, SHEET_QUESTIONS}


@pytest.mark.parametrize("content", [b"", b"name,answer\nx,y\n", b"PK\x03\x04garbage"])
def test_not_a_spreadsheet(tmp_path: Path, sample: Template, content: bytes) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    (problem,) = _problems(path, [sample])
    assert problem.row is None and "not an .xlsx spreadsheet" in problem.message


def test_zip_without_workbook(tmp_path: Path, sample: Template) -> None:
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "not an .xlsx spreadsheet" in _problems(path, [sample])[0].message


def test_missing_file(tmp_path: Path, sample: Template) -> None:
    assert _problems(tmp_path / "nope.xlsx", [sample])[0].message == "file not found"


def test_shipped_templates_write_and_read_back(tmp_path: Path) -> None:
    for template in load_templates().values():
        path = write_questionnaire(template, "Acme", tmp_path / f"{template.id}.xlsx")
        parsed = read_questionnaire(path, load_templates())
        assert parsed.answers == {} and len(parsed.unanswered) == len(template.questions)


def test_huge_sheet_stops_with_a_problem(written: Path, sample: Template) -> None:
    from vendorrisk.io import questionnaire_xlsx as qx

    wb = load_workbook(written)
    ws = wb[SHEET_QUESTIONS]
    for r in range(ws.max_row + 1, qx.MAX_ROWS + 3):
        ws.cell(row=r, column=1, value=f"s.extra{r}")
    wb.save(written)
    problems = _problems(written, [sample])
    assert len(problems) <= qx.MAX_PROBLEMS + 1
    assert "stopped reading here" in problems[-1].message


def test_number_literals_have_no_exponent() -> None:
    from vendorrisk.io.questionnaire_xlsx import _number_literal

    assert _number_literal(-1e15) == "-1000000000000000"
    assert _number_literal(99.99) == "99.99"
    assert _number_literal(0.0) == "0"


def test_damaged_sheet_xml(written: Path, sample: Template, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(written) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":  # the Questionnaire sheet
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    problems = _problems(damaged, [sample])
    assert "damaged spreadsheet" in problems[-1].message
