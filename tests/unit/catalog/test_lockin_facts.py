"""The catalog facts the lock-in factors read exist, cite their sources, and survive a registrar
and a DNS provider sharing one catalog key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vendorrisk.catalog.providers import load_provider_catalog
from vendorrisk.catalog.registrars import load_registrar_catalog
from vendorrisk.config import ProbeSettings, Settings
from vendorrisk.store.facts import _provider_facts

LOCKIN_FACTS = ("customer_controls_apex_ns", "outbound_transfer", "multi_signer")


@pytest.mark.parametrize(("fact", "at_least"), [
    ("customer_controls_apex_ns", 18), ("outbound_transfer", 10), ("multi_signer", 8)])
def test_lockin_facts_are_known_for_most_dns_providers(fact: str, at_least: int) -> None:
    providers = [p for p in load_provider_catalog().providers.values()
                 if p.kind == "dns_provider"]
    known = [p.key for p in providers if p.fact(fact) is not None]
    assert len(known) >= at_least, known
    assert {p.fact(fact) for p in providers} >= {True, False}  # the factor can pass and fail


def test_every_dnscontrol_citation_of_a_lockin_fact_names_file_and_commit() -> None:
    for p in load_provider_catalog().providers.values():
        for name in LOCKIN_FACTS:
            source = (p.facts[name].source or "") if name in p.facts else ""
            for cited in re.findall(r"dnscontrol (?:providers|documentation)/[^;]*", source):
                assert re.search(r"\(commit [0-9a-f]{7}", cited), (p.key, name, cited)


def test_registrars_say_whether_they_need_their_own_nameservers() -> None:
    registrars = load_registrar_catalog().registrars
    known = {r.key: r.requires_own_nameservers for r in registrars
             if r.requires_own_nameservers is not None}
    assert known["cloudflare"] is True and len(known) >= 10
    assert all("requires_own_nameservers" in r.sources for r in registrars if r.key in known)


_PROVIDERS = """providers:
  both:
    name: Both Inc.
    kind: dns_provider
    ns_patterns: ['*.both.test']
    customer_controls_apex_ns: {value: false, source: test}
    outbound_transfer: {value: true, source: test}
  dns_only:
    name: DNS only
    kind: dns_provider
    ns_patterns: ['*.dns-only.test']
    multi_signer: {value: true, source: test}
"""
_REGISTRARS = """registrars:
  both:
    name: Both Inc.
    requires_own_nameservers: true
    sources: {requires_own_nameservers: test}
  reg_only:
    name: Registrar only
    requires_own_nameservers: false
    sources: {requires_own_nameservers: test}
"""


def test_a_company_that_is_registrar_and_dns_provider_keeps_both_halves(tmp_path: Path) -> None:
    (tmp_path / "providers.yaml").write_text(_PROVIDERS)
    (tmp_path / "registrars.yaml").write_text(_REGISTRARS)
    settings = Settings(probe=ProbeSettings(providers_file=str(tmp_path / "providers.yaml"),
                                            registrars_file=str(tmp_path / "registrars.yaml")))
    out = _provider_facts(settings)
    both = out["both"]
    assert (both.customer_controls_apex_ns, both.outbound_transfer,
            both.requires_own_nameservers) == (False, True, True)
    assert out["dns_only"].multi_signer is True and out["dns_only"].requires_own_nameservers is None
    assert out["reg_only"].requires_own_nameservers is False
    assert out["reg_only"].outbound_transfer is None


def test_the_shipped_catalogs_merge_for_cloudflare() -> None:
    cloudflare = _provider_facts(Settings())["cloudflare"]
    assert cloudflare.requires_own_nameservers is True
    assert cloudflare.multi_signer is True and cloudflare.customer_controls_apex_ns is True
