"""One observation laid out for a person: registration and locks, the DNSSEC chain with key
tags and expiry, and what each nameserver address answered.

Pure formatting of the typed :class:`DomainObservation` the store gives: unknown values read
"unknown", never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from dns.dnssectypes import Algorithm, DSDigest

from vendorrisk.probes.dns.types import NameserverObservation, ServerAnswer
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.views import cells as C
from vendorrisk.views.dto import Cell, Row, Section, Table

UNKNOWN = "unknown"


def pairs(items: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """``label  value`` lines with the labels in one column."""
    width = max((len(k) for k, _ in items), default=0)
    return tuple(f"{k.ljust(width)}  {v}" if k else v for k, v in items)


def moment(when: datetime | None, today: date) -> str:
    """A moment as "2027-09-16 (in 290 days)"; a time of day is kept when not midnight."""
    if when is None:
        return UNKNOWN
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


def registration(obs: DomainObservation, today: date) -> Section:
    reg = obs.registration or RegistrationObservation(obs.domain)
    status = reg.epp_status
    exposed = reg.pii_fields_exposed
    lines = pairs([
        ("source", str(reg.source or UNKNOWN)),
        ("registrar", f"{reg.registrar or UNKNOWN}"
         + (f" (IANA {reg.registrar_iana_id})" if reg.registrar_iana_id else "")),
        ("created", moment(reg.created, today)),
        ("expires", moment(reg.expires, today)),
        ("", ""),
        ("registrar lock", C.yes_no(reg.registrar_locked).text),
        ("registry lock", C.yes_no(reg.registry_locked).text),
        ("transfer", _prohibited(status, "Transfer")),
        ("update", _prohibited(status, "Update")),
        ("delete", _prohibited(status, "Delete")),
        *_listed("EPP status", list(status) or [UNKNOWN]),
        ("", ""),
        ("registrant", _registrant(reg)),
        ("PII exposed", UNKNOWN if exposed is None else ", ".join(exposed) or "none"),
    ])
    if reg.unpublished:
        lines += pairs([("not published", ", ".join(reg.unpublished))])
    if obs.registration is None:
        lines += pairs([("", "registration was not probed" if "registration" in obs.skipped
                         else "no registration data")])
    return Section("Registration", lines)


def _prohibited(status: Sequence[str], what: str) -> str:
    """Who prohibits an operation: the registrar (client*), the registry (server*), or both."""
    if not status:
        return UNKNOWN
    by = [who for prefix, who in (("client", "registrar"), ("server", "registry"))
          if f"{prefix}{what}Prohibited" in status]
    return f"prohibited by {' and '.join(by)}" if by else "allowed"


def _registrant(reg: RegistrationObservation) -> str:
    if reg.registrant_redacted:
        return "redacted"
    if reg.privacy_service:
        return f"privacy service {reg.privacy_service}"
    return UNKNOWN if reg.registrant_redacted is None else "published"


def dnssec(obs: DomainObservation, today: date) -> Section:
    if obs.dns is None:
        return Section("DNSSEC", pairs([("status", UNKNOWN), ("", "DNS was not probed")]))
    sec = obs.dns.dnssec
    ds = [f"key {d.get('key_tag')} · {algorithm(d.get('algorithm'))} · "
          f"{digest(d.get('digest_type'))}" + ("" if d.get("matched") is None else
                                              " · matches a DNSKEY" if d.get("matched")
                                              else " · NO DNSKEY MATCHES")
          for d in sec.ds]
    keys = [f"key {k.get('key_tag')} · {_role(k.get('flags'))} · {algorithm(k.get('algorithm'))}"
            for k in sec.dnskeys]
    sig = sec.earliest_signature
    expiry = moment(sig.expiration if sig else sec.earliest_signature_expiry, today)
    if sig:
        owner = f"{obs.domain}. "
        record = sig.record[len(owner):] if sig.record.startswith(owner) else sig.record
        expiry += f" · RRSIG {record} by key {sig.key_tag}"
    nsec3 = sec.nsec3
    items: list[tuple[str, str]] = [
        ("status", str(sec.status or UNKNOWN)),
        ("algorithms", ", ".join(algorithm(a) for a in sec.algorithms) or "none"),
        ("DS digest types", ", ".join(digest(d) for d in sec.ds_digest_types) or "none"),
    ]
    items += _listed("DS at parent", ds) + _listed("DNSKEYs", keys)
    items.append(("earliest expiry", expiry if sec.status != "insecure" or sig else "-"))
    if nsec3:
        items.append(("NSEC3", f"iterations {nsec3.get('iterations')}, salt "
                               f"{nsec3.get('salt') or '-'}"))
    items += _listed("why", [str(r) for r in sec.reasons])
    items += _listed("problems", [p.message for p in sec.problems])
    return Section("DNSSEC", pairs(items))


def _role(flags: Any) -> str:
    return {257: "KSK", 256: "ZSK"}.get(flags, f"flags {flags}")


def _listed(label: str, values: list[str]) -> list[tuple[str, str]]:
    return [(label if i == 0 else "", v) for i, v in enumerate(values)]


def nameservers(obs: DomainObservation) -> Section:
    """One row per nameserver address and what it answered (one per host when the
    observation holds no per-address answers)."""
    dns = obs.dns
    rows: list[Row] = []
    for ns in dns.nameservers if dns else ():
        answers = ns.answers or (ServerAnswer(", ".join(ns.addresses) or "-"),)
        operator = ns.provider or " or ".join(ns.provider_candidates) or None
        for a in answers:
            rows.append(Row(f"{ns.name}@{a.address}", (
                C.text(ns.name), C.text(a.address), C.text(operator, UNKNOWN),
                C.yes_no(a.authoritative), C.text(a.soa_serial),
                _exposure(a.transfer), _exposure(a.update), C.text(a.error or a.rcode))))
    note = (f"parent NS: {_names(dns.parent_ns if dns else None)}\n"
            f"zone NS:   {_names(dns.child_ns if dns else None)}\n"
            f"operators: {_names(dns.providers if dns else None)}")
    return Section("Nameservers", table=Table(
        "Nameservers", ("Server", "Address", "Operator", "Auth", "SOA serial", "AXFR", "UPDATE",
                        "Answer"), tuple(rows), note=note, empty="No nameservers observed."))


def _names(values: Sequence[str] | None) -> str:
    return ", ".join(values or ()) or UNKNOWN


def _exposure(result: str | None) -> Cell:
    """A transfer or update test result: open is the risk."""
    if result in (None, "not_tested"):
        return Cell("not tested" if result else UNKNOWN, "muted")
    return Cell(str(result), "critical" if result == "open" else "ok")


def open_servers(servers: Sequence[NameserverObservation]) -> tuple[list[str], list[str]]:
    """(servers granting a zone transfer, servers accepting an unsigned UPDATE)."""
    return ([ns.name for ns in servers if ns.axfr_open],
            [ns.name for ns in servers if ns.update_open])


def exposure(obs: DomainObservation) -> str:
    """One line: which nameservers hand out the zone or accept unsigned updates."""
    servers = obs.dns.nameservers if obs.dns else ()
    axfr, update = open_servers(servers)
    parts = ([f"zone transfer OPEN at {', '.join(axfr)}"] if axfr else []) + (
        [f"unsigned UPDATE accepted at {', '.join(update)}"] if update else [])
    tested = (obs.dns is not None and obs.dns.update_tested) or any(
        ns.update_open is not None for ns in servers)
    return "; ".join(parts) or ("no open transfer or update" if tested
                                else "no open transfer (updates not tested)")
