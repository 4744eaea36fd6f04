"""Fuzz targets for field values and the probe answers (issue #15).

* ``field_values``: ``entity.field<TAB>value`` bytes through
  :func:`vendorrisk.portfolio.fields.clean` (as text, and as the number a spreadsheet cell
  would give when the text reads as one).
* ``whois_text``: a WHOIS reply through ``whois.decode``/``whois.parse`` into a
  :class:`RegistrationObservation` the way the prober builds it, and its JSON round trip.
* ``rdap_json``: an RDAP body through ``rdap.loads``/``rdap.parse_domain`` into the
  observation and its JSON round trip.
* ``dns_answers``: a DNS message (wire format) through the readers that turn answers into
  the DNS observation: delegation, SOA, addresses, transfer, DNSSEC chain.

Seeds are built at run time: field values from the field specs, WHOIS and RDAP answers from
the registration fixtures (with dates computed now), DNS messages signed here with dnspython.
A reader that returns an observation must say it is incomplete rather than claim a complete
answer without data: :func:`complete_and_empty` is what the tests check.
"""

from __future__ import annotations

import copy
import json
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import dns.dnssec
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from tests.fixtures.registration import FIXTURES, rdap_fixture
from tests.fuzz.harness import Target
from vendorrisk.errors import InputError
from vendorrisk.portfolio.fields import ENTITY_FIELDS, SHIPPED_IDS, FieldSpec, clean
from vendorrisk.probes.dns import delegation as dl
from vendorrisk.probes.dns.dnssec import KeyResult, ServerKeys, analyse_zone, zone_keys
from vendorrisk.probes.dns.lookup import _follow_addresses
from vendorrisk.probes.dns.rrtypes import answer_types
from vendorrisk.probes.dns.transfer import classify_transfer
from vendorrisk.probes.dns.transport import Exchange
from vendorrisk.probes.dns.types import DnsObservation
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration import rdap, whois
from vendorrisk.probes.registration.privacy import load_privacy_matcher
from vendorrisk.probes.registration.prober import build_observation
from vendorrisk.probes.registration.types import RegistrationData, RegistrationObservation
from vendorrisk.probes.types import Reason

NOW = datetime.now(UTC).replace(microsecond=0)

# -- field values -------------------------------------------------------------------------------
FIELDS: list[tuple[str, FieldSpec]] = [(entity, spec) for entity, specs in ENTITY_FIELDS.items()
                                       for spec in specs]
_BY_NAME = {f"{entity}.{spec.name}": (entity, spec) for entity, spec in FIELDS}
TAB = b"\t"


