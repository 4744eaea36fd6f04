"""B_06.01: the client's functions, recorded (``dora_function`` rows) or named only by a
contract's ``supported_function`` (then numbered F1, F2 ... and listed as missing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vendorrisk.io.dora_model import Rows
from vendorrisk.io.dora_spec import qname

FunctionIds = dict[str, tuple[str, str | None]]
"""Function identifier or name, lower case -> (identifier, criticality yes/no/not_assessed)."""


def _derived(contracts: Sequence[Mapping[str, Any]], records: Sequence[Mapping[str, Any]]
             ) -> list[dict[str, Any]]:
    """A function record for each supported function no record names, criticality from the
    contracts that name it."""
    known = {str(f["identifier"]).lower() for f in records} | \
        {str(f["name"]).lower() for f in records}
    names = sorted({str(c.get("supported_function")) for c in contracts
                    if c.get("supported_function")
                    and str(c["supported_function"]).lower() not in known})
    taken = {str(f["identifier"]) for f in records}
    numbers = (f"F{n}" for n in range(1, 10_000) if f"F{n}" not in taken)
    out = []
    for name in names:
        critical = {str(c.get("function_criticality")) for c in contracts
                    if c.get("supported_function") == name}
        crit = "yes" if "critical_or_important" in critical else \
            "no" if critical == {"not_critical"} else None
        out.append({"identifier": next(numbers), "name": name, "criticality": crit,
                    "derived": True})
    return out


def function_rows(b: Rows, contracts: Sequence[Mapping[str, Any]],
                  functions: Sequence[Mapping[str, Any]]) -> FunctionIds:
    t, out = "B_06.01", {}
    for f in [*functions, *_derived(contracts, functions)]:
        fid, label = str(f["identifier"]), str(f["name"])
        new = label if f.get("derived") else None

        def where(option: str, fid: str = fid, new: str | None = new) -> str:
            return b.function_cmd(fid, option, name=new)

        at = b.row(t, f"function {fid} {label}")
        lab = f"function {fid}"
        at[0]["c0010"] = fid
        b.need(t, at, lab, "c0020", f.get("licensed_activity"),
               "the licenced activity the function belongs to", where("licensed-activity"))
        at[0]["c0030"] = label
        b.need(t, at, lab, "c0040", b.lei, "the client's LEI", b.client_cmd("lei"))
        b.need(t, at, lab, "c0050", qname("yes_no_not_assessed", f.get("criticality")),
               "whether the function is critical or important", where("criticality"))
        at[0]["c0060"] = f.get("criticality_reason")
        b.need(t, at, lab, "c0070", f.get("last_assessed"),
               "date of the last criticality assessment", where("last-assessed"))
        b.need(t, at, lab, "c0080", f.get("rto_hours"), "recovery time objective (hours)",
               where("rto-hours"))
        b.need(t, at, lab, "c0090", f.get("rpo_hours"), "recovery point objective (hours)",
               where("rpo-hours"))
        b.need(t, at, lab, "c0100", qname("discontinuing_impact", f.get("discontinuing_impact")),
               "impact of discontinuing the function", where("discontinuing-impact"))
        out[fid.lower()] = (fid, f.get("criticality"))
        out[label.lower()] = (fid, f.get("criticality"))
    return out


def is_critical(c: Mapping[str, Any], function_ids: FunctionIds) -> bool:
    """The function's own assessment first, then the contract's ``function_criticality``."""
    found = function_ids.get(str(c.get("supported_function") or "").lower())
    if found and found[1] in ("yes", "no"):
        return found[1] == "yes"
    return c.get("function_criticality") != "not_critical"
