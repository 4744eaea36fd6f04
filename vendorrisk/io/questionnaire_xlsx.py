"""The questionnaire workbook a vendor fills in, and reading it back.

Writing: one row per question, a dropdown or typed validation per answer type, question
columns locked (sheet protection with only Answer and Evidence unlocked), an Instructions
sheet, and a hidden Meta sheet with the template id, version and fingerprint.

Reading validates everything and collects *every* problem as (sheet, row, column, message)
before raising one :class:`QuestionnaireImportError`, so nothing partial is ever recorded.
Protection is a convenience for the vendor, not a security boundary: the reader re-checks
the template identity, every question id and every answer.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vendorrisk.errors import InputError
from vendorrisk.io.safe_cells import restore_text, safe_text
from vendorrisk.questionnaires.answers import MAX_TEXT, is_blank, validate_answer
from vendorrisk.questionnaires.model import AnswerType, Question, Template

FORMAT_MARKER = "vendorrisk-questionnaire"
FORMAT_VERSION = "1"
SHEET_INSTRUCTIONS = "Instructions"
SHEET_QUESTIONS = "Questionnaire"
SHEET_LISTS = "Lists"
SHEET_META = "Meta"
COLUMNS: tuple[str, ...] = ("Question ID", "Section", "Question", "Answer type",
                            "Allowed answers", "Answer", "Evidence / comments")
MAX_ROWS = 5000
"""A questionnaire has tens of rows; a sheet far longer is not one, and is not read to the end."""
MAX_PROBLEMS = 200
ANSWER_COL = COLUMNS.index("Answer") + 1
EVIDENCE_COL = COLUMNS.index("Evidence / comments") + 1
_WIDTHS = (26, 22, 70, 14, 40, 28, 50)
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")
_TYPE_LABEL = {
    AnswerType.YES_NO: "yes / no",
    AnswerType.CHOICE: "one choice",
    AnswerType.MULTI_CHOICE: "several choices",
    AnswerType.NUMBER: "number",
    AnswerType.DATE: "date",
    AnswerType.TEXT: "text",
}
_INSTRUCTIONS = (
    "Answer every question in the yellow 'Answer' column of the Questionnaire sheet.",
    "yes / no and one-choice questions have a dropdown; pick a value from it.",
    "Several choices: type the allowed values separated by commas, e.g. 'totp_app, push'.",
    "Numbers: digits only, in the unit given in 'Allowed answers' (e.g. hours, days, percent).",
    "Dates: a real date (YYYY-MM-DD).",
    "Leave an answer empty if you do not know; do not type formulas.",
    "Put certificate numbers, report names, links and remarks in 'Evidence / comments'.",
    "Do not add, remove, reorder or rename sheets, columns or question IDs.",
)


@dataclass(frozen=True)
class CellProblem:
    """One problem in an imported workbook; ``row``/``column`` are None for file-level ones."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet or "file"
        if self.row is not None:
            where += f"!{self.column or ''}{self.row}"
        return f"{where}: {self.message}"


class QuestionnaireImportError(InputError):
    """A questionnaire workbook could not be imported; ``errors`` lists every problem."""

    def __init__(self, path: Path, errors: Iterable[CellProblem]) -> None:
        self.errors: tuple[CellProblem, ...] = tuple(errors)
        first = self.errors[0] if self.errors else "unknown problem"
        more = len(self.errors) - 1
        super().__init__(f"{path}: {first}",
                         f"{more} more problem(s); nothing was imported" if more
                         else "nothing was imported")


@dataclass(frozen=True)
class ParsedResponse:
    template: Template
    vendor_name: str
    vendor_kind: str | None
    answers: dict[str, Any]
    """Question id → normalised answer, answered questions only."""
    evidence: dict[str, str]
    unanswered: tuple[str, ...]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def template_id(self) -> str:
        return self.template.id

    @property
    def template_version(self) -> str:
        return self.template.version


# ----------------------------------------------------------------------------- writing


