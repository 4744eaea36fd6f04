"""DORA register of information: B_02.01, B_02.02, B_05.01, B_05.02 and B_07.01 as CSV.

Built from plain records (one client, its contracts, the vendors behind them). Column codes
and closed-list values come from ``data/dora-register.yaml``. A value vendorrisk does not
hold is left empty and listed in ``missing-data.csv`` with what to record; nothing is
guessed. Function identifiers (F1, F2, ...) are assigned per distinct supported function and
listed in ``functions.csv``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from vendorrisk.datafiles import line_of, load_yaml
from vendorrisk.errors import ConfigError
from vendorrisk.io.atomic import write_atomic
from vendorrisk.io.safe_cells import safe_text
from vendorrisk.paths import data_file

TEMPLATES: tuple[str, ...] = ("B_02.01", "B_02.02", "B_05.01", "B_05.02", "B_07.01")
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SUBCONTRACTED_REASON = "the register needs the ICT service type (Annex III S01-S19)"


@cache
def spec() -> dict[str, Any]:
    path = data_file("dora-register.yaml")
    data = load_yaml(path, what="the DORA register specification")
    if not isinstance(data, dict) or set(TEMPLATES) - set(data.get("templates", {})):
        line = line_of(data, "templates") if isinstance(data, dict) else line_of(data)
        raise ConfigError(f"{path}:{line or 1}: templates {', '.join(TEMPLATES)} are required")
    return data


def columns(template: str) -> list[str]:
    return [c["code"] for c in spec()["templates"][template]["columns"]]


def column_name(template: str, code: str) -> str:
    return str(next(c["name"] for c in spec()["templates"][template]["columns"]
                    if c["code"] == code))


@dataclass(frozen=True)
class Missing:
    template: str
    record: str
    column: str
    what: str

    def row(self) -> list[str]:
        return [self.template, self.record, f"{self.template}.{self.column[1:]}",
                column_name(self.template, self.column), self.what]


@dataclass
class Register:
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)
    functions: dict[str, str] = field(default_factory=dict)
    """Function identifier -> supported function."""


def _code(list_name: str, value: Any) -> str | None:
    if value is None:
        return None
    code = spec()["lists"][list_name].get(str(value).lower())
    return str(code) if code is not None else None


def _country(value: Any) -> str | None:
    text = str(value or "").strip().upper()
    return spec()["country_prefix"] + text if _COUNTRY.match(text) and text != "EU" else None


def provider_id(vendor: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(identification code, type of code): LEI first, then EUID (the EBA's preference)."""
    if vendor.get("lei"):
        return vendor["lei"], _code("identifier_type", "lei")
    if vendor.get("euid"):
        return vendor["euid"], _code("identifier_type", "euid")
    return None, None