def _example(spec: FieldSpec) -> str:
    """A valid value of ``spec``, made from the spec itself."""
    if spec.known is not None:
        return sorted(SHIPPED_IDS.of(spec.known))[0]
    if spec.kind in ("int", "decimal"):
        assert spec.minimum is not None and spec.maximum is not None
        return str((spec.minimum + spec.maximum) // 2)
    today = date.today()
    by_kind = {
        "bool": "yes", "date": today.isoformat(), "datetime": NOW.isoformat(),
        "enum": next(iter(spec.enum)).value if spec.enum else "",
        "choice": spec.choices[0] if spec.choices else "",
        "list": ", ".join(spec.choices[:2]) or "one, two",
        "country": "DE", "currency": "EUR", "location": "EU", "location_list": "EU, US",
        "domain": "bücher.example", "reflist": "Vendor A, Vendor B",
    }
    text = by_kind.get(spec.kind, f"{spec.name} of example {today.year}")
    return text[: spec.max_length] if spec.max_length else text


def field_seeds() -> list[bytes]:
    return [f"{entity}.{spec.name}".encode() + TAB + _example(spec).encode()
            for entity, spec in FIELDS]


def _field(head: bytes) -> tuple[str, FieldSpec]:
    found = _BY_NAME.get(head.decode("ascii", "replace"))
    return found if found else FIELDS[zlib.crc32(head) % len(FIELDS)]


def _as_cell(text: str) -> int | float | None:
    """The number a spreadsheet cell holding ``text`` would give, if it reads as one."""
    try:
        return int(text) if text.strip().isdigit() and len(text) < 4000 else float(text)
    except ValueError:
        return None


def call_field(data: bytes, scratch: Path) -> object:
    head, _, body = data.partition(TAB)
    entity, spec = _field(head)
    text = body.decode("utf-8", "surrogateescape")
    results = [_clean_one(entity, spec.name, text)]
    cell = _as_cell(text[:400])
    if cell is not None:
        results.append(_clean_one(entity, spec.name, cell))
    return results


def _clean_one(entity: str, name: str, value: object) -> object:
    try:
        return clean(entity, {name: value}, partial=True)
    except InputError as exc:
        if name not in exc.message:
            raise AssertionError(f"problem does not name the field {name}: {exc.message}") from exc
        raise


# -- registration answers -----------------------------------------------------------------------
DOMAIN = "example.com"


@cache
def _matcher() -> Any:
    return load_privacy_matcher()


def whois_seeds() -> list[bytes]:
    return [path.read_bytes() for path in sorted((FIXTURES / "whois").glob("*.txt"))]


def observe_whois(body: bytes, domain: str = DOMAIN) -> RegistrationObservation:
    """A WHOIS reply into the observation, the way the prober does it (without fetching)."""
    try:
        data = whois.parse(domain, whois.decode(body), _matcher())
    except whois.WhoisReplyError as exc:
        return RegistrationObservation(domain, fetched_at=NOW, reasons=(
            Reason("registration.whois", f"whois.example: {exc.message}"),))
    return build_observation(domain, "whois", "whois.example", data, _thin_reasons(data), NOW)


def _thin_reasons(data: RegistrationData) -> list[Reason]:
    """The registrar step is not run here: a thin answer keeps the reason it would get."""
    if data.thin:
        return [Reason("registration.registrar", "registrar answer not fetched (fuzzing)")]
    return []


def _rdap_docs() -> list[dict[str, Any]]:
    docs = [rdap_fixture(path.stem) for path in sorted((FIXTURES / "rdap").glob("*.json"))]
    dated = copy.deepcopy(rdap_fixture("thick_registry_locked"))
    for event in dated.get("events", []):
        event["eventDate"] = (NOW + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%S+02:00")
    return [*docs, dated]


def rdap_seeds() -> list[bytes]:
    return [json.dumps(doc, indent=1).encode() for doc in _rdap_docs()]


def observe_rdap(body: bytes, domain: str = DOMAIN) -> RegistrationObservation:
    """An RDAP body into the observation, the way the prober does it (without fetching)."""
    try:
        data = rdap.parse_domain(rdap.loads(body), _matcher())
    except rdap.RdapParseError as exc:
        return RegistrationObservation(domain, fetched_at=NOW, reasons=(
            Reason("registration.rdap", f"rdap.example: answer is not RDAP ({exc})"),))
    return build_observation(domain, "rdap", "rdap.example", data, _thin_reasons(data), NOW)


def round_trip(obs: RegistrationObservation) -> RegistrationObservation:
    """Through the stored JSON form (as the cache and the database keep it) and back."""
    whole = DomainObservation(obs.domain, NOW, obs, None)
    text = json.dumps(whole.to_json(), allow_nan=False)
    back = DomainObservation.from_json(json.loads(text))
    assert back.registration is not None and back.registration.to_json() == obs.to_json()
    return back.registration


def complete_and_empty(obs: RegistrationObservation) -> bool:
    """Claims to be complete, yet holds no registration data at all."""
    return obs.complete and not any((obs.registrar, obs.registrar_iana_id, obs.created,
                                     obs.expires, obs.epp_status, obs.other_status))


def call_whois(data: bytes, scratch: Path) -> RegistrationObservation:
    return round_trip(observe_whois(data))


def call_rdap(data: bytes, scratch: Path) -> RegistrationObservation:
    return round_trip(observe_rdap(data))


# -- DNS answers ----------------------------------------------------------------------------------
ZONE = "example.test"
PARENT = "test"
_ZONE_HOSTS = ("ns1.example.test", "ns2.example.test")


class _Keys:
    """Deterministic keys (Ed25519 from fixed bytes, ECDSA from a fixed scalar) so a saved
    input replays against the same keys in any process."""

    def __init__(self) -> None:
        self.root = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
        self.tld = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
        self.ksk = ec.derive_private_key(0x5EED_0001, ec.SECP256R1())
        self.zsk = ec.derive_private_key(0x5EED_0002, ec.SECP256R1())
        self.root_key = dns.dnssec.make_dnskey(self.root.public_key(), 15, flags=257)
        self.tld_key = dns.dnssec.make_dnskey(self.tld.public_key(), 15, flags=257)
        self.ksk_key = dns.dnssec.make_dnskey(self.ksk.public_key(), 13, flags=257)
        self.zsk_key = dns.dnssec.make_dnskey(self.zsk.public_key(), 13, flags=256)


@cache
def _keys() -> _Keys:
    return _Keys()


def _absolute(name: str) -> dns.name.Name:
    return dns.name.from_text(name, dns.name.root)


def _rrset(name: str, rdtype: str, *texts: str, ttl: int = 3600) -> dns.rrset.RRset:
    return dns.rrset.from_text(_absolute(name), ttl, "IN", rdtype, *texts)


def _key_rrset(name: str, *keys: dns.rdata.Rdata) -> dns.rrset.RRset:
    rrset = dns.rrset.RRset(_absolute(name), dns.rdataclass.IN, dns.rdatatype.DNSKEY)
    for key in keys:
        rrset.add(key, 3600)
    return rrset


def _signed(rrset: dns.rrset.RRset, private: Any, signer: str, key: Any) -> list[dns.rrset.RRset]:
    sig = dns.dnssec.sign(rrset, private, _absolute(signer), key,
                          inception=NOW - timedelta(days=1), expiration=NOW + timedelta(days=20))
    sigs = dns.rrset.RRset(rrset.name, dns.rdataclass.IN, dns.rdatatype.RRSIG,
                           dns.rdatatype.RdataType(rrset.rdtype))
    sigs.add(sig, rrset.ttl)
    return [rrset, sigs]


def _answer(qname: str, rdtype: str, *, answer: Sequence[dns.rrset.RRset] = (),
            authority: Sequence[dns.rrset.RRset] = (),
            additional: Sequence[dns.rrset.RRset] = (),
            aa: bool = True, rcode: int = dns.rcode.NOERROR) -> bytes:
    query = dns.message.make_query(qname, rdtype, want_dnssec=True)
    msg = dns.message.make_response(query)
    msg.flags |= dns.flags.AA if aa else 0
    msg.set_rcode(rcode)
    msg.answer.extend(answer)
    msg.authority.extend(authority)
    msg.additional.extend(additional)
    return msg.to_wire(max_size=65535)


class _World:
    """The signed zone the seeds answer about; a reader gets from here what one message
    lacks (the DS when the message holds the DNSKEY set, and so on)."""

    def __init__(self) -> None:
        k = _keys()
        self.glue = [_rrset("ns1.example.test", "A", "192.0.2.1"),
                     _rrset("ns1.example.test", "AAAA", "2001:db8::1"),
                     _rrset("ns2.example.test", "A", "198.51.100.2")]
        self.ns = _rrset(ZONE, "NS", *(h + "." for h in _ZONE_HOSTS))
        self.soa = _rrset(ZONE, "SOA", f"ns1.{ZONE}. hostmaster.{ZONE}. {NOW:%Y%m%d}01 7200 "
                          "900 1209600 300")
        made = dns.dnssec.make_ds(_absolute(ZONE), k.ksk_key, "SHA256")
        self.ds = _signed(_rrset(ZONE, "DS", made.to_text()), k.tld, PARENT, k.tld_key)
        self.dnskey = _signed(_key_rrset(ZONE, k.ksk_key, k.zsk_key), k.ksk, ZONE, k.ksk_key)
        self.signed_soa = _signed(self.soa, k.zsk, ZONE, k.zsk_key)


@cache
def _world() -> _World:
    return _World()


def dns_seeds() -> list[bytes]:
    k, w = _keys(), _world()
    glue, ns, soa, ds, zone_keys_set = w.glue, w.ns, w.soa, w.ds[0], w.dnskey[0]
    return [
        _answer(ZONE, "ANY", answer=[*w.ds, *w.dnskey, *w.signed_soa],
                authority=_signed(ns, k.zsk, ZONE, k.zsk_key), additional=glue),
        _answer(".", "DNSKEY", answer=_signed(_key_rrset(".", k.root_key), k.root, ".",
                                              k.root_key)),
        _answer(PARENT, "DNSKEY", answer=_signed(_key_rrset(PARENT, k.tld_key), k.tld, PARENT,
                                                 k.tld_key)),
        _answer(ZONE, "NS", authority=[ns], additional=glue, aa=False),
        _answer(ZONE, "DS", answer=_signed(ds, k.tld, PARENT, k.tld_key)),
        _answer(ZONE, "DNSKEY", answer=_signed(zone_keys_set, k.ksk, ZONE, k.ksk_key)),
        _answer(ZONE, "SOA", answer=_signed(soa, k.zsk, ZONE, k.zsk_key),
                authority=_signed(ns, k.zsk, ZONE, k.zsk_key)),
        _answer(ZONE, "NS", answer=_signed(ns, k.zsk, ZONE, k.zsk_key), additional=glue),
        _answer(ZONE, "NSEC3PARAM", answer=[_rrset(ZONE, "NSEC3PARAM", "1 0 0 -")]),
        _answer("www.example.test", "A", answer=[
            _rrset("www.example.test", "CNAME", "web.example.test."),
            _rrset("web.example.test", "A", "192.0.2.80", "192.0.2.81")], aa=False),
        _answer("gone.example.test", "SOA", authority=[soa], rcode=dns.rcode.NXDOMAIN),
        _answer(ZONE, "IXFR", answer=[soa, ns, soa]),
    ]


_TRANSPORT_FAULTS = (dns.exception.DNSException, EOFError, ValueError)
"""What the DNS transport turns into an ``Exchange`` error ("garbage response")."""


MAX_WIRE_BYTES = 65_535
"""No DNS message is longer (the TCP length prefix is 16 bits; UDP answers are smaller)."""


def _message(data: bytes) -> dns.message.Message:
    if len(data) > MAX_WIRE_BYTES:
        raise InputError(f"{len(data)} bytes: longer than any DNS message")
    try:
        return dns.message.from_wire(data)
    except _TRANSPORT_FAULTS as exc:
        raise InputError(f"garbage response: {type(exc).__name__}") from None


def _names(msg: dns.message.Message) -> list[str]:
    asked = [dl.name_text(q.name) for q in msg.question[:1]]
    return list(dict.fromkeys([ZONE, *asked]))


@cache
def _parent_result() -> KeyResult:
    k = _keys()
    keys = dns.rdataset.Rdataset(dns.rdataclass.IN, dns.rdatatype.DNSKEY)
    keys.add(k.tld_key)
    return KeyResult(PARENT, "secure", keys)


def _anchor() -> dns.rdataset.Rdataset:
    anchor = dns.rdataset.Rdataset(dns.rdataclass.IN, dns.rdatatype.DS)
    anchor.add(dns.dnssec.make_ds(dns.name.root, _keys().root_key, "SHA256"))
    return anchor


def read_answer(msg: dns.message.Message, name: str) -> DnsObservation:
    """Every reader of the probe that takes an answer, for ``name`` as the probed zone."""
    exchange = Exchange("192.0.2.53", msg)
    dl.enclosing_zone(msg, name)
    referral = dl.parse_referral(msg, name)
    hosts = dl.ns_names(msg, name) or ()
    for host in (*referral.ns, *hosts)[:16]:
        dl.addresses(msg, host)
        _follow_addresses(exchange, host)
    dl.parse_soa(msg, name)
    answer_types([msg])
    classify_transfer(msg)
    rr = {t: (dl.find_rrset(msg.answer, name, t), dl.find_sigs(msg.answer, name, t))
          for t in (dns.rdatatype.DNSKEY, dns.rdatatype.DS, dns.rdatatype.SOA)}
    key, key_sig = rr[dns.rdatatype.DNSKEY]
    zone_keys(".", None, None, None, key, key_sig, NOW, "192.0.2.53", _anchor())
    w = _world()
    ds, ds_sig = rr[dns.rdatatype.DS] if rr[dns.rdatatype.DS][0] is not None else w.ds
    if key is None:
        key, key_sig = w.dnskey
    soa, soa_sig = rr[dns.rdatatype.SOA] if rr[dns.rdatatype.SOA][0] else w.signed_soa
    zone_keys(name, _parent_result(), ds, ds_sig, key, key_sig, NOW)
    server = ServerKeys("192.0.2.53", key, key_sig, soa, soa_sig)
    dnssec = analyse_zone(name, _parent_result(), ds, ds_sig, True, [server], None, NOW)
    return DnsObservation(name, NOW, PARENT, referral.ns or None, hosts or None, dnssec=dnssec)


def call_dns(data: bytes, scratch: Path) -> list[DnsObservation]:
    msg = _message(data)
    out = []
    for name in _names(msg):
        obs = read_answer(msg, name)
        text = json.dumps(obs.to_json(), allow_nan=False)
        assert DnsObservation.from_json(json.loads(text)).to_json() == obs.to_json()
        out.append(obs)
    return out


TARGETS = [
    Target("field_values", field_seeds, call_field),
    Target("whois_text", whois_seeds, call_whois),
    Target("rdap_json", rdap_seeds, call_rdap),
    Target("dns_answers", dns_seeds, call_dns),
]
