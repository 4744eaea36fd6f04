"""WHOIS server choice and the referral SSRF guard."""

from __future__ import annotations

import pytest

from vendorrisk.probes.registration.servers import (
    load_whois_servers,
    query_for,
    referral_allowed,
    whois_server_for,
)


def test_table_and_override() -> None:
    table = load_whois_servers()
    assert whois_server_for("a.de", table, None) == "whois.denic.de"
    assert whois_server_for("a.co.uk", table, None) == "whois.nic.uk"
    assert whois_server_for("a.invalid", table, None) is None
    assert whois_server_for("a.invalid", table, "127.0.0.1:4343") == "127.0.0.1:4343"


@pytest.mark.parametrize(("origin", "target", "ok"), [
    ("whois.verisign-grs.com", "whois.markmonitor.com", True),
    ("whois.verisign-grs.com", "127.0.0.1", False),
    ("whois.verisign-grs.com", "10.0.0.5", False),
    ("rdap.verisign.com", "[::1]", False),
    ("127.0.0.1", "127.0.0.1", True),
])
def test_referral_guard(origin: str, target: str, ok: bool) -> None:
    assert referral_allowed(origin, target) is ok


def test_query_dialects() -> None:
    assert query_for("whois.verisign-grs.com", "a.com") == "domain a.com"
    assert query_for("WHOIS.DENIC.DE", "a.de") == "-T dn,ace a.de"
    assert query_for("127.0.0.1", "a.com") == "a.com"
