"""Our own check of a DORA register against the EBA blocking rules and not-null rules.

805 an empty key column, 806 a repeated key, 807 a foreign key pointing at no row, 808 filing
indicators that contradict the tables: these make a supervisor reject the whole package.
The not-null rules of ``required`` columns are warnings. Each :class:`Breach` reads
``template.column row: what is missing, where to enter it``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vendorrisk.io.dora_register import Register
from vendorrisk.io.dora_spec import TEMPLATES, column_name, foreign_keys, keys, required

BLOCKING = frozenset({"805", "806", "807", "808"})
NOT_NULL = "not_null"


@dataclass(frozen=True)
class Breach:
    rule: str
    template: str
    column: str
    row: int
    """1-based data row of the template's CSV (0: the template as a whole)."""
    record: str
    what: str
    where: str

    @property
    def blocking(self) -> bool:
        return self.rule in BLOCKING

    def __str__(self) -> str:
        return (f"{self.template}.{self.column} row {self.row} ({self.record}): {self.what}, "
                f"{self.where} [rule {self.rule}]")

    def as_row(self) -> list[str]:
        return [self.rule, "blocking" if self.blocking else "warning", self.template,
                self.column, str(self.row), self.record, self.what, self.where]


def filing_indicators(register: Register) -> dict[str, bool]:
    """Template -> reported: true exactly for the templates that have rows."""
    return {t: bool(register.tables.get(t)) for t in TEMPLATES}


def _empty(value: object) -> bool:
    return value is None or value == ""


def _nullable_key(template: str, column: str, row: Mapping[str, object]) -> bool:
    """B_02.02.c0150 (storage location) is empty when the vendor stores no data."""
    return (template, column) == ("B_02.02", "c0150") and row.get("c0140") == "eba_BT:x29"


def _check_row(register: Register, t: str, i: int, seen: dict[tuple[str, ...], int]
               ) -> list[Breach]:
    row = register.tables[t][i]
    labels = register.labels.get(t, [])
    label = labels[i] if i < len(labels) else f"row {i + 1}"
    out: list[Breach] = []

    def hint(col: str) -> tuple[str, str]:
        m = register.missing_at(t, i, col)
        return ((m.what, m.where) if m else
                (f"{column_name(t, col)} is empty", "not held by vendorrisk"))

    key_cols = keys(t)
    for k in key_cols:
        if _empty(row.get(k)) and not _nullable_key(t, k, row):
            out.append(Breach("805", t, k, i + 1, label, *hint(k)))
    key = tuple(str(row.get(k) or "") for k in key_cols)
    if key_cols and all(key):
        if key in seen:
            out.append(Breach("806", t, key_cols[0], i + 1, label,
                              f"same key as row {seen[key]} ({', '.join(key)})",
                              "merge or tell the two records apart"))
        else:
            seen[key] = i + 1
    for col, targets in foreign_keys(t).items():
        value = row.get(col)
        if _empty(value):
            continue
        if not any(str(value) in {str(r.get(tc)) for r in register.tables.get(tt, [])}
                   for tt, tc in targets):
            names = " or ".join(f"{tt}.{tc}" for tt, tc in targets)
            out.append(Breach("807", t, col, i + 1, label, f"{value} is in no row of {names}",
                              f"record it where {names} comes from"))
    for col in required(t):
        if _empty(row.get(col)) and col not in key_cols and not _nullable_key(t, col, row):
            out.append(Breach(NOT_NULL, t, col, i + 1, label, *hint(col)))
    return out


def validate(register: Register,
             indicators: Mapping[str, bool] | None = None) -> list[Breach]:
    """Every breach of the register, blocking first, in template order."""
    out: list[Breach] = []
    tables = register.tables
    indicators = filing_indicators(register) if indicators is None else indicators
    for t in TEMPLATES:
        seen: dict[tuple[str, ...], int] = {}
        for i in range(len(tables.get(t, []))):
            out += _check_row(register, t, i, seen)
    for t in TEMPLATES:
        if t not in indicators:
            out.append(Breach("808", t, "-", 0, "FilingIndicators.csv", "no filing indicator",
                              "every template needs one"))
        elif tables.get(t) and not indicators[t]:
            out.append(Breach("808", t, "-", 0, "FilingIndicators.csv",
                              "has rows but is reported false", "report it true"))
    return sorted(out, key=lambda b: (not b.blocking, TEMPLATES.index(b.template), b.row))
