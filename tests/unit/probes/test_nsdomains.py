"""Nameserver domains: Public Suffix List logic, the registry verdict, once-per-run lookups."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from vendorrisk.probes.dns.types import DnsObservation, NameserverObservation
from vendorrisk.probes.nsdomains import (
    MAX_LOOKUPS,
    PART,
    NameserverDomain,
    NameserverDomainChecker,
    NameserverDomainsObservation,
    nameserver_hosts,
    registrable_domain,
    status_of,
    targets,
)
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.prober import RegistrationProber
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.types import Reason

NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(("host", "expected"), [
    ("ns-12.awsdns-12.com", "awsdns-12.com"),
    ("NS1.Example.CO.UK.", "example.co.uk"),
    # private-section suffixes are not registries: the registry registers github.io
    ("ns1.acme.github.io", "github.io"),
    ("ns1.foo.blogspot.com", "blogspot.com"),
    # IDN, as A-label and as U-label; an IDN TLD
    ("ns1.xn--bcher-kva.de", "xn--bcher-kva.de"),
    ("ns1.bücher.de", "xn--bcher-kva.de"),
    ("ns.beispiel.xn--p1ai", "beispiel.xn--p1ai"),
    # no registrable domain
    ("co.uk", None), ("com", None), ("localhost", None), ("bad_label.example.com", None),
    ("192.0.2.1", None), ("", None),
])
def test_registrable_domain(host: str, expected: str | None) -> None:
    assert registrable_domain(host) == expected


def test_in_bailiwick_hosts_are_not_checked() -> None:
    got = targets("example.com", ["ns1.example.com", "a.ns.example.com", "ns1.other.net"])
    assert [(t.host, t.registrable_domain) for t in got] == [("ns1.other.net", "other.net")]
    # a subdomain's delegation to hosts under its own registrable domain: not checked either
    assert targets("shop.example.co.uk", ["ns.example.co.uk"]) == ()


def test_a_host_without_registrable_domain_is_unknown_not_skipped() -> None:
    (target,) = targets("example.com", ["localhost"])
    assert target.registrable_domain is None and target.problem


def test_hosts_come_from_parent_child_and_observed_sets() -> None:
    dns = DnsObservation("example.com", NOW, parent_ns=("NS1.A.NET.", "ns2.b.net"),
                         child_ns=("ns1.a.net", "ns3.c.net"),
                         nameservers=(NameserverObservation("ns4.d.net"),))
    assert nameserver_hosts(dns) == ("ns1.a.net", "ns2.b.net", "ns3.c.net", "ns4.d.net")


def _reg(**kw: Any) -> RegistrationObservation:
    return RegistrationObservation("x.net", **kw)


@pytest.mark.parametrize(("obs", "status"), [
    (_reg(source="rdap", expires=NOW), "registered"),
    (_reg(source="whois"), "registered"),  # registered, expiry unpublished (.de)
    (_reg(reasons=(Reason("registration.rdap",
                          "rdap.x: HTTP 404: no such domain at this server"),)), "unregistered"),
    (_reg(reasons=(Reason("registration.whois",
                          "whois.x: server has no match for the domain"),)), "unregistered"),
    (_reg(reasons=(Reason("registration.rdap", "rdap.x: no answer within 3 s"),)), "unknown"),
    (_reg(reasons=(Reason("registration.rdap", "rdap.x: rate-limited; gave up after 2 tries"),),
          rate_limited=True), "unknown"),
    # RDAP says 404, the WHOIS fallback times out: not sure, so never critical
    (_reg(reasons=(Reason("registration.rdap", "r: HTTP 404: no such domain at this server"),
                   Reason("registration.whois", "w: no answer within 3 s"))), "unknown"),
    (_reg(reasons=(Reason("registration.whois", "no WHOIS server known for .zz"),)), "unknown"),
    (_reg(), "unknown"),
])
def test_status_of(obs: RegistrationObservation, status: str) -> None:
    got, reason = status_of(obs)
    assert got == status
    assert (reason is None) is (status == "registered")


def test_not_found_wording_matches_the_prober() -> None:
    """The WHOIS parser's "not found" message is what :func:`status_of` recognises."""
    from vendorrisk.probes.registration import whois
    from vendorrisk.probes.registration.privacy import load_privacy_matcher
    with pytest.raises(whois.WhoisReplyError) as err:
        whois.parse("gone.net", 'No match for "GONE.NET".\n', load_privacy_matcher())
    obs = _reg(reasons=(Reason("registration.whois", f"w: {err.value.message}"),))
    assert status_of(obs)[0] == "unregistered"


