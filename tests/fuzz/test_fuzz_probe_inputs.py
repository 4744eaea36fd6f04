"""Field values and probe answers under fuzzing (issue #15): only project errors come out,
each call within its bound, and a hostile answer is never a complete-but-empty observation.

The long campaign is ``benchmarks/fuzz_campaign.py --target <name>``; here a fixed seed and a
modest example count keep the file fast. Explicit regression cases follow the properties.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import dns.message
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import pytest
from hypothesis import HealthCheck, given, settings

from tests.fixtures.registration import FIXTURES, rdap_fixture
from tests.fuzz import target_probe_inputs as tp
from tests.fuzz.harness import Target, inputs, regressions, run_case
from vendorrisk.portfolio.field_specs import NUMBER_KINDS
from vendorrisk.portfolio.fields import ValidationError, clean
from vendorrisk.probes.dns import delegation as dl
from vendorrisk.probes.dns import dnssec
from vendorrisk.probes.registration import limits, rdap

TARGETS = {t.name: t for t in tp.TARGETS}
OBSERVERS = {"whois_text": tp.observe_whois, "rdap_json": tp.observe_rdap}
FUZZ = settings(derandomize=True, max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(target: Target, data: bytes, scratch: Path) -> None:
    outcome = run_case(target, data, scratch)
    assert outcome.kind in ("ok", "clean"), (outcome.kind, outcome.seconds, outcome.error)
    observe = OBSERVERS.get(target.name)
    if observe is not None:
        obs = observe(data)
        assert not tp.complete_and_empty(obs), obs


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_seeds_are_accepted(name: str, tmp_path: Path) -> None:
    target = TARGETS[name]
    for seed in target.seeds():
        assert run_case(target, seed, tmp_path).kind in ("ok", "clean")


@FUZZ
@given(data=inputs(TARGETS["field_values"]))
def test_field_values(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    _check(TARGETS["field_values"], data, tmp_path_factory.getbasetemp())


@FUZZ
@given(data=inputs(TARGETS["whois_text"]))
def test_whois_text(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    _check(TARGETS["whois_text"], data, tmp_path_factory.getbasetemp())


@FUZZ
@given(data=inputs(TARGETS["rdap_json"]))
def test_rdap_json(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    _check(TARGETS["rdap_json"], data, tmp_path_factory.getbasetemp())


@FUZZ
@given(data=inputs(TARGETS["dns_answers"]))
def test_dns_answers(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    _check(TARGETS["dns_answers"], data, tmp_path_factory.getbasetemp())


REGRESSIONS = [(name, file, data) for name, target in sorted(TARGETS.items())
               for file, data in regressions(target)]


@pytest.mark.parametrize(("name", "file", "data"), REGRESSIONS,
                         ids=[f"{n}/{f}" for n, f, _ in REGRESSIONS])
def test_saved_crashers(name: str, file: str, data: bytes, tmp_path: Path) -> None:
    _check(TARGETS[name], data, tmp_path)


# -- WHOIS ------------------------------------------------------------------------------------
def _timed(fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def test_ten_megabyte_whois_answer_is_refused_quickly() -> None:
    record = (FIXTURES / "whois" / "thick_org.txt").read_bytes()
    body = record * (10_000_000 // len(record) + 1)
    obs, seconds = _timed(tp.observe_whois, body)
    assert seconds < 1.0
    assert not obs.complete and obs.registrar is None
    (reason,) = obs.reasons
    assert f"{limits.MAX_ANSWER_BYTES:,}-byte limit" in reason.message
    assert tp.round_trip(obs) == obs


def test_whois_answer_at_the_limit_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    record = (FIXTURES / "whois" / "thick_org.txt").read_bytes()
    monkeypatch.setattr(limits, "MAX_ANSWER_BYTES", len(record))
    assert tp.observe_whois(record).registrar is not None
    assert "limit" in tp.observe_whois(record + b" ").reasons[0].message


def test_shift_jis_whois_answer_is_decoded_without_crashing() -> None:
    text = (FIXTURES / "whois" / "thick_org.txt").read_text("utf-8")
    text += "Registrant Organization: 株式会社エグザンプル\n登録者名: 山田太郎\n"
    body = text.encode("shift_jis")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    obs = tp.round_trip(tp.observe_whois(body))
    expected = tp.observe_whois(text.encode("utf-8"))
    assert obs.registrar == expected.registrar and obs.registrar is not None
    assert obs.expires == expected.expires and obs.epp_status == expected.epp_status


def test_whois_dates_out_of_utc_range_are_unknown_not_a_crash() -> None:
    text = (FIXTURES / "whois" / "thick_org.txt").read_text("utf-8")
    lines = [line for line in text.splitlines() if "Expir" not in line and "Creat" not in line]
    lines += ["Registry Expiry Date: 9999-12-31T23:00:00-05:00",
              "Creation Date: 0001-01-01T00:00:00+05:00", "Expiry date: 0099-01-01"]
    obs = tp.round_trip(tp.observe_whois("\n".join(lines).encode()))
    assert obs.expires is None or obs.expires.tzinfo is not None
    assert obs.created is None


# -- RDAP -------------------------------------------------------------------------------------
def _rdap(doc: object) -> bytes:
    return json.dumps(doc).encode()


def test_thousand_deep_rdap_json_is_incomplete() -> None:
    body = _rdap(rdap_fixture("thick_registry_locked"))
    body = body[:-1] + b', "remarks": ' + b"[" * 1000 + b'"x"' + b"]" * 1000 + b"}"
    obs, seconds = _timed(tp.observe_rdap, body)
    assert seconds < 1.0 and not obs.complete
    assert f"nested deeper than {limits.MAX_JSON_DEPTH} levels" in obs.reasons[0].message


def test_rdap_json_just_over_the_depth_limit() -> None:
    nested: dict[str, object] = {}
    for _ in range(limits.MAX_JSON_DEPTH):
        nested = {"remarks": nested}  # MAX_JSON_DEPTH + 1 levels
    with pytest.raises(rdap.RdapParseError, match="nested deeper"):
        rdap.loads(_rdap(nested))
    assert rdap.loads(_rdap(nested["remarks"])) == nested["remarks"]


def test_rdap_event_dates_far_out_of_range() -> None:
    doc = rdap_fixture("thick_registry_locked")
    dates = ["99999-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+01:00"]
    for event, when in zip(doc["events"], dates * len(doc["events"]), strict=False):
        event["eventDate"] = when
    obs = tp.round_trip(tp.observe_rdap(_rdap(doc)))
    assert obs.created is None and obs.expires is None
    assert obs.to_json()["expires"] is None


def test_rdap_huge_numbers_are_not_a_crash() -> None:
    doc = rdap_fixture("thick_registry_locked")
    body = _rdap(doc).replace(b"{", b'{"port43": 1e999, "big": ' + b"9" * 5000 + b",", 1)
    obs = tp.round_trip(tp.observe_rdap(body))
    assert not obs.complete and "not JSON" in obs.reasons[0].message
    doc["entities"][0]["publicIds"][0]["identifier"] = "9" * 5000
    doc["port43"] = float("inf")
    obs = tp.round_trip(tp.observe_rdap(json.dumps(doc).encode()))
    assert obs.registrar_iana_id is None


def test_rdap_answer_without_registration_data_is_incomplete() -> None:
    registrant = {"objectClassName": "entity", "roles": ["registrant"],
                  "vcardArray": ["vcard", [["fn", {}, "text", "A Person"]]]}
    obs = tp.observe_rdap(_rdap({"objectClassName": "domain", "ldhName": "example.com",
                                 "entities": [registrant]}))
    assert not obs.complete and "no registrar, date or status" in obs.reasons[0].message


def test_rdap_body_over_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    body = _rdap(rdap_fixture("thick_registry_locked"))
    monkeypatch.setattr(limits, "MAX_ANSWER_BYTES", len(body) - 1)
    obs = tp.observe_rdap(body)
    assert not obs.complete and "-byte limit" in obs.reasons[0].message


# -- field values -------------------------------------------------------------------------------
NUMBER_FIELDS = [(e, s.name) for e, s in tp.FIELDS if s.kind in NUMBER_KINDS]


@pytest.mark.parametrize(("entity", "name"), NUMBER_FIELDS)
@pytest.mark.parametrize("value", ["1e999", 1e999, -1e999, float("nan"), 10**5000, "9" * 5000],
                         ids=["text-1e999", "inf", "-inf", "nan", "int-5001-digits",
                              "text-5000-digits"])
def test_non_finite_and_huge_numbers(entity: str, name: str, value: object) -> None:
    with pytest.raises(ValidationError) as err:
        clean(entity, {name: value}, partial=True)
    (problem,) = err.value.problems
    assert problem.field == name and "between" in problem.message
    assert len(str(err.value)) < 200


@pytest.mark.parametrize(("entity", "name", "value"), ids=lambda v: str(v)[:20], argvalues=[
    ("contract", "clauses", ",".join(f"junk{i}" for i in range(20_000))),
    ("contract", "clauses", ",".join(f"dpa{i}" for i in range(400))),
    ("vendor", "data_locations", ",".join(f"X{i}" for i in range(20_000))),
    ("client", "regimes", "gdpr," + "\n".join(f"r{i}" for i in range(400))),
    ("vendor", "notes", "n" * 1_000_000),
    ("domain", "name", "ü" * 100_000 + ".example"),
    ("domain", "name", ":" * 100_000),
])
def test_values_that_used_to_be_slow_or_long(entity: str, name: str, value: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ValidationError) as err:
        clean(entity, {name: value}, partial=True)
    assert time.perf_counter() - started < 0.5
    assert err.value.problems[0].field == name
    assert "\n" not in str(err.value) and len(str(err.value)) < 800


def test_date_time_out_of_utc_range_is_a_field_problem() -> None:
    for value in ("0001-01-01T00:00+01:00", "9999-12-31T23:59-01:00"):
        with pytest.raises(ValidationError, match="verified_at: is out of range"):
            clean("certification", {"verified_at": value}, partial=True)


def test_unknown_field_name_stays_one_line() -> None:
    with pytest.raises(ValidationError) as err:
        clean("vendor", {"na\nme" * 100: "x"}, partial=True)
    assert "\n" not in str(err.value) and len(err.value.problems[0].field) <= 60


# -- DNS ----------------------------------------------------------------------------------------
def _big_message(answer: list[dns.rrset.RRset], authority: list[dns.rrset.RRset] = (),  # type: ignore[assignment]
                 additional: list[dns.rrset.RRset] = ()) -> bytes:  # type: ignore[assignment]
    wire = tp._answer(tp.ZONE, "DNSKEY", answer=answer, authority=authority,
                      additional=additional)
    assert len(wire) > 30_000
    return wire


def _assert_fast(data: bytes, tmp_path: Path) -> None:
    outcome = run_case(TARGETS["dns_answers"], data, tmp_path)
    assert outcome.kind == "ok", outcome
    assert outcome.seconds < 1.5, outcome.seconds


def test_many_rrsigs_over_one_rrset(tmp_path: Path) -> None:
    keys, sigs = tp._world().dnskey
    many = dns.rrset.RRset(sigs.name, dns.rdataclass.IN, dns.rdatatype.RRSIG,
                           dns.rdatatype.DNSKEY)
    first = sigs[0]
    for i in range(600):
        many.add(first.replace(signature=i.to_bytes(2, "big") + first.signature[2:]), 3600)
    _assert_fast(_big_message([keys, many]), tmp_path)
    obs = tp.read_answer(dns.message.from_wire(_big_message([keys, many])), tp.ZONE)
    assert obs.dnssec.status in ("secure", "bogus")


def test_many_keys_and_ds(tmp_path: Path) -> None:
    world, k = tp._world(), tp._keys()
    keys = [k.ksk_key.replace(key=i.to_bytes(2, "big") + k.ksk_key.key[2:]) for i in range(300)]
    ds = dns.rrset.RRset(world.ds[0].name, dns.rdataclass.IN, dns.rdatatype.DS)
    model = world.ds[0][0]
    for i, key in enumerate(keys):
        ds.add(model.replace(key_tag=dns.dnssec.key_id(key),
                             digest=i.to_bytes(2, "big") + model.digest[2:]), 3600)
    _assert_fast(_big_message([tp._key_rrset(tp.ZONE, *keys), ds]), tmp_path)
    assert len(dnssec.match_ds(ds.name, ds, keys)) == dnssec.MAX_DS


def test_thousands_of_ns_records_with_glue(tmp_path: Path) -> None:
    ns = dns.rrset.RRset(tp._absolute(tp.ZONE), dns.rdataclass.IN, dns.rdatatype.NS)
    glue = []
    for i in range(1500):
        host = f"n{i}.{tp.ZONE}."
        ns.add(dns.rdata.from_text("IN", "NS", host), 60)
        glue.append(dns.rrset.from_text(host, 60, "IN", "A", f"192.0.2.{i % 250 + 1}"))
    wire = _big_message([], [ns], glue)
    _assert_fast(wire, tmp_path)
    referral = dl.parse_referral(dns.message.from_wire(wire), tp.ZONE)
    assert len(referral.ns) == dl.MAX_NS_HOSTS and len(referral.glue) == dl.MAX_NS_HOSTS


def test_generated_at(tmp_path: Path) -> None:
    """The seeds are signed now: the zone they describe validates as secure."""
    obs = tp.read_answer(dns.message.from_wire(tp.dns_seeds()[0]), tp.ZONE)
    assert obs.dnssec.status == "secure"
    assert obs.dnssec.earliest_signature_expiry is not None
    assert obs.dnssec.earliest_signature_expiry > datetime.now(UTC)
