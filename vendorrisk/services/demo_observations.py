"""Reading the demo's descriptions: dates relative to today, templates, and the observations
built from data/demo/probes.yaml through the probes' own types, so what is stored is what a
real probe stores."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.dates import add_months
from vendorrisk.probes.dns.types import (
    DnsObservation,
    DnssecObservation,
    DnssecProblem,
    NameserverObservation,
    ServerAnswer,
    SignatureInfo,
)
from vendorrisk.probes.registration.prober import build_observation
from vendorrisk.probes.registration.types import RegistrationData, RegistrationObservation
from vendorrisk.probes.types import Reason

if TYPE_CHECKING:
    pass

_RELATIVE = re.compile(r"^(?:today|(?:[+-]\d+[dwmy])+)(?:T(\d\d):(\d\d))?$")
_TERM = re.compile(r"([+-])(\d+)([dwmy])")
_FINDING_KEYS = {"code", "evidence", "title", "severity", "status", "accepted_by", "accepted_reason",
                 "accepted_until", "first_seen", "last_seen", "resolved_at", "domain", "vendor",
                 "contract", "client"}
"""``domain`` is accepted so that a domain finding written here gets its own error."""
_RESPONSE_KEYS = {"vendor", "template", "version", "status", "answers", "evidence_notes", "reviewer",
                  "sent_at", "received_at", "reviewed_at"}
_OBSERVATION_KEYS = {"domain", "registration", "dns", "set", "accept"}
_RUN_KEYS = {"name", "started", "finished", "requested_by", "settings", "observations"}
_ACCEPT_KEYS = {"code", "by", "reason", "until"}
_REGISTRATION_KEYS = {"source", "server", "reasons"} | {
    f.name for f in fields(RegistrationData) if f.name not in ("has_registrant", "referral", "thin")}
_DNS_KEYS = {"ns", "parent_ns", "child_ns", "addresses", "soa_serial", "answers", "dnssec"}
_ANSWER_KEYS = {"authoritative", "rcode", "soa_serial", "transfer", "update", "error"}
_DNSSEC_KEYS = {"ds", "dnskeys", "signature", "bad_signature", "nsec3"}


def relative_date(text: str, today: date) -> date | datetime:
    """``+45d`` / ``-13m`` / ``-1y+30d`` / ``today`` (optionally ``T02:00`` UTC) from ``today``."""
    match = _RELATIVE.match(text)
    if match is None:
        raise ValueError(f"not a relative date: {text!r}")
    day = today
    for sign, amount, unit in _TERM.findall(text.split("T")[0]):
        n = int(amount) * (1 if sign == "+" else -1)
        if unit in "dw":
            day += timedelta(days=n * (7 if unit == "w" else 1))
        else:
            day = add_months(day, n * (12 if unit == "y" else 1))
    if match.group(1) is None:
        return day
    return datetime.combine(day, time(int(match.group(1)), int(match.group(2))), UTC)


def _resolve(value: Any, today: date) -> Any:
    """Replace every relative date in a parsed YAML value by a date (or UTC datetime)."""
    if isinstance(value, str) and _RELATIVE.match(value):
        return relative_date(value, today)
    if isinstance(value, Mapping):
        return {k: _resolve(v, today) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, today) for v in value]
    return value


def _json(value: Any, *, timestamps: bool) -> Any:
    """JSON-able copy: datetimes as ``...Z``; dates as ISO dates (or midnight UTC if ``timestamps``)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        if timestamps:
            return _json(datetime.combine(value, time(0), UTC), timestamps=True)
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json(v, timestamps=timestamps) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v, timestamps=timestamps) for v in value]
    return value


def _template(templates: Mapping[str, Any], name: Any, part: str) -> dict[str, Any]:
    if name not in templates:
        raise ValueError(f"no {part} template {name!r} (known: {', '.join(map(str, templates))})")
    return dict(templates[name])


def _merge(base: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def _stamp(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0), UTC)
    raise ValueError(f"expected a date, got {value!r}")


def _check_keys(raw: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)} (valid: {', '.join(sorted(allowed))})")


def _parts(raw: Any) -> tuple[Reason, ...]:
    return tuple(Reason(str(r["part"]), str(r["message"])) for r in raw or ())