def write_questionnaire(template: Template, vendor_name: str, path: Path, *,
                        vendor_kind: str | None = None,
                        generated_at: datetime | None = None) -> Path:
    """Write the workbook for ``vendor_name``; only questions for ``vendor_kind`` (all if None)."""
    questions = template.questions_for(vendor_kind)
    generated_at = generated_at or datetime.now(UTC)
    wb = Workbook()
    _instructions(wb.worksheets[0], template, vendor_name, len(questions))
    lists = wb.create_sheet(SHEET_LISTS)
    sheet = wb.create_sheet(SHEET_QUESTIONS)
    _questions(sheet, lists, questions)
    meta = wb.create_sheet(SHEET_META)
    _meta(meta, template, vendor_name, vendor_kind, generated_at, len(questions))
    for hidden in (lists, meta):
        hidden.sheet_state = "hidden"
        hidden.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = wb.sheetnames.index(SHEET_INSTRUCTIONS)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _instructions(ws: Worksheet, template: Template, vendor: str, count: int) -> None:
    ws.title = SHEET_INSTRUCTIONS
    ws.column_dimensions["A"].width = 110
    ws.append([safe_text(template.title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([safe_text(f"For: {vendor}")])
    ws.append([safe_text(f"Template {template.id}, version {template.version}, {count} questions")])
    if template.description:
        ws.append([safe_text(template.description)])
    ws.append([])
    for line in _INSTRUCTIONS:
        ws.append([safe_text(line)])
    for row in ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.protection.sheet = True


def _allowed(q: Question) -> str:
    if q.type is AnswerType.YES_NO:
        return "yes, no"
    if q.type in (AnswerType.CHOICE, AnswerType.MULTI_CHOICE):
        return ", ".join(q.choices)
    if q.type is AnswerType.NUMBER:
        bounds = [f"≥ {q.minimum:g}" if q.minimum is not None else "",
                  f"≤ {q.maximum:g}" if q.maximum is not None else ""]
        return " ".join(p for p in [q.unit or "", *bounds] if p)
    if q.type is AnswerType.DATE:
        return "YYYY-MM-DD"
    return f"free text (up to {MAX_TEXT} characters)"


def _number_literal(value: float) -> str:
    """A plain decimal for a validation formula (no exponent, which not every reader parses)."""
    return str(int(value)) if value.is_integer() else format(value, "f").rstrip("0").rstrip(".")


def _validation(q: Question, lists: Worksheet, list_col: int) -> DataValidation | None:
    kind = q.type
    if kind is AnswerType.YES_NO:
        dv = DataValidation(type="list", formula1='"yes,no"')
    elif kind is AnswerType.CHOICE:
        letter = get_column_letter(list_col)
        for i, choice in enumerate(q.choices, start=1):
            lists.cell(row=i, column=list_col, value=safe_text(choice))
        ref = f"{quote_sheetname(SHEET_LISTS)}!${letter}$1:${letter}${len(q.choices)}"
        dv = DataValidation(type="list", formula1=ref)
    elif kind is AnswerType.NUMBER:
        low = q.minimum if q.minimum is not None else -1e15
        high = q.maximum if q.maximum is not None else 1e15
        dv = DataValidation(type="decimal", operator="between", formula1=_number_literal(low),
                            formula2=_number_literal(high))
    elif kind is AnswerType.DATE:
        dv = DataValidation(type="date", operator="between", formula1="DATE(1970,1,1)",
                            formula2="DATE(2200,12,31)")
    elif kind is AnswerType.TEXT:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT))
    else:
        return None  # multi_choice: no multi-select dropdown exists; the reader validates
    dv.error = f"Allowed: {_allowed(q)}"[:255]
    dv.errorTitle = "Invalid answer"
    dv.showErrorMessage = True
    dv.allow_blank = True
    return dv


def _questions(ws: Worksheet, lists: Worksheet, questions: tuple[Question, ...]) -> None:
    ws.append(list(COLUMNS))
    for i, cell in enumerate(ws[1]):
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(i + 1)].width = _WIDTHS[i]
    for q in questions:
        text = q.text + (f"\n({q.help})" if q.help else "")
        ws.append([safe_text(v) for v in (q.id, q.section, text, _TYPE_LABEL[q.type],
                                          _allowed(q), None, None)])
        row = ws.max_row
        for col in range(1, len(COLUMNS) + 1):
            ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        for col in (ANSWER_COL, EVIDENCE_COL):
            cell = ws.cell(row=row, column=col)
            cell.protection = Protection(locked=False)
            cell.fill = _ANSWER_FILL
        answer = ws.cell(row=row, column=ANSWER_COL)
        if q.type is AnswerType.DATE:
            answer.number_format = "yyyy-mm-dd"
        dv = _validation(q, lists, row)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(answer)
    ws.freeze_panes = "B2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let the vendor widen columns
    ws.protection.formatRows = False