class _Builder:
    def __init__(self, client: Mapping[str, Any], contracts: Sequence[Mapping[str, Any]],
                 vendors: Mapping[str, Mapping[str, Any]], today: date) -> None:
        self.client, self.contracts, self.vendors, self.today = client, contracts, vendors, today
        self.out = Register({t: [] for t in TEMPLATES})

    def need(self, template: str, record: str, row: dict[str, Any], code: str, value: Any,
             what: str) -> None:
        row[code] = value
        if value in (None, ""):
            self.out.missing.append(Missing(template, record, code, what))

    def build(self) -> Register:
        names = sorted({c.get("supported_function") or "" for c in self.contracts} - {""})
        self.out.functions = {f"F{i}": name for i, name in enumerate(names, start=1)}
        function_ids = {name: fid for fid, name in self.out.functions.items()}
        for contract in self.contracts:
            vendor = self.vendors[contract["vendor"]]
            self._b0201(contract)
            self._b0202(contract, vendor, function_ids)
            self._b0502(contract, vendor)
            if contract.get("function_criticality") != "not_critical":
                self._b0701(contract, vendor)
        for name in sorted({c["vendor"] for c in self.contracts}):
            self._b0501(self.vendors[name], [c for c in self.contracts if c["vendor"] == name])
        return self.out

    def _b0201(self, c: Mapping[str, Any]) -> None:
        ref, row = c["reference"], {"c0010": c["reference"]}
        ctype = c.get("contract_type")
        self.need("B_02.01", ref, row, "c0020", _code("contract_type", ctype),
                  f"contract type {ctype!r} is not an arrangement type; record standalone, "
                  "overarching or subsequent")
        if ctype == "subsequent":
            self.need("B_02.01", ref, row, "c0030", None, "the overarching arrangement's reference")
        currency = c.get("currency")
        self.need("B_02.01", ref, row, "c0040",
                  spec()["currency_prefix"] + currency if currency else None, "contract currency")
        self.need("B_02.01", ref, row, "c0050", _amount(c.get("annual_value")),
                  "annual value of the contract")
        self.out.tables["B_02.01"].append(row)

    def _b0202(self, c: Mapping[str, Any], v: Mapping[str, Any],
               function_ids: Mapping[str, str]) -> None:
        ref, row = c["reference"], {"c0010": c["reference"]}
        t = "B_02.02"
        self.need(t, ref, row, "c0020", self.client.get("lei"), f"client {self.client['name']}'s LEI")
        code, kind = provider_id(v)
        self.need(t, ref, row, "c0030", code, f"vendor {v['name']}'s LEI or EUID")
        row["c0040"] = kind
        self.need(t, ref, row, "c0050", function_ids.get(c.get("supported_function") or ""),
                  "the client function the contract supports")
        self.need(t, ref, row, "c0060", None, _SUBCONTRACTED_REASON)
        row["c0070"] = c.get("start_date")
        end = c.get("end_date")
        row["c0080"] = end or spec()["open_ended_date"]
        if end and date.fromisoformat(str(end)) < self.today and not c.get("auto_renew"):
            self.need(t, ref, row, "c0090", None, "the reason the arrangement ended")
        self.need(t, ref, row, "c0100", c.get("notice_days_customer"), "client's notice period")
        self.need(t, ref, row, "c0110", c.get("notice_days_vendor"), "vendor's notice period")
        self.need(t, ref, row, "c0120", _country(c.get("governing_law")),
                  "governing law as an ISO country code (recorded: "
                  f"{c.get('governing_law') or 'nothing'})")
        self.need(t, ref, row, "c0130", _country(c.get("country_of_provision")),
                  "country of provision")
        storage = [_country(x) for x in v.get("data_locations") or []]
        processing = [_country(x) for x in v.get("processing_locations") or []]
        self.need(t, ref, row, "c0140", _code("yes_no", bool(storage)) if v.get(
            "data_locations") else None, f"whether {v['name']} stores data (its data locations)")
        self.need(t, ref, row, "c0150", next((x for x in storage if x), None),
                  "data storage location as a country (EU/EEA/GLOBAL are not countries)")
        self.need(t, ref, row, "c0160", next((x for x in processing if x), None),
                  "data processing location as a country")
        self.need(t, ref, row, "c0170", _code("data_sensitivity", c.get("data_sensitivity")),
                  "data sensitivity (low / medium / high)")
        self.need(t, ref, row, "c0180", _code("reliance_level", c.get("reliance_level")),
                  "level of reliance")
        self.out.tables[t].append(row)

    def _b0501(self, v: Mapping[str, Any], contracts: Sequence[Mapping[str, Any]]) -> None:
        t, name = "B_05.01", v["name"]
        row: dict[str, Any] = {}
        code, kind = provider_id(v)
        self.need(t, name, row, "c0010", code, "vendor LEI or EUID")
        row["c0020"] = kind
        if v.get("lei") and v.get("euid"):
            row["c0030"], row["c0040"] = v["euid"], _code("identifier_type", "euid")
        self.need(t, name, row, "c0050", v.get("legal_name"), "vendor legal name")
        row["c0060"] = v.get("legal_name")
        row["c0070"] = _code("person_type", "legal_person")
        self.need(t, name, row, "c0080", _country(v.get("hq_country")), "headquarters country")
        currencies = {c.get("currency") for c in contracts}
        values = [c.get("annual_value") for c in contracts]
        total = (sum((Decimal(str(x)) for x in values), Decimal(0))
                 if values and None not in values and len(currencies) == 1 else None)
        self.need(t, name, row, "c0100", _amount(total),
                  "annual value (and one currency) on every contract with this vendor")
        row["c0090"] = spec()["currency_prefix"] + currencies.pop() if total is not None and \
            None not in currencies else None
        parent = str(v.get("ultimate_parent") or "").strip().upper()
        self.need(t, name, row, "c0110", parent if _LEI.match(parent) else None,
                  "ultimate parent's LEI (recorded: " + (v.get("ultimate_parent") or "nothing")
                  + ")")
        row["c0120"] = _code("identifier_type", "lei") if row["c0110"] else None
        self.out.tables[t].append(row)

    def _b0502(self, c: Mapping[str, Any], v: Mapping[str, Any]) -> None:
        t, ref = "B_05.02", c["reference"]
        chain = [(v, None)] + [(self.vendors.get(s["name"], {"name": s["name"]}), s)
                               for s in sorted(v.get("subcontractors") or [],
                                               key=lambda s: s["rank"])]
        previous: Mapping[str, Any] | None = None
        for rank, (provider, _link) in enumerate(chain, start=1):
            row: dict[str, Any] = {"c0010": ref}
            self.need(t, ref, row, "c0020", None, _SUBCONTRACTED_REASON)
            code, kind = provider_id(provider)
            self.need(t, ref, row, "c0030", code, f"{provider['name']}'s LEI or EUID")
            row["c0040"], row["c0050"] = kind, rank
            if previous is not None:
                pcode, pkind = provider_id(previous)
                self.need(t, ref, row, "c0060", pcode, f"{previous['name']}'s LEI or EUID")
                row["c0070"] = pkind
            previous = provider
            self.out.tables[t].append(row)

    def _b0701(self, c: Mapping[str, Any], v: Mapping[str, Any]) -> None:
        t, ref, row = "B_07.01", c["reference"], {"c0010": c["reference"]}
        code, kind = provider_id(v)
        self.need(t, ref, row, "c0020", code, f"vendor {v['name']}'s LEI or EUID")
        row["c0030"] = kind
        self.need(t, ref, row, "c0040", None, _SUBCONTRACTED_REASON)
        sub = c.get("substitutability")
        self.need(t, ref, row, "c0050", _code("substitutability", sub), "substitutability")
        if sub in ("not_substitutable", "highly_complex"):
            self.need(t, ref, row, "c0060", None, "why the vendor is hard to substitute")
        self.need(t, ref, row, "c0070", None, "date of the last audit of the vendor")
        exit_plan = c.get("exit_plan")
        self.need(t, ref, row, "c0080", _code("yes_no", exit_plan) if exit_plan is not None
                  else None, "whether an exit plan exists")
        self.need(t, ref, row, "c0090", None, "possibility of reintegration")
        self.need(t, ref, row, "c0100", None, "impact of discontinuing the service")
        self.need(t, ref, row, "c0110", None, "whether alternative providers are identified")
        self.out.tables[t].append(row)


