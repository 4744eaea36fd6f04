"""What the DORA register is made of: the :class:`Register` with its :class:`Missing` cells and
:class:`Problem` inputs, the value rules (countries, provider codes, amounts), and
:class:`Rows`, the row-filling state every template builder shares."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from vendorrisk.io.dora_spec import TEMPLATES, column_name, qname, spec

LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SUBDIVISION = re.compile(r"^([A-Z]{2})-[A-Z0-9]{1,3}$")
REGIONS = frozenset({"EU", "EEA", "GLOBAL"})
"""Locations vendorrisk accepts for residency that are no country. The taxonomy's location
cells (B_02.02.c0150/c0160, keys) take one country each (``eba_GA``), one row per country:
a region has no member there, so it is reported, never mapped to a guessed country."""


@dataclass(frozen=True)
class Missing:
    """A cell the register needs that vendorrisk does not hold."""

    template: str
    row: int
    record: str
    column: str
    what: str
    where: str

    def cell(self) -> str:
        return f"{self.template}.{self.column}"

    def as_row(self) -> list[str]:
        return [self.template, self.record, self.cell(), column_name(self.template, self.column),
                self.what, self.where]


@dataclass(frozen=True)
class Problem:
    """Input the register cannot be built from: names the record and the field."""

    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.record}, field {self.field}: {self.message}"


@dataclass
class Register:
    client: str
    lei: str | None
    country: str | None
    ref_date: date
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)
    """Per template, what each row stands for (a contract reference, a vendor name)."""
    missing: list[Missing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def missing_at(self, template: str, row: int, column: str) -> Missing | None:
        return next((m for m in self.missing if (m.template, m.row, m.column)
                     == (template, row, column)), None)


def country(value: Any) -> str | None:
    """``eba_GA:XX`` for an ISO country code (a subdivision such as ``US-NY`` gives its
    country); None for anything else."""
    text = str(value or "").strip().upper()
    sub = _SUBDIVISION.match(text)
    if sub:
        text = sub.group(1)
    return str(spec()["country_prefix"]) + text if _COUNTRY.match(text) and \
        text not in REGIONS else None


@dataclass(frozen=True)
class Locations:
    countries: list[str]
    """``eba_GA:XX`` of each country, in the record's order, once each."""
    regions: list[str]
    bad: list[str]
    """Values that are neither a country nor a region."""


def locations(values: Iterable[Any] | None) -> Locations:
    countries: list[str] = []
    regions: list[str] = []
    bad: list[str] = []
    for raw in values or []:
        text = str(raw).strip().upper()
        found = country(text)
        if found:
            if found not in countries:
                countries.append(found)
        elif text in REGIONS:
            regions.append(text)
        else:
            bad.append(str(raw))
    return Locations(countries, regions, bad)


def provider_id(vendor: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(identification code, type of code): LEI first, then EUID (the EBA's preference)."""
    if vendor.get("lei"):
        return str(vendor["lei"]), qname("identifier_type", "lei")
    if vendor.get("euid"):
        return str(vendor["euid"]), qname("identifier_type", "euid")
    return None, None


def amount(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return format(Decimal(str(value)).quantize(Decimal("0.01")), "f")


def quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


Slot = tuple[dict[str, Any], int]
"""A row being filled and its index in its template."""


class Rows:
    """The register being built: adds rows, records each empty needed cell as
    :class:`Missing` and each impossible input as :class:`Problem`, and names the command
    that records a value."""

    def __init__(self, client: Mapping[str, Any], ref_date: date) -> None:
        self.name = str(client["name"])
        lei = str(client.get("lei") or "").strip().upper() or None
        self.lei = lei if lei and LEI.match(lei) else None
        self.out = Register(self.name, self.lei, None, ref_date,
                            {t: [] for t in TEMPLATES}, {t: [] for t in TEMPLATES})
        self.lei_type = qname("identifier_type", "lei")

    def problem(self, record: str, fld: str, message: str) -> None:
        found = Problem(record, fld, message)
        if found not in self.out.problems:
            self.out.problems.append(found)

    def row(self, template: str, label: str) -> Slot:
        row: dict[str, Any] = {}
        self.out.tables[template].append(row)
        self.out.labels[template].append(label)
        return row, len(self.out.tables[template]) - 1

    def need(self, template: str, at: Slot, label: str, code: str, value: Any, what: str,
             where: str) -> None:
        row, index = at
        row[code] = value
        if value in (None, ""):
            self.out.missing.append(Missing(template, index, label, code, what, where))

    def client_cmd(self, option: str) -> str:
        return f"vendorrisk client edit {quoted(self.name)} --{option} ..."

    @staticmethod
    def contract_cmd(c: Mapping[str, Any], option: str) -> str:
        return f"vendorrisk contract edit {quoted(str(c['reference']))} --{option} ..."

    @staticmethod
    def vendor_cmd(name: str, option: str) -> str:
        return f"vendorrisk vendor edit {quoted(name)} --{option} ..."

    def function_cmd(self, identifier: str, option: str, *, name: str | None = None) -> str:
        """``function edit`` of a recorded function; ``function add`` (with ``name``, the
        contracts' supported-function text it then matches) of one not yet recorded."""
        verb = "edit" if name is None else "add"
        named = "" if name is None else f' --name "{name}"'
        return (f"vendorrisk function {verb} {quoted(identifier)} --client "
                f"{quoted(self.name)}{named} --{option} ...")
