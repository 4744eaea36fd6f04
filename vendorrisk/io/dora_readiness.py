"""DORA readiness of one client: per template whether it is complete, and each cell still to
fill with the command (and the TUI screen) that fills it.

Nothing here decides what is missing: the builder's :class:`~vendorrisk.io.dora_model.Missing`
cells, its input :class:`~vendorrisk.io.dora_model.Problem` s and the validator's breaches
(:mod:`vendorrisk.io.dora_validate`) are read as they are, once each cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vendorrisk.io.dora_model import Register
from vendorrisk.io.dora_spec import TEMPLATES, column_name, template
from vendorrisk.io.dora_validate import Breach

_SCREENS = (
    ("vendorrisk client edit", "Dashboard: E on the client"),
    ("vendorrisk contract edit", "Contracts: Enter on the contract"),
    ("vendorrisk vendor edit", "Vendors: Enter, then E on the vendor"),
    ("vendorrisk function", "DORA readiness (D on the dashboard): Functions tab"),
)


def screen_for(where: str) -> str:
    """The TUI screen where the command ``where`` has its form."""
    return next((screen for prefix, screen in _SCREENS if where.startswith(prefix)),
                "not in the TUI")


@dataclass(frozen=True)
class Gap:
    """One cell (or input) still to fill."""

    template: str
    cell: str
    """``B_02.02.c0150``; ``-`` for a template as a whole or an input problem."""
    column_name: str
    row: int
    record: str
    what: str
    where: str
    """The command that records it (or where else it is entered)."""
    severity: str
    """blocking (the package is refused), warning (a not-null rule) or missing (optional)."""

    @property
    def screen(self) -> str:
        return screen_for(self.where)

    def to_json(self) -> dict[str, Any]:
        return {"template": self.template, "cell": self.cell, "column_name": self.column_name,
                "row": self.row, "record": self.record, "what": self.what,
                "where": self.where, "screen": self.screen, "severity": self.severity}


@dataclass(frozen=True)
class TemplateState:
    template: str
    title: str
    rows: int
    blocking: int
    gaps: int

    @property
    def status(self) -> str:
        if not self.rows:
            return "not reported"
        if self.blocking:
            return f"{self.blocking} blocking"
        return "complete" if not self.gaps else f"{self.gaps} to fill"


@dataclass(frozen=True)
class Readiness:
    client: str
    templates: tuple[TemplateState, ...]
    gaps: tuple[Gap, ...]
    """Input problems first, then blocking breaches, warnings, optional cells."""

    @property
    def ready(self) -> bool:
        """A package would be accepted: no input problem, no blocking breach."""
        return not any(g.severity == "blocking" for g in self.gaps)

    def to_json(self) -> dict[str, Any]:
        return {"client": self.client, "ready": self.ready,
                "templates": [{"template": t.template, "title": t.title, "rows": t.rows,
                               "status": t.status} for t in self.templates],
                "gaps": [g.to_json() for g in self.gaps]}


def _command_in(message: str) -> str:
    """The `command` a problem's message quotes, else a plain instruction."""
    parts = message.split("`")
    return parts[1] if len(parts) > 2 else "correct the record"


def readiness(register: Register, breaches: Sequence[Breach]) -> Readiness:
    gaps: list[Gap] = [Gap("-", "-", p.field, 0, p.record, p.message, _command_in(p.message),
                           "blocking") for p in register.problems]
    seen: set[tuple[str, int, str]] = set()
    for b in breaches:
        cell = f"{b.template}.{b.column}" if b.column != "-" else "-"
        name = column_name(b.template, b.column) if b.column != "-" else b.template
        gaps.append(Gap(b.template, cell, name, b.row, b.record, b.what, b.where,
                        "blocking" if b.blocking else "warning"))
        seen.add((b.template, b.row - 1, b.column))
    for m in register.missing:
        if (m.template, m.row, m.column) not in seen:
            gaps.append(Gap(m.template, m.cell(), column_name(m.template, m.column), m.row + 1,
                            m.record, m.what, m.where, "missing"))
    states = []
    for t in TEMPLATES:
        mine = [g for g in gaps if g.template == t]
        states.append(TemplateState(t, str(template(t)["title"]), len(register.tables[t]),
                                    sum(g.severity == "blocking" for g in mine), len(mine)))
    return Readiness(register.client, tuple(states), tuple(gaps))
