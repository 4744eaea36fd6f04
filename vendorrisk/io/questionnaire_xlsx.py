"""The questionnaire workbook a vendor fills in, and reading it back.

Writing: one row per question, a dropdown or typed validation per answer type, question
columns locked (sheet protection with only Answer and Evidence unlocked), an Instructions
sheet, and a hidden Meta sheet with the template id, version and fingerprint.

Reading (:func:`read_questionnaire`, in :mod:`vendorrisk.io.questionnaire_read`) validates
everything and collects *every* problem before raising one :class:`QuestionnaireImportError`.
The layout both share is in :mod:`vendorrisk.io.questionnaire_format`; this module is the
one callers import.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vendorrisk.io.atomic import write_stream_atomic
from vendorrisk.io.questionnaire_format import (
    ANSWER_COL,
    COLUMNS,
    EVIDENCE_COL,
    FORMAT_MARKER,
    FORMAT_VERSION,
    MAX_PROBLEMS,
    MAX_ROWS,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_META,
    SHEET_QUESTIONS,
    CellProblem,
    ParsedResponse,
    QuestionnaireImportError,
)
from vendorrisk.io.questionnaire_read import read_questionnaire
from vendorrisk.io.safe_cells import safe_text
from vendorrisk.questionnaires.answers import MAX_TEXT
from vendorrisk.questionnaires.model import AnswerType, Question, Template

__all__ = [
    "ANSWER_COL", "COLUMNS", "EVIDENCE_COL", "FORMAT_MARKER", "FORMAT_VERSION", "MAX_PROBLEMS",
    "MAX_ROWS", "SHEET_INSTRUCTIONS", "SHEET_LISTS", "SHEET_META", "SHEET_QUESTIONS",
    "CellProblem", "ParsedResponse", "QuestionnaireImportError", "read_questionnaire",
    "write_questionnaire",
]
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


# ----------------------------------------------------------------------------- writing


def write_questionnaire(template: Template, vendor_name: str, path: Path, *,
                        vendor_kind: str | None = None,
                        generated_at: datetime | None = None, force: bool = False) -> Path:
    """Write the workbook for ``vendor_name``; only questions for ``vendor_kind`` (all if None).
    Written atomically; an existing ``path`` is replaced only with ``force``."""
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
    write_stream_atomic(path, wb.save, force=force)
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