def _meta(ws: Worksheet, template: Template, vendor: str, kind: str | None,
          generated_at: datetime, count: int) -> None:
    rows = (("format", FORMAT_MARKER), ("format_version", FORMAT_VERSION),
            ("template_id", template.id), ("template_version", template.version),
            ("template_fingerprint", template.fingerprint), ("vendor_name", vendor),
            ("vendor_kind", kind or ""), ("question_count", str(count)),
            ("generated_at", generated_at.isoformat(timespec="seconds")))
    for key, value in rows:
        ws.append([key, safe_text(value)])


# ----------------------------------------------------------------------------- reading


def _as_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _norm_header(value: Any) -> str:
    return " ".join(_as_text(value).lower().replace("_", " ").split())


def _open(path: Path) -> Any:
    try:
        return load_workbook(path, read_only=True, data_only=False)
    except FileNotFoundError as e:
        raise QuestionnaireImportError(path, [CellProblem("", None, None, "file not found")]) from e
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise QuestionnaireImportError(path, [CellProblem(
            "", None, None, f"not an .xlsx spreadsheet ({type(e).__name__})")]) from e


def _read_meta(wb: Any, templates: list[Template],
               problems: list[CellProblem]) -> tuple[Template | None, dict[str, str]]:
    if SHEET_META not in wb.sheetnames:
        problems.append(CellProblem(SHEET_META, None, None,
                                    "sheet is missing: not a vendorrisk questionnaire"))
        return None, {}
    meta: dict[str, str] = {}
    for row in wb[SHEET_META].iter_rows(min_row=1, max_col=2, values_only=True):
        if row and row[0] is not None:
            meta[_as_text(row[0])] = _as_text(restore_text(row[1] if len(row) > 1 else None))
    if meta.get("format") != FORMAT_MARKER:
        problems.append(CellProblem(SHEET_META, 1, "B", "not a vendorrisk questionnaire"))
        return None, meta
    tid, version = meta.get("template_id", ""), meta.get("template_version", "")
    found = [t for t in templates if t.id == tid and t.version == version]
    if not found:
        problems.append(CellProblem(SHEET_META, None, None, (
            f"template {tid!r} version {version!r} is unknown (tampered, or from another "
            "installation)")))
        return None, meta
    if meta.get("template_fingerprint") != found[0].fingerprint:
        problems.append(CellProblem(SHEET_META, None, None, (
            f"template {tid} version {version} differs from the one this workbook was "
            "written from (tampered, or the template changed without a new version)")))
        return None, meta
    return found[0], meta


def _header(ws: Any, problems: list[CellProblem]) -> dict[str, int] | None:
    first = next(ws.iter_rows(min_row=1, max_row=1), ())
    positions = {_norm_header(c.value): i for i, c in enumerate(first) if c.value is not None}
    cols = {"id": positions.get("question id"), "answer": positions.get("answer"),
            "evidence": positions.get("evidence / comments", positions.get("evidence"))}
    missing = [name for key, name in (("id", "Question ID"), ("answer", "Answer"))
               if cols[key] is None]
    for name in missing:
        problems.append(CellProblem(SHEET_QUESTIONS, 1, None, f"missing column {name!r}"))
    return None if missing else {k: v for k, v in cols.items() if v is not None}


def _cell(row: tuple[Any, ...], index: int | None) -> Any:
    return row[index] if index is not None and index < len(row) else None


