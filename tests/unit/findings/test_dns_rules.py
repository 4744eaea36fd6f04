"""DNS, DNSSEC and exposure rules on hand-made observations: each code both ways."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from ipaddress import ip_network

import pytest

from vendorrisk.catalog.providers import Fact, Provider, ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import CATALOG
from vendorrisk.findings.context import DeclaredVendor, DomainContext
from vendorrisk.findings.rules.dns import evaluate_dns
from vendorrisk.probes.dns.types import (
    DnsObservation,
    DnssecObservation,
    DnssecProblem,
    NameserverObservation,
    ServerAnswer,
    SignatureInfo,
)
from vendorrisk.probes.types import Reason

NOW = datetime(2026, 11, 23, tzinfo=UTC)
CAT = ProviderCatalog({
    "a": Provider("a", "Alpha", "dns_provider", ("*.a.net",),
                  {"outbound_transfer": Fact(False, "s"), "zone_export": Fact(["api"], "s")}),
    "b": Provider("b", "Beta", "dns_provider", ("*.b.net",),
                  {"outbound_transfer": Fact(False, "s"),
                   "zone_export": Fact(["zone_file"], "s")}),
    "c": Provider("c", "Gamma", "dns_provider", ("*.c.net",), {}),
})
SIG = SignatureInfo("x.test. SOA", 7, 13, NOW + timedelta(days=20), "192.0.2.1")
SECURE = DnssecObservation("secure", (13,), (2,), SIG.expiration, (), (),
                           ({"key_tag": 7, "algorithm": 13, "digest_type": 2, "matched": True},),
                           ({"key_tag": 7, "algorithm": 13, "flags": 257},), None, SIG)


def srv(addr: str = "192.0.2.1", **kw: object) -> ServerAnswer:
    base: dict[str, object] = {"authoritative": True, "rcode": "NOERROR", "soa_serial": 1,
                               "ns": ("ns1.b.net", "ns2.c.net"), "transfer": "denied",
                               "update": "denied"}
    base.update(kw)
    return ServerAnswer(addr, **base)  # type: ignore[arg-type]


def nsobs(name: str, provider: str, *answers: ServerAnswer, cands: tuple[str, ...] = ()
          ) -> NameserverObservation:
    return NameserverObservation(name, tuple(a.address for a in answers), provider, cands,
                                 True, True, answers)


BASE = DnsObservation("x.test", NOW, "test", ("ns1.b.net", "ns2.c.net"),
                      ("ns1.b.net", "ns2.c.net"),
                      (nsobs("ns1.b.net", "b", srv()), nsobs("ns2.c.net", "c", srv("192.0.2.2"))),
                      ("b", "c"), SECURE, True)


def codes(obs: DnsObservation, ctx: DomainContext | None = None,
          settings: ProbeSettings | None = None) -> set[str]:
    return {f.code for f in evaluate_dns(obs, ctx or DomainContext(obs.domain), CAT,
                                         settings or ProbeSettings(), NOW)}


def dnssec(**kw: object) -> DnsObservation:
    return dataclasses.replace(BASE, dnssec=dataclasses.replace(SECURE, **kw))


def test_clean_domain_raises_nothing() -> None:
    assert codes(BASE) == set()


@pytest.mark.parametrize(("obs", "code"), [
    (dnssec(status="insecure", ds=(), algorithms=(), ds_digest_types=()), "dnssec.unsigned"),
    (dnssec(status="bogus", problems=(DnssecProblem("bad_signature", "m"),)), "dnssec.bogus"),
    (dnssec(status="bogus", problems=(DnssecProblem("ds_mismatch", "m", "x.test. DS", 7, 13),)),
     "dnssec.ds_mismatch"),
    (dnssec(status="bogus", problems=(DnssecProblem("expired_signature", "m", "x SOA", 7, 13),)),
     "dnssec.expired_signatures"),
    (dnssec(earliest_signature=dataclasses.replace(SIG, expiration=NOW + timedelta(days=2))),
     "dnssec.signatures_expiring"),
    (dnssec(dnskeys=({"key_tag": 7, "algorithm": 5, "flags": 257},)), "dnssec.weak_algorithm"),
    (dnssec(ds_digest_types=(1,)), "dnssec.weak_ds_digest"),
    (dnssec(nsec3={"algorithm": 1, "flags": 0, "iterations": 5, "salt": "-"}),
     "dnssec.nsec3_iterations"),
    (dnssec(nsec3={"algorithm": 1, "flags": 0, "iterations": 0, "salt": "ab"}),
     "dnssec.nsec3_iterations"),
])
def test_dnssec_codes_raised(obs: DnsObservation, code: str) -> None:
    assert code in codes(obs)


def test_dnssec_not_raised_for_good_or_unknown() -> None:
    assert codes(dnssec(ds_digest_types=(1, 2))) == set()
    assert codes(dnssec(nsec3={"algorithm": 1, "flags": 0, "iterations": 0, "salt": "-"})) \
        == set()
    late = dataclasses.replace(SIG, expiration=NOW + timedelta(days=8))
    assert codes(dnssec(earliest_signature=late)) == set()
    unknown = dataclasses.replace(BASE, dnssec=DnssecObservation(),
                                  reasons=(Reason("dns.dnssec", "timeout"),))
    assert codes(unknown) == {"probe.incomplete"}


def test_expiry_window_comes_from_settings() -> None:
    soon = dnssec(earliest_signature=dataclasses.replace(SIG, expiration=NOW + timedelta(days=8)))
    assert "dnssec.signatures_expiring" in codes(soon, settings=ProbeSettings(
        signature_expiry_days=10))


def test_delegation_codes_both_ways() -> None:
    lame = dataclasses.replace(BASE, nameservers=(
        BASE.nameservers[0],
        nsobs("ns2.c.net", "c", srv("192.0.2.2", authoritative=False, rcode="REFUSED"))))
    assert codes(lame) == {"dns.lame_nameserver"}
    drift = dataclasses.replace(BASE, nameservers=(
        BASE.nameservers[0], nsobs("ns2.c.net", "c", srv("192.0.2.2", soa_serial=2))))
    assert codes(drift) == {"dns.soa_serial_mismatch"}
    mismatch = dataclasses.replace(BASE, child_ns=("ns1.b.net",))
    assert codes(mismatch) == {"dns.ns_mismatch"}
    assert codes(dataclasses.replace(BASE, child_ns=None)) == set()  # unknown: no verdict


def test_exposure_codes_both_ways() -> None:
    open_ = dataclasses.replace(BASE, nameservers=(
        nsobs("ns1.b.net", "b", srv(transfer="open", update="open")), BASE.nameservers[1]))
    assert codes(open_) == {"exit.axfr_open", "ddns.unauthenticated_update"}
    untested = dataclasses.replace(BASE, nameservers=(
        nsobs("ns1.b.net", "b", srv(transfer=None, update="not_tested")),
        BASE.nameservers[1]))
    assert codes(untested) == set()


def test_operator_codes_both_ways() -> None:
    one = dataclasses.replace(BASE, nameservers=(nsobs("ns1.a.net", "a", srv()),
                                                 nsobs("ns2.a.net", "a", srv("192.0.2.2"))),
                              parent_ns=("ns1.a.net", "ns2.a.net"),
                              child_ns=("ns1.a.net", "ns2.a.net"))
    f = {x.code: x for x in evaluate_dns(one, DomainContext("x.test"), CAT, ProbeSettings(),
                                         NOW)}
    assert set(f) == {"exit.single_provider", "exit.no_outbound_transfer"}
    assert f["exit.no_outbound_transfer"].evidence["provider"] == "a"
    amb = dataclasses.replace(one, nameservers=tuple(
        dataclasses.replace(n, provider="ns1|netlify", provider_candidates=("ns1", "netlify"))
        for n in one.nameservers))
    ev = next(x for x in evaluate_dns(amb, DomainContext("x.test"), CAT, ProbeSettings(), NOW)
              if x.code == "exit.single_provider").evidence
    assert ev["ambiguous_candidates"] == ["ns1", "netlify"]
    unknown_op = dataclasses.replace(BASE, nameservers=(
        BASE.nameservers[0], dataclasses.replace(BASE.nameservers[1], provider=None)))
    assert codes(unknown_op) == set()


def single(obs: DnsObservation, catalog: ProviderCatalog = CAT) -> dict[str, object] | None:
    found = [f for f in evaluate_dns(obs, DomainContext(obs.domain), catalog, ProbeSettings(),
                                     NOW) if f.code == "exit.single_provider"]
    return dict(found[0].evidence) if found else None


def two(first: NameserverObservation, second: NameserverObservation) -> DnsObservation:
    names = (first.name, second.name)
    return dataclasses.replace(BASE, nameservers=(first, second), parent_ns=names,
                               child_ns=names)


def test_single_provider_by_names_says_so() -> None:
    ev = single(two(nsobs("ns1.a.net", "a", srv("8.8.8.8")),
                    nsobs("ns2.a.net", "a", srv("9.9.9.9"))))
    assert ev is not None and ev["basis"] == "names" and ev["provider"] == "a"
    assert ev["hosts"] == ["ns1.a.net", "ns2.a.net"]


def test_single_provider_by_one_address() -> None:
    """Two operators by name, one server by address: no diversity."""
    ev = single(two(nsobs("ns1.b.net", "b", srv("8.8.8.8")),
                    nsobs("ns2.c.net", "c", srv("8.8.8.8"))))
    assert ev is not None and ev["basis"] == "address" and ev["shared"] == ["8.8.8.8"]
    assert ev["operators"] == ["b", "c"] and ev["provider"] == "b"


def test_single_provider_by_one_network_and_not_across_networks() -> None:
    one_net = two(nsobs("ns1.b.net", "b", srv("93.184.216.1")),
                  nsobs("ns2.c.net", "c", srv("93.184.216.99")))
    ev = single(one_net)
    assert ev is not None and ev["basis"] == "network" and ev["shared"] == ["93.184.216.0/24"]
    apart = two(nsobs("ns1.b.net", "b", srv("93.184.216.1")),
                nsobs("ns2.c.net", "c", srv("93.184.217.1")))
    assert single(apart) is None
    v6 = two(nsobs("ns1.b.net", "b", srv("2a00:1450:4001:1::1")),
             nsobs("ns2.c.net", "c", srv("2a00:1450:4001:2::1")))
    assert (single(v6) or {}).get("basis") == "network"


def test_white_label_hosts_on_a_providers_networks() -> None:
    ranged = ProviderCatalog({**CAT.providers, "c": dataclasses.replace(
        CAT.providers["c"], networks=(ip_network("198.51.100.0/24"),), networks_source="s")})
    obs = two(nsobs("ns1.c.net", "c", srv("8.8.8.8")),
              nsobs("ns1.brand.example", "brand.example", srv("198.51.100.53")))
    assert single(obs) is None  # by names alone: two operators
    ev = single(obs, ranged)
    assert ev is not None and ev["basis"] == "address" and ev["provider"] == "c"
    ctx = DomainContext("x.test", declared_dns_providers=(DeclaredVendor("Gamma", "c"),))
    assert "inventory.drift" not in {f.code for f in evaluate_dns(obs, ctx, ranged,
                                                                  ProbeSettings(), NOW)}


def test_inventory_drift() -> None:
    def ctx(*d: DeclaredVendor) -> DomainContext:
        return DomainContext("x.test", declared_dns_providers=d)

    assert codes(BASE, ctx()) == set()
    assert codes(BASE, ctx(DeclaredVendor("Beta", "b"))) == {"inventory.drift"}
    assert codes(BASE, ctx(DeclaredVendor("Beta", "b"), DeclaredVendor("gamma"))) == set()


def drift(obs: DnsObservation, *declared: DeclaredVendor) -> dict[str, object] | None:
    ctx = DomainContext("x.test", declared_dns_providers=declared)
    found = [f for f in evaluate_dns(obs, ctx, CAT, ProbeSettings(), NOW)
             if f.code == "inventory.drift"]
    return dict(found[0].evidence) if found else None


def test_drift_when_a_declared_provider_left_the_delegation() -> None:
    declared = (DeclaredVendor("Beta", "b"), DeclaredVendor("Gamma", "c"),
                DeclaredVendor("Alpha", "a"))
    ev = drift(BASE, *declared)
    assert ev is not None and ev["missing_declared"] == [{"name": "Alpha", "catalog_key": "a"}]
    assert ev["undeclared"] == [] and ev["observed"] == [] and ev["kind"] == "dns_provider"
    assert drift(BASE, *declared[:2]) is None
    assert drift(BASE, DeclaredVendor("Beta", "b"), DeclaredVendor("Gamma", "c"),
                 DeclaredVendor("Some DNS")) is None  # no catalog key: cannot be looked for
    assert drift(BASE, DeclaredVendor("Beta", "b"), DeclaredVendor("Gamma", "c"),
                 DeclaredVendor("Registrar DNS", "not-a-provider")) is None
    assert drift(BASE, DeclaredVendor("Beta", "a"), DeclaredVendor("Gamma", "c")) \
        is None  # recorded with the wrong key, but the provider named Beta still serves


def test_drift_says_both_undeclared_and_missing() -> None:
    ev = drift(BASE, DeclaredVendor("Beta", "b"), DeclaredVendor("Alpha", "a"))
    assert ev is not None and ev["undeclared"] == ["c"]
    assert ev["missing_declared"] == [{"name": "Alpha", "catalog_key": "a"}]
    assert ev["observed"] == [{"provider": "c", "nameservers": ["ns2.c.net"]}]


def test_drift_missing_counts_the_parent_delegation_only() -> None:
    """Gamma is still in the zone's own NS set but gone from the parent's delegation."""
    only_child = dataclasses.replace(BASE.nameservers[1], in_parent=False)
    obs = dataclasses.replace(BASE, parent_ns=("ns1.b.net",),
                              nameservers=(BASE.nameservers[0], only_child))
    ev = drift(obs, DeclaredVendor("Beta", "b"), DeclaredVendor("Gamma", "c"))
    assert ev is not None and ev["missing_declared"] == [{"name": "Gamma", "catalog_key": "c"}]


@pytest.mark.parametrize("change", [
    {"reasons": (Reason("dns.server", "timeout"),)},   # incomplete probe
    {"parent_ns": None},                               # delegation not seen
    {"nameservers": ()},
])
def test_no_missing_declared_without_a_complete_view(change: dict[str, object]) -> None:
    obs = dataclasses.replace(BASE, **change)  # type: ignore[arg-type]
    ev = drift(obs, DeclaredVendor("Beta", "b"), DeclaredVendor("Gamma", "c"),
               DeclaredVendor("Alpha", "a"))
    assert ev is None


def test_incomplete_names_each_part() -> None:
    obs = dataclasses.replace(BASE, reasons=(Reason("dns.server", "a"), Reason("dns.server", "b"),
                                             Reason("dns.transfer", "c")))
    found = [f for f in evaluate_dns(obs, DomainContext("x.test"), CAT, ProbeSettings(), NOW)
             if f.code == "probe.incomplete"]
    assert sorted(f.evidence["part"] for f in found) == ["dns.server", "dns.transfer"]
    assert found[0].evidence["reasons"] == ["a", "b"]


def test_all_dns_codes_are_catalogued() -> None:
    owned = {c for c in CATALOG if c.startswith(("dnssec.", "dns.", "exit.", "ddns."))}
    assert owned == {
        "dnssec.unsigned", "dnssec.bogus", "dnssec.ds_mismatch", "dnssec.expired_signatures",
        "dnssec.signatures_expiring", "dnssec.weak_algorithm", "dnssec.weak_ds_digest",
        "dnssec.nsec3_iterations", "exit.axfr_open", "exit.single_provider",
        "exit.no_outbound_transfer", "dns.lame_nameserver", "dns.ns_mismatch",
        "dns.soa_serial_mismatch", "ddns.unauthenticated_update", "dns.nonroutable_address",
        "dns.few_nameservers", "dns.single_network", "dnssec.nsec3_inconsistent",
        "dns.glue_mismatch"}
