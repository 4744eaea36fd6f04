"""Pure DNSSEC chain checks over already-fetched records, with the clock passed in as ``now``.

``dns.dnssec.validate`` hides *why* a signature failed, so each RRSIG is checked twice: its
cryptography at a moment inside its own validity window, and its window against ``now``.
That tells an expired signature from a bad one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import dns.dnssec
import dns.exception
import dns.name
import dns.rdataset
import dns.rdatatype
import dns.rrset
import dns.zonefile
from dns.rdtypes.ANY.DNSKEY import DNSKEY
from dns.rdtypes.ANY.DS import DS
from dns.rdtypes.ANY.NSEC3PARAM import NSEC3PARAM
from dns.rdtypes.ANY.RRSIG import RRSIG

from vendorrisk.errors import ConfigError
from vendorrisk.probes.dns.types import DnssecObservation, DnssecProblem, DnssecStatus, SignatureInfo

SigState = Literal["ok", "expired", "not_yet_valid", "bad"]
_POLICY = dns.dnssec.allow_all_policy

MAX_SIGS_PER_RRSET = 8
"""Most RRSIGs checked over one RRset (real zones: 1 to 3, a few more during a rollover)."""
MAX_KEYS = 32
"""Most DNSKEYs of one zone considered (real zones: 2 to 6)."""
MAX_DS = 16
"""Most DS records of one zone considered (real zones: 1 to 4).

Each check is a signature verification or a digest, so these caps keep one hostile answer
(thousands of RRSIGs, keys or DS in a 64 KB message) to a few milliseconds of work; what is
beyond them is ignored as if absent."""


@dataclass(frozen=True)
class KeyResult:
    """Verdict on one zone's DNSKEY set: the keys to trust when ``status == 'secure'``."""

    zone: str
    status: Literal["secure", "insecure", "bogus"] | None
    keys: dns.rdataset.Rdataset | None = None
    problems: tuple[DnssecProblem, ...] = ()
    signatures: tuple[SignatureInfo, ...] = ()


@dataclass(frozen=True)
class ServerKeys:
    """What one child address returned: DNSKEY and SOA with their RRSIGs (None = no answer)."""

    address: str
    dnskey: dns.rrset.RRset | None
    dnskey_sigs: dns.rrset.RRset | None
    soa: dns.rrset.RRset | None
    soa_sigs: dns.rrset.RRset | None


@dataclass
class _Acc:
    problems: list[DnssecProblem] = field(default_factory=list)
    sigs: list[SignatureInfo] = field(default_factory=list)


def parse_trust_anchor(text: str, source: str = "trust anchor") -> dns.rdataset.Rdataset:
    """Root DS and/or DNSKEY records in zone-file format -> a DS rdataset (DNSKEYs hashed)."""
    try:
        rrsets = dns.zonefile.read_rrsets(text, origin=dns.name.root, relativize=False,
                                             rdclass=None, default_ttl=0)
    except dns.exception.DNSException as exc:
        raise ConfigError(f"{source}: not valid zone-file text: {exc}") from exc
    out = dns.rdataset.Rdataset(dns.rdataclass.IN, dns.rdatatype.DS)
    for rrset in rrsets:
        if rrset.name != dns.name.root:
            raise ConfigError(f"{source}: trust anchor for {rrset.name} is not for the root")
        for rd in rrset:
            if isinstance(rd, DS):
                out.add(rd)
            elif isinstance(rd, DNSKEY):
                out.add(dns.dnssec.make_ds(dns.name.root, rd, "SHA256", policy=_POLICY))
            else:
                raise ConfigError(f"{source}: {rrset.name} {rrset.rdtype.name} is not DS/DNSKEY")
    if not out:
        raise ConfigError(f"{source}: no DS or DNSKEY records found")
    return out


