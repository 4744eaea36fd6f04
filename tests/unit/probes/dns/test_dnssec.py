"""Pure DNSSEC chain checks replayed on responses recorded from the BIND lab."""

from __future__ import annotations

from datetime import timedelta

import dns.rdatatype
import pytest

from tests.unit.probes.dns.fixtures import meta, wire
from vendorrisk.errors import ConfigError
from vendorrisk.probes.dns import delegation as dl
from vendorrisk.probes.dns.dnssec import (
    KeyResult,
    ServerKeys,
    analyse_zone,
    check_signature,
    parse_trust_anchor,
    zone_keys,
)

NOW, ANCHOR = meta()


def _rr(msg, name, rdtype):  # type: ignore[no-untyped-def]
    return dl.find_rrset(msg.answer, name, rdtype), dl.find_sigs(msg.answer, name, rdtype)


def chain(now=NOW) -> KeyResult:  # type: ignore[no-untyped-def]
    root = zone_keys(".", None, None, None, *_rr(wire("chain", "root_dnskey.bin"), ".",
                                                  dns.rdatatype.DNSKEY), now,
                     anchor=parse_trust_anchor(ANCHOR))
    ds, ds_sig = _rr(wire("chain", "test_ds.bin"), "test", dns.rdatatype.DS)
    key, key_sig = _rr(wire("chain", "test_dnskey.bin"), "test", dns.rdatatype.DNSKEY)
    return zone_keys("test", root, ds, ds_sig, key, key_sig, now)


def analyse(case: str, now=NOW):  # type: ignore[no-untyped-def]
    zone = f"{case}.test"
    ds, ds_sig = _rr(wire(case, "ds.bin"), zone, dns.rdatatype.DS)
    key, key_sig = _rr(wire(case, "dnskey.bin"), zone, dns.rdatatype.DNSKEY)
    soa, soa_sig = _rr(wire(case, "soa.bin"), zone, dns.rdatatype.SOA)
    n3 = dl.find_rrset(wire(case, "nsec3param.bin").answer, zone, dns.rdatatype.NSEC3PARAM)
    servers = [ServerKeys("127.53.1.1", key, key_sig, soa, soa_sig)]
    return analyse_zone(zone, chain(now), ds, ds_sig, True, servers, n3[0] if n3 else None, now)


def test_chain_from_anchor_is_secure() -> None:
    assert chain().status == "secure"


@pytest.mark.parametrize(("case", "status", "kinds"), [
    ("good", "secure", set()),
    ("single", "insecure", set()),
    ("expired", "bogus", {"expired_signature"}),
    ("bogus", "bogus", {"bad_signature"}),
    ("dsmismatch", "bogus", {"ds_mismatch"}),
    ("rsasha1", "secure", set()),
    ("sha1ds", "secure", set()),
    ("nsec3", "secure", set()),
])
def test_recorded_cases(case: str, status: str, kinds: set[str]) -> None:
    obs = analyse(case)
    assert obs.status == status
    assert {p.kind for p in obs.problems} == kinds


def test_facts_recorded() -> None:
    assert analyse("rsasha1").algorithms == (5,)
    assert analyse("sha1ds").ds_digest_types == (1,)
    assert analyse("nsec3").nsec3 == {"algorithm": 1, "flags": 0, "iterations": 10,
                                      "salt": "abcd"}
    good = analyse("good")
    assert good.nsec3 is not None and good.nsec3["iterations"] == 0
    assert good.earliest_signature is not None
    assert good.earliest_signature.expiration == good.earliest_signature_expiry
    assert good.earliest_signature_expiry > NOW


def test_expired_told_from_bad_by_clock() -> None:
    later = analyse("good", NOW + timedelta(days=400))
    assert later.status == "bogus"
    assert any(p.kind == "expired_signature" for p in later.problems)
    assert not any(p.kind == "bad_signature" for p in later.problems)


def test_check_signature_states() -> None:
    zone = dns.name.from_text("good.test")
    key, _ = _rr(wire("good", "dnskey.bin"), "good.test", dns.rdatatype.DNSKEY)
    soa, sigs = _rr(wire("good", "soa.bin"), "good.test", dns.rdatatype.SOA)
    sig = sigs[0]
    keys = key.to_rdataset()
    assert check_signature(soa, sig, keys, zone, NOW) == "ok"
    assert check_signature(soa, sig, keys, zone, NOW + timedelta(days=400)) == "expired"
    assert check_signature(soa, sig, keys, zone, NOW - timedelta(days=400)) == "not_yet_valid"
    other, _ = _rr(wire("chain", "test_dnskey.bin"), "test", dns.rdatatype.DNSKEY)
    assert check_signature(soa, sig, other.to_rdataset(), zone, NOW) == "bad"


def test_unknown_parent_or_ds_is_unknown_not_pass() -> None:
    assert analyse_zone("good.test", None, None, None, True, [], None, NOW).status is None
    assert analyse_zone("good.test", chain(), None, None, False, [], None,
                        NOW).status is None


def test_bad_trust_anchor_files() -> None:
    with pytest.raises(ConfigError, match="not valid zone-file"):
        parse_trust_anchor(". IN DS nonsense")
    with pytest.raises(ConfigError, match="not for the root"):
        parse_trust_anchor("com. 1 IN DS 1 8 2 " + "00" * 32)
    with pytest.raises(ConfigError, match="no DS or DNSKEY"):
        parse_trust_anchor("; empty\n")
