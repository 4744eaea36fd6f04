"""The DNS probe and rules against real BIND 9 on loopback: every code both ways."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

import dns.query
import dns.tsigkeyring
import dns.zone
import pytest

from tests.lab.conftest import LAB_NETWORKS, with_updates
from tests.lab.dns.bindlab import TSIG_NAME, TSIG_SECRET, BindLab
from tests.lab.dns.scenarios import IDN, LAB_DOMAINS
from tests.lab.driver import probe_dns
from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.context import DeclaredVendor, DomainContext
from vendorrisk.findings.rules.dns import evaluate_dns
from vendorrisk.probes.dns.prober import DnsProber
from vendorrisk.probes.dns.transport import Transport
from vendorrisk.probes.dns.types import DnsObservation
from vendorrisk.probes.netpolicy import NetworkPolicy

pytestmark = pytest.mark.lab

NOX = "exit.no_outbound_transfer"  # alpha (lab catalog) has no outbound transfer
ONE = "exit.single_provider"
UNS = "dnssec.unsigned"
NET = "dns.single_network"  # both alpha (and both beta) servers are in one lab /24
EXPECTED: dict[str, set[str]] = {
    "good.test": {NOX},
    "beta.test": {NET, ONE},
    "single.test": {NET, UNS, ONE, NOX},
    "expired.test": {NET, "dnssec.bogus", "dnssec.expired_signatures", ONE, NOX},
    "expiring.test": {NET, "dnssec.signatures_expiring", ONE, NOX},
    "dsmismatch.test": {NET, "dnssec.bogus", "dnssec.ds_mismatch", ONE, NOX},
    "bogus.test": {NET, "dnssec.bogus", ONE, NOX},
    "rsasha1.test": {NET, "dnssec.weak_algorithm", ONE, NOX},
    "sha1ds.test": {NET, "dnssec.weak_ds_digest", ONE, NOX},
    "nsec3.test": {NET, "dnssec.nsec3_iterations", ONE, NOX},
    "openxfr.test": {NET, UNS, "exit.axfr_open", ONE, NOX},
    "openupd.test": {NET, UNS, "ddns.unauthenticated_update", ONE, NOX},
    "tsigupd.test": {NET, UNS, ONE, NOX},
    "lame.test": {UNS, "dns.lame_nameserver", NOX},
    "drift.test": {NET, UNS, "dns.soa_serial_mismatch", ONE, NOX},
    "mismatch.test": {UNS, "dns.ns_mismatch", NOX},
    IDN: {NOX},
    "dead.test": {UNS, "probe.incomplete", NOX},
    "nsec3mixed.test": {NET, "dnssec.nsec3_inconsistent", ONE, NOX},  # alpha2 serves NSEC
    "private.test": {UNS, "dns.nonroutable_address", NOX},  # never sent a packet (see conftest)
    "lonely.test": {UNS, "dns.few_nameservers", ONE, NOX},
    "glue.test": {UNS, NET, "dns.glue_mismatch", NOX},  # glue: alpha2's; the zone: beta1's
    "missing.test": {"probe.incomplete"},
}
WATCHED = {"openxfr.test", "openupd.test", "tsigupd.test"}


def _axfr(lab: BindLab, zone: str, address: str) -> dict[str, str]:
    """Zone contents through a TSIG-authorised AXFR (the lab's own key)."""
    ring = dns.tsigkeyring.from_text({TSIG_NAME: ("hmac-sha256", TSIG_SECRET)})
    z = dns.zone.from_xfr(dns.query.xfr(address, zone, keyring=ring, keyname=TSIG_NAME,
                                        keyalgorithm="hmac-sha256", timeout=2))
    return {str(n): node.to_text(n) for n, node in z.nodes.items()}


@pytest.fixture(scope="module")
def probed(dns_lab: BindLab, lab_settings: ProbeSettings, lab_catalog: ProviderCatalog
           ) -> tuple[dict[str, DnsObservation], dict[str, dict[str, str]],
                      dict[str, dict[str, str]]]:
    addrs = [dns_lab.views["alpha1"], dns_lab.views["alpha2"]]
    before = {f"{z}@{a}": _axfr(dns_lab, z, a) for z in WATCHED for a in addrs}
    obs = probe_dns(LAB_DOMAINS, with_updates(lab_settings), lab_catalog)
    after = {f"{z}@{a}": _axfr(dns_lab, z, a) for z in WATCHED for a in addrs}
    return {o.domain: o for o in obs}, before, after


@pytest.mark.parametrize("domain", sorted(EXPECTED))
def test_codes_raised_exactly(probed: tuple, lab_settings: ProbeSettings,
                              lab_catalog: ProviderCatalog, domain: str) -> None:
    obs = probed[0][domain]
    findings = evaluate_dns(obs, DomainContext(domain), lab_catalog, lab_settings,
                            datetime.now(UTC))
    assert {f.code for f in findings} == EXPECTED[domain], obs.to_json()


def test_probes_change_nothing(probed: tuple) -> None:
    _, before, after = probed
    assert before == after
    for key, contents in before.items():
        assert not any("_vendorrisk-probe" in name for name in contents), key


def test_json_contract_round_trips(probed: tuple) -> None:
    for obs in probed[0].values():
        data = obs.to_json()
        assert DnsObservation.from_json(data) == obs
        assert set(data["dnssec"]) >= {"status", "algorithms", "ds_digest_types",
                                       "earliest_signature_expiry", "reasons"}
        for ns in data["nameservers"]:
            assert set(ns) >= {"name", "addresses", "provider", "authoritative", "soa_serial",
                               "axfr_open", "update_open"}


def test_observation_details(probed: tuple) -> None:
    obs = probed[0]
    good = obs["good.test"]
    assert good.complete and good.dnssec.status == "secure"
    assert good.dnssec.algorithms == (13,) and good.dnssec.ds_digest_types == (2,)
    assert good.dnssec.nsec3 == {"algorithm": 1, "flags": 0, "iterations": 0, "salt": "-"}
    assert good.providers == ("alpha", "beta") and good.parent_zone == "test"
    assert all(ns.axfr_open is False and ns.update_open is False for ns in good.nameservers)
    assert obs["rsasha1.test"].dnssec.algorithms == (5,)
    assert obs["sha1ds.test"].dnssec.ds_digest_types == (1,)
    assert obs["expired.test"].dnssec.earliest_signature_expiry < datetime.now(UTC)
    lame = {ns.name: ns.authoritative for ns in obs["lame.test"].nameservers}
    assert lame == {"ns1.alphadns.net": True, "ns1.betadns.net": False}
    assert obs["mismatch.test"].child_ns == ("a.gammadns.net", "ns1.alphadns.net",
                                             "ns2.alphadns.net")
    assert [r.part for r in obs["dead.test"].reasons] == ["dns.server"]
    assert obs["missing.test"].reasons[0].part == "dns.delegation"


def test_evidence_names_record_key_and_algorithm(probed: tuple, lab_settings: ProbeSettings,
                                                 lab_catalog: ProviderCatalog) -> None:
    now = datetime.now(UTC)
    for domain, code, alg in (("expired.test", "dnssec.expired_signatures", 13),
                              ("rsasha1.test", "dnssec.weak_algorithm", 5),
                              ("dsmismatch.test", "dnssec.ds_mismatch", 13),
                              ("expiring.test", "dnssec.signatures_expiring", 13)):
        f = next(f for f in evaluate_dns(probed[0][domain], DomainContext(domain),
                                         lab_catalog, lab_settings, now) if f.code == code)
        assert f.evidence["algorithm"] == alg and isinstance(f.evidence["key_tag"], int)
        assert domain in f.evidence["record"]


def test_inventory_drift(probed: tuple, lab_settings: ProbeSettings,
                         lab_catalog: ProviderCatalog) -> None:
    obs, now = probed[0]["good.test"], datetime.now(UTC)

    def codes(*declared: DeclaredVendor) -> set[str]:
        ctx = DomainContext("good.test", declared_dns_providers=declared)
        return {f.code for f in evaluate_dns(obs, ctx, lab_catalog, lab_settings, now)}

    assert "inventory.drift" in codes(DeclaredVendor("Alpha", "alpha"))
    assert "inventory.drift" not in codes(DeclaredVendor("Alpha", "alpha"),
                                          DeclaredVendor("B", "beta"))
    assert "inventory.drift" not in codes(DeclaredVendor("Alpha DNS"), DeclaredVendor("beta dns"))
    assert "inventory.drift" not in codes()


def test_updates_not_tested_without_opt_in(lab_settings: ProbeSettings,
                                           lab_catalog: ProviderCatalog) -> None:
    async def go() -> DnsObservation:
        async with DnsProber(lab_settings, lab_catalog) as p:
            return await p.probe("openupd.test")
    obs = asyncio.run(go())
    assert not obs.update_tested and obs.complete
    assert all(a.update == "not_tested" for ns in obs.nameservers for a in ns.answers)
    assert all(ns.update_open is None for ns in obs.nameservers)
    assert "ddns.unauthenticated_update" not in {
        f.code for f in evaluate_dns(obs, DomainContext("openupd.test"), lab_catalog,
                                     lab_settings, datetime.now(UTC))}


def test_idn_given_as_u_label(lab_settings: ProbeSettings, lab_catalog: ProviderCatalog) -> None:
    async def go() -> DnsObservation:
        async with DnsProber(lab_settings, lab_catalog) as p:
            return await p.probe("bücher.test")
    obs = asyncio.run(go())
    assert obs.domain == IDN and obs.complete and obs.dnssec.status == "secure"


def test_bad_names_rejected_up_front(lab_settings: ProbeSettings,
                                     lab_catalog: ProviderCatalog) -> None:
    obs = probe_dns(["bad..name", "x" * 300 + ".test"], lab_settings, lab_catalog)
    assert [o.reasons[0].part for o in obs] == ["dns.input", "dns.input"]
    assert all(o.queries == 0 for o in obs)


def test_truncated_udp_answer_is_retried_over_tcp(dns_lab: BindLab) -> None:
    t = Transport(timeout=1.0, retries=0, rate=0, policy=NetworkPolicy.of(LAB_NETWORKS))
    ex = asyncio.run(t.query(dns_lab.views["beta1"], "big.beta.test", "TXT"))
    assert ex.tcp and ex.response is not None and len(ex.response.answer[0]) == 20
    assert t.queries == 2


def test_unreachable_resolver_is_a_reason(dns_lab: BindLab, lab_settings: ProbeSettings,
                                          lab_catalog: ProviderCatalog) -> None:
    broken = dataclasses.replace(lab_settings, resolver=f"{dns_lab.prefix}.9.9:53", timeout=0.2)
    (obs,) = probe_dns(["good.test"], broken, lab_catalog)
    assert not obs.complete and obs.reasons[0].part == "dns.delegation"


def test_a_zone_cannot_aim_the_probe_at_an_internal_address(
        lab_settings: ProbeSettings, lab_catalog: ProviderCatalog,
        loopback_only: list[str]) -> None:
    """private.test names ns.private.test at 10.255.0.53. The probe reports it and sends it
    nothing; only when configuration opens 10/8 does it try (and the lab's guard, which
    refuses every destination outside loopback, sees that try)."""
    (obs,) = probe_dns(["private.test"], lab_settings, lab_catalog)
    (hidden,) = [a for ns in obs.nameservers for a in ns.answers if a.address == "10.255.0.53"]
    assert hidden.not_queried and "private address" in (hidden.error or "")
    assert obs.complete and loopback_only == []
    opened = dataclasses.replace(lab_settings, allow_networks=(*lab_settings.allow_networks,
                                                               "10.0.0.0/8"))
    (tried,) = probe_dns(["private.test"], opened, lab_catalog)
    assert "10.255.0.53" in loopback_only  # refused by the guard, not sent
    loopback_only.clear()
    (answer,) = [a for ns in tried.nameservers for a in ns.answers if a.address == "10.255.0.53"]
    assert not answer.not_queried
