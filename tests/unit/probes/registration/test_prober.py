"""Prober pieces that need no network: observation building and source choice."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vendorrisk.config import ProbeSettings
from vendorrisk.probes.registration.bootstrap import parse_bootstrap
from vendorrisk.probes.registration.privacy import PrivacyMatcher
from vendorrisk.probes.registration.prober import RegistrationProber, build_observation
from vendorrisk.probes.registration.types import RegistrationData

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def test_build_observation_reports_missing_data() -> None:
    obs = build_observation("a.de", "whois", "whois.denic.de",
                            RegistrationData(other_status=("connect",)), [], NOW)
    assert obs.reasons == () and obs.complete  # registry policy, not an unfinished probe
    assert obs.unpublished == ("registrar", "expiry date", "EPP status")
    assert obs.registrar_locked is None and obs.pii_fields_exposed == ()


def test_a_field_the_registry_publishes_but_the_answer_lacks_is_incomplete() -> None:
    obs = build_observation("a.com", "whois", "whois.example", RegistrationData(
        registrar="X", epp_status=("ok",)), [], NOW)
    assert not obs.complete and obs.unpublished == ()
    assert [(r.part, r.message) for r in obs.reasons] == [
        ("registration.whois", "whois.example: the answer gives no expiry date")]


def test_only_what_the_tld_profile_declares_is_not_applicable() -> None:
    uk = build_observation("a.co.uk", "whois", "whois.nic.uk", RegistrationData(
        registrar="X", expires=NOW), [], NOW)
    assert uk.complete and uk.unpublished == ("EPP status",)


@pytest.mark.parametrize("domain", ["a.com", "a.de"])
def test_an_answer_with_only_registrant_data_is_never_complete(domain: str) -> None:
    obs = build_observation(domain, "whois", "w", RegistrationData(
        has_registrant=True, pii_fields_exposed=("name",)), [], NOW)
    assert not obs.complete
    assert "names no registrar, date or status" in obs.reasons[-1].message


def test_thin_answer_leaves_pii_unknown() -> None:
    obs = build_observation("a.com", "rdap", "r", RegistrationData(
        registrar="X", expires=NOW, epp_status=("ok",), thin=True), [], NOW)
    assert obs.complete and obs.pii_fields_exposed is None


def _prober(tmp_path: Path, **settings: object) -> RegistrationProber:
    boot = parse_bootstrap(json.dumps({"services": [[["com"], ["https://rdap.example/"]]]}
                                      ).encode(), allow_http=False)
    return RegistrationProber(ProbeSettings(**settings), cache_dir=tmp_path,  # type: ignore[arg-type]
                              bootstrap=boot, privacy=PrivacyMatcher.of([]),
                              whois_servers={})


def test_no_server_known_is_a_reason(tmp_path: Path) -> None:
    async def run() -> list[str]:
        async with _prober(tmp_path) as p:
            return [(await p.probe(d)).reasons[0].message for d in ("a.zz", "b.zz")]

    assert asyncio.run(run()) == ["no RDAP or WHOIS server known for .zz"] * 2


def test_whois_mode_without_table_entry(tmp_path: Path) -> None:
    async def run() -> str:
        async with _prober(tmp_path, registration_source="whois") as p:
            return (await p.probe("a.com")).reasons[0].message

    assert asyncio.run(run()) == "no WHOIS server known for .com"