def registration_observation(domain: str, raw: Mapping[str, Any],
                             probed: datetime) -> RegistrationObservation:
    """What the registration probe makes of an answer described by ``raw`` (see probes.yaml):
    the lock classification, unpublished fields and PII defaults are the probe's own."""
    _check_keys(raw, _REGISTRATION_KEYS)
    reasons = _parts(raw.get("reasons"))
    source = raw.get("source")
    if source is None:  # no RDAP or WHOIS answer: only why
        return RegistrationObservation(domain, reasons=reasons, fetched_at=probed)
    if source not in ("rdap", "whois"):
        raise ValueError(f"registration source must be rdap, whois or null, not {source!r}")
    pii = raw.get("pii_fields_exposed")
    data = RegistrationData(
        registrar=raw.get("registrar"), registrar_iana_id=raw.get("registrar_iana_id"),
        created=_stamp(raw.get("created")), expires=_stamp(raw.get("expires")),
        epp_status=tuple(raw.get("epp_status") or ()),
        other_status=tuple(raw.get("other_status") or ()), has_registrant=True,
        registrant_redacted=raw.get("registrant_redacted"),
        pii_fields_exposed=None if pii is None else tuple(pii),
        privacy_service=raw.get("privacy_service"))
    return build_observation(domain, source, str(raw.get("server") or f"{source}.nic.example"),
                             data, reasons, probed)


def _answer(address: str, raw: Mapping[str, Any], serial: int, child_ns: tuple[str, ...],
            settings: ProbeSettings) -> ServerAnswer:
    """One address's answers: authoritative NOERROR with the zone's serial and NS set, and
    transfer and update (when tested) denied, unless ``raw`` says otherwise."""
    _check_keys(raw, _ANSWER_KEYS)
    if raw.get("error"):
        return ServerAnswer(address, error=str(raw["error"]))
    if raw.get("authoritative", True) is False:  # lame: the probe tests nothing more there
        return ServerAnswer(address, False, str(raw.get("rcode") or "REFUSED"))
    return ServerAnswer(
        address, True, str(raw.get("rcode") or "NOERROR"), int(raw.get("soa_serial", serial)),
        child_ns, raw.get("transfer", "denied"),
        raw.get("update", "denied") if settings.probe_updates else "not_tested")


def _queries(nameservers: Sequence[NameserverObservation], signed: bool,
             settings: ProbeSettings) -> int:
    """Queries the probe sends: NS and DS at the parent, SOA, NS and DNSKEY to each address,
    then a transfer (and an update) test to each authoritative one, NSEC3PARAM once."""
    answers = [a for ns in nameservers for a in ns.answers]
    served = sum(1 for a in answers if a.authoritative)
    return 2 + 3 * len(answers) + served * (1 + settings.probe_updates) + signed


def dns_observation(domain: str, raw: Mapping[str, Any], probed: datetime,
                    settings: ProbeSettings, catalog: ProviderCatalog) -> DnsObservation:
    """What the DNS probe records for a zone described by ``raw`` (see probes.yaml): every
    host of the delegation and of the zone's own NS set, one answer per address, operators
    matched by the provider catalog, the DNSSEC verdict, and why any part is unknown."""
    _check_keys(raw, _DNS_KEYS)
    parent_ns = tuple(sorted(raw.get("parent_ns") or raw["ns"]))
    child_ns = tuple(sorted(raw.get("child_ns") or raw["ns"]))
    addresses: Mapping[str, Any] = raw.get("addresses") or {}
    answers: Mapping[str, Any] = raw.get("answers") or {}
    serial = int(raw["soa_serial"])
    unknown = sorted(set(answers) - {str(a) for v in addresses.values() for a in v})
    if unknown:
        raise ValueError(f"answers for addresses no nameserver has: {', '.join(unknown)}")
    reasons: list[Reason] = []
    nameservers: list[NameserverObservation] = []
    providers: list[str] = []
    for host in sorted(set(parent_ns) | set(child_ns)):
        if host not in addresses:
            raise ValueError(f"no addresses for nameserver {host}")
        addrs = tuple(str(a) for a in addresses[host])
        got = tuple(_answer(a, answers.get(a) or {}, serial, child_ns, settings) for a in addrs)
        for a in got:
            if a.error:
                reasons.append(Reason("dns.server", f"{host} ({a.address}): SOA: {a.error}"))
        match = catalog.match(host)
        if match.operator:
            providers.append(match.operator)
        nameservers.append(NameserverObservation(
            host, addrs, match.operator, match.keys if match.ambiguous else (),
            host in parent_ns, host in child_ns, got))
    parent_zone = domain.split(".", 1)[1]
    dnssec = _dnssec(domain, parent_zone, raw.get("dnssec") or {}, nameservers, probed)
    if dnssec.status is None:
        reasons.append(Reason("dns.dnssec", "; ".join(dnssec.reasons) or "DNSSEC status unknown"))
    return DnsObservation(
        domain, probed, parent_zone, parent_ns, child_ns, tuple(nameservers),
        tuple(dict.fromkeys(sorted(providers))), dnssec, settings.probe_updates,
        tuple(dict.fromkeys(reasons)), _queries(nameservers, bool(dnssec.ds), settings))


