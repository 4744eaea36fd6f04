"""Nameserver-set rules both ways: non-routable addresses, too few servers, one network, and
NSEC3 parameters that differ between servers."""

from __future__ import annotations

import dataclasses

import pytest

from tests.unit.findings.test_dns_rules import BASE, CAT, NOW, nsobs, srv
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.context import DomainContext
from vendorrisk.findings.rules.dnssec import evaluate as dnssec_rules
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


@pytest.mark.parametrize(("params", "raised"), [
    (("1 0 0 -", "1 0 0 -"), False),
    (("1 0 0 -", ""), True),           # one server serves NSEC
    (("1 0 0 -", "1 0 10 abcd"), True),
    (("1 0 0 -", None), False),        # not asked there: unknown, not a difference
])
def test_nsec3_parameters_must_agree(params: tuple[str | None, str | None],
                                     raised: bool) -> None:

    obs = dataclasses.replace(BASE, nameservers=tuple(
        nsobs(f"ns{i}.b.net", "b", srv(f"8.8.8.{i}", nsec3param=p)) for i, p in enumerate(params)))
    codes = {f.code for f in dnssec_rules(obs, DomainContext(obs.domain), CAT, ProbeSettings(),
                                          NOW)}
    assert ("dnssec.nsec3_inconsistent" in codes) is raised


@pytest.mark.parametrize(("glue", "zone", "raised"), [
    (("8.8.8.8",), ("8.8.8.8",), False),
    (("8.8.8.8",), ("8.8.4.4",), True),
    (("8.8.8.8",), (), True),            # the zone has no address for its own nameserver
    (("8.8.8.8",), None, False),         # not asked: unknown
    ((), ("8.8.8.8",), False),           # no glue (out-of-zone host)
])
def test_glue_must_match_the_zone(glue: tuple[str, ...], zone: tuple[str, ...] | None,
                                  raised: bool) -> None:
    server = dataclasses.replace(nsobs("ns1.x.test", "b", srv("8.8.8.8")), glue=glue,
                                 zone_addresses=zone)
    obs = dataclasses.replace(BASE, nameservers=(server, nsobs("ns2.c.net", "c", srv("9.9.9.9"))))
    ev = found(obs).get("dns.glue_mismatch")
    assert (ev is not None) is raised
    if ev:
        assert ev["server"] == "ns1.x.test" and ev["only_in_glue"] == ["8.8.8.8"]
