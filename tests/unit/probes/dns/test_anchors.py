"""The shipped root trust anchors: both IANA KSKs, key tags and DS digests recomputed."""

from __future__ import annotations

import dns.dnssec
import dns.name
import dns.rdatatype
import dns.zonefile

from vendorrisk import paths
from vendorrisk.probes.dns.dnssec import parse_trust_anchor


def test_root_anchors_are_both_iana_ksks() -> None:
    text = paths.data_file("root-anchors.zone").read_text()
    rrsets = dns.zonefile.read_rrsets(text, origin=dns.name.root, relativize=False,
                                      rdclass=None)
    ds = {d.key_tag: d for r in rrsets if r.rdtype == dns.rdatatype.DS for d in r}
    keys = [k for r in rrsets if r.rdtype == dns.rdatatype.DNSKEY for k in r]
    assert set(ds) == {20326, 38696}
    assert sorted(dns.dnssec.key_id(k) for k in keys) == [20326, 38696]
    for k in keys:
        assert k.flags == 257 and k.algorithm == 8
        assert dns.dnssec.make_ds(dns.name.root, k, "SHA256") == ds[dns.dnssec.key_id(k)]
    assert {d.key_tag for d in parse_trust_anchor(text)} == {20326, 38696}