def _ts(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def check_signature(rrset: dns.rrset.RRset, sig: RRSIG, keys: dns.rdataset.Rdataset,
                    zone: dns.name.Name, now: datetime) -> SigState:
    """Cryptography first (at a time inside the RRSIG's window), then the window itself."""
    inside = sig.inception + max(0, (sig.expiration - sig.inception) // 2)
    try:
        dns.dnssec.validate_rrsig(rrset, sig, {zone: keys}, now=float(inside), policy=_POLICY)
    except (dns.exception.ValidationFailure, dns.exception.UnsupportedAlgorithm,
            dns.exception.DeniedByPolicy, ValueError, TypeError):
        return "bad"
    t = now.timestamp()
    if t > sig.expiration:
        return "expired"
    if t < sig.inception:
        return "not_yet_valid"
    return "ok"


def _record(rrset: dns.rrset.RRset) -> str:
    return f"{rrset.name.to_text()} {dns.rdatatype.to_text(rrset.rdtype)}"


def _check_rrset(rrset: dns.rrset.RRset, sigs: dns.rrset.RRset | None,
                 keys: dns.rdataset.Rdataset, zone: dns.name.Name, now: datetime,
                 server: str | None, acc: _Acc) -> bool:
    """True if some RRSIG over ``rrset`` by a key in ``keys`` is valid now; records why not."""
    keys = _first_keys(keys)
    tags = {dns.dnssec.key_id(k): k.algorithm for k in keys}
    cands = [s for s in (sigs or ()) if s.key_tag in tags and s.signer == zone]
    cands = cands[:MAX_SIGS_PER_RRSET]
    states = [(s, check_signature(rrset, s, keys, zone, now)) for s in cands]
    good = [s for s, st in states if st == "ok"]
    timed = [(s, st) for s, st in states if st in ("expired", "not_yet_valid")]
    best = max(good or [s for s, _ in timed] or [None], key=lambda s: s.expiration if s else 0)
    if best is not None:
        acc.sigs.append(SignatureInfo(_record(rrset), best.key_tag, int(best.algorithm),
                                      _ts(best.expiration), server))
    if good:
        return True
    rec = _record(rrset)
    if timed:
        s, st = timed[0]
        when = _ts(s.expiration if st == "expired" else s.inception).isoformat()
        word = "expired at" if st == "expired" else "not valid before"
        acc.problems.append(DnssecProblem("expired_signature", f"RRSIG over {rec} by key "
                            f"{s.key_tag} {word} {when}", rec, s.key_tag, int(s.algorithm),
                            server))
    elif cands:
        s = cands[0]
        acc.problems.append(DnssecProblem("bad_signature", f"RRSIG over {rec} by key "
                            f"{s.key_tag} does not verify", rec, s.key_tag, int(s.algorithm),
                            server))
    else:
        acc.problems.append(DnssecProblem("missing_signature", f"no RRSIG over {rec} by a "
                            f"trusted key (tags {sorted(tags)})", rec, None, None, server))
    return False


def _first_keys(keys: dns.rdataset.Rdataset) -> dns.rdataset.Rdataset:
    """``keys``, or its first ``MAX_KEYS`` keys if it holds more."""
    if len(keys) <= MAX_KEYS:
        return keys
    first = dns.rdataset.Rdataset(keys.rdclass, keys.rdtype)
    for key in list(keys)[:MAX_KEYS]:
        first.add(key)
    return first


def match_ds(zone: dns.name.Name, ds_set: Iterable[DS], dnskeys: Iterable[DNSKEY]
             ) -> dict[DS, DNSKEY | None]:
    """Each DS with the DNSKEY it matches (same tag, algorithm and recomputed digest); the
    first ``MAX_DS`` DS and ``MAX_KEYS`` keys only."""
    keys = [(dns.dnssec.key_id(key), key) for key in list(dnskeys)[:MAX_KEYS]]
    out: dict[DS, DNSKEY | None] = {}
    for ds in list(ds_set)[:MAX_DS]:
        out[ds] = None
        for tag, key in keys:
            if tag != ds.key_tag or key.algorithm != ds.algorithm:
                continue
            try:
                made = dns.dnssec.make_ds(zone, key, ds.digest_type, policy=_POLICY,
                                          validating=True)
            except (dns.exception.UnsupportedAlgorithm, dns.exception.DeniedByPolicy,
                    ValueError):
                continue
            if made.digest == ds.digest:
                out[ds] = key
    return out


def validate_keys(zone: dns.name.Name, ds_set: Sequence[DS], dnskey: dns.rrset.RRset | None,
                  dnskey_sigs: dns.rrset.RRset | None, now: datetime, server: str | None,
                  acc: _Acc) -> dns.rdataset.Rdataset | None:
    """DS -> DNSKEY step: the DNSKEY RRset if a DS-matched key signs it validly, else None."""
    zname = zone.to_text()
    if dnskey is None or not len(dnskey):
        acc.problems.append(DnssecProblem("no_dnskey", f"{zname} has DS but serves no DNSKEY",
                                          f"{zname} DNSKEY", None, None, server))
        return None
    matches = match_ds(zone, ds_set, dnskey)
    anchors = [k for k in matches.values() if k is not None]
    if not anchors:
        ds0 = ds_set[0]
        acc.problems.append(DnssecProblem(
            "ds_mismatch", f"no DNSKEY of {zname} matches any DS (tags "
            f"{sorted(d.key_tag for d in ds_set)})", f"{zname} DS", ds0.key_tag,
            int(ds0.algorithm), server))
        return None
    anchor_set = dns.rdataset.Rdataset(dns.rdataclass.IN, dns.rdatatype.DNSKEY)
    for k in anchors:
        anchor_set.add(k)
    if not _check_rrset(dnskey, dnskey_sigs, anchor_set, zone, now, server, acc):
        return None
    return dnskey.to_rdataset()


def zone_keys(zone: str, parent: KeyResult | None, ds: dns.rrset.RRset | None,
              ds_sigs: dns.rrset.RRset | None, dnskey: dns.rrset.RRset | None,
              dnskey_sigs: dns.rrset.RRset | None, now: datetime, server: str | None = None,
              anchor: dns.rdataset.Rdataset | None = None) -> KeyResult:
    """Verdict for an ancestor zone (one server's view). ``anchor`` is used for the root."""
    name = dns.name.from_text(zone)
    acc = _Acc()
    if anchor is not None:
        ds_list = list(anchor)
    else:
        assert parent is not None
        if parent.status != "secure" or parent.keys is None:
            return KeyResult(zone, parent.status, problems=parent.problems)
        if ds is None or not len(ds):
            return KeyResult(zone, "insecure")
        if not _check_rrset(ds, ds_sigs, parent.keys, dns.name.from_text(parent.zone), now,
                            None, acc):
            return KeyResult(zone, "bogus", problems=tuple(acc.problems))
        ds_list = list(ds)[:MAX_DS]
    keys = validate_keys(name, ds_list, dnskey, dnskey_sigs, now, server, acc)
    status: DnssecStatus = "secure" if keys is not None else "bogus"
    return KeyResult(zone, status, keys, tuple(acc.problems), tuple(acc.sigs))


def _nsec3(param: NSEC3PARAM | None) -> dict[str, object] | None:
    if param is None:
        return None
    return {"algorithm": int(param.algorithm), "flags": int(param.flags),
            "iterations": int(param.iterations),
            "salt": param.salt.hex() if param.salt else "-"}


def analyse_zone(zone: str, parent: KeyResult | None, ds: dns.rrset.RRset | None,
                 ds_sigs: dns.rrset.RRset | None, ds_known: bool,
                 servers: Sequence[ServerKeys], nsec3param: NSEC3PARAM | None,
                 now: datetime) -> DnssecObservation:
    """Chain verdict for the probed zone from its parent's verdict and every server's keys."""
    name = dns.name.from_text(zone)
    acc = _Acc()
    answered = [s for s in servers if s.soa is not None or s.dnskey is not None]
    keys_seen: dict[int, DNSKEY] = {}
    for s in answered:
        for k in list(s.dnskey or ())[:MAX_KEYS]:
            keys_seen.setdefault(dns.dnssec.key_id(k), k)
    ds_list = list(ds or ())[:MAX_DS]
    matched = match_ds(name, ds_list, keys_seen.values()) if ds_list else {}
    common = {
        "ds": tuple({"key_tag": d.key_tag, "algorithm": int(d.algorithm),
                     "digest_type": int(d.digest_type), "matched": matched.get(d) is not None}
                    for d in ds_list),
        "dnskeys": tuple({"key_tag": t, "algorithm": int(k.algorithm), "flags": int(k.flags)}
                         for t, k in sorted(keys_seen.items())),
        "algorithms": tuple(sorted({int(k.algorithm) for k in keys_seen.values()}
                                   | {int(d.algorithm) for d in ds_list})),
        "ds_digest_types": tuple(sorted({int(d.digest_type) for d in ds_list})),
        "nsec3": _nsec3(nsec3param),
    }
    status: Literal["secure", "insecure", "bogus"] | None
    reasons: list[str] = []
    if parent is None or parent.status is None:
        status, reasons = None, ["the parent zone's chain of trust could not be checked"]
    elif parent.status == "insecure":
        status, reasons = "insecure", [f"parent zone {parent.zone} is insecure"]
    elif parent.status == "bogus":
        status = "bogus"
        acc.problems.append(DnssecProblem("parent_bogus", f"parent zone {parent.zone} does "
                                          "not validate", f"{parent.zone} DNSKEY"))
        acc.problems.extend(parent.problems)
    elif not ds_known:
        status, reasons = None, ["the parent's DS answer could not be obtained"]
    elif not ds_list:
        status, reasons = "insecure", [f"no DS for {zone} at {parent.zone}"]
    elif ds is not None and parent.keys is not None and not _check_rrset(
            ds, ds_sigs, parent.keys, dns.name.from_text(parent.zone), now, None, acc):
        status = "bogus"
    elif not answered:
        status, reasons = None, ["no nameserver returned DNSKEY or SOA"]
    else:
        status = _servers_status(name, ds_list, answered, now, acc)
    reasons.extend(p.message + (f" (server {p.server})" if p.server else "")
                   for p in acc.problems)
    earliest = min(acc.sigs, key=lambda s: s.expiration) if acc.sigs else None
    return DnssecObservation(
        status=status, reasons=tuple(reasons), problems=tuple(acc.problems),
        earliest_signature_expiry=earliest.expiration if earliest else None,
        earliest_signature=earliest, **common)  # type: ignore[arg-type]


def _servers_status(name: dns.name.Name, ds_list: list[DS], answered: Sequence[ServerKeys],
                    now: datetime, acc: _Acc) -> Literal["secure", "bogus"]:
    ok = True
    for s in answered:
        keys = validate_keys(name, ds_list, s.dnskey, s.dnskey_sigs, now, s.address, acc)
        if keys is None:
            ok = False
            continue
        if s.soa is None or not _check_rrset(s.soa, s.soa_sigs, keys, name, now, s.address,
                                             acc):
            ok = False
    return "secure" if ok else "bogus"