def _is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f"


def _read_rows(ws: Any, template: Template, cols: dict[str, int],
               problems: list[CellProblem]) -> tuple[dict[str, Any], dict[str, str]]:
    answers: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    seen: dict[str, int] = {}
    letter = {k: get_column_letter(v + 1) for k, v in cols.items()}
    for rownum, row in enumerate(ws.iter_rows(min_row=2), start=2):
        if rownum > MAX_ROWS or len(problems) >= MAX_PROBLEMS:
            problems.append(CellProblem(SHEET_QUESTIONS, rownum, None, (
                f"more than {MAX_ROWS} rows" if rownum > MAX_ROWS
                else f"more than {MAX_PROBLEMS} problems") + "; stopped reading here"))
            break
        qcell, acell, ecell = (_cell(row, cols.get(k)) for k in ("id", "answer", "evidence"))
        qid = _as_text(getattr(qcell, "value", None))
        raw = getattr(acell, "value", None)
        note = getattr(ecell, "value", None)

        def bad(col: str, message: str, rownum: int = rownum) -> None:
            problems.append(CellProblem(SHEET_QUESTIONS, rownum, letter[col], message))

        if not qid:
            if not is_blank(raw) or not is_blank(note):
                bad("id", "answer given on a row without a question ID")
            continue
        if not template.has_question(qid):
            bad("id", f"unknown question {qid!r} for template {template.id} v{template.version}")
            continue
        if qid in seen:
            bad("id", f"question {qid} appears twice (first on row {seen[qid]})")
            continue
        seen[qid] = rownum
        for col, cell in (("id", qcell), ("answer", acell), ("evidence", ecell)):
            if _is_formula(cell):
                bad(col, "formulas are not accepted; type the value itself")
        if _is_formula(acell):
            continue
        try:
            value = validate_answer(template.question(qid), raw)
        except InputError as e:
            bad("answer", str(e))
            continue
        if value is not None:
            answers[qid] = value
        if not is_blank(note) and not _is_formula(ecell):
            text = _as_text(note)
            if len(text) > MAX_TEXT:
                bad("evidence", f"evidence is {len(text)} characters long (at most {MAX_TEXT})")
            else:
                evidence[qid] = text
    return answers, evidence


def read_questionnaire(path: Path, templates: Mapping[str, Template] | Iterable[Template]
                       ) -> ParsedResponse:
    """Read a filled-in workbook; raise QuestionnaireImportError listing every problem.

    ``templates`` may be :func:`load_templates`'s dict or :func:`load_all`'s tuple (to accept
    responses to older template versions).
    """
    pool = list(templates.values()) if isinstance(templates, Mapping) else list(templates)
    problems: list[CellProblem] = []
    wb = _open(path)
    try:
        template, meta = _read_meta(wb, pool, problems)
        if SHEET_QUESTIONS not in wb.sheetnames:
            problems.append(CellProblem(SHEET_QUESTIONS, None, None, "sheet is missing"))
            raise QuestionnaireImportError(path, problems)
        cols = _header(wb[SHEET_QUESTIONS], problems)
        if template is None or cols is None:
            raise QuestionnaireImportError(path, problems)
        answers, evidence = _read_rows(wb[SHEET_QUESTIONS], template, cols, problems)
    except (SyntaxError, zipfile.BadZipFile) as e:
        # Sheets are parsed lazily in read-only mode, so a damaged part surfaces only here.
        # (XML parse errors of ElementTree and lxml both subclass SyntaxError.)
        problems.append(CellProblem("", None, None, f"damaged spreadsheet ({type(e).__name__})"))
        raise QuestionnaireImportError(path, problems) from e
    finally:
        wb.close()
    if problems:
        raise QuestionnaireImportError(path, problems)
    kind = meta.get("vendor_kind") or None
    unanswered = tuple(q.id for q in template.questions_for(kind) if q.id not in answers)
    return ParsedResponse(template=template, vendor_name=meta.get("vendor_name", ""),
                          vendor_kind=kind, answers=answers, evidence=evidence,
                          unanswered=unanswered, meta=meta)
