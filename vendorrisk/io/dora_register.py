"""DORA register of information: the fifteen templates (B_01.01 ... B_99.01) for one client.

Built from plain records: the client (the financial entity), its contracts, the vendors (ICT
third-party providers, with their subcontractors as a tree), and its functions. Column codes
and QNames come from ``data/dora-register.yaml`` (:mod:`vendorrisk.io.dora_spec`). A value
vendorrisk does not hold is left empty and recorded as :class:`Missing`, with the command that
records it; nothing is guessed. Input that cannot be right (no LEI, a subcontracting cycle, a
location that is no country) is a :class:`Problem`. :mod:`vendorrisk.io.dora_validate` checks
the result; :mod:`vendorrisk.io.dora_package` writes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from vendorrisk.io.dora_spec import TEMPLATES, column_name, qname, spec
from vendorrisk.io.dora_spec import columns as columns

_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SUBDIVISION = re.compile(r"^([A-Z]{2})-[A-Z0-9]{1,3}$")
REGIONS = frozenset({"EU", "EEA", "GLOBAL"})
"""Locations vendorrisk accepts that are no country: the register wants countries."""


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


def provider_id(vendor: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(identification code, type of code): LEI first, then EUID (the EBA's preference)."""
    if vendor.get("lei"):
        return str(vendor["lei"]), qname("identifier_type", "lei")
    if vendor.get("euid"):
        return str(vendor["euid"]), qname("identifier_type", "euid")
    return None, None


