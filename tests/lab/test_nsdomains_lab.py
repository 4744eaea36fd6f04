"""Nameserver domains in the lab, both ways: BIND zones on 127.x delegate to nameserver hosts
whose registrable domains the loopback RDAP/WHOIS registry calls registered, expiring, not
found or never answers for; the product's batch driver and rules turn that into findings."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Run, run  # noqa: F401 - fixture
from tests.lab.conftest import LAB_NETWORKS
from tests.lab.dns.bindlab import BindLab, LabError, Sign, Zone
from tests.lab.registration.cases import LOCKED, thick, write_bootstrap
from tests.lab.registration.servers import RdapLab, WhoisLab, json_reply
from vendorrisk.catalog.providers import load_provider_catalog
from vendorrisk.catalog.registrars import load_registrar_catalog
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.context import DomainContext
from vendorrisk.findings.evaluate import evaluate_domain
from vendorrisk.probes.nsdomains import PART
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.runner import probe_many

pytestmark = pytest.mark.lab

NOW = datetime.now(UTC)
UNREG, EXPIRING = "registration.ns_domain_unregistered", "registration.ns_domain_expiring"
OK = ["ns1.okns.net", "ns2.okns.net"]
ZONES = {  # client zone -> its nameserver hosts
    "nsok.test": OK,
    "nsunreg.test": [OK[0], "ns1.goners.net"],         # RDAP 404 -> critical
    "nswhois.test": [OK[0], "ns1.gone-whois.org"],     # .org via WHOIS "No match" -> critical
    "nssoon.test": [OK[0], "ns1.soonns.net"],          # expires in 10 days -> high
    "nsslow.test": [OK[0], "ns1.slowns.net"],          # registry times out -> unknown
    "nsself.test": ["ns1.nsself.test", OK[0]],         # in-bailiwick host: not checked
}


def _prefix() -> str:
    """A /16 of its own (the shared labs use 127.53 and 127.60+), one per xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"127.{120 + int(worker[2:])}" if worker.startswith("gw") else "127.54"


def _dns_lab(workdir: Path, p: str) -> BindLab:
    lab = BindLab(workdir, p)
    for name, addr in {"root": f"{p}.0.1", "tld": f"{p}.0.10", "tldnet": f"{p}.0.20",
                       "op1": f"{p}.1.1", "op2": f"{p}.1.2"}.items():
        lab.view(name, addr)
    lab.host("a.rootlab", f"{p}.0.1")
    lab.host("ns1.nic.test", f"{p}.0.10")
    lab.host("a.nic.net", f"{p}.0.20")
    for host in {h for hosts in ZONES.values() for h in hosts}:
        lab.host(host, f"{p}.1.1" if host == OK[0] else f"{p}.1.2")
    lab.zone(Zone(".", ["a.rootlab"], ["root"], sign=Sign()))
    lab.zone(Zone("test", ["ns1.nic.test"], ["tld"], sign=Sign()))
    for tld in ("net", "org"):
        lab.zone(Zone(tld, ["a.nic.net"], ["tldnet"]))
    for name, hosts in ZONES.items():
        lab.zone(Zone(name, hosts, ["op1", "op2"], records="www A 192.0.2.80\n"))
    return lab


def _registry(rdap: RdapLab) -> None:
    def registered(name: str, days: int, **kw: object) -> None:
        rdap.replies[f"/registry/domain/{name}"] = json_reply(
            thick(name, status=LOCKED, expires=NOW + timedelta(days=days)), **kw)

    for client in ZONES:
        registered(client, 400)
    registered("okns.net", 300)
    registered("soonns.net", 10)
    registered("slowns.net", 300, delay=3.0)
    # goners.net is not in the table: 404. gone-whois.org: .org is not in the bootstrap, so
    # WHOIS, whose lab server answers "No match for" anything it does not know.


@dataclass
class World:
    settings: ProbeSettings
    rdap: RdapLab


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    dns = _dns_lab(tmp_path_factory.mktemp("nsdomains-bind"), _prefix())
    rdap, whois = RdapLab().start(), WhoisLab().start()
    try:
        try:
            dns.build()
            dns.start()
        except LabError as exc:
            pytest.fail(f"the BIND DNS lab could not start: {exc}", pytrace=False)
        _registry(rdap)
        bootstrap = tmp_path_factory.mktemp("nsdomains-rdap") / "dns.json"
        write_bootstrap(bootstrap, rdap, ["test", "net"])
        yield World(ProbeSettings(
            resolver=dns.resolver, trust_anchor=str(dns.trust_anchor), timeout=1.0,
            retries=1, dns_rate_limit=500.0, rdap_bootstrap=str(bootstrap),
            whois_server=whois.address, whois_rate_limit=100.0, rdap_rate_limit=200.0,
            registration_expiry_days=30, allow_networks=LAB_NETWORKS), rdap)
    finally:
        dns.stop()
        rdap.stop()
        whois.stop()


@pytest.fixture(scope="module")
def observed(world: World) -> dict[str, DomainObservation]:
    results = asyncio.run(probe_many(list(ZONES), world.settings, load_provider_catalog()))
    return {o.domain: o for o in results}


