"""DORA register of information: the fifteen templates (B_01.01 ... B_99.01) for one client.

Built from plain records: the client (the financial entity), its contracts, the vendors (ICT
third-party providers, with their subcontractors as a tree), and its functions. Column codes
and QNames come from ``data/dora-register.yaml`` (:mod:`vendorrisk.io.dora_spec`). A value
vendorrisk does not hold is left empty and recorded as :class:`Missing`, with the command that
records it; nothing is guessed. Input that cannot be right (no LEI, a subcontracting cycle, a
location that is no country) is a :class:`Problem`. The functions (B_06.01) are built in
:mod:`vendorrisk.io.dora_functions`, the providers and chains (B_05.xx) in
:mod:`vendorrisk.io.dora_providers`; :mod:`vendorrisk.io.dora_validate` checks the result and
:mod:`vendorrisk.io.dora_package` writes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import product
from typing import Any

from vendorrisk.io.dora_functions import FunctionIds, function_rows, is_critical
from vendorrisk.io.dora_model import (
    REGIONS,
    Locations,
    Missing,
    Problem,
    Register,
    Rows,
    amount,
    country,
    locations,
    provider_id,
)
from vendorrisk.io.dora_providers import provider_row, supply_chain
from vendorrisk.io.dora_spec import columns as columns
from vendorrisk.io.dora_spec import qname, spec

__all__ = ["REGIONS", "Missing", "Problem", "Register", "build_register", "columns", "country",
           "provider_id"]


class _Builder(Rows):
    def __init__(self, client: Mapping[str, Any], contracts: Sequence[Mapping[str, Any]],
                 vendors: Mapping[str, Mapping[str, Any]],
                 functions: Sequence[Mapping[str, Any]], today: date, ref_date: date) -> None:
        super().__init__(client, ref_date)
        self.client, self.contracts, self.vendors = client, contracts, vendors
        self.functions, self.today = functions, today
        self.providers: dict[str, Mapping[str, Any]] = {}

    def build(self) -> Register:
        self._check_client()
        function_ids = function_rows(self, self.contracts, self.functions)
        self._b0101_b0102()
        for c in self.contracts:
            self._check_contract(c)
            vendor = self.vendors[str(c["vendor"])]
            self._b0201(c)
            self._b0202(c, vendor, function_ids)
            self._b0301_b0302_b0401(c, vendor)
            supply_chain(self, c, vendor, self.vendors, self.providers)
            if is_critical(c, function_ids):
                self._b0701(c, vendor)
        for name in sorted(self.providers):
            provider_row(self, self.providers[name], self.contracts)
        return self.out

    # -- input checks ----------------------------------------------------------------------
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

    def _locations(self, vname: str, fld: str, what: str) -> Locations:
        """A vendor's storage or processing locations as countries; anything else is a
        problem, a region (EU, EEA, GLOBAL) only when it stands in for every country."""
        found = locations(self.vendors[vname].get(fld))
        record, option = f"vendor {vname}", fld.replace("_", "-")
        for bad in found.bad:
            self.problem(record, fld, f"{bad!r} is not a country (ISO 3166 code)")
        if found.regions and not found.countries:
            self.problem(record, fld, f"{', '.join(found.regions)} is a region, not a country: "
                         f"the register wants each country where the data is {what} "
                         f"(`{self.vendor_cmd(vname, option)}` with ISO 3166 codes)")
        return found

    # -- templates -------------------------------------------------------------------------
    def _b0101_b0102(self) -> None:
        c, name = self.client, self.name
        country_q = country(c.get("country"))
        etype = qname("entity_type", c.get("entity_type"))
        for t in ("B_01.01", "B_01.02"):
            at = self.row(t, name)
            self.need(t, at, name, "c0010", self.lei, "the client's LEI", self.client_cmd("lei"))
            at[0]["c0020"] = name
            self.need(t, at, name, "c0030", country_q, "the client's country",
                      self.client_cmd("country"))
            self.need(t, at, name, "c0040", etype, "the client's type of entity",
                      self.client_cmd("entity-type"))
            if t == "B_01.01":
                self.need(t, at, name, "c0050", c.get("competent_authority"),
                          "the client's competent authority",
                          self.client_cmd("competent-authority"))
                at[0]["c0060"] = self.today.isoformat()
                continue
            self.need(t, at, name, "c0050", None, "the entity's place in its group "
                      "(hierarchy)", "not held by vendorrisk: enter it in the filing tool")
            at[0]["c0060"] = self.lei  # no parent recorded: its own LEI
            at[0]["c0070"] = self.today.isoformat()
            created = str(c.get("created_at") or "")[:10]
            at[0]["c0080"] = created or self.today.isoformat()

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
        self.need(t, at, ref, "c0050", amount(c.get("past_year_expense")),
                  "what the client paid under the contract in the past year",
                  self.contract_cmd(c, "past-year-expense"))

    def _b0202(self, c: Mapping[str, Any], v: Mapping[str, Any],
               function_ids: FunctionIds) -> None:
        """One row per (storage country, processing country): both are keys."""
        vname = str(v["name"])
        stores = c.get("data_storage")
        if stores is None and v.get("data_locations"):
            stores = True
        storage: list[str | None] = list(
            self._locations(vname, "data_locations", "stored").countries if stores else [])
        processing: list[str | None] = list(
            self._locations(vname, "processing_locations", "processed").countries)
        for at_rest, managed in product(storage or [None], processing or [None]):
            self._b0202_row(c, v, function_ids, stores, at_rest, managed)

    def _b0202_row(self, c: Mapping[str, Any], v: Mapping[str, Any], function_ids: FunctionIds,
                   stores: bool | None, at_rest: str | None, managed: str | None) -> None:
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
        self.need(t, at, ref, "c0140", qname("yes_no", stores) if stores is not None else None,
                  "whether the vendor stores the client's data",
                  self.contract_cmd(c, "data-storage"))
        if stores:
            self.need(t, at, ref, "c0150", at_rest, "data storage location as a country "
                      "(EU, EEA and GLOBAL are regions, not countries)",
                      self.vendor_cmd(vname, "data-locations"))
        self.need(t, at, ref, "c0160", managed, "data processing location as a country "
                  "(EU, EEA and GLOBAL are regions, not countries)",
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

    def _b0701(self, c: Mapping[str, Any], v: Mapping[str, Any]) -> None:
        t, ref, vname = "B_07.01", str(c["reference"]), str(v["name"])
        at = self.row(t, f"contract {ref}")
        row = at[0]
        row["c0010"] = ref
        code, kind = provider_id(v)
        self.need(t, at, ref, "c0020", code, f"vendor {vname}'s LEI or EUID",
                  self.vendor_cmd(vname, "lei"))
        row["c0030"] = kind

        def cell(col: str, list_name: str, field: str, what: str) -> None:
            self.need(t, at, ref, col, qname(list_name, c.get(field)), what,
                      self.contract_cmd(c, field.replace("_", "-")))

        cell("c0040", "ict_service_type", "ict_service_type", "type of ICT service (S01-S19)")
        cell("c0050", "substitutability", "substitutability", "substitutability")
        if c.get("substitutability") in ("not_substitutable", "highly_complex"):
            cell("c0060", "substitutability_reason", "substitutability_reason",
                 "why the vendor is hard to substitute")
        self.need(t, at, ref, "c0070", c.get("last_audit_date"), "date of the last audit",
                  self.contract_cmd(c, "last-audit-date"))
        exit_plan = c.get("exit_plan")
        self.need(t, at, ref, "c0080", qname("yes_no", exit_plan) if exit_plan is not None
                  else None, "whether an exit plan exists", self.contract_cmd(c, "exit-plan"))
        cell("c0090", "reintegration", "reintegration", "possibility of reintegration")
        cell("c0100", "discontinuing_impact", "discontinuing_impact",
             "impact of discontinuing the service")
        cell("c0110", "yes_no_not_assessed", "alternatives_identified",
             "whether alternative providers are identified")


def build_register(client: Mapping[str, Any], contracts: Sequence[Mapping[str, Any]],
                   vendors: Mapping[str, Mapping[str, Any]], today: date, *,
                   functions: Sequence[Mapping[str, Any]] = (),
                   ref_date: date | None = None) -> Register:
    """``contracts``: the client's contract records; ``vendors``: vendor records by name
    (including every subcontractor in their chains); ``functions``: the client's B_06.01
    function records; ``ref_date``: the reference date (default: 31 December last year)."""
    ref = ref_date or date(today.year - 1, 12, 31)
    return _Builder(client, contracts, vendors, functions, today, ref).build()
