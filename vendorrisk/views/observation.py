"""One stored observation (the DESIGN §3 JSON) laid out for a person: registration and locks,
the DNSSEC chain with key tags and expiry, and what each nameserver address answered.

Pure formatting of a dict: unknown values read "unknown", never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from dns.dnssectypes import Algorithm, DSDigest

from vendorrisk.views import cells as C
from vendorrisk.views.dto import Cell, Row, Section, Table

UNKNOWN = "unknown"


def pairs(items: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """``label  value`` lines with the labels in one column."""
    width = max((len(k) for k, _ in items), default=0)
    return tuple(f"{k.ljust(width)}  {v}" if k else v for k, v in items)


def moment(value: Any, today: date) -> str:
    """An ISO timestamp as "2027-09-16 (in 290 days)"; a time of day is kept when not midnight."""
    if not value:
        return UNKNOWN
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    when = when.astimezone(UTC) if when.tzinfo else when
    text = when.strftime("%Y-%m-%d") if (when.hour, when.minute) == (0, 0) else \
        when.strftime("%Y-%m-%d %H:%M UTC")
    days = (when.date() - today).days
    ago = f"{-days} days ago" if days < 0 else "today" if days == 0 else f"in {days} days"
    return f"{text} ({ago})"


def algorithm(number: Any) -> str:
    """``13`` -> ``ECDSAP256SHA256 (13)``; a number dnspython does not know stays a number."""
    return _named(number, Algorithm.to_text)


def digest(number: Any) -> str:
    """``2`` -> ``SHA256 (2)``."""
    return _named(number, DSDigest.to_text)


def _named(number: Any, to_text: Callable[[int], str]) -> str:
    try:
        name = to_text(int(number))
    except (TypeError, ValueError):
        return str(number)
    return name if name == str(number) else f"{name} ({number})"


def registration(obs: Mapping[str, Any], today: date) -> Section:
    reg = obs.get("registration") or {}
    status = reg.get("epp_status") or []
    exposed = reg.get("pii_fields_exposed")
    lines = pairs([
        ("source", str(reg.get("source") or UNKNOWN)),
        ("registrar", f"{reg.get('registrar') or UNKNOWN}"
         + (f" (IANA {reg['registrar_iana_id']})" if reg.get("registrar_iana_id") else "")),
        ("created", moment(reg.get("created"), today)),
        ("expires", moment(reg.get("expires"), today)),
        ("", ""),
        ("registrar lock", C.yes_no(reg.get("registrar_locked")).text),
        ("registry lock", C.yes_no(reg.get("registry_locked")).text),
        ("transfer", _prohibited(status, "Transfer")),
        ("update", _prohibited(status, "Update")),
        ("delete", _prohibited(status, "Delete")),
        *_listed("EPP status", list(status) or [UNKNOWN]),
        ("", ""),
        ("registrant", _registrant(reg)),
        ("PII exposed", UNKNOWN if exposed is None else ", ".join(exposed) or "none"),
    ])
    if reg.get("unpublished"):
        lines += pairs([("not published", ", ".join(reg["unpublished"]))])
    return Section("Registration", lines)


def _prohibited(status: Sequence[str], what: str) -> str:
    """Who prohibits an operation: the registrar (client*), the registry (server*), or both."""
    if not status:
        return UNKNOWN
    by = [who for prefix, who in (("client", "registrar"), ("server", "registry"))
          if f"{prefix}{what}Prohibited" in status]
    return f"prohibited by {' and '.join(by)}" if by else "allowed"


def _registrant(reg: Mapping[str, Any]) -> str:
    if reg.get("registrant_redacted"):
        return "redacted"
    if reg.get("privacy_service"):
        return f"privacy service {reg['privacy_service']}"
    return UNKNOWN if reg.get("registrant_redacted") is None else "published"


def dnssec(obs: Mapping[str, Any], today: date) -> Section:
    sec = (obs.get("dns") or {}).get("dnssec") or {}
    ds = [f"key {d.get('key_tag')} · {algorithm(d.get('algorithm'))} · "
          f"{digest(d.get('digest_type'))}" + ("" if d.get("matched") is None else
                                              " · matches a DNSKEY" if d.get("matched")
                                              else " · NO DNSKEY MATCHES")
          for d in sec.get("ds") or []]
    keys = [f"key {k.get('key_tag')} · {_role(k.get('flags'))} · {algorithm(k.get('algorithm'))}"
            for k in sec.get("dnskeys") or []]
    sig = sec.get("earliest_signature") or {}
    expiry = moment(sig.get("expiration") or sec.get("earliest_signature_expiry"), today)
    if sig:
        expiry += f" · RRSIG {sig.get('record')} by key {sig.get('key_tag')}"
    nsec3 = sec.get("nsec3")
    items: list[tuple[str, str]] = [
        ("status", str(sec.get("status") or UNKNOWN)),
        ("algorithms", ", ".join(algorithm(a) for a in sec.get("algorithms") or []) or "none"),
        ("DS digest types", ", ".join(digest(d) for d in sec.get("ds_digest_types") or [])
         or "none"),
    ]
    items += _listed("DS at parent", ds) + _listed("DNSKEYs", keys)
    items.append(("earliest expiry", expiry if sec.get("status") != "insecure" or sig else "-"))
    if nsec3:
        items.append(("NSEC3", f"iterations {nsec3.get('iterations')}, salt "
                               f"{nsec3.get('salt') or '-'}"))
    items += _listed("why", [str(r) for r in sec.get("reasons") or []])
    items += _listed("problems", [str(p.get("message")) for p in sec.get("problems") or []])
    return Section("DNSSEC", pairs(items))


def _role(flags: Any) -> str:
    return {257: "KSK", 256: "ZSK"}.get(flags, f"flags {flags}")


def _listed(label: str, values: list[str]) -> list[tuple[str, str]]:
    return [(label if i == 0 else "", v) for i, v in enumerate(values)]


def nameservers(obs: Mapping[str, Any]) -> Section:
    """One row per nameserver address and what it answered (one per host when the
    observation holds no per-address answers)."""
    dns = obs.get("dns") or {}
    rows: list[Row] = []
    for ns in dns.get("nameservers") or []:
        answers = ns.get("answers") or [{"address": ", ".join(ns.get("addresses") or []) or "-",
                                         "authoritative": ns.get("authoritative"),
                                         "soa_serial": ns.get("soa_serial"),
                                         "transfer": _tri(ns.get("axfr_open"), "open", "denied"),
                                         "update": _tri(ns.get("update_open"), "open", "denied")}]
        operator = ns.get("provider") or " or ".join(ns.get("provider_candidates") or []) or None
        for a in answers:
            rows.append(Row(f"{ns.get('name')}@{a.get('address')}", (
                C.text(ns.get("name")), C.text(a.get("address")), C.text(operator, UNKNOWN),
                C.yes_no(a.get("authoritative")), C.text(a.get("soa_serial")),
                _exposure(a.get("transfer")), _exposure(a.get("update")),
                C.text(a.get("error") or a.get("rcode")))))
    note = (f"parent NS: {', '.join(dns.get('parent_ns') or []) or UNKNOWN}\n"
            f"zone NS:   {', '.join(dns.get('child_ns') or []) or UNKNOWN}\n"
            f"operators: {', '.join(dns.get('providers') or []) or UNKNOWN}")
    return Section("Nameservers", table=Table(
        "Nameservers", ("Server", "Address", "Operator", "Auth", "SOA serial", "AXFR", "UPDATE",
                        "Answer"), tuple(rows), note=note, empty="No nameservers observed."))


def _tri(value: Any, yes: str, no: str) -> str | None:
    return None if value is None else yes if value else no


def _exposure(result: Any) -> Cell:
    """A transfer or update test result: open is the risk."""
    if result in (None, "not_tested"):
        return Cell("not tested" if result else UNKNOWN, "muted")
    return Cell(str(result), "critical" if result == "open" else "ok")


def exposure(obs: Mapping[str, Any]) -> str:
    """One line: which nameservers hand out the zone or accept unsigned updates."""
    servers = (obs.get("dns") or {}).get("nameservers") or []
    axfr = [ns.get("name") for ns in servers if ns.get("axfr_open")]
    update = [ns.get("name") for ns in servers if ns.get("update_open")]
    parts = ([f"zone transfer OPEN at {', '.join(axfr)}"] if axfr else []) + (
        [f"unsigned UPDATE accepted at {', '.join(update)}"] if update else [])
    tested = (obs.get("dns") or {}).get("update_tested") or any(
        ns.get("update_open") is not None for ns in servers)
    return "; ".join(parts) or ("no open transfer or update" if tested
                                else "no open transfer (updates not tested)")