def _amount(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return format(Decimal(str(value)).quantize(Decimal("0.01")), "f")


def _q(name: str) -> str:
    return f'"{name}"' if " " in name else name


class _Builder:
    def __init__(self, client: Mapping[str, Any], contracts: Sequence[Mapping[str, Any]],
                 vendors: Mapping[str, Mapping[str, Any]],
                 functions: Sequence[Mapping[str, Any]], today: date, ref_date: date) -> None:
        self.client, self.contracts, self.vendors = client, contracts, vendors
        self.functions, self.today = functions, today
        self.name = str(client["name"])
        lei = str(client.get("lei") or "").strip().upper() or None
        self.lei = lei if lei and _LEI.match(lei) else None
        self.out = Register(self.name, self.lei, None, ref_date,
                            {t: [] for t in TEMPLATES}, {t: [] for t in TEMPLATES})
        self.lei_type = qname("identifier_type", "lei")
        self.providers: dict[str, Mapping[str, Any]] = {}

    # -- helpers -------------------------------------------------------------------------
    def problem(self, record: str, fld: str, message: str) -> None:
        self.out.problems.append(Problem(record, fld, message))

    def row(self, template: str, label: str) -> tuple[dict[str, Any], int]:
        row: dict[str, Any] = {}
        self.out.tables[template].append(row)
        self.out.labels[template].append(label)
        return row, len(self.out.tables[template]) - 1

    def need(self, template: str, at: tuple[dict[str, Any], int], label: str, code: str,
             value: Any, what: str, where: str) -> None:
        row, index = at
        row[code] = value
        if value in (None, ""):
            self.out.missing.append(Missing(template, index, label, code, what, where))

    def client_cmd(self, option: str) -> str:
        return f"vendorrisk client edit {_q(self.name)} --{option} ..."

    @staticmethod
    def contract_cmd(c: Mapping[str, Any], option: str) -> str:
        return f"vendorrisk contract edit {_q(str(c['reference']))} --{option} ..."

    @staticmethod
    def vendor_cmd(name: str, option: str) -> str:
        return f"vendorrisk vendor edit {_q(name)} --{option} ..."

    # -- build ---------------------------------------------------------------------------
    def build(self) -> Register:
        self._check_client()
        function_ids = self._b0601()
        self._b0101_b0102()
        for c in self.contracts:
            self._check_contract(c)
            vendor = self.vendors[str(c["vendor"])]
            self._b0201(c)
            self._b0202(c, vendor, function_ids)
            self._b0301_b0302_b0401(c, vendor)
            self._b0502(c, vendor)
            if self._critical(c, function_ids):
                self._b0701(c, vendor)
        for name in sorted(self.providers):
            self._b0501(self.providers[name])
        return self.out

    def _check_client(self) -> None:
        record = f"client {self.name}"
        raw = str(self.client.get("lei") or "").strip()
        if not raw:
            self.problem(record, "lei", "has no LEI; the financial entity's LEI is required "
                         f"(`{self.client_cmd('lei')}`)")
        elif self.lei is None:
            self.problem(record, "lei", f"{raw!r} is not an LEI (20 characters, ISO 17442)")
        where = self.client.get("country")
        self.out.country = str(where).upper() if country(where) else None
        if where and not country(where):
            self.problem(record, "country", f"{where!r} is not a country (ISO 3166 code)")

    def _check_contract(self, c: Mapping[str, Any]) -> None:
        record = f"contract {c['reference']}"
        stype = c.get("ict_service_type")
        if not stype:
            self.problem(record, "ict_service_type", "has no type of ICT service (S01-S19; "
                         f"`{self.contract_cmd(c, 'ict-service-type')}`)")
        elif qname("ict_service_type", stype) is None:
            self.problem(record, "ict_service_type", f"{stype!r} is not S01-S19")
        for fld in ("country_of_provision", "governing_law"):
            value = c.get(fld)
            if value and not country(value):
                self.problem(record, fld, f"{value!r} is not a country (ISO 3166 code)")

    def _b0101_b0102(self) -> None:
        c = self.client
        country_q = country(c.get("country"))
        etype = qname("entity_type", c.get("entity_type"))
        at = self.row("B_01.01", self.name)
        t = "B_01.01"
        self.need(t, at, self.name, "c0010", self.lei, "the client's LEI", self.client_cmd("lei"))
        at[0]["c0020"] = self.name
        self.need(t, at, self.name, "c0030", country_q, "the client's country",
                  self.client_cmd("country"))
        self.need(t, at, self.name, "c0040", etype, "the client's type of entity",
                  self.client_cmd("entity-type"))
        self.need(t, at, self.name, "c0050", c.get("competent_authority"),
                  "the client's competent authority", self.client_cmd("competent-authority"))
        at[0]["c0060"] = self.today.isoformat()
        t = "B_01.02"
        at = self.row(t, self.name)
        self.need(t, at, self.name, "c0010", self.lei, "the client's LEI", self.client_cmd("lei"))
        at[0]["c0020"] = self.name
        self.need(t, at, self.name, "c0030", country_q, "the client's country",
                  self.client_cmd("country"))
        self.need(t, at, self.name, "c0040", etype, "the client's type of entity",
                  self.client_cmd("entity-type"))
        self.need(t, at, self.name, "c0050", None, "the entity's place in its group "
                  "(hierarchy)", "not held by vendorrisk: enter it in the filing tool")
        at[0]["c0060"] = self.lei  # no parent recorded: its own LEI
        at[0]["c0070"] = self.today.isoformat()
        created = str(c.get("created_at") or "")[:10]
        at[0]["c0080"] = created or self.today.isoformat()

    def _b0601(self) -> dict[str, tuple[str, str | None]]:
        """Supported function (identifier or name, lower case) -> (identifier, criticality)."""
        t, out = "B_06.01", {}
        records = list(self.functions)
        known = {str(f["identifier"]).lower() for f in records} | \
            {str(f["name"]).lower() for f in records}
        derived = sorted({str(c.get("supported_function")) for c in self.contracts
                          if c.get("supported_function")
                          and str(c["supported_function"]).lower() not in known})
        taken = {str(f["identifier"]) for f in records}
        numbers = (f"F{n}" for n in range(1, 10_000) if f"F{n}" not in taken)
        for name in derived:
            critical = {str(c.get("function_criticality")) for c in self.contracts
                        if c.get("supported_function") == name}
            crit = "yes" if "critical_or_important" in critical else \
                "no" if critical == {"not_critical"} else None
            records.append({"identifier": next(numbers), "name": name, "criticality": crit,
                            "derived": True})
        for f in records:
            fid, label = str(f["identifier"]), str(f["name"])
            where = (f"function {fid} of {self.name}: field {{}} of the dora_function "
                     "record (no CLI command for it yet)")
            at = self.row(t, f"function {fid} {label}")
            lab = f"function {fid}"
            at[0]["c0010"] = fid
            self.need(t, at, lab, "c0020", f.get("licensed_activity"),
                      "the licenced activity the function belongs to",
                      where.format("licensed-activity"))
            at[0]["c0030"] = label
            self.need(t, at, lab, "c0040", self.lei, "the client's LEI", self.client_cmd("lei"))
            self.need(t, at, lab, "c0050", qname("yes_no_not_assessed", f.get("criticality")),
                      "whether the function is critical or important",
                      where.format("criticality"))
            at[0]["c0060"] = f.get("criticality_reason")
            self.need(t, at, lab, "c0070", f.get("last_assessed"),
                      "date of the last criticality assessment", where.format("last-assessed"))
            self.need(t, at, lab, "c0080", f.get("rto_hours"), "recovery time objective (hours)",
                      where.format("rto-hours"))
            self.need(t, at, lab, "c0090", f.get("rpo_hours"), "recovery point objective "
                      "(hours)", where.format("rpo-hours"))
            self.need(t, at, lab, "c0100", qname("discontinuing_impact",
                                                 f.get("discontinuing_impact")),
                      "impact of discontinuing the function", where.format("discontinuing-impact"))
            out[fid.lower()] = (fid, f.get("criticality"))
            out[label.lower()] = (fid, f.get("criticality"))
        return out

    def _critical(self, c: Mapping[str, Any],
                  function_ids: Mapping[str, tuple[str, str | None]]) -> bool:
        found = function_ids.get(str(c.get("supported_function") or "").lower())
        if found and found[1] in ("yes", "no"):
            return found[1] == "yes"
        return c.get("function_criticality") != "not_critical"

    def _b0201(self, c: Mapping[str, Any]) -> None:
        t, ref = "B_02.01", str(c["reference"])
        at = self.row(t, f"contract {ref}")
        at[0]["c0010"] = ref
        ctype = c.get("contract_type")
        self.need(t, at, ref, "c0020", qname("contract_type", ctype),
                  f"contract type {ctype!r} is not an arrangement type (standalone, "
                  "overarching or subsequent)", self.contract_cmd(c, "contract-type"))
        if ctype == "subsequent":
            self.need(t, at, ref, "c0030", None, "the overarching arrangement's reference",
                      "not held by vendorrisk: enter it in the filing tool")
        currency = c.get("currency")
        self.need(t, at, ref, "c0040", spec()["currency_prefix"] + currency if currency
                  else None, "contract currency", self.contract_cmd(c, "currency"))
        self.need(t, at, ref, "c0050", _amount(c.get("past_year_expense")),
                  "what the client paid under the contract in the past year",
                  self.contract_cmd(c, "past-year-expense"))

    def _b0202(self, c: Mapping[str, Any], v: Mapping[str, Any],
               function_ids: Mapping[str, tuple[str, str | None]]) -> None:
        t, ref, vname = "B_02.02", str(c["reference"]), str(v["name"])
        at = self.row(t, f"contract {ref}")
        row = at[0]
        row["c0010"] = ref
        self.need(t, at, ref, "c0020", self.lei, "the client's LEI", self.client_cmd("lei"))
        code, kind = provider_id(v)
        self.need(t, at, ref, "c0030", code, f"vendor {vname}'s LEI or EUID",
                  self.vendor_cmd(vname, "lei"))
        row["c0040"] = kind
        fid = function_ids.get(str(c.get("supported_function") or "").lower())
        self.need(t, at, ref, "c0050", fid[0] if fid else None,
                  "the client function the contract supports",
                  self.contract_cmd(c, "supported-function"))
        self.need(t, at, ref, "c0060", qname("ict_service_type", c.get("ict_service_type")),
                  "type of ICT service (S01-S19)", self.contract_cmd(c, "ict-service-type"))
        row["c0070"] = c.get("start_date")
        end = c.get("end_date")
        row["c0080"] = end or spec()["open_ended_date"]
        if end and date.fromisoformat(str(end)) < self.today and not c.get("auto_renew"):
            self.need(t, at, ref, "c0090", None, "the reason the arrangement ended",
                      "not held by vendorrisk: enter it in the filing tool")
        self.need(t, at, ref, "c0100", c.get("notice_days_customer"), "client's notice period",
                  self.contract_cmd(c, "notice-days-customer"))
        self.need(t, at, ref, "c0110", c.get("notice_days_vendor"), "vendor's notice period",
                  self.contract_cmd(c, "notice-days-vendor"))
        self.need(t, at, ref, "c0120", country(c.get("governing_law")),
                  "governing law as a country", self.contract_cmd(c, "governing-law"))
        self.need(t, at, ref, "c0130", country(c.get("country_of_provision")),
                  "country of provision", self.contract_cmd(c, "country-of-provision"))
        storage = [x for x in (country(y) for y in v.get("data_locations") or []) if x]
        processing = [x for x in (country(y) for y in v.get("processing_locations") or []) if x]
        stores = c.get("data_storage")
        if stores is None and v.get("data_locations"):
            stores = True
        self.need(t, at, ref, "c0140", qname("yes_no", stores) if stores is not None else None,
                  "whether the vendor stores the client's data",
                  self.contract_cmd(c, "data-storage"))
        if stores:
            self.need(t, at, ref, "c0150", storage[0] if storage else None,
                      "data storage location as a country (EU, EEA and GLOBAL are none)",
                      self.vendor_cmd(vname, "data-locations"))
        self.need(t, at, ref, "c0160", processing[0] if processing else None,
                  "data processing location as a country (EU, EEA and GLOBAL are none)",
                  self.vendor_cmd(vname, "processing-locations"))
        self.need(t, at, ref, "c0170", qname("data_sensitivity", c.get("data_sensitivity")),
                  "data sensitivity", self.contract_cmd(c, "data-sensitivity"))
        self.need(t, at, ref, "c0180", qname("reliance_level", c.get("reliance_level")),
                  "level of reliance", self.contract_cmd(c, "reliance-level"))

    def _b0301_b0302_b0401(self, c: Mapping[str, Any], v: Mapping[str, Any]) -> None:
        ref, vname = str(c["reference"]), str(v["name"])
        for t in ("B_03.01", "B_04.01"):
            at = self.row(t, f"contract {ref}")
            at[0]["c0010"] = ref
            self.need(t, at, ref, "c0020", self.lei, "the client's LEI", self.client_cmd("lei"))
            if t == "B_03.01":
                at[0]["c0030"] = "true"
            else:
                at[0]["c0030"] = qname("nature_of_entity", "not_branch")
                at[0]["c0040"] = self.lei  # not a branch: the entity's own LEI
        at = self.row("B_03.02", f"contract {ref}")
        code, kind = provider_id(v)
        at[0]["c0010"] = ref
        self.need("B_03.02", at, ref, "c0020", code, f"vendor {vname}'s LEI or EUID",
                  self.vendor_cmd(vname, "lei"))
        at[0]["c0030"] = kind

    def _b0502(self, c: Mapping[str, Any], v: Mapping[str, Any]) -> None:
        """The supply chain as a tree: rank = depth, recipient = the provider one level up
        (the financial entity for rank 1)."""
        t, ref = "B_05.02", str(c["reference"])
        service = qname("ict_service_type", c.get("ict_service_type"))
        seen: set[tuple[Any, ...]] = set()

        def walk(provider: Mapping[str, Any], rank: int, recipient: tuple[str | None,
                 str | None, str], path: tuple[str, ...]) -> None:
            pname = str(provider["name"])
            if pname in path:
                self.problem(f"vendor {path[-1]}", "subcontractors", "subcontracting cycle: "
                             + " -> ".join((*path[path.index(pname):], pname)))
                return
            self.providers.setdefault(pname, provider)
            code, kind = provider_id(provider)
            key = (code or pname, rank, recipient[0] or recipient[2])
            if key not in seen:
                seen.add(key)
                at = self.row(t, f"contract {ref} rank {rank} {pname}")
                at[0]["c0010"] = ref
                self.need(t, at, ref, "c0020", service, "type of ICT service (S01-S19)",
                          self.contract_cmd(c, "ict-service-type"))
                self.need(t, at, ref, "c0030", code, f"{pname}'s LEI or EUID",
                          self.vendor_cmd(pname, "lei"))
                at[0]["c0040"], at[0]["c0050"] = kind, rank
                self.need(t, at, ref, "c0060", recipient[0], f"{recipient[2]}'s LEI or EUID",
                          self.client_cmd("lei") if rank == 1 else
                          self.vendor_cmd(recipient[2], "lei"))
                at[0]["c0070"] = recipient[1]
            for link in provider.get("subcontractors") or []:
                sub = self.vendors.get(str(link["name"]), {"name": str(link["name"])})
                walk(sub, rank + 1, (code, kind, pname), (*path, pname))

        walk(v, 1, (self.lei, self.lei_type, f"client {self.name}"), ())

    def _b0501(self, v: Mapping[str, Any]) -> None:
        t, name = "B_05.01", str(v["name"])
        at = self.row(t, f"vendor {name}")
        row = at[0]
        code, kind = provider_id(v)
        self.need(t, at, name, "c0010", code, "vendor LEI or EUID", self.vendor_cmd(name, "lei"))
        row["c0020"] = kind
        if v.get("lei") and v.get("euid"):
            row["c0030"], row["c0040"] = v["euid"], qname("identifier_type", "euid")
        self.need(t, at, name, "c0050", v.get("legal_name"), "vendor legal name",
                  self.vendor_cmd(name, "legal-name"))
        row["c0060"] = v.get("legal_name")
        row["c0070"] = qname("person_type", "legal_person")
        self.need(t, at, name, "c0080", country(v.get("hq_country")), "headquarters country",
                  self.vendor_cmd(name, "hq-country"))
        own = [c for c in self.contracts if c["vendor"] == name]
        currencies = {c.get("currency") for c in own}
        values = [c.get("past_year_expense") for c in own]
        if own:
            total = (sum((Decimal(str(x)) for x in values), Decimal(0))
                     if None not in values and len(currencies) == 1 and None not in currencies
                     else None)
            self.need(t, at, name, "c0100", _amount(total), "past-year expense (and one "
                      "currency) on every contract with this vendor",
                      "vendorrisk contract edit REF --past-year-expense ... --currency ...")
            if total is not None:
                row["c0090"] = spec()["currency_prefix"] + str(currencies.pop())
        parent = str(v.get("ultimate_parent") or "").strip().upper()
        if not parent or parent == str(v.get("legal_name") or "").strip().upper():
            row["c0110"], row["c0120"] = code, kind  # its own ultimate parent
        else:
            self.need(t, at, name, "c0110", parent if _LEI.match(parent) else None,
                      f"ultimate parent's LEI (recorded: {v.get('ultimate_parent')})",
                      self.vendor_cmd(name, "ultimate-parent"))
            row["c0120"] = self.lei_type if row["c0110"] else None

    def _b0701(self, c: Mapping[str, Any], v: Mapping[str, Any]) -> None:
        t, ref, vname = "B_07.01", str(c["reference"]), str(v["name"])
        at = self.row(t, f"contract {ref}")
        row = at[0]
        row["c0010"] = ref
        code, kind = provider_id(v)
        self.need(t, at, ref, "c0020", code, f"vendor {vname}'s LEI or EUID",
                  self.vendor_cmd(vname, "lei"))
        row["c0030"] = kind
        self.need(t, at, ref, "c0040", qname("ict_service_type", c.get("ict_service_type")),
                  "type of ICT service (S01-S19)", self.contract_cmd(c, "ict-service-type"))
        sub = c.get("substitutability")
        self.need(t, at, ref, "c0050", qname("substitutability", sub), "substitutability",
                  self.contract_cmd(c, "substitutability"))
        if sub in ("not_substitutable", "highly_complex"):
            self.need(t, at, ref, "c0060", qname("substitutability_reason",
                                                 c.get("substitutability_reason")),
                      "why the vendor is hard to substitute",
                      self.contract_cmd(c, "substitutability-reason"))
        self.need(t, at, ref, "c0070", c.get("last_audit_date"), "date of the last audit",
                  self.contract_cmd(c, "last-audit-date"))
        exit_plan = c.get("exit_plan")
        self.need(t, at, ref, "c0080", qname("yes_no", exit_plan) if exit_plan is not None
                  else None, "whether an exit plan exists", self.contract_cmd(c, "exit-plan"))
        self.need(t, at, ref, "c0090", qname("reintegration", c.get("reintegration")),
                  "possibility of reintegration", self.contract_cmd(c, "reintegration"))
        self.need(t, at, ref, "c0100", qname("discontinuing_impact",
                                             c.get("discontinuing_impact")),
                  "impact of discontinuing the service",
                  self.contract_cmd(c, "discontinuing-impact"))
        self.need(t, at, ref, "c0110", qname("yes_no_not_assessed",
                                             c.get("alternatives_identified")),
                  "whether alternative providers are identified",
                  self.contract_cmd(c, "alternatives-identified"))


def build_register(client: Mapping[str, Any], contracts: Sequence[Mapping[str, Any]],
                   vendors: Mapping[str, Mapping[str, Any]], today: date, *,
                   functions: Sequence[Mapping[str, Any]] = (),
                   ref_date: date | None = None) -> Register:
    """``contracts``: the client's contract records; ``vendors``: vendor records by name
    (including every subcontractor in their chains); ``functions``: the client's B_06.01
    function records; ``ref_date``: the reference date (default: 31 December last year)."""
    ref = ref_date or date(today.year - 1, 12, 31)
    return _Builder(client, contracts, vendors, functions, today, ref).build()