def _codes(obs: DomainObservation, settings: ProbeSettings) -> dict[str, list[dict[str, object]]]:
    found = evaluate_domain(obs, DomainContext(obs.domain), providers=load_provider_catalog(),
                            registrars=load_registrar_catalog(), settings=settings, now=NOW)
    out: dict[str, list[dict[str, object]]] = {}
    for f in found:
        out.setdefault(f.code, []).append(dict(f.evidence))
    return out


def _status(obs: DomainObservation) -> dict[str, str]:
    assert obs.nameserver_domains is not None
    return {d.host: d.status for d in obs.nameserver_domains.domains}


def test_registered_nameserver_domain_raises_nothing(observed: dict[str, DomainObservation],
                                                     world: World) -> None:
    obs = observed["nsok.test"]
    assert _status(obs) == {OK[0]: "registered", OK[1]: "registered"}
    assert obs.registration is not None and obs.registration.complete
    assert not [r for r in obs.reasons if r.part == PART]
    codes = _codes(obs, world.settings)
    assert UNREG not in codes and EXPIRING not in codes
    entry = obs.to_json()["nameserver_domains"][0]
    assert entry["registrable_domain"] == "okns.net" and entry["source"] == "rdap"
    assert entry["expires"] is not None


@pytest.mark.parametrize(("domain", "host", "via"), [
    ("nsunreg.test", "ns1.goners.net", "HTTP 404"),
    ("nswhois.test", "ns1.gone-whois.org", "no match")])
def test_unregistered_nameserver_domain_is_critical(observed: dict[str, DomainObservation],
                                                    world: World, domain: str, host: str,
                                                    via: str) -> None:
    obs = observed[domain]
    assert _status(obs) == {OK[0]: "registered", host: "unregistered"}
    assert obs.nameserver_domains is not None
    (gone,) = [d for d in obs.nameserver_domains.domains if d.host == host]
    assert via in (gone.reason or "") and gone.source is None
    assert not [r for r in obs.reasons if r.part == PART]
    (f,) = _codes(obs, world.settings)[UNREG]
    assert f["hosts"] == [host] and f["registrable_domain"] == host.split(".", 1)[1]


def test_expiring_nameserver_domain_is_high(observed: dict[str, DomainObservation],
                                            world: World) -> None:
    obs = observed["nssoon.test"]
    assert _status(obs)["ns1.soonns.net"] == "registered"
    codes = _codes(obs, world.settings)
    (f,) = codes[EXPIRING]
    assert f["registrable_domain"] == "soonns.net" and f["days_left"] in (9, 10)
    assert UNREG not in codes


def test_registry_timeout_is_unknown_incomplete_and_no_fault(
        observed: dict[str, DomainObservation], world: World) -> None:
    obs = observed["nsslow.test"]
    assert _status(obs)["ns1.slowns.net"] == "unknown"
    assert not obs.complete and any(r.part == PART and "slowns.net" in r.message
                                    for r in obs.reasons)
    data = obs.to_json()
    assert data["complete"] is False
    codes = _codes(obs, world.settings)
    assert UNREG not in codes and EXPIRING not in codes
    assert any(f.get("part") == PART for f in codes["probe.incomplete"])


def test_in_bailiwick_host_is_not_checked_and_shared_domains_asked_once(
        observed: dict[str, DomainObservation], world: World) -> None:
    assert _status(observed["nsself.test"]) == {OK[0]: "registered"}
    hits = world.rdap.table.hits
    assert hits["/registry/domain/okns.net"] == 1  # six zones use it, one query per run
    assert hits["/registry/domain/nsself.test"] == 1  # the domain's own probe only


def test_probe_json_shows_nameserver_domains(run: Run, world: World,  # noqa: F811
                                             monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    """``vendorrisk probe --json``, the real entry point: the key and the finding."""
    s = world.settings
    for key, value in {"PROBE_RESOLVER": s.resolver, "PROBE_TRUST_ANCHOR": s.trust_anchor,
                       "PROBE_TIMEOUT": "1.0", "PROBE_RETRIES": "1",
                       "PROBE_DNS_RATE_LIMIT": "500", "PROBE_WHOIS_SERVER": s.whois_server,
                       "PROBE_RDAP_BOOTSTRAP": s.rdap_bootstrap,
                       "PROBE_WHOIS_RATE_LIMIT": "100",
                       "PROBE_ALLOW_NETWORKS": ",".join(LAB_NETWORKS)}.items():
        monkeypatch.setenv(f"VENDORRISK_{key}", str(value))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = run("probe", "--no-store", "--json", "nsunreg.test")
    obj = json.loads(result.out)
    assert obj["complete"] is True, obj["reasons"]
    assert {(d["host"], d["status"]) for d in obj["nameserver_domains"]} == {
        ("ns1.okns.net", "registered"), ("ns1.goners.net", "unregistered")}
    (f,) = [f for f in obj["findings"] if f["code"] == UNREG]
    assert f["severity"] == "critical" and f["evidence"]["registrable_domain"] == "goners.net"
