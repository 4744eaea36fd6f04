"""Source choice after a failure, and rolling quotas of the limiter (no network)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from vendorrisk.config import ProbeSettings
from vendorrisk.probes.registration import follow
from vendorrisk.probes.registration.bootstrap import parse_bootstrap
from vendorrisk.probes.registration.limiter import HostLimit, HostLimiter, QuotaExhausted
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.types import Reason

NOW = datetime(2026, 12, 7, tzinfo=UTC)


@pytest.mark.parametrize(("mode", "kind", "server", "expected"), [
    ("auto", "http", "whois.x", True), ("auto", "timeout", "whois.x", True),
    ("auto", "", "whois.x", True), ("auto", "not_found", "whois.x", False),
    ("auto", "rate_limited", "whois.x", False), ("auto", "http", None, False),
    ("rdap", "http", "whois.x", False),
])
def test_falls_back(mode: str, kind: str, server: str | None, expected: bool) -> None:
    assert follow.falls_back(mode, kind, server) is expected


def test_fallback_notes_and_keeps_both_reasons() -> None:
    rdap = Reason("registration.rdap", "r: HTTP 503")
    ok = follow.with_fallback(RegistrationObservation("a.x", source="whois"), rdap)
    assert ok.complete and "HTTP 503" in (ok.source_note or "")
    bad = follow.with_fallback(follow.failed("a.x", Reason("registration.whois", "w: down"),
                                             "connect", NOW), rdap)
    assert [r.part for r in bad.reasons] == ["registration.rdap", "registration.whois"]


def test_rate_limited_observation_round_trips() -> None:
    obs = follow.failed("a.x", Reason("registration.rdap", "rate-limited"), "rate_limited", NOW)
    again = RegistrationObservation.from_json(obs.to_json())
    assert again.rate_limited and again.source is None


def test_configured_hosts_only_from_user_data() -> None:
    shipped = parse_bootstrap(b'{"services": [[["x"], ["https://rdap.x/"]]]}', allow_http=False)
    user = parse_bootstrap(b'{"services": [[["x"], ["http://127.0.0.5:80/"]]]}', allow_http=True)
    settings = ProbeSettings(whois_server="127.0.0.6:4343")
    assert follow.configured_hosts(settings, shipped) == ["127.0.0.6"]
    assert follow.configured_hosts(settings, user) == ["127.0.0.5", "127.0.0.6"]


def test_day_quota_raises_instead_of_sleeping() -> None:
    clock = [1000.0]
    limiter = HostLimiter(1000.0, limits={"w": HostLimit("W", per_day=2)},
                          clock=lambda: clock[0])

    async def run() -> None:
        for _ in range(2):
            async with limiter.slot("w:43"):
                clock[0] += 1
        with pytest.raises(QuotaExhausted, match="2 per day"):
            async with limiter.slot("w:43"):
                pass
        async with limiter.slot("other"):  # other hosts are not affected
            pass

    asyncio.run(run())
