"""The shipped provider catalog and the catalog loader's errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorrisk.catalog.providers import FACTS, load_provider_catalog
from vendorrisk.errors import ConfigError


def test_shipped_catalog_coverage_and_sources() -> None:
    cat = load_provider_catalog()
    kinds = [p.kind for p in cat.providers.values()]
    assert kinds.count("dns_provider") >= 20 and kinds.count("dynamic_dns") >= 4
    for p in cat.providers.values():
        for name in FACTS:
            fact = p.facts.get(name)
            assert fact is None or fact.value is None or fact.source, (p.key, name)


@pytest.mark.parametrize(("host", "operator", "ambiguous"), [
    ("dns1.p01.nsone.net", "ns1|netlify", True),
    ("ns-cloud-a1.googledomains.com", "google_cloud_dns|squarespace_domains", True),
    ("ns-123.awsdns-45.co.uk", "route53", False),
    ("Lara.NS.Cloudflare.com.", "cloudflare", False),
    ("ns1.example-host.co.uk", "example-host.co.uk", False),  # PSL fallback
])
def test_match(host: str, operator: str, ambiguous: bool) -> None:
    m = load_provider_catalog().match(host)
    assert m.operator == operator and m.ambiguous is ambiguous
    if ambiguous:
        assert m.key is None and len(m.keys) == 2


_X = "providers:\n  x:\n    name: X\n    kind: dns_provider\n    ns_patterns: ['*.x']\n"


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "providers.yaml"
    p.write_text(body)
    return p


@pytest.mark.parametrize(("body", "message"), [
    ("providers:\n  x:\n    name: X\n    kind: dns_provider\n    ns_patterns: ['*.x']\n"
     "    colour: red\n", r"providers.yaml:6: providers.x.colour: unknown key"),
    ("providers:\n  x:\n    name: X\n    kind: isp\n    ns_patterns: ['*.x']\n",
     r":4: providers.x.kind: must be one of"),
    ("providers:\n  x:\n    name: X\n    kind: dns_provider\n    ns_patterns: ['*.x']\n"
     "    outbound_transfer: {value: true}\n", r":6: providers.x.outbound_transfer: a known"),
    ("providers:\n  x:\n    name: X\n    kind: dns_provider\n",
     r":3: providers.x: missing key 'ns_patterns'"),
    ("providers: [1\n", "not valid YAML"),
    ("vendors: {}\n", "vendors: unknown top-level key"),
    ("providers:\n  x:\n    name: X\n    kind: dns_provider\n    ns_patterns: ['*.x']\n"
     "    zone_export: {value: [fax], source: s}\n", "zone_export: value must be a list"),
    (_X + "    networks: {value: ['192.0.2.0/24']}\n", r":6: providers.x.networks: a known"),
    (_X + "    networks: {value: ['192.0.2.1/24'], source: s}\n",
     r":6: providers.x.networks: '192.0.2.1/24' is not an address range"),
    (_X + "    networks: ['192.0.2.0/24']\n", "networks: must be null or a mapping"),
])
def test_bad_yaml_names_file_line_key(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_provider_catalog(_write(tmp_path, body))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read provider catalog"):
        load_provider_catalog(tmp_path / "nope.yaml")


def test_networks_are_optional_and_match_addresses(tmp_path: Path) -> None:
    body = (_X + "    networks: {value: ['192.0.2.0/24', '2001:db8:53::/48'], source: s}\n"
            "  y:\n    name: Y\n    kind: dns_provider\n    ns_patterns: ['*.y']\n"
            "    networks: null\n")
    cat = load_provider_catalog(_write(tmp_path, body))
    assert cat.providers["x"].networks_source == "s" and cat.providers["y"].networks == ()
    assert cat.operators_at("192.0.2.77") == ("x",)
    assert cat.operators_at("2001:db8:53:1::1") == ("x",)
    assert cat.operators_at("198.51.100.1") == () and cat.operators_at("not-an-ip") == ()
    assert all(p.networks == () or p.networks_source
               for p in load_provider_catalog().providers.values())
