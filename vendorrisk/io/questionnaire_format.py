"""The questionnaire workbook's layout (sheets, columns, limits) and what reading it reports.

Shared by :mod:`vendorrisk.io.questionnaire_xlsx` (writing) and
:mod:`vendorrisk.io.questionnaire_read` (reading back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vendorrisk.errors import InputError
from vendorrisk.questionnaires.model import Template

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
