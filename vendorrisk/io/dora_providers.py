"""B_05.01 (ICT third-party providers) and B_05.02 (supply chains as a tree: rank = depth,
siblings share a rank, each row's recipient is the provider one level up, the financial entity
for rank 1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from vendorrisk.io.dora_model import LEI, Rows, amount, country, provider_id
from vendorrisk.io.dora_spec import qname, spec

Recipient = tuple[str | None, str | None, str]
"""(identification code, type of code, who it is) of the provider one level up."""


def supply_chain(b: Rows, c: Mapping[str, Any], v: Mapping[str, Any],
                 vendors: Mapping[str, Mapping[str, Any]],
                 providers: dict[str, Mapping[str, Any]]) -> None:
    """The contract's chain rows; every provider met is added to ``providers``. A cycle is a
    :class:`~vendorrisk.io.dora_model.Problem` naming the vendor whose list closes it."""
    t, ref = "B_05.02", str(c["reference"])
    service = qname("ict_service_type", c.get("ict_service_type"))
    seen: set[tuple[Any, ...]] = set()

    def walk(provider: Mapping[str, Any], rank: int, recipient: Recipient,
             path: tuple[str, ...]) -> None:
        pname = str(provider["name"])
        if pname in path:
            b.problem(f"vendor {path[-1]}", "subcontractors", "subcontracting cycle: "
                      + " -> ".join((*path[path.index(pname):], pname)))
            return
        providers.setdefault(pname, provider)
        code, kind = provider_id(provider)
        key = (code or pname, rank, recipient[0] or recipient[2])
        if key not in seen:
            seen.add(key)
            at = b.row(t, f"contract {ref} rank {rank} {pname}")
            at[0]["c0010"] = ref
            b.need(t, at, ref, "c0020", service, "type of ICT service (S01-S19)",
                   b.contract_cmd(c, "ict-service-type"))
            b.need(t, at, ref, "c0030", code, f"{pname}'s LEI or EUID", b.vendor_cmd(pname, "lei"))
            at[0]["c0040"], at[0]["c0050"] = kind, rank
            b.need(t, at, ref, "c0060", recipient[0], f"{recipient[2]}'s LEI or EUID",
                   b.client_cmd("lei") if rank == 1 else b.vendor_cmd(recipient[2], "lei"))
            at[0]["c0070"] = recipient[1]
        for link in provider.get("subcontractors") or []:
            sub = vendors.get(str(link["name"]), {"name": str(link["name"])})
            walk(sub, rank + 1, (code, kind, pname), (*path, pname))

    walk(v, 1, (b.lei, b.lei_type, f"client {b.name}"), ())


def provider_row(b: Rows, v: Mapping[str, Any], contracts: Sequence[Mapping[str, Any]]) -> None:
    t, name = "B_05.01", str(v["name"])
    at = b.row(t, f"vendor {name}")
    row = at[0]
    code, kind = provider_id(v)
    b.need(t, at, name, "c0010", code, "vendor LEI or EUID", b.vendor_cmd(name, "lei"))
    row["c0020"] = kind
    if v.get("lei") and v.get("euid"):
        row["c0030"], row["c0040"] = v["euid"], qname("identifier_type", "euid")
    b.need(t, at, name, "c0050", v.get("legal_name"), "vendor legal name",
           b.vendor_cmd(name, "legal-name"))
    row["c0060"] = v.get("legal_name")
    row["c0070"] = qname("person_type", "legal_person")
    b.need(t, at, name, "c0080", country(v.get("hq_country")), "headquarters country",
           b.vendor_cmd(name, "hq-country"))
    own = [c for c in contracts if c["vendor"] == name]
    currencies = {c.get("currency") for c in own}
    values = [c.get("past_year_expense") for c in own]
    if own:
        total = (sum((Decimal(str(x)) for x in values), Decimal(0))
                 if None not in values and len(currencies) == 1 and None not in currencies
                 else None)
        b.need(t, at, name, "c0100", amount(total), "past-year expense (and one currency) on "
               "every contract with this vendor",
               "vendorrisk contract edit REF --past-year-expense ... --currency ...")
        if total is not None:
            row["c0090"] = spec()["currency_prefix"] + str(currencies.pop())
    parent = str(v.get("ultimate_parent") or "").strip().upper()
    if not parent or parent == str(v.get("legal_name") or "").strip().upper():
        row["c0110"], row["c0120"] = code, kind  # its own ultimate parent
    else:
        b.need(t, at, name, "c0110", parent if LEI.match(parent) else None,
               f"ultimate parent's LEI (recorded: {v.get('ultimate_parent')})",
               b.vendor_cmd(name, "ultimate-parent"))
        row["c0120"] = b.lei_type if row["c0110"] else None
