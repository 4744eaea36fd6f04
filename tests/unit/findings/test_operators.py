"""Operator grouping by host names, shared addresses, provider networks and /24 or /48."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from vendorrisk.catalog.providers import Provider, ProviderCatalog
from vendorrisk.findings.operators import (
    host_operator,
    host_operators,
    observed_operators,
    operator_groups,
)
from vendorrisk.probes.dns.types import NameserverObservation

CAT = ProviderCatalog({
    "a": Provider("a", "Alpha", "dns_provider", ("*.a.net",),
                  networks=(ip_network("203.0.113.0/24"), ip_network("2001:db8:a::/48"))),
    "b": Provider("b", "Beta", "dns_provider", ("*.b.net",),
                  networks=(ip_network("198.51.100.0/24"),)),
    "ns1": Provider("ns1", "NS1", "dns_provider", ("*.nsone.net",),
                    networks=(ip_network("100.64.1.0/24"),)),
    "netlify": Provider("netlify", "Netlify", "dns_provider", ("*.nsone.net",)),
})


def ns(name: str, *addresses: str) -> NameserverObservation:
    m = CAT.match(name)
    return NameserverObservation(name, addresses, m.operator, m.keys if m.ambiguous else (),
                                 True, True)


def shape(*servers: NameserverObservation) -> list[tuple[str | None, tuple[str, ...], str]]:
    return [(g.operator, g.hosts, g.basis) for g in operator_groups(servers, CAT)]


def test_one_provider_by_names() -> None:
    assert shape(ns("ns1.a.net", "8.8.8.8"), ns("ns2.a.net", "9.9.9.9")) == [
        ("a", ("ns1.a.net", "ns2.a.net"), "names")]


def test_distinct_names_and_networks_are_distinct_operators() -> None:
    assert shape(ns("ns1.a.net", "8.8.8.8"), ns("ns1.other.org", "9.9.9.9")) == [
        ("a", ("ns1.a.net",), "names"), ("other.org", ("ns1.other.org",), "names")]


def test_two_names_on_one_address_are_one_operator() -> None:
    groups = operator_groups((ns("ns1.x.com", "9.9.9.9"), ns("ns.y.org", "9.9.9.9")), CAT)
    assert [(g.operator, g.operators, g.basis, g.shared) for g in groups] == [
        ("x.com", ("x.com", "y.org"), "address", ("9.9.9.9",))]


def test_white_label_names_on_a_providers_networks_are_that_provider() -> None:
    groups = operator_groups((ns("ns1.a.net", "8.8.8.8"), ns("ns1.brand.com", "203.0.113.5"),
                              ns("ns2.brand.com", "2001:db8:a::53")), CAT)
    assert [(g.operator, g.hosts, g.basis) for g in groups] == [
        ("a", ("ns1.a.net", "ns1.brand.com", "ns2.brand.com"), "address")]
    assert host_operator(ns("ns1.brand.com", "203.0.113.5"), CAT) == "a"
    assert host_operator(ns("ns1.brand.com", "8.8.8.8"), CAT) == "brand.com"


def test_address_overrules_the_name() -> None:
    """A host named like Alpha that answers from Beta's network is Beta's."""
    assert shape(ns("ns1.a.net", "8.8.8.8"), ns("ns2.a.net", "198.51.100.7")) == [
        ("a", ("ns1.a.net",), "names"), ("b", ("ns2.a.net",), "address")]


def test_ambiguous_name_settled_by_address() -> None:
    amb = ns("dns1.p01.nsone.net", "100.64.1.1")
    assert host_operators(amb, CAT) == ("ns1",)
    assert host_operators(ns("dns1.p01.nsone.net", "8.8.8.8"), CAT) == ("ns1", "netlify")
    groups = operator_groups((ns("dns1.p01.nsone.net", "8.8.8.8"),
                              ns("dns2.p01.nsone.net", "9.9.9.9")), CAT)
    assert [(g.operator, g.candidates) for g in groups] == [("ns1|netlify", ("ns1", "netlify"))]


@pytest.mark.parametrize(("first", "second", "joined", "prefix"), [
    ("93.184.216.1", "93.184.216.200", True, "93.184.216.0/24"),
    ("93.184.216.1", "93.184.217.1", False, None),
    ("2a00:1450:4001:1::1", "2a00:1450:4001:ff::1", True, "2a00:1450:4001::/48"),
    ("2a00:1450:4001::1", "2a00:1450:4002::1", False, None),
    ("192.0.2.1", "192.0.2.2", False, None),   # documentation space names no network
    ("10.0.0.1", "10.0.0.2", False, None),     # nor does private space
])
def test_one_network_by_prefix(first: str, second: str, joined: bool, prefix: str | None
                               ) -> None:
    groups = operator_groups((ns("ns1.x.com", first), ns("ns1.y.org", second)), CAT)
    if joined:
        assert [(g.operators, g.basis, g.shared) for g in groups] == [
            (("x.com", "y.org"), "network", (prefix,))]
    else:
        assert len(groups) == 2 and {g.basis for g in groups} == {"names"}


def test_unknown_host_is_its_own_unidentified_group() -> None:
    unknown = NameserverObservation("ns.mystery", ())
    groups = operator_groups((ns("ns1.a.net", "8.8.8.8"), unknown), CAT)
    assert [(g.operator, g.hosts) for g in groups] == [("a", ("ns1.a.net",)),
                                                        (None, ("ns.mystery",))]
    assert observed_operators((ns("ns1.a.net", "8.8.8.8"), unknown), CAT) == ("a",)


def test_observed_operators_count_each_operator_once() -> None:
    servers = (ns("ns1.a.net", "8.8.8.8"), ns("ns1.brand.com", "203.0.113.9"),
               ns("ns1.b.net", "198.51.100.1"), ns("ns1.x.com", "93.184.216.1"),
               ns("ns1.y.org", "93.184.216.2"))
    assert observed_operators(servers, CAT) == ("a", "b", "x.com")
    assert observed_operators((), CAT) == ()


def test_group_json() -> None:
    g = operator_groups((ns("ns1.x.com", "9.9.9.9"), ns("ns.y.org", "9.9.9.9")), CAT)[0]
    assert g.to_json() == {"operator": "x.com", "operators": ["x.com", "y.org"],
                           "hosts": ["ns1.x.com", "ns.y.org"], "addresses": ["9.9.9.9"],
                           "basis": "address", "shared": ["9.9.9.9"], "candidates": []}
