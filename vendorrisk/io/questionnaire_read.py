"""Reading a filled-in questionnaire workbook back, validating everything.

Every problem is collected as (sheet, row, column, message) before one
:class:`~vendorrisk.io.questionnaire_format.QuestionnaireImportError` is raised, so nothing
partial is ever recorded. Protection is a convenience for the vendor, not a security
boundary: the reader re-checks the template identity, every question id and every answer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from vendorrisk.errors import InputError
from vendorrisk.io.questionnaire_format import (
    FORMAT_MARKER,
    MAX_PROBLEMS,
    MAX_ROWS,
    SHEET_META,
    SHEET_QUESTIONS,
    CellProblem,
    ParsedResponse,
    QuestionnaireImportError,
)
from vendorrisk.io.safe_cells import restore_text
from vendorrisk.io.xlsx_guard import DAMAGED, MAX_COLUMNS, WorkbookError, describe, open_workbook
from vendorrisk.questionnaires.answers import MAX_TEXT, is_blank, validate_answer
from vendorrisk.questionnaires.model import Template


def _as_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _norm_header(value: Any) -> str:
    return " ".join(_as_text(value).lower().replace("_", " ").split())


def _open(path: Path) -> Any:
    """The workbook, after :func:`~vendorrisk.io.xlsx_guard.check_workbook`'s limits."""
    try:
        return open_workbook(path)
    except WorkbookError as e:
        message = f"{e.where}: {e.problem}" if e.where else e.problem
        raise QuestionnaireImportError(path, [CellProblem("", None, None, message)]) from e


def _read_meta(wb: Any, templates: list[Template],
               problems: list[CellProblem]) -> tuple[Template | None, dict[str, str]]:
    if SHEET_META not in wb.sheetnames:
        problems.append(CellProblem(SHEET_META, None, None,
                                    "sheet is missing: not a vendorrisk questionnaire"))
        return None, {}
    meta: dict[str, str] = {}
    for number, row in enumerate(wb[SHEET_META].iter_rows(min_row=1, max_col=2,
                                                          values_only=True), start=1):
        if number > MAX_ROWS:
            break
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
    first = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS), ())
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


def _read_rows(ws: Any, template: Template, cols: dict[str, int], problems: list[CellProblem],
               last_row: list[int]) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers and evidence by question id; ``last_row[0]`` follows the rows read."""
    answers: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    seen: dict[str, int] = {}
    letter = {k: get_column_letter(v + 1) for k, v in cols.items()}
    width = max(cols.values()) + 1
    for rownum, row in enumerate(ws.iter_rows(min_row=2, max_col=width), start=2):
        if rownum > MAX_ROWS or len(problems) >= MAX_PROBLEMS:
            problems.append(CellProblem(SHEET_QUESTIONS, rownum, None, (
                f"more than {MAX_ROWS} rows" if rownum > MAX_ROWS
                else f"more than {MAX_PROBLEMS} problems") + "; stopped reading here"))
            break
        last_row[0] = rownum
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
        if isinstance(raw, float) and not math.isfinite(raw):
            bad("answer", f"{qid}: not a finite number ({raw})")
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
    where, last_row = SHEET_META, [0]
    try:
        template, meta = _read_meta(wb, pool, problems)
        where = SHEET_QUESTIONS
        if SHEET_QUESTIONS not in wb.sheetnames:
            problems.append(CellProblem(SHEET_QUESTIONS, None, None, "sheet is missing"))
            raise QuestionnaireImportError(path, problems)
        cols = _header(wb[SHEET_QUESTIONS], problems)
        if template is None or cols is None:
            raise QuestionnaireImportError(path, problems)
        answers, evidence = _read_rows(wb[SHEET_QUESTIONS], template, cols, problems, last_row)
    except DAMAGED as e:
        # Sheets are parsed lazily in read-only mode, so damaged cell data surfaces only here.
        after = f"after row {last_row[0]}: " if last_row[0] else ""
        problems.append(CellProblem(where, None, None,
                                    f"{after}damaged spreadsheet ({describe(e)})"))
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
