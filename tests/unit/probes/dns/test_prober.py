"""Prober set-up and input handling that need no DNS server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from vendorrisk.catalog.providers import load_provider_catalog
from vendorrisk.config import ProbeSettings
from vendorrisk.errors import ConfigError
from vendorrisk.probes.dns.prober import DnsProber, parse_resolver
from vendorrisk.probes.runner import ProbePlan, probe_many


@pytest.mark.parametrize(("text", "want"), [
    ("192.0.2.1", ("192.0.2.1", 53)), ("127.0.0.1:5300", ("127.0.0.1", 5300)),
    ("[2001:db8::1]:5353", ("2001:db8::1", 5353)), ("2001:db8::1", ("2001:db8::1", 53)),
])
def test_parse_resolver(text: str, want: tuple[str, int]) -> None:
    assert parse_resolver(text) == want


@pytest.mark.parametrize("text", ["resolver.example", "1.2.3.4:0", "1.2.3.4:x", "[::1]:99999"])
def test_parse_resolver_rejects(text: str) -> None:
    with pytest.raises(ConfigError, match="not IP"):
        parse_resolver(text)


def test_bad_trust_anchor_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "a.zone").write_text("garbage here\n")
    settings = ProbeSettings(resolver="127.0.0.1:1", trust_anchor=str(tmp_path / "a.zone"))
    with pytest.raises(ConfigError):
        DnsProber(settings, load_provider_catalog())


def test_malformed_names_become_reasons_without_traffic() -> None:
    settings = ProbeSettings(resolver="127.0.0.1:1", timeout=0.1, retries=0)
    results = asyncio.run(probe_many(["", "a..b", "-x.test"], settings, load_provider_catalog(),
                                     plan=ProbePlan(registration=False)))
    obs = [r.dns for r in results if r.dns is not None]
    assert len(obs) == 3
    assert [o.reasons[0].part for o in obs] == ["dns.input"] * 3
    assert all(o.queries == 0 and not o.complete for o in obs)
