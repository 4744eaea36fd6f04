"""Frozen read models handed from the services to the UI: already formatted, no ORM inside.

A view is a :class:`Table` (rows of :class:`Cell`) or a :class:`Detail` (titled sections of
lines and tables). Cells carry a ``tone`` (a severity or score band) that the UI maps to a
colour, and a ``sort`` value so numbers and dates sort as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    """What the user reads."""
    tone: str | None = None
    """critical / high / medium / low / info / ok / muted, or None."""
    sort: Any = None
    """Sort value when the text does not sort naturally (numbers, dates)."""

    @property
    def sort_key(self) -> tuple[int, Any]:
        value = self.sort if self.sort is not None else self.text.lower()
        return (0 if isinstance(value, (int, float)) else 1, value)


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    """Stable id of the record behind the row (finding id, domain id, vendor name…)."""
    cells: tuple[Cell, ...]
    search: str = ""
    """Lower-case text the `/` filter matches against (defaults to the joined cells)."""

    def matches(self, needle: str) -> bool:
        haystack = self.search or " ".join(c.text for c in self.cells).lower()
        return all(word in haystack for word in needle.lower().split())


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""
    """A line shown above the table (coverage, chain status, "not scored"…)."""
    empty: str = "Nothing here yet."


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True)
class Detail:
    key: str
    title: str
    subtitle: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Dashboard:
    clients: Table
    """One row per client: scores, open critical/high, deadlines, expiring certs, reviews due."""
    upcoming: Table
    """Notice deadlines, renewals, certifications expiring and reviews due within the window."""
    client: str | None = None
    client_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    value: str
    help: str = ""
    required: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    text: str
    kind: str
    choices: tuple[str, ...]
    answer: str
    risky: tuple[str, ...] = ()
    """Why the template marks answers as risky (``severity: why``)."""
    risky_now: bool = False


@dataclass(frozen=True)
class QuestionnaireForm:
    vendor: str
    template_id: str
    title: str
    status: str
    questions: tuple[Question, ...] = field(default_factory=tuple)