def test_unknown_entries_make_the_domain_incomplete_and_round_trip() -> None:
    ns = NameserverDomainsObservation((
        NameserverDomain("ns1.a.net", "a.net", "registered", NOW, "rdap", "rdap.lab"),
        NameserverDomain("ns1.b.net", "b.net", "unknown", reason="timeout")))
    obs = DomainObservation("example.com", NOW, None, None, nameserver_domains=ns)
    assert not obs.complete and obs.reasons == (Reason(PART, "b.net: timeout"),)
    data = obs.to_json()
    assert data["nameserver_domains"][0] == {
        "host": "ns1.a.net", "registrable_domain": "a.net", "status": "registered",
        "expires": "2026-12-01T00:00:00Z", "source": "rdap", "server": "rdap.lab",
        "reason": None}
    assert DomainObservation.from_json(data).nameserver_domains == ns
    old = {k: v for k, v in data.items() if k != "nameserver_domains"}
    assert DomainObservation.from_json(old).nameserver_domains is None


class FakeProber:
    """Counts registration probes; every name is registered except ``gone.net``."""

    def __init__(self) -> None:
        self.asked: Counter[str] = Counter()
        self.admission = self

    @asynccontextmanager
    async def turn(self, name: str) -> AsyncIterator[None]:
        yield

    async def probe(self, name: str) -> RegistrationObservation:
        self.asked[name] += 1
        await asyncio.sleep(0)
        if name == "gone.net":
            return RegistrationObservation(name, reasons=(Reason(
                "registration.rdap", "lab: HTTP 404: no such domain at this server"),))
        return RegistrationObservation(name, source="rdap", expires=NOW, server="lab")


def _dns(domain: str, *hosts: str) -> DnsObservation:
    return DnsObservation(domain, NOW, parent_ns=hosts)


def test_checker_asks_each_registrable_domain_once_per_run() -> None:
    fake = FakeProber()
    checker = NameserverDomainChecker(cast(RegistrationProber, fake))

    async def run() -> list[NameserverDomainsObservation]:
        return list(await asyncio.gather(
            checker.check("a.com", _dns("a.com", "ns-1.awsdns-12.com", "ns-2.awsdns-12.com",
                                        "ns1.gone.net")),
            checker.check("b.com", _dns("b.com", "ns-3.awsdns-12.com", "ns1.b.com"))))

    first, second = asyncio.run(run())
    assert fake.asked == Counter({"awsdns-12.com": 1, "gone.net": 1})
    assert [(d.host, d.status) for d in first.domains] == [
        ("ns-1.awsdns-12.com", "registered"), ("ns-2.awsdns-12.com", "registered"),
        ("ns1.gone.net", "unregistered")]
    assert [d.host for d in second.domains] == ["ns-3.awsdns-12.com"]  # ns1.b.com: own


def test_checker_caps_lookups_per_domain() -> None:
    fake = FakeProber()
    checker = NameserverDomainChecker(cast(RegistrationProber, fake))
    hosts = [f"ns.op{i}.net" for i in range(MAX_LOOKUPS + 2)]
    got = asyncio.run(checker.check("a.com", _dns("a.com", *hosts)))
    assert sum(fake.asked.values()) == MAX_LOOKUPS
    assert [d.status for d in got.domains[MAX_LOOKUPS:]] == ["unknown", "unknown"]
    assert not got.complete


def test_a_fault_in_the_check_is_unknown_never_raised() -> None:
    class Broken(FakeProber):
        async def probe(self, name: str) -> RegistrationObservation:
            raise RuntimeError("boom")

    checker = NameserverDomainChecker(cast(RegistrationProber, Broken()))
    got = asyncio.run(checker.check("a.com", _dns("a.com", "ns1.x.net")))
    assert [d.status for d in got.domains] == ["unknown"] and "boom" in str(got.reasons)
