"""Frozen DNS observations and their DESIGN §3 JSON form (``"dns"`` object).

Unknown values are ``None``; nothing here is a verdict, rules turn these into findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from vendorrisk.probes.types import Reason

DnssecStatus = Literal["secure", "insecure", "bogus"]
TransferResult = Literal["open", "denied"]
UpdateResult = Literal["open", "denied", "unsupported", "not_tested"]


def iso(ts: datetime | None) -> str | None:
    """ISO 8601 UTC text of ``ts`` (``Z`` suffix) or None."""
    if ts is None:
        return None
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@dataclass(frozen=True)
class ServerAnswer:
    """What one address of one nameserver said (None = could not be learned)."""

    address: str
    authoritative: bool | None = None
    rcode: str | None = None
    soa_serial: int | None = None
    ns: tuple[str, ...] | None = None
    transfer: TransferResult | None = None
    update: UpdateResult | None = None
    error: str | None = None
    record_types: tuple[int, ...] | None = None
    """RR type codes in the answers this address gave (apex SOA/NS/DNSKEY, the first message
    of a transfer it allowed); ``None`` = not recorded (an observation older than this key)."""
    nsec3param: str | None = None
    """The zone's NSEC3PARAM at this address (``"1 0 0 -"``), ``""`` = none (NSEC), ``None`` =
    not asked (unsigned, or not authoritative) or no answer."""
    not_queried: bool = False
    """The address is not globally routable and configuration did not open its network: the
    probe sent it nothing (``error`` says why); ``dns.nonroutable_address`` reports it."""

    def to_json(self) -> dict[str, Any]:
        return {
            "address": self.address, "authoritative": self.authoritative, "rcode": self.rcode,
            "soa_serial": self.soa_serial, "ns": None if self.ns is None else list(self.ns),
            "transfer": self.transfer, "update": self.update, "error": self.error,
            "record_types": None if self.record_types is None else list(self.record_types),
            "nsec3param": self.nsec3param, "not_queried": self.not_queried,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ServerAnswer:
        ns, types = d.get("ns"), d.get("record_types")
        return cls(d["address"], d.get("authoritative"), d.get("rcode"), d.get("soa_serial"),
                   None if ns is None else tuple(ns), d.get("transfer"), d.get("update"),
                   d.get("error"), None if types is None else tuple(int(t) for t in types),
                   d.get("nsec3param"), bool(d.get("not_queried", False)))


def _tri(values: list[bool | None], *, decisive: bool) -> bool | None:
    """Combine per-address booleans: any ``decisive`` value wins, else all known -> the other."""
    if any(v is decisive for v in values):
        return decisive
    if values and all(v is not None for v in values):
        return not decisive
    return None


@dataclass(frozen=True)
class NameserverObservation:
    """One delegated or apex nameserver host, with the answers of each of its addresses."""

    name: str
    addresses: tuple[str, ...] = ()
    provider: str | None = None
    """Operator: a catalog key, else the registrable domain of the host name."""
    provider_candidates: tuple[str, ...] = ()
    """Several operators share this host-name pattern (ambiguous); empty when unambiguous."""
    in_parent: bool = False
    in_child: bool = False
    answers: tuple[ServerAnswer, ...] = ()
    glue: tuple[str, ...] = ()
    """The addresses the parent's referral carried for this host (in-bailiwick hosts)."""
    zone_addresses: tuple[str, ...] | None = None
    """The A and AAAA records the zone itself serves for this host, asked of its own
    servers where there is glue to compare; ``None`` = not asked or no answer."""

    @property
    def authoritative(self) -> bool | None:
        """False if any address is lame; True if all answered authoritatively; else None."""
        return _tri([a.authoritative for a in self.answers], decisive=False)

    @property
    def soa_serial(self) -> int | None:
        serials = {a.soa_serial for a in self.answers if a.soa_serial is not None}
        return serials.pop() if len(serials) == 1 else None

    @property
    def axfr_open(self) -> bool | None:
        return _tri([None if a.transfer is None else a.transfer == "open" for a in self.answers],
                    decisive=True)

    @property
    def update_open(self) -> bool | None:
        vals = [None if a.update in (None, "not_tested") else a.update == "open"
                for a in self.answers]
        return _tri(vals, decisive=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "addresses": list(self.addresses), "provider": self.provider,
            "provider_candidates": list(self.provider_candidates),
            "authoritative": self.authoritative, "soa_serial": self.soa_serial,
            "axfr_open": self.axfr_open, "update_open": self.update_open,
            "in_parent": self.in_parent, "in_child": self.in_child,
            "answers": [a.to_json() for a in self.answers], "glue": list(self.glue),
            "zone_addresses": (None if self.zone_addresses is None
                               else list(self.zone_addresses)),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> NameserverObservation:
        return cls(d["name"], tuple(d.get("addresses", ())), d.get("provider"),
                   tuple(d.get("provider_candidates", ())), bool(d.get("in_parent")),
                   bool(d.get("in_child")),
                   tuple(ServerAnswer.from_json(a) for a in d.get("answers", ())),
                   tuple(d.get("glue") or ()),
                   None if d.get("zone_addresses") is None else tuple(d["zone_addresses"]))


@dataclass(frozen=True)
class DnssecProblem:
    """One DNSSEC defect: ``kind`` is expired_signature, bad_signature, missing_signature,
    ds_mismatch, no_dnskey, parent_bogus or unsupported_algorithm."""

    kind: str
    message: str
    record: str | None = None
    key_tag: int | None = None
    algorithm: int | None = None
    server: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "record": self.record,
                "key_tag": self.key_tag, "algorithm": self.algorithm, "server": self.server}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DnssecProblem:
        return cls(d["kind"], d["message"], d.get("record"), d.get("key_tag"),
                   d.get("algorithm"), d.get("server"))