def _amount(value: Any) -> str | None:
    if value is None:
        return None
    return format(Decimal(str(value)).quantize(Decimal("0.01")), "f")


def build_register(client: Mapping[str, Any], contracts: Sequence[Mapping[str, Any]],
                   vendors: Mapping[str, Mapping[str, Any]], today: date) -> Register:
    """``contracts``: the client's contract records; ``vendors``: vendor records by name
    (including every subcontractor in their chains)."""
    return _Builder(client, contracts, vendors, today).build()


def write_register(register: Register, out_dir: Path, *, force: bool = False) -> list[Path]:
    """One CSV per template plus ``missing-data.csv`` and ``functions.csv`` in ``out_dir``,
    built in a temporary folder and renamed into place (:mod:`vendorrisk.io.atomic`): a
    failure leaves no partial set, an existing ``out_dir`` is replaced only with ``force``."""
    names = write_atomic(out_dir, lambda tmp: _write_tables(register, tmp), force=force,
                         directory=True)
    return [out_dir / n for n in names]


def _write_tables(register: Register, folder: Path) -> list[str]:
    names = []
    for template in TEMPLATES:
        codes = columns(template)
        rows = [[_cell(r.get(c)) for c in codes] for r in register.tables[template]]
        names.append(_csv(folder / f"{template.lower()}.csv", codes, rows))
    names.append(_csv(folder / "missing-data.csv",
                      ["template", "record", "column", "column_name", "what_to_record"],
                      [[_cell(x) for x in m.row()] for m in register.missing]))
    names.append(_csv(folder / "functions.csv", ["function_identifier", "function"],
                      [[k, _cell(v)] for k, v in register.functions.items()]))
    return names


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(safe_text(str(value)))


def _csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path.name