def _dnssec(zone: str, parent: str, raw: Mapping[str, Any],
            nameservers: Sequence[NameserverObservation], now: datetime) -> DnssecObservation:
    """The chain verdict as the DNSSEC check states it, for a parent that validates: no DS
    is insecure; else each answering address must serve a DNSKEY matching a DS and valid
    signatures (problems and reasons are worded as the check words them)."""
    _check_keys(raw, _DNSSEC_KEYS)
    keys = sorted((dict(k) for k in raw.get("dnskeys") or ()), key=lambda k: int(k["key_tag"]))
    by_tag = {(int(k["key_tag"]), int(k["algorithm"])) for k in keys}
    ds = tuple({"key_tag": int(d["key_tag"]), "algorithm": int(d["algorithm"]),
                "digest_type": int(d["digest_type"]),
                "matched": (int(d["key_tag"]), int(d["algorithm"])) in by_tag}
               for d in raw.get("ds") or ())
    n3 = raw.get("nsec3")
    common: dict[str, Any] = {
        "ds": ds, "dnskeys": tuple(keys),
        "algorithms": tuple(sorted({int(k["algorithm"]) for k in keys}
                                   | {d["algorithm"] for d in ds})),
        "ds_digest_types": tuple(sorted({d["digest_type"] for d in ds})),
        "nsec3": None if n3 is None else {"algorithm": 1, "flags": 0, "iterations": 0,
                                          "salt": "-", **dict(n3)},
    }
    zname = f"{zone}."
    if not ds:
        return DnssecObservation(status="insecure", reasons=(f"no DS for {zone} at {parent}",),
                                 **common)
    served = [a.address for ns in nameservers for a in ns.answers if a.authoritative]
    if not served:
        return DnssecObservation(status=None, reasons=("no nameserver returned DNSKEY or SOA",),
                                 **common)
    algorithm = {int(k["key_tag"]): int(k["algorithm"]) for k in keys}
    problems: list[DnssecProblem] = []
    earliest: SignatureInfo | None = None
    if not any(d["matched"] for d in ds):
        tags = sorted(d["key_tag"] for d in ds)
        problems = [DnssecProblem("ds_mismatch", f"no DNSKEY of {zname} matches any DS (tags "
                                  f"{tags})", f"{zname} DS", ds[0]["key_tag"], ds[0]["algorithm"],
                                  address) for address in served]
    else:
        sig = raw.get("signature") or {}
        tag = int(sig["key_tag"])
        if tag not in algorithm:
            raise ValueError(f"signature by key {tag}, which the zone does not publish")
        expires = _stamp(sig["expires"])
        assert expires is not None
        record = f"{zname} {sig['record']}"
        earliest = SignatureInfo(record, tag, algorithm[tag], expires, served[0])
        if expires < now:
            when = expires.astimezone(UTC).isoformat()
            problems = [DnssecProblem("expired_signature", f"RRSIG over {record} by key {tag} "
                                      f"expired at {when}", record, tag, algorithm[tag], address)
                        for address in served]
        bad = raw.get("bad_signature")
        if bad:
            bad_tag, bad_record = int(bad["key_tag"]), f"{zname} {bad['record']}"
            if bad_record == record:
                raise ValueError("the signature that expires first is a valid one; "
                                 "the bad signature must be over another record")
            problems += [DnssecProblem("bad_signature", f"RRSIG over {bad_record} by key "
                                       f"{bad_tag} does not verify", bad_record, bad_tag,
                                       algorithm.get(bad_tag), address) for address in served]
    return DnssecObservation(
        status="bogus" if problems else "secure",
        reasons=tuple(f"{p.message} (server {p.server})" for p in problems),
        problems=tuple(problems), earliest_signature_expiry=earliest.expiration if earliest else None,
        earliest_signature=earliest, **common)
