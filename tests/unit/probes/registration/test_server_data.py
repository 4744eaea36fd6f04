"""Shipped server knowledge: the WHOIS table from the whois client's lists, the full IANA
RDAP bootstrap, published registry limits, and the address policy for referrals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendorrisk import paths
from vendorrisk.datafiles import load_yaml
from vendorrisk.errors import ConfigError
from vendorrisk.probes.registration.bootstrap import load_bootstrap
from vendorrisk.probes.registration.limiter import host_name, load_registry_limits
from vendorrisk.probes.registration.serverlists import build, parse_tld_serv_list, render_yaml
from vendorrisk.probes.registration.servers import (
    AddressPolicy,
    load_whois_servers,
    query_for,
    whois_server_for,
)

TLD_SERV = """# comment
.br.com\twhois.centralnic.net
.com\tVERISIGN whois.verisign-grs.com
.gov.ph\tNONE\t# http://dns.gov.ph/
.ph\tWEB https://whois.dot.ph/
.bz\tRECURSIVE whois.identitydigital.services
.uk\twhois.nic.uk
.uk\twhois.other.example
"""


def test_tld_serv_list_parsing() -> None:
    table = parse_tld_serv_list(TLD_SERV)
    assert table.servers == {"br.com": "whois.centralnic.net", "com": "whois.verisign-grs.com",
                             "bz": "whois.identitydigital.services", "uk": "whois.nic.uk"}
    assert table.none == {"gov.ph": "none", "ph": "web-only https://whois.dot.ph/"}


def test_new_gtlds_use_whois_nic_unless_listed() -> None:
    table = build(TLD_SERV, "# x\nabogado\nuk\n")
    assert table.servers["abogado"] == "whois.nic.abogado"
    assert table.servers["uk"] == "whois.nic.uk"
    text = render_yaml(table, repository="r", commit="c" * 40, commit_date="2026-01-01")
    assert "commit: " + "c" * 40 in text and "'gov.ph': 'none'" in text


def test_none_stops_the_suffix_walk(tmp_path: Path) -> None:
    file = tmp_path / "w.yaml"
    file.write_text("servers:\n  'ph': whois.example.ph\nnone:\n  'gov.ph': 'none'\n")
    table = load_whois_servers(file)
    assert whois_server_for("a.gov.ph", table, None) is None
    assert whois_server_for("a.com.ph", table, None) == "whois.example.ph"


def test_shipped_whois_table_covers_every_tld_family() -> None:
    table = load_whois_servers()
    tlds = [k for k, v in table.items() if v and "." not in k]
    assert len(tlds) > 1300
    for tld, host in (("de", "whois.denic.de"), ("uk", "whois.nic.uk"), ("nl",
                      "whois.domain-registry.nl"), ("be", "whois.dns.be"), ("ch",
                      "whois.nic.ch"), ("at", "whois.nic.at"), ("it", "whois.nic.it"),
                      ("fr", "whois.nic.fr"), ("jp", "whois.jprs.jp"), ("no", "whois.norid.no")):
        assert whois_server_for(f"x.{tld}", table, None) == host
    assert whois_server_for("x.es", table, None) is None  # web-only registry
    source = load_yaml(paths.data_file("whois-servers.yaml"), what="t")["source"]
    assert source["repository"].endswith("rfc1036/whois") and len(source["commit"]) == 40


def test_shipped_bootstrap_is_the_full_iana_file_with_provenance() -> None:
    boot = load_bootstrap(None)
    assert len(boot.services) > 1100
    assert boot.base_url("a.nl") == "https://rdap.sidn.nl/"
    assert boot.base_url("a.pl") == "https://rdap.dns.pl/"
    data = json.loads(paths.data_file("rdap-dns.json").read_text())
    assert {"repository", "path", "commit", "commit_date"} <= set(data["vendorrisk_source"])


def test_query_dialects_for_jprs_and_verisign_cc() -> None:
    assert query_for("whois.jprs.jp", "a.jp") == "a.jp/e"
    assert query_for("ccwhois.verisign-grs.com", "a.cc") == "domain a.cc"


def test_shipped_registry_limits() -> None:
    limits = load_registry_limits()
    assert limits["whois.nic.uk"].per_second == 5 and limits["whois.nic.uk"].per_day == 1000
    assert limits["whois.domain-registry.nl"].per_second == 1
    assert limits["whois.dns.be"].per_hour == 100
    assert limits["whois.weare.ie"].per_day == 100
    assert all(limit.source for limit in limits.values())


@pytest.mark.parametrize("body", ["registries: {}", "registries: [{name: x}]",
                                  "registries: [{name: x, hosts: [a], per_day: -1}]"])
def test_bad_limits_file_is_config_error(tmp_path: Path, body: str) -> None:
    file = tmp_path / "l.yaml"
    file.write_text(body)
    with pytest.raises(ConfigError):
        load_registry_limits(file)


def test_host_name_of_labels() -> None:
    assert host_name("WHOIS.nic.uk") == "whois.nic.uk"
    assert host_name("127.0.0.1:4343") == "127.0.0.1"
    assert host_name("[::1]:43") == "::1"


@pytest.mark.parametrize(("host", "refused"), [
    ("rdap.markmonitor.com", False), ("10.1.2.3", True), ("169.254.169.254", True),
    ("192.168.0.1", True), ("[::1]", True), ("::ffff:127.0.0.1", True), ("localhost", True),
    ("x.localhost", True), ("0.0.0.0", True), ("127.0.0.1", False),
])
def test_address_policy(host: str, refused: bool) -> None:
    policy = AddressPolicy.of(["127.0.0.1"])
    assert (policy.refusal(host) is not None) is refused


def test_address_policy_checks_what_a_name_resolves_to() -> None:
    policy = AddressPolicy.of([])
    assert "10.0.0.7" in (policy.refusal("evil.example", lambda _: ["10.0.0.7"]) or "")
    assert policy.refusal("ok.example", lambda _: ["192.0.43.10"]) is None