@dataclass(frozen=True)
class SignatureInfo:
    """The RRSIG that expires first among those the chain depends on."""

    record: str
    key_tag: int
    algorithm: int
    expiration: datetime
    server: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"record": self.record, "key_tag": self.key_tag, "algorithm": self.algorithm,
                "expiration": iso(self.expiration), "server": self.server}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SignatureInfo:
        exp = parse_iso(d["expiration"])
        assert exp is not None
        return cls(d["record"], d["key_tag"], d["algorithm"], exp, d.get("server"))


@dataclass(frozen=True)
class DnssecObservation:
    """Chain-of-trust verdict for one zone; ``status`` None = could not be decided."""

    status: DnssecStatus | None = None
    algorithms: tuple[int, ...] = ()
    ds_digest_types: tuple[int, ...] = ()
    earliest_signature_expiry: datetime | None = None
    reasons: tuple[str, ...] = ()
    problems: tuple[DnssecProblem, ...] = ()
    ds: tuple[dict[str, Any], ...] = ()
    """Each DS: key_tag, algorithm, digest_type, matched (a DNSKEY of the zone)."""
    dnskeys: tuple[dict[str, Any], ...] = ()
    """Each DNSKEY: key_tag, algorithm, flags."""
    nsec3: dict[str, Any] | None = None
    """NSEC3PARAM: algorithm, flags, iterations, salt (hex or "-"); None = NSEC or unknown."""
    earliest_signature: SignatureInfo | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "algorithms": list(self.algorithms),
            "ds_digest_types": list(self.ds_digest_types),
            "earliest_signature_expiry": iso(self.earliest_signature_expiry),
            "reasons": list(self.reasons), "problems": [p.to_json() for p in self.problems],
            "ds": [dict(d) for d in self.ds], "dnskeys": [dict(k) for k in self.dnskeys],
            "nsec3": self.nsec3,
            "earliest_signature": (self.earliest_signature.to_json()
                                   if self.earliest_signature else None),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DnssecObservation:
        sig = d.get("earliest_signature")
        return cls(d.get("status"), tuple(d.get("algorithms", ())),
                   tuple(d.get("ds_digest_types", ())),
                   parse_iso(d.get("earliest_signature_expiry")), tuple(d.get("reasons", ())),
                   tuple(DnssecProblem.from_json(p) for p in d.get("problems", ())),
                   tuple(d.get("ds", ())), tuple(d.get("dnskeys", ())), d.get("nsec3"),
                   SignatureInfo.from_json(sig) if sig else None)


@dataclass(frozen=True)
class DnsObservation:
    """Everything the DNS probe saw for one domain (A-label)."""

    domain: str
    probed_at: datetime
    parent_zone: str | None = None
    parent_ns: tuple[str, ...] | None = None
    child_ns: tuple[str, ...] | None = None
    nameservers: tuple[NameserverObservation, ...] = ()
    providers: tuple[str, ...] = ()
    dnssec: DnssecObservation = field(default_factory=DnssecObservation)
    update_tested: bool = False
    reasons: tuple[Reason, ...] = ()
    queries: int = 0

    @property
    def complete(self) -> bool:
        return not self.reasons

    @property
    def record_types(self) -> tuple[int, ...] | None:
        """RR type codes any nameserver answered with; ``None`` when no answer recorded them."""
        seen = [a.record_types for n in self.nameservers for a in n.answers
                if a.record_types is not None]
        return tuple(sorted({t for s in seen for t in s})) if seen else None

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain, "probed_at": iso(self.probed_at),
            "parent_zone": self.parent_zone,
            "parent_ns": None if self.parent_ns is None else list(self.parent_ns),
            "child_ns": None if self.child_ns is None else list(self.child_ns),
            "nameservers": [n.to_json() for n in self.nameservers],
            "providers": list(self.providers), "dnssec": self.dnssec.to_json(),
            "update_tested": self.update_tested, "complete": self.complete,
            "reasons": [r.to_json() for r in self.reasons], "queries": self.queries,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DnsObservation:
        probed = parse_iso(d.get("probed_at")) or datetime.fromtimestamp(0, UTC)
        pns, cns = d.get("parent_ns"), d.get("child_ns")
        return cls(d["domain"], probed, d.get("parent_zone"),
                   None if pns is None else tuple(pns), None if cns is None else tuple(cns),
                   tuple(NameserverObservation.from_json(n) for n in d.get("nameservers", ())),
                   tuple(d.get("providers", ())),
                   DnssecObservation.from_json(d.get("dnssec") or {}),
                   bool(d.get("update_tested")),
                   tuple(Reason.from_json(r) for r in d.get("reasons", ())),
                   int(d.get("queries", 0)))
