"""Nameserver-set rules both ways: non-routable addresses, too few servers, one network."""

from __future__ import annotations

import dataclasses

import pytest

from tests.unit.findings.test_dns_rules import BASE, nsobs, srv
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.rules.nameservers import evaluate
from vendorrisk.probes.dns.types import DnsObservation

PUBLIC = ("8.8.8.8", "9.9.9.9")  # two public /24s (the rules never send anything)
OPEN = ProbeSettings(allow_networks=("127.0.0.0/8",))


def with_addresses(*addresses: str, names: tuple[str, ...] = ("ns1.b.net", "ns2.c.net")
                   ) -> DnsObservation:
    servers = tuple(nsobs(n, "b", srv(a)) for n, a in zip(names, addresses, strict=False))
    return dataclasses.replace(BASE, parent_ns=names, child_ns=names, nameservers=servers)


def found(obs: DnsObservation, settings: ProbeSettings | None = None) -> dict[str, dict]:
    return {f.code: dict(f.evidence) for f in evaluate(obs, settings or ProbeSettings())}


def test_two_public_networks_raise_nothing() -> None:
    assert found(with_addresses(*PUBLIC)) == {}


def test_an_address_the_probe_did_not_query_is_reported() -> None:
    hidden = srv("10.1.2.3", authoritative=None, rcode=None, not_queried=True,
                 error="10.1.2.3 is a private address ...")
    obs = dataclasses.replace(BASE, nameservers=(
        nsobs("ns1.b.net", "b", srv(PUBLIC[0])), nsobs("ns2.c.net", "c", hidden)))
    ev = found(obs)["dns.nonroutable_address"]
    assert ev["server"] == "ns2.c.net" and ev["address"] == "10.1.2.3"
    assert ev["kind"] == "private" and ev["reason"].startswith("10.1.2.3 is a private")


@pytest.mark.parametrize(("obs", "raised"), [
    (with_addresses("8.8.8.8", names=("ns1.b.net",)), True),         # one name
    (with_addresses("8.8.8.8", "8.8.8.8"), True),                     # two names, one address
    (with_addresses(*PUBLIC), False),
    (dataclasses.replace(with_addresses(*PUBLIC), parent_ns=None), False),  # no delegation seen
])
def test_few_nameservers_both_ways(obs: DnsObservation, raised: bool) -> None:
    assert ("dns.few_nameservers" in found(obs)) is raised


@pytest.mark.parametrize(("addresses", "settings", "family"), [
    (("8.8.8.8", "8.8.8.9"), None, "IPv4"),
    (("2001:4860::1", "2001:4860::2"), None, "IPv6"),
    (("127.53.1.1", "127.53.1.2"), OPEN, "IPv4"),   # a network configuration opened counts
    (("8.8.8.8", "9.9.9.9"), None, None),
    (("2001:4860::1", "2001:4861::1"), None, None),  # different /48s
    (("192.0.2.1", "192.0.2.2"), None, None),        # documentation addresses say nothing
    (("127.53.1.1", "127.53.1.2"), None, None),      # nor loopback, unless opened
])
def test_single_network_both_ways(addresses: tuple[str, str], settings: ProbeSettings | None,
                                  family: str | None) -> None:
    ev = found(with_addresses(*addresses), settings).get("dns.single_network")
    assert (ev["family"] if ev else None) == family
    if ev:
        assert ev["addresses"] == sorted(addresses) and "anycast" in ev["note"]


def test_a_server_without_a_known_address_leaves_diversity_unknown() -> None:
    obs = with_addresses("8.8.8.8", "8.8.8.9")
    obs = dataclasses.replace(obs, nameservers=(*obs.nameservers, nsobs("ns3.d.net", "d")))
    assert "dns.single_network" not in found(obs)
